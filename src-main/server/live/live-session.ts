import type { z } from 'zod';
import type { RecordingStarted, RecordingStopped } from '../../api/audio';
import type { LiveStartSchema } from '../../api/channels/live-channels';
import type { PhoneClassGroup } from '../../api/experiments';
import type {
  LiveMode,
  LiveStarted,
  LiveStatus,
  LiveStopped,
  LiveWordPayload,
} from '../../api/live';
import type { PcmChunk, RecordingResult } from '../../domain/audio/recorder';
import { toErrorData, UnfoldError } from '../../domain/errors';
import { resolveInDataFolder } from '../../domain/data-folder';
import {
  EXPERIMENTS_DIR,
  experimentTrainingState,
} from '../../domain/experiments/experiment-folder';
import { IncrementalPhoneDecoder } from '../../domain/speech/incremental-phone-decoder';
import type { RecorderEventSource } from '../../domain/speech/live';
import { recognizeWordsFromRecorder, streamPhonesFromRecorder } from '../../domain/speech/live';
import type { PhoneStream, PosteriorChunk, Recognizer } from '../../domain/speech/recognizer';
import { specialWordLabels } from '../../domain/speech/word-classes';
import type { EventHub } from '../event-hub';
import type { RecognizerLease } from '../recognizer-cache';
import type { RecordingOwner, RecordStartParams } from '../recording/recording-session';

export type LiveStartParams = z.output<typeof LiveStartSchema>;

/** The part of RecordingSession live recognition uses (a fake in unit tests). */
export interface LiveRecording {
  readonly recorder: RecorderEventSource;
  readonly owner: RecordingOwner | null;
  start(params: RecordStartParams, owner: RecordingOwner): Promise<RecordingStarted>;
  stop(): Promise<RecordingStopped>;
  describe(result: RecordingResult): RecordingStopped;
}

export interface LiveSessionDeps {
  dataDir: string;
  events: Pick<EventHub, 'emit'>;
  recording: LiveRecording;
  /** The loaded (cached) recogniser of an experiment folder, held until the run ends. */
  acquireRecognizer: (dir: string) => Promise<RecognizerLease>;
  groupPhones: (phones: readonly string[]) => PhoneClassGroup[];
}

/**
 * Words mode's default VAD hangover (the quiet that ends a word) when the client gives none:
 * 200 ms instead of the Record view's 300 ms, so the top 3 arrive within 300 ms of the end of
 * the word (tests/bench/live-api.ts, 125 ms capture chunks: about 260 ms median, 290-310 ms
 * at the 95th percentile; 300 ms gave about 390 ms), still longer than the closures and short
 * pauses inside a word.
 */
export const LIVE_WORD_HANGOVER_MS = 200;

/** The live phone string is capped to its end so a long session's messages stay small. */
const MAX_DECODED_PHONES = 1000;

interface Run {
  experiment: string;
  mode: LiveMode | null;
  threshold: number;
  words: number;
  frames: number;
  /** Word recognitions still running: live:stopped waits for them. */
  pending: Set<Promise<unknown>>;
  detach: () => void;
  release: () => void;
  started: Promise<unknown>;
  finished: Promise<LiveStopped>;
  finish: (stopped: LiveStopped) => void;
}

const NO_COLUMNS = (startFrame: number): PosteriorChunk => ({
  posteriors: new Float32Array(0),
  frames: 0,
  startFrame,
});

/**
 * Live recognition in the server process: one run at a time over the app's one
 * RecordingSession (so record:level / record:vad / record:frames flow as in the Record view,
 * and the take is saved in recordings/). Word experiments classify each word the recorder's
 * voice-activity detector cuts and emit live:word; phone experiments stream posterior columns
 * (live:posteriors) with the network's state carried across chunks. However the recording
 * ends (live:stop, record:stop, maxSeconds, a failure) the run ends with one live:stopped.
 */
export class LiveSession {
  private run: Run | null = null;

  constructor(private readonly deps: LiveSessionDeps) {}

  status(): LiveStatus {
    const run = this.run;
    return {
      active: run !== null,
      experiment: run?.experiment ?? null,
      mode: run?.mode ?? null,
      threshold: run?.threshold ?? null,
    };
  }

