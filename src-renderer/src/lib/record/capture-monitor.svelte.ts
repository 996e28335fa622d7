import type { ApiClient } from '@api/client-core';
import type { LevelPayload } from '@api/audio';
import { FrameRing } from './frame-ring';

/** Live frames kept for drawing: 40 s at 10 ms, far more than one animation frame lags... */
const RING_FRAMES = 4096;
/** ...and room to grow for bursts (an unpaced device, a hidden tab): 10 minutes, 19 MB. */
const MAX_RING_FRAMES = 60_000;
/** The display spectrogram's bands (main's displaySpectrogramConfig). */
export const DISPLAY_BANDS = 80;

/**
 * What the recorder's events show while a capture runs, in the Record and the Live view alike:
 * the level (and whether the take clipped), voice activity, the elapsed time and the ring of
 * live spectrogram frames.
 */
export class CaptureMonitor {
  level = $state.raw<LevelPayload | null>(null);
  /** Set when any block of the current capture clipped; cleared by `reset`. */
  clipped = $state(false);
  inSpeech = $state(false);
  elapsedSeconds = $state(0);
  /** Bumped when the ring is replaced, so the live canvas clears itself. */
  generation = $state(0);
  /** Not reactive: written by events, read by the live canvas's animation loop. */
  ring = new FrameRing(RING_FRAMES, DISPLAY_BANDS, MAX_RING_FRAMES);

  /**
   * Follows record:level, record:vad and record:frames, taking events only while `listening()`
   * (the Live view ignores a recording it did not start). Returns the unsubscribers.
   */
  listen(client: Pick<ApiClient, 'on'>, listening: () => boolean = () => true): (() => void)[] {
    return [
      client.on('record:level', (reading) => {
        if (!listening()) return;
        this.level = reading;
        this.elapsedSeconds = reading.timeSeconds;
        if (reading.clipped) this.clipped = true;
      }),
      client.on('record:vad', (event) => {
        if (listening()) this.inSpeech = event.type === 'speechStart';
      }),
      client.on('record:frames', (batch) => {
        if (!listening()) return;
        if (batch.dims !== this.ring.dims) this.#newRing(batch.dims);
        this.ring.push(batch.data, batch.frames);
      }),
    ];
  }

  /** Clears the readings and the drawn frames before a new capture. */
  reset(): void {
    this.level = null;
    this.clipped = false;
    this.inSpeech = false;
    this.elapsedSeconds = 0;
    this.#newRing(this.ring.dims);
  }

  #newRing(dims: number): void {
    this.ring = new FrameRing(RING_FRAMES, dims, MAX_RING_FRAMES);
    this.generation++;
  }
}
