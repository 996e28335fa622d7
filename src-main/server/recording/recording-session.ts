import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingStarted, RecordingStopped } from '../../api/audio';
import type { RecordStartSchema } from '../../api/channels/audio-channels';
import { frameShape, resolveFeatureConfig } from '../../domain/audio/feature-config';
import { streamFeaturesFromRecorder } from '../../domain/audio/live-features';
import type { RecorderService, RecordingResult } from '../../domain/audio/recorder';
import { UnfoldError, toErrorData } from '../../domain/errors';
import type { EventHub } from '../event-hub';
import type { z } from 'zod';
import { displaySpectrogramConfig } from './analyse-audio';
import { resolveInDataFolder } from '../../domain/data-folder';
import { RECORDINGS_FOLDER, toDataRelative } from './data-paths';

export type RecordStartParams = z.output<typeof RecordStartSchema>;

/** A file name that sorts by time and is valid on every file system. */
export function recordingFileName(now: Date): string {
  return `${now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z')}.wav`;
}

/** Recorders to stop if the process exits mid-recording, so no arecord outlives Unfold. */
const liveRecorders = new Set<RecorderService>();
let exitHookInstalled = false;

function stopRecordersOnExit(recorder: RecorderService): void {
  liveRecorders.add(recorder);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    // stop() signals the recorder program synchronously; the promise cannot settle any more.
    for (const live of liveRecorders) {
      if (live.state !== 'idle') live.stop().catch(() => undefined);
    }
  });
}

/** Who started the current recording: the Record view, or live recognition (the Live view). */
export type RecordingOwner = 'record' | 'live';

function busyError(current: RecordingOwner | null, wanted: RecordingOwner): UnfoldError {
  const message =
    current === 'live'
      ? 'Live recognition is using the microphone: stop it in the Live view first.'
      : wanted === 'live'
        ? 'A recording is running: stop it in the Record view before starting live recognition.'
        : 'A recording is already running: stop it first.';
  return new UnfoldError('RECORDER_BUSY', message, { owner: current });
}

/**
 * The one recording main runs at a time, relayed to every client as events: state, level,
 * VAD, live log-mel frames (Float32Array batches from the streaming extractor) and errors.
 * The recorder is passed in so tests can hand in one with a fake `record`. The Record view and
 * live recognition share it, so the Live view draws its spectrogram from the same events and
 * only one of them can hold the microphone.
 */
export class RecordingSession {
  private detachFrames: (() => void) | null = null;
  private currentOwner: RecordingOwner | null = null;

  constructor(
    /** Live recognition listens to its chunks, VAD and stop. */
    readonly recorder: RecorderService,
    private readonly dataDir: string,
    private readonly events: EventHub,
    private readonly now: () => Date = () => new Date(),
  ) {
    stopRecordersOnExit(recorder);
    recorder.on('state', (state) => events.emit('record:state', { state }));
    recorder.on('level', (reading) => events.emit('record:level', reading));
    recorder.on('vad', (event) =>
      events.emit(
        'record:vad',
        event.type === 'speechStart'
          ? { type: 'speechStart', timeSeconds: event.timeSeconds }
          : { type: 'speechEnd', startSeconds: event.startSeconds, endSeconds: event.endSeconds },
      ),
    );
    recorder.on('failed', (error) => events.emit('record:error', toErrorData(error)));
    recorder.on('stopped', (result) => {
      // Freed before anyone else hears of the stop, so a listener may start the next take.
      this.currentOwner = null;
      events.emit('record:stopped', this.describe(result));
    });
  }

  get state(): RecorderService['state'] {
    return this.recorder.state;
  }

  /** Who holds the microphone, or null when it is free. */
  get owner(): RecordingOwner | null {
    return this.currentOwner;
  }

  /**
   * Starts a take for `owner`. The microphone is claimed synchronously, before the first
   * await, so a caller that checks `owner` and then calls start() in the same tick cannot race
   * another start. Throws RECORDER_BUSY, naming who holds the microphone.
   */
  async start(
    params: RecordStartParams,
    owner: RecordingOwner = 'record',
  ): Promise<RecordingStarted> {
    if (this.currentOwner !== null || this.recorder.state !== 'idle')
      throw busyError(this.currentOwner, owner);
    this.currentOwner = owner;
    try {
      return await this.startClaimed(params);
    } catch (error) {
      if (this.recorder.state === 'idle') this.currentOwner = null;
      throw error;
    }
  }

  private async startClaimed(params: RecordStartParams): Promise<RecordingStarted> {
    const folder = await resolveInDataFolder(this.dataDir, RECORDINGS_FOLDER);
    await mkdir(folder, { recursive: true });
    const outPath = join(folder, recordingFileName(this.now()));
    const config = resolveFeatureConfig(displaySpectrogramConfig(params.sampleRate));
    this.detachFrames?.();
    // Subscribed before start so no chunk is missed; flushed and kept until the next start.
    this.detachFrames = streamFeaturesFromRecorder(this.recorder, config, (batch) =>
      this.events.emit('record:frames', {
        data: batch.data,
        frames: batch.frames,
        dims: batch.dims,
        startFrame: batch.startFrame,
      }),
    );
    try {
      await this.recorder.start({
        outPath,
        device: params.device,
        sampleRate: params.sampleRate,
        program: params.program,
        maxSeconds: params.maxSeconds,
        vad: params.vad,
      });
    } catch (error) {
      this.detachFrames();
      this.detachFrames = null;
      throw error;
    }
    const nyquist = params.sampleRate / 2;
    return {
      path: toDataRelative(this.dataDir, outPath),
      sampleRate: params.sampleRate,
      frameDims: config.melBands,
      frameShiftSeconds: frameShape(config).frameShift / params.sampleRate,
      melBands: config.melBands,
      lowHz: config.lowFreq,
      highHz: config.highFreq > 0 ? config.highFreq : nyquist + config.highFreq,
    };
  }

  async stop(): Promise<RecordingStopped> {
    return this.describe(await this.recorder.stop());
  }

  /** The API's view of a finished take (paths relative to the data folder). */
  describe(result: RecordingResult): RecordingStopped {
    return {
      path: result.path === null ? null : toDataRelative(this.dataDir, result.path),
      sampleRate: result.sampleRate,
      samples: result.samples,
      durationSeconds: result.durationSeconds,
      reason: result.reason,
      ...(result.error ? { error: result.error } : {}),
    };
  }

  dispose(): void {
    this.detachFrames?.();
    liveRecorders.delete(this.recorder);
    if (this.recorder.state !== 'idle') void this.recorder.stop().catch(() => undefined);
  }
}