  setThreshold(threshold: number): LiveStatus {
    if (!this.run) {
      throw new UnfoldError(
        'LIVE_IDLE',
        'Live recognition is not running: the threshold given to live:start applies from the start.',
      );
    }
    this.run.threshold = threshold;
    return this.status();
  }

  async start(params: LiveStartParams): Promise<LiveStarted> {
    if (this.run) {
      throw new UnfoldError(
        'LIVE_BUSY',
        `Live recognition with ${this.run.experiment} is already running: stop it first.`,
      );
    }
    this.throwIfMicrophoneBusy();
    let resolveFinished: (stopped: LiveStopped) => void = () => undefined;
    let settleStart: () => void = () => undefined;
    const run: Run = {
      experiment: params.experiment,
      mode: null,
      threshold: params.threshold,
      words: 0,
      frames: 0,
      pending: new Set(),
      detach: () => undefined,
      release: () => undefined,
      started: new Promise<void>((resolve) => (settleStart = resolve)),
      finished: new Promise((resolve) => (resolveFinished = resolve)),
      finish: (stopped) => resolveFinished(stopped),
    };
    this.run = run;
    try {
      return await this.startRun(run, params);
    } catch (error) {
      run.detach();
      run.release();
      if (this.run === run) this.run = null;
      throw error;
    } finally {
      settleStart();
    }
  }

  /** Stops the recording; resolves once the run has ended (after its last live:word). */
  async stop(): Promise<LiveStopped> {
    const run = this.run;
    if (!run) throw new UnfoldError('LIVE_IDLE', 'Live recognition is not running.');
    await run.started;
    // The start failed: nothing is recording and live:start has already reported why.
    if (this.run !== run) throw new UnfoldError('LIVE_IDLE', 'Live recognition is not running.');
    await this.deps.recording.stop();
    return run.finished;
  }

  /** Ends a running session (the app is closing). */
  dispose(): void {
    if (this.run) void this.deps.recording.stop().catch(() => undefined);
  }

  private throwIfMicrophoneBusy(): void {
    const owner = this.deps.recording.owner;
    if (owner === null) return;
    throw new UnfoldError(
      'RECORDER_BUSY',
      owner === 'live'
        ? 'Live recognition is using the microphone: stop it first.'
        : 'A recording is running: stop it in the Record view before starting live recognition.',
      { owner },
    );
  }

  private async startRun(run: Run, params: LiveStartParams): Promise<LiveStarted> {
    const dir = await this.trainedExperimentDir(params.experiment);
    const lease = await this.deps.acquireRecognizer(dir);
    run.release = lease.release;
    const { recognizer } = lease;
    const mode = recognizer.task;
    if (mode === 'words' && params.vad === false) {
      throw new UnfoldError(
        'LIVE_NEEDS_VAD',
        'Live word recognition needs the voice-activity detector to cut the words: leave it on.',
      );
    }
    // Refuses a bidirectional phones model (SPEECH_NOT_STREAMABLE) before the microphone opens.
    const streaming =
      mode === 'phones'
        ? recognizer.createStreamingPhoneRecognizer({ keepPosteriors: false })
        : null;
    // Loading took time: check again, then attach and claim the microphone in this same tick.
    this.throwIfMicrophoneBusy();
    run.mode = mode;
    const { recorder } = this.deps.recording;
    const detachRecognition = streaming
      ? this.attachPhones(run, recognizer, streaming)
      : this.attachWords(run, recognizer);
    const onFailed = (error: UnfoldError): void =>
      this.deps.events.emit('live:error', toErrorData(error));
    const onStopped = (result: RecordingResult): void => this.end(run, result);
    recorder.on('failed', onFailed);
    recorder.on('stopped', onStopped);
    run.detach = () => {
      detachRecognition();
      recorder.off('failed', onFailed);
      recorder.off('stopped', onStopped);
    };
    const recording = await this.deps.recording.start(
      {
        sampleRate: recognizer.features.sampleRate,
        program: params.program,
        vad:
          mode === 'words' && params.vad !== false
            ? { hangoverMs: LIVE_WORD_HANGOVER_MS, ...params.vad }
            : params.vad,
        ...(params.device ? { device: params.device } : {}),
        ...(params.maxSeconds ? { maxSeconds: params.maxSeconds } : {}),
      },
      'live',
    );
    const special = mode === 'words' ? specialWordLabels(recognizer.labels) : null;
    return {
      experiment: params.experiment,
      mode,
      labels: recognizer.labels,
      phoneClasses: mode === 'phones' ? this.deps.groupPhones(recognizer.labels) : [],
      silenceLabels: special?.silence ?? [],
      unknownLabels: special?.unknown ?? [],
      threshold: run.threshold,
      hopSeconds: recognizer.features.frameShiftMs / 1000,
      recording,
    };
  }

