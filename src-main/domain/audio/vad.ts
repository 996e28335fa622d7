import { toDbfs } from './wav';

export interface VadOptions {
  /** Frame over which energy is measured. */
  frameMs: number;
  /** Speech starts after `startFrames` consecutive frames louder than this (dBFS). */
  startThresholdDbfs: number;
  /** Speech ends after `hangoverMs` of frames quieter than this (dBFS); lower than the start threshold (hysteresis). */
  endThresholdDbfs: number;
  startFrames: number;
  hangoverMs: number;
}

export const DEFAULT_VAD_OPTIONS: VadOptions = {
  frameMs: 10,
  startThresholdDbfs: -35,
  endThresholdDbfs: -45,
  startFrames: 3,
  hangoverMs: 300,
};

/** `decidedAtSeconds`: when the detector decided (after startFrames / the hangover), for latency and cutting. */
export type VadEvent =
  | { type: 'speechStart'; timeSeconds: number; decidedAtSeconds: number }
  | { type: 'speechEnd'; startSeconds: number; endSeconds: number; decidedAtSeconds: number };

/**
 * Energy voice-activity detector with hysteresis and hangover, the classic endpointer for
 * isolated words: a start needs a few loud frames in a row (so a click does not count), and
 * an end needs a stretch of quiet frames (so a stop consonant or a short pause does not end
 * the word). Times are in seconds from the first sample fed; the start is backdated to the
 * first loud frame and the end to the last loud frame.
 */
export class EnergyVad {
  readonly options: VadOptions;
  private readonly frameSamples: number;
  private readonly sampleRate: number;
  private readonly hangoverFrames: number;
  private sumSquares = 0;
  private inFrame = 0;
  private frameIndex = 0;
  private loudRun = 0;
  private quietRun = 0;
  private speaking = false;
  private speechStartFrame = 0;
  private lastLoudFrame = 0;

  constructor(sampleRate: number, options: Partial<VadOptions> = {}) {
    this.options = { ...DEFAULT_VAD_OPTIONS, ...options };
    this.sampleRate = sampleRate;
    this.frameSamples = Math.max(1, Math.round((sampleRate * this.options.frameMs) / 1000));
    this.hangoverFrames = Math.max(1, Math.round(this.options.hangoverMs / this.options.frameMs));
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Feeds 16-bit PCM; returns the events it caused. */
  push(pcm: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    for (let i = 0; i < pcm.length; i++) {
      const value = pcm[i] as number;
      this.sumSquares += value * value;
      if (++this.inFrame === this.frameSamples) {
        const event = this.endFrame(toDbfs(Math.sqrt(this.sumSquares / this.inFrame) / 32_768));
        if (event) events.push(event);
        this.sumSquares = 0;
        this.inFrame = 0;
      }
    }
    return events;
  }

  /** Ends the stream: closes an open speech segment. */
  flush(): VadEvent[] {
    if (!this.speaking) return [];
    this.speaking = false;
    return [
      {
        type: 'speechEnd',
        startSeconds: this.seconds(this.speechStartFrame),
        endSeconds: this.seconds(this.lastLoudFrame + 1),
        decidedAtSeconds: (this.frameIndex * this.frameSamples + this.inFrame) / this.sampleRate,
      },
    ];
  }

  private seconds(frame: number): number {
    return (frame * this.frameSamples) / this.sampleRate;
  }

  private endFrame(levelDbfs: number): VadEvent | null {
    const frame = this.frameIndex++;
    const { startThresholdDbfs, endThresholdDbfs, startFrames } = this.options;
    if (!this.speaking) {
      this.loudRun = levelDbfs > startThresholdDbfs ? this.loudRun + 1 : 0;
      if (this.loudRun >= startFrames) {
        this.speaking = true;
        this.speechStartFrame = frame - startFrames + 1;
        this.lastLoudFrame = frame;
        this.quietRun = 0;
        return {
          type: 'speechStart',
          timeSeconds: this.seconds(this.speechStartFrame),
          decidedAtSeconds: this.seconds(frame + 1),
        };
      }
      return null;
    }
    if (levelDbfs > endThresholdDbfs) {
      this.quietRun = 0;
      this.lastLoudFrame = frame;
      return null;
    }
    if (++this.quietRun >= this.hangoverFrames) {
      this.speaking = false;
      this.loudRun = 0;
      return {
        type: 'speechEnd',
        startSeconds: this.seconds(this.speechStartFrame),
        endSeconds: this.seconds(this.lastLoudFrame + 1),
        decidedAtSeconds: this.seconds(frame + 1),
      };
    }
    return null;
  }
}
