import type { RecorderEvents, PcmChunk } from '../audio/recorder';
import type { VadEvent } from '../audio/vad';
import type {
  PosteriorChunk,
  Recognizer,
  StreamingPhoneRecognizer,
  WordResult,
} from './recognizer';

/** The part of RecorderService the live functions listen to (a fake in tests). */
export interface RecorderEventSource {
  on<K extends keyof RecorderEvents>(
    event: K,
    listener: (...args: RecorderEvents[K]) => void,
  ): unknown;
  off<K extends keyof RecorderEvents>(
    event: K,
    listener: (...args: RecorderEvents[K]) => void,
  ): unknown;
}

export interface LiveWordResult extends WordResult {
  startSeconds: number;
  endSeconds: number;
  /** From the detector's end-of-word decision to the result. */
  latencyMs: number;
}

/** Keeps the last `seconds` of 16-bit PCM with absolute sample indexes, to cut words out of. */
class PcmHistory {
  private chunks: PcmChunk[] = [];
  constructor(private readonly seconds: number) {}

  add(chunk: PcmChunk): void {
    this.chunks.push(chunk);
    const keepFrom = chunk.startSample + chunk.pcm.length - this.seconds * chunk.sampleRate;
    while (
      this.chunks.length > 1 &&
      (this.chunks[0] as PcmChunk).startSample + (this.chunks[0] as PcmChunk).pcm.length < keepFrom
    )
      this.chunks.shift();
  }

  /** Samples [from, to) as floats in [-1, 1], as far as they are still kept. */
  cut(from: number, to: number): { samples: Float32Array; sampleRate: number } {
    const sampleRate = this.chunks[0]?.sampleRate ?? 16_000;
    const start = Math.max(from, this.chunks[0]?.startSample ?? 0);
    const out = new Float32Array(Math.max(0, to - start));
    for (const c of this.chunks) {
      for (let i = 0; i < c.pcm.length; i++) {
        const k = c.startSample + i - start;
        if (k >= 0 && k < out.length) out[k] = (c.pcm[i] as number) / 32768;
      }
    }
    return { samples: out, sampleRate };
  }
}

/**
 * Live isolated words: the recorder's voice-activity detector cuts each spoken word (with
 * `paddingMs` of context either side, as the training words were trimmed with a little
 * silence), the model classifies it, and `onResult` gets the top words with probabilities and
 * the latency from the end-of-word decision. Returns a function that detaches the listeners.
 */
export function recognizeWordsFromRecorder(
  recorder: RecorderEventSource,
  recognizer: Pick<Recognizer, 'recognizeWord'>,
  onResult: (result: LiveWordResult) => void,
  options: { paddingMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  const history = new PcmHistory(15);
  let sampleRate = 16_000;
  const padding = (options.paddingMs ?? 100) / 1000;
  const onChunk = (chunk: PcmChunk): void => {
    sampleRate = chunk.sampleRate;
    history.add(chunk);
  };
  const onVad = (event: VadEvent): void => {
    if (event.type !== 'speechEnd') return;
    const decided = performance.now();
    const from = Math.max(0, Math.floor((event.startSeconds - padding) * sampleRate));
    const to = Math.ceil((event.endSeconds + padding) * sampleRate);
    const audio = history.cut(from, to);
    recognizer
      .recognizeWord(audio)
      .then((result) =>
        onResult({
          ...result,
          startSeconds: event.startSeconds,
          endSeconds: event.endSeconds,
          latencyMs: performance.now() - decided,
        }),
      )
      .catch((error: unknown) => options.onError?.(error));
  };
  recorder.on('chunk', onChunk);
  recorder.on('vad', onVad);
  return () => {
    recorder.off('chunk', onChunk);
    recorder.off('vad', onVad);
  };
}

export interface LivePosteriorColumns extends PosteriorChunk {
  /** Time from the chunk's arrival to its posterior columns. */
  latencyMs: number;
}

/**
 * Live posteriorgram: every recorder chunk goes through the streaming phone recogniser and
 * the new posterior columns come out with the processing latency; the stream is flushed when
 * the recording stops.
 */
export function streamPhonesFromRecorder(
  recorder: RecorderEventSource,
  live: Pick<StreamingPhoneRecognizer, 'push' | 'flush'>,
  onColumns: (columns: LivePosteriorColumns) => void,
): () => void {
  const onChunk = (chunk: PcmChunk): void => {
    const arrived = performance.now();
    const out = live.push(chunk.pcm);
    if (out.frames > 0) onColumns({ ...out, latencyMs: performance.now() - arrived });
  };
  const onStopped = (): void => {
    const arrived = performance.now();
    const out = live.flush();
    if (out.frames > 0) onColumns({ ...out, latencyMs: performance.now() - arrived });
  };
  recorder.on('chunk', onChunk);
  recorder.on('stopped', onStopped);
  return () => {
    recorder.off('chunk', onChunk);
    recorder.off('stopped', onStopped);
  };
}