  /** The folder of a named experiment that has a trained model, or an error saying what to do. */
  private async trainedExperimentDir(name: string): Promise<string> {
    const dir = await resolveInDataFolder(this.deps.dataDir, EXPERIMENTS_DIR, name);
    const state = await experimentTrainingState(dir);
    if (state === 'missing') {
      throw new UnfoldError(
        'EXPERIMENT_NOT_FOUND',
        `There is no experiment named "${name}": pick one from the list, or train one in the Train view.`,
      );
    }
    if (state === 'untrained') {
      throw new UnfoldError(
        'EXPERIMENT_NOT_TRAINED',
        `The experiment "${name}" has no trained model yet: wait for its training to finish, or train it in the Train view.`,
      );
    }
    return dir;
  }

  private attachWords(run: Run, recognizer: Recognizer): () => void {
    const { events } = this.deps;
    return recognizeWordsFromRecorder(
      this.deps.recording.recorder,
      {
        // The threshold is read per word, so live:threshold applies from the next word on.
        recognizeWord: (audio) => {
          const result = recognizer.recognizeWord(audio, { topK: 3, threshold: run.threshold });
          run.pending.add(result);
          void result.then(
            () => run.pending.delete(result),
            () => run.pending.delete(result),
          );
          return result;
        },
      },
      (result) => {
        const payload: LiveWordPayload = {
          index: run.words++,
          kind: result.kind,
          label: result.word,
          probability: result.probability,
          top: result.top,
          startSeconds: result.startSeconds,
          endSeconds: result.endSeconds,
          latencyMs: result.latencyMs,
        };
        events.emit('live:word', payload);
      },
      {
        onError: (error) => {
          // A click or pop shorter than one frame is not worth an error in the view.
          if (error instanceof UnfoldError && error.code === 'SPEECH_TOO_SHORT') return;
          events.emit('live:error', toErrorData(error));
        },
      },
    );
  }

  private attachPhones(run: Run, recognizer: Recognizer, streaming: PhoneStream): () => void {
    const { events } = this.deps;
    const decoder = new IncrementalPhoneDecoder(recognizer.labels, {
      medianWindow: recognizer.medianWindow,
      silence: recognizer.silencePhones,
      maxPhones: MAX_DECODED_PHONES,
    });
    let failed = false;
    // Runs inside the recorder's 'chunk' emit: an exception must not reach the recorder.
    const guarded = (step: () => PosteriorChunk): PosteriorChunk => {
      if (failed) return NO_COLUMNS(run.frames);
      try {
        return step();
      } catch (error) {
        failed = true;
        events.emit('live:error', toErrorData(error));
        void this.deps.recording.stop().catch(() => undefined);
        return NO_COLUMNS(run.frames);
      }
    };
    return streamPhonesFromRecorder(
      this.deps.recording.recorder,
      {
        push: (pcm: PcmChunk['pcm'] | Float32Array) => guarded(() => streaming.push(pcm)),
        flush: () => guarded(() => streaming.flush()),
      },
      (columns) => {
        decoder.push(columns.posteriors);
        run.frames += columns.frames;
        events.emit('live:posteriors', {
          posteriors: columns.posteriors,
          frames: columns.frames,
          startFrame: columns.startFrame,
          latencyMs: columns.latencyMs,
          sentAt: Date.now(),
          decoded: decoder.decoded(),
        });
      },
    );
  }

  /** The recording ended (any reason): wait for words still being recognised, then report. */
  private end(run: Run, result: RecordingResult): void {
    run.detach();
    const stopped = (): void => {
      const payload: LiveStopped = {
        experiment: run.experiment,
        mode: run.mode ?? 'words',
        recording: this.deps.recording.describe(result),
        words: run.words,
        frames: run.frames,
      };
      run.release();
      if (this.run === run) this.run = null;
      this.deps.events.emit('live:stopped', payload);
      run.finish(payload);
    };
    void Promise.allSettled([...run.pending]).then(stopped);
  }
}
