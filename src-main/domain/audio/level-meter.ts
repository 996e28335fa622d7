import { toDbfs } from './wav';

export interface LevelReading {
  /** Time of the end of the measured block, in seconds from the start of the recording. */
  timeSeconds: number;
  rmsDbfs: number;
  peakDbfs: number;
  /** True when any sample in the block reached full scale (+-32767 / -32768). */
  clipped: boolean;
}

/**
 * RMS and peak over fixed blocks (default 50 ms, 20 readings a second: smooth for a meter,
 * cheap to send over IPC). Takes 16-bit PCM as the recorder delivers it.
 */
export class LevelMeter {
  private readonly blockSamples: number;
  private readonly sampleRate: number;
  private sumSquares = 0;
  private peak = 0;
  private clipped = false;
  private inBlock = 0;
  private samplesSeen = 0;

  constructor(sampleRate: number, blockMs = 50) {
    this.sampleRate = sampleRate;
    this.blockSamples = Math.max(1, Math.round((sampleRate * blockMs) / 1000));
  }

  /** Feeds samples; returns the readings of every block they completed. */
  push(pcm: Int16Array): LevelReading[] {
    const readings: LevelReading[] = [];
    for (let i = 0; i < pcm.length; i++) {
      const value = pcm[i] as number;
      const magnitude = value < 0 ? -value : value;
      if (magnitude > this.peak) this.peak = magnitude;
      if (value >= 32_767 || value <= -32_768) this.clipped = true;
      this.sumSquares += value * value;
      this.inBlock++;
      this.samplesSeen++;
      if (this.inBlock === this.blockSamples) {
        readings.push({
          timeSeconds: this.samplesSeen / this.sampleRate,
          rmsDbfs: toDbfs(Math.sqrt(this.sumSquares / this.inBlock) / 32_768),
          peakDbfs: toDbfs(this.peak / 32_768),
          clipped: this.clipped,
        });
        this.sumSquares = 0;
        this.peak = 0;
        this.clipped = false;
        this.inBlock = 0;
      }
    }
    return readings;
  }
}
