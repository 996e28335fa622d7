import { EventEmitter } from 'node:events';
import { encodeNpy, NpyStreamWriter } from '../audio/npy';
import type { PcmChunk, RecorderEvents, RecordingResult } from '../audio/recorder';
import { createStreamingResampler } from '../audio/resample';
import type { VadOptions } from '../audio/vad';
import { EnergyVad } from '../audio/vad';
import type { NonFiniteHandling } from '../audio/wav';
import { readAudioFile } from '../audio/wav';
import type { WavBlockReader } from '../audio/wav-stream-reader';
import { openWavBlockReader } from '../audio/wav-stream-reader';
import { throwIfAborted, UnfoldError } from '../errors';
import { writeFileAtomically } from '../fs/atomic-write';
import type { LongOperationOptions } from '../jobs/progress';
import { IncrementalPhoneDecoder } from './incremental-phone-decoder';
import { recognizeWordsFromRecorder } from './live';
import type { Recognizer, WordResult } from './recognizer';

/**
 * Recognition of a WAV file of any length in bounded memory: the file is read block by block
 * (openWavBlockReader), resampled as a stream, and
 * - for a words model, cut into words by the same voice-activity detector and cutting code as
 *   live recognition (recognizeWordsFromRecorder), each word recognised with its times;
 * - for a phones model, run through the streaming phone recogniser, the posteriors written to
 *   the .npy as they come.
 * Short files keep the whole-utterance behaviour the models were evaluated with.
 */

/**
 * A file this short in which the detector finds at most one word is classified whole, as an
 * isolated-word utterance (how the test set was scored), not cut.
 */
export const WHOLE_FILE_WORD_MAX_SECONDS = 10;
/** Phone recognition of files up to this long runs on the whole utterance; longer ones stream. */
export const WHOLE_FILE_PHONES_MAX_SECONDS = 60;
/** Blocks read from the file: 4 s at 16 kHz. */
const BLOCK_FRAMES = 65_536;

export interface FileWord extends WordResult {
  startSeconds: number;
  endSeconds: number;
}

export interface FileWordsResult {
  file: string;
  durationSeconds: number;
  /** 'whole-file': one isolated word; 'vad': words found by the voice-activity detector. */
  segmentation: 'whole-file' | 'vad';
  words: FileWord[];
  /** NaN/infinite samples set to 0 (nonFinite: 'repair'). */
  repairedNonFinite: number;
}

export interface FileRecognitionOptions extends LongOperationOptions {
  nonFinite?: NonFiniteHandling;
}

/** Turns blocks of float samples into the recorder's events: 16-bit chunks and VAD decisions. */
class PcmFeed extends EventEmitter<RecorderEvents> {
  private readonly vad: EnergyVad;
  private samples = 0;

  constructor(
    private readonly sampleRate: number,
    vad: Partial<VadOptions> = {},
  ) {
    super();
    this.vad = new EnergyVad(sampleRate, vad);
  }

  push(block: Float32Array): void {
    if (block.length === 0) return;
    const pcm = new Int16Array(block.length);
    for (let i = 0; i < block.length; i++) {
      const value = Math.round((block[i] as number) * 32_768);
      pcm[i] = value > 32_767 ? 32_767 : value < -32_768 ? -32_768 : value;
    }
    const chunk: PcmChunk = { pcm, startSample: this.samples, sampleRate: this.sampleRate };
    this.samples += pcm.length;
    const events = this.vad.push(pcm);
    this.emit('chunk', chunk);
    for (const event of events) this.emit('vad', event);
  }

  end(): void {
    for (const event of this.vad.flush()) this.emit('vad', event);
    const result: RecordingResult = {
      path: null,
      sampleRate: this.sampleRate,
      samples: this.samples,
      durationSeconds: this.samples / this.sampleRate,
      reason: 'ended',
    };
    this.emit('stopped', result);
  }
}

/**
 * Reads `path` block by block at `sampleRate` and hands each resampled block to `onBlock`,
 * reporting progress and honouring the signal between blocks.
 */
async function streamFile(
  reader: WavBlockReader,
  sampleRate: number,
  onBlock: (block: Float32Array) => Promise<void> | void,
  options: FileRecognitionOptions,
): Promise<void> {
  const resampler = await createStreamingResampler(reader.sampleRate, sampleRate);
  try {
    let read = 0;
    for await (const block of reader.blocks()) {
      throwIfAborted(options.signal);
      await onBlock(resampler.push(block));
      read += block.length;
      options.onProgress?.({
        fraction: reader.frames > 0 ? read / reader.frames : 1,
        message: `${(read / reader.sampleRate).toFixed(0)} of ${reader.durationSeconds.toFixed(0)} s`,
      });
    }
    await onBlock(resampler.finish());
  } finally {
    resampler.dispose();
  }
}

