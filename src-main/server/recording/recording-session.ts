import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingStarted, RecordingStopped } from '../../api/audio';
import type { RecordStartSchema } from '../../api/channels/audio-channels';
import { frameShape, resolveFeatureConfig } from '../../domain/audio/feature-config';
import { streamFeaturesFromRecorder } from '../../domain/audio/live-features';
import type { RecorderService, RecordingResult } from '../../domain/audio/recorder';
import { toErrorData } from '../../domain/errors';
import type { EventHub } from '../event-hub';
import type { z } from 'zod';
import { displaySpectrogramConfig } from './analyse-audio';
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

/**
 * The one recording main runs at a time, relayed to every client as events: state, level,
 * VAD, live log-mel frames (Float32Array batches from the streaming extractor) and errors.
 * The recorder is passed in so tests can hand in one with a fake `record`.
 */
export class RecordingSession {
  private detachFrames: (() => void) | null = null;

  constructor(
    private readonly recorder: RecorderService,
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
    recorder.on('stopped', (result) => events.emit('record:stopped', this.describe(result)));
  }

  get state(): RecorderService['state'] {
    return this.recorder.state;
  }

  async start(params: RecordStartParams): Promise<RecordingStarted> {
    const folder = join(this.dataDir, RECORDINGS_FOLDER);
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

  private describe(result: RecordingResult): RecordingStopped {
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
