/**
 * Posterior columns between the socket and the live posteriorgram's canvas. Events push
 * batches as they arrive; the animation loop takes the pending ones, draws them and measures
 * their latency. The last `capacity` columns are also kept in a ring buffer indexed by
 * absolute frame, so a resized canvas can redraw what is still on screen.
 * Counters make "every column drawn" checkable: received = drawn + pending + dropped.
 */

export interface PosteriorBatch {
  /** Row-major [frames, phones]. */
  posteriors: Float32Array;
  frames: number;
  startFrame: number;
  latencyMs: number;
  sentAt: number;
}

export class PosteriorFeed {
  readonly phones: number;
  readonly capacity: number;
  private readonly storage: Float32Array;
  /** One past the newest frame kept. */
  private end = 0;
  private pendingBatches: PosteriorBatch[] = [];
  private pendingFrames = 0;
  private framesReceived = 0;
  private framesDrawn = 0;
  private framesDropped = 0;

  constructor(phones: number, capacity = 8192) {
    this.phones = phones;
    this.capacity = capacity;
    this.storage = new Float32Array(capacity * phones);
  }

  get received(): number {
    return this.framesReceived;
  }

  get drawn(): number {
    return this.framesDrawn;
  }

  get dropped(): number {
    return this.framesDropped;
  }

  get pending(): number {
    return this.pendingFrames;
  }

  /** One past the newest frame received (0 before the first batch). */
  get endFrame(): number {
    return this.end;
  }

  /** The oldest frame still kept. */
  get firstKeptFrame(): number {
    return Math.max(0, this.end - this.capacity);
  }

  push(batch: PosteriorBatch): void {
    const { frames, startFrame, posteriors } = batch;
    if (frames <= 0) return;
    if (posteriors.length < frames * this.phones)
      throw new Error('posterior batch shorter than frames x phones');
    // A gap (frames never sent) must not show the columns of a lap ago: clear it.
    for (let frame = Math.max(this.end, startFrame - this.capacity); frame < startFrame; frame++)
      this.row(frame).fill(0);
    for (let i = 0; i < frames; i++) {
      this.row(startFrame + i).set(posteriors.subarray(i * this.phones, (i + 1) * this.phones));
    }
    this.end = Math.max(this.end, startFrame + frames);
    this.framesReceived += frames;
    this.pendingBatches.push(batch);
    this.pendingFrames += frames;
    // A hidden tab pauses animation frames: beyond the ring's size the oldest undrawn batches
    // could not be redrawn anyway, so they are dropped (and counted).
    while (this.pendingFrames > this.capacity && this.pendingBatches.length > 1) {
      const oldest = this.pendingBatches.shift() as PosteriorBatch;
      this.pendingFrames -= oldest.frames;
      this.framesDropped += oldest.frames;
    }
  }

  /** Takes every pending batch, oldest first, and counts its frames as drawn. */
  take(): PosteriorBatch[] {
    const batches = this.pendingBatches;
    this.pendingBatches = [];
    this.framesDrawn += this.pendingFrames;
    this.pendingFrames = 0;
    return batches;
  }

  /**
   * The kept columns of frames [from, to) as one row-major matrix starting at the returned
   * `startFrame` (clamped to what is kept), for redrawing.
   */
  columns(
    from: number,
    to: number,
  ): { posteriors: Float32Array; frames: number; startFrame: number } {
    const first = Math.max(from, this.firstKeptFrame);
    const last = Math.min(to, this.end);
    const frames = Math.max(0, last - first);
    const posteriors = new Float32Array(frames * this.phones);
    for (let i = 0; i < frames; i++) posteriors.set(this.row(first + i), i * this.phones);
    return { posteriors, frames, startFrame: first };
  }

  /** A copy of one kept frame's probabilities, or null when it is not (or no longer) kept. */
  column(frame: number): Float32Array | null {
    if (!Number.isInteger(frame) || frame < this.firstKeptFrame || frame >= this.end) return null;
    return this.row(frame).slice();
  }

  private row(frame: number): Float32Array {
    const slot = (frame % this.capacity) * this.phones;
    return this.storage.subarray(slot, slot + this.phones);
  }
}