/** The words in a recording, each with its start and end time (see the module comment). */
export async function recognizeWordsInFile(
  path: string,
  recognizer: Pick<Recognizer, 'recognizeWord' | 'features'>,
  options: FileRecognitionOptions & { topK?: number; vad?: Partial<VadOptions> } = {},
): Promise<FileWordsResult> {
  const nonFinite = options.nonFinite ?? 'refuse';
  const reader = await openWavBlockReader(path, { nonFinite, blockFrames: BLOCK_FRAMES });
  const sampleRate = recognizer.features.sampleRate;
  const words: FileWord[] = [];
  const pending: Promise<unknown>[] = [];
  let failure: unknown = null;
  const feed = new PcmFeed(sampleRate, options.vad);
  const detach = recognizeWordsFromRecorder(
    feed,
    {
      recognizeWord: (audio) => {
        const result = recognizer.recognizeWord(audio, { topK: options.topK ?? 3 });
        // Caught here, before settle() looks, rather than by the live code's own handler.
        pending.push(result.catch((error: unknown) => (failure ??= error)));
        return result;
      },
    },
    ({ latencyMs: _latency, ...word }) => words.push(word),
    { onError: () => undefined },
  );
  const settle = async (): Promise<void> => {
    // Each word is recognised before more audio is read: memory stays bounded.
    await Promise.allSettled(pending.splice(0));
    if (failure) throw failure;
  };
  try {
    await streamFile(
      reader,
      sampleRate,
      async (block) => {
        feed.push(block);
        await settle();
      },
      options,
    );
    feed.end();
    await settle();
  } finally {
    detach();
    await reader.close();
  }
  words.sort((a, b) => a.startSeconds - b.startSeconds);
  const durationSeconds = reader.durationSeconds;
  const repairedNonFinite = reader.repairedNonFinite;
  if (words.length <= 1 && durationSeconds <= WHOLE_FILE_WORD_MAX_SECONDS) {
    const audio = await readAudioFile(path, { nonFinite });
    const whole = await recognizer.recognizeWord(audio, { topK: options.topK ?? 3 });
    const found = words[0];
    return {
      file: path,
      durationSeconds,
      segmentation: 'whole-file',
      words: [
        {
          ...whole,
          startSeconds: found?.startSeconds ?? 0,
          endSeconds: found?.endSeconds ?? durationSeconds,
        },
      ],
      repairedNonFinite,
    };
  }
  return { file: path, durationSeconds, segmentation: 'vad', words, repairedNonFinite };
}

export interface FilePhonesResult {
  file: string;
  durationSeconds: number;
  frames: number;
  phones: string[];
  /** Decoded phone string (median smoothing, merged repeats, no silence). */
  decoded: string[];
  npy: string;
  /** True when the posteriors were computed as a stream (long files). */
  streamed: boolean;
  repairedNonFinite: number;
}

/**
 * Phone posteriors of a recording written to `npyPath` as float32 [frames, phones], and the
 * decoded phone string. Long files stream through a unidirectional model with a running
 * normalisation (as live recognition does); a bidirectional model needs the whole utterance,
 * so it is refused for them with what to do instead.
 */
export async function recognizePhonesInFile(
  path: string,
  recognizer: Pick<
    Recognizer,
    | 'phonePosteriors'
    | 'createStreamingPhoneRecognizer'
    | 'features'
    | 'labels'
    | 'medianWindow'
    | 'silencePhones'
    | 'bidirectional'
    | 'dir'
  >,
  npyPath: string,
  options: FileRecognitionOptions = {},
): Promise<FilePhonesResult> {
  const nonFinite = options.nonFinite ?? 'refuse';
  const reader = await openWavBlockReader(path, { nonFinite, blockFrames: BLOCK_FRAMES });
  const durationSeconds = reader.durationSeconds;
  if (durationSeconds <= WHOLE_FILE_PHONES_MAX_SECONDS) {
    await reader.close();
    const audio = await readAudioFile(path, { nonFinite });
    const result = await recognizer.phonePosteriors(audio);
    await writeFileAtomically(
      npyPath,
      encodeNpy({ data: result.posteriors, frames: result.frames, dims: result.phones.length }),
    );
    return {
      file: path,
      durationSeconds,
      frames: result.frames,
      phones: result.phones,
      decoded: result.decoded,
      npy: npyPath,
      streamed: false,
      repairedNonFinite: audio.repairedNonFinite,
    };
  }
  if (recognizer.bidirectional) {
    await reader.close();
    throw new UnfoldError(
      'SPEECH_TOO_LONG',
      `${path} is ${(durationSeconds / 60).toFixed(1)} min long, and the phone model in ` +
        `${recognizer.dir} is bidirectional: it needs the whole recording at once, which only ` +
        `fits in memory up to ${WHOLE_FILE_PHONES_MAX_SECONDS} s. Cut the file into pieces ` +
        `(\`sox ${path} part.wav trim 0 ${WHOLE_FILE_PHONES_MAX_SECONDS} : newfile : restart\`), ` +
        'or train a unidirectional phones model (`unfold train --task phones --no-bidirectional`), which streams.',
      { file: path, durationSeconds },
    );
  }
  const stream = recognizer.createStreamingPhoneRecognizer({ keepPosteriors: false });
  const decoder = new IncrementalPhoneDecoder(recognizer.labels, {
    medianWindow: recognizer.medianWindow,
    silence: recognizer.silencePhones,
  });
  const writer = await NpyStreamWriter.open(npyPath, recognizer.labels.length);
  const take = async (posteriors: Float32Array): Promise<void> => {
    decoder.push(posteriors);
    await writer.append(posteriors);
  };
  let frames: number;
  try {
    await streamFile(
      reader,
      recognizer.features.sampleRate,
      (block) => (block.length > 0 ? take(stream.push(block).posteriors) : undefined),
      options,
    );
    await take(stream.flush().posteriors);
    frames = await writer.finish();
  } catch (error) {
    await writer.discard();
    throw error;
  } finally {
    await reader.close();
  }
  return {
    file: path,
    durationSeconds,
    frames,
    phones: recognizer.labels,
    decoded: decoder.decoded(),
    npy: npyPath,
    streamed: true,
    repairedNonFinite: reader.repairedNonFinite,
  };
}
