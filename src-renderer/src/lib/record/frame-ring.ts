/**
 * A ring buffer of feature frames between the socket and the canvas: events push batches as
 * they arrive, the requestAnimationFrame loop takes everything pending and draws it. The
 * counters make "no frame dropped" checkable: received = drawn + pending + dropped. When a
 * burst outruns the drawing (an unpaced source delivers seconds of audio at once; a hidden
 * tab pauses animation frames) the ring grows, up to `maxCapacity`; only beyond that are the
 * oldest undrawn frames dropped, and counted.
 */
export class FrameRing {
  readonly dims: number;
  readonly maxCapacity: number;
  private size: number;
  private storage: Float32Array;
  /** Frames ever pushed (the write position). */
  private written = 0;
  /** Frames ever taken (the read position). */
  private taken = 0;
  private lost = 0;

  constructor(capacity: number, dims: number, maxCapacity = capacity) {
    this.size = capacity;
    this.dims = dims;
    this.maxCapacity = Math.max(capacity, maxCapacity);
    this.storage = new Float32Array(capacity * dims);
  }

  get capacity(): number {
    return this.size;
  }

  get received(): number {
    return this.written;
  }

  get drawn(): number {
    return this.taken;
  }

  get dropped(): number {
    return this.lost;
  }

  get pending(): number {
    return this.written - this.taken;
  }

  /** Appends `frames` rows of `data` (frames x dims, row-major). */
  push(data: Float32Array, frames: number): void {
    if (data.length < frames * this.dims) throw new Error('frame batch shorter than frames x dims');
    const needed = this.pending + frames;
    if (needed > this.size && this.size < this.maxCapacity) this.grow(needed);
    for (let f = 0; f < frames; f++) {
      const slot = (this.written % this.size) * this.dims;
      this.storage.set(data.subarray(f * this.dims, (f + 1) * this.dims), slot);
      this.written++;
    }
    const overflow = this.written - this.taken - this.size;
    if (overflow > 0) {
      // The oldest pending frames were overwritten before they were drawn.
      this.lost += overflow;
      this.taken += overflow;
    }
  }

  /** Calls `visit` for every pending frame in order (the row is a view: copy it to keep it). */
  drain(visit: (row: Float32Array, frameIndex: number) => void): number {
    const count = this.pending;
    for (let i = 0; i < count; i++) {
      const index = this.taken;
      const slot = (index % this.size) * this.dims;
      visit(this.storage.subarray(slot, slot + this.dims), index);
      this.taken++;
    }
    return count;
  }

  /** Doubles the storage until `needed` frames fit (or the maximum), keeping pending frames. */
  private grow(needed: number): void {
    let size = this.size;
    while (size < needed && size < this.maxCapacity) size *= 2;
    size = Math.min(size, this.maxCapacity);
    const storage = new Float32Array(size * this.dims);
    for (let index = this.taken; index < this.written; index++) {
      const from = (index % this.size) * this.dims;
      storage.set(this.storage.subarray(from, from + this.dims), (index % size) * this.dims);
    }
    this.storage = storage;
    this.size = size;
  }

  /** Forgets everything, for a new recording. */
  reset(): void {
    this.written = 0;
    this.taken = 0;
    this.lost = 0;
  }
}
