import { frameArgmax } from '../metrics/frame-decoding';

export interface IncrementalDecodingOptions {
  /** Odd window of the label median filter, in frames (the experiment's medianWindow). */
  medianWindow: number;
  /** Labels dropped after merging (silence, pauses). */
  silence: readonly string[];
  /** Only the last this many phones are returned by decoded() (bounds the live message size). */
  maxPhones?: number;
}

/**
 * The live twin of `decodeFramePosteriors` (argmax, label median filter, repeats merged,
 * silence dropped): columns arrive chunk by chunk and `decoded()` always equals decoding all
 * columns so far in one go, at a cost per chunk of its own frames plus half a window, instead
 * of re-decoding the whole stream. A frame's smoothed label is final once half a window of
 * frames follows it; the frames after that are decoded provisionally with the window cut at
 * the end (as the batch decoder does at the end of an utterance) and may still change.
 */
export class IncrementalPhoneDecoder {
  private argmax = new Int32Array(1024);
  private frames = 0;
  private finalFrames = 0;
  /** Last merged label of the final part (silence included: merging comes before dropping). */
  private lastFinal = -1;
  private readonly finalPhones: string[] = [];
  private readonly half: number;
  private readonly silence: Set<number>;
  private readonly maxPhones: number;

  constructor(
    private readonly phones: readonly string[],
    options: IncrementalDecodingOptions,
  ) {
    this.half = Math.max(0, Math.floor(options.medianWindow / 2));
    const silence = new Set(options.silence);
    this.silence = new Set(phones.flatMap((p, k) => (silence.has(p) ? [k] : [])));
    this.maxPhones = options.maxPhones ?? Infinity;
  }

  /** Adds row-major [frames, phones] posterior columns. */
  push(posteriors: Float32Array): void {
    if (posteriors.length === 0) return;
    const labels = frameArgmax(posteriors, this.phones.length);
    if (this.frames + labels.length > this.argmax.length) {
      const grown = new Int32Array(Math.max(this.argmax.length * 2, this.frames + labels.length));
      grown.set(this.argmax.subarray(0, this.frames));
      this.argmax = grown;
    }
    this.argmax.set(labels, this.frames);
    this.frames += labels.length;
    for (; this.finalFrames + this.half < this.frames; this.finalFrames++) {
      const label = this.smoothedAt(this.finalFrames);
      if (label === this.lastFinal) continue;
      this.lastFinal = label;
      if (!this.silence.has(label)) this.finalPhones.push(this.nameOf(label));
    }
    // Keep the final part bounded too: only its end is ever returned.
    if (this.finalPhones.length > 2 * this.maxPhones)
      this.finalPhones.splice(0, this.finalPhones.length - this.maxPhones);
  }

  /** The decoded phone string so far (its last `maxPhones` phones). */
  decoded(): string[] {
    const out = this.finalPhones.slice(-this.maxPhones);
    let last = this.lastFinal;
    for (let t = this.finalFrames; t < this.frames; t++) {
      const label = this.smoothedAt(t);
      if (label === last) continue;
      last = label;
      if (!this.silence.has(label)) out.push(this.nameOf(label));
    }
    return out.length > this.maxPhones ? out.slice(out.length - this.maxPhones) : out;
  }

  get frameCount(): number {
    return this.frames;
  }

  private nameOf(label: number): string {
    return this.phones[label] ?? `#${label}`;
  }

  /**
   * The median-filtered label of frame t over the frames so far, exactly as
   * medianSmoothLabels computes it (majority in the window cut at the ends; the centre wins a
   * tie, else the first label to reach the top count in window order).
   */
  private smoothedAt(t: number): number {
    const centre = this.argmax[t] as number;
    if (this.half === 0) return centre;
    const from = Math.max(0, t - this.half);
    const to = Math.min(this.frames - 1, t + this.half);
    const counts = new Map<number, number>();
    for (let u = from; u <= to; u++) {
      const l = this.argmax[u] as number;
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    let best = centre;
    let bestCount = 0;
    for (const [label, count] of counts) {
      if (count > bestCount || (count === bestCount && label === centre)) {
        best = label;
        bestCount = count;
      }
    }
    return best;
  }
}
