import { EventEmitter } from 'node:events';
import recordModule from 'node-record-lpcm16';
import type { Recording, RecordOptions } from 'node-record-lpcm16';
import which from 'which';
import type { ErrorData } from '../errors';
import { UnfoldError, toErrorData } from '../errors';
import type { LevelReading } from './level-meter';
import { LevelMeter } from './level-meter';
import type { VadEvent, VadOptions } from './vad';
import { EnergyVad } from './vad';
import { resourcePath } from '../resources';
import { WavStreamWriter } from './wav-stream-writer';

export type RecorderProgram = 'arecord' | 'rec' | 'sox';

export interface RecorderOptions {
  /** Where the WAV goes; omit to only stream chunks to listeners. */
  outPath?: string;
  /** ALSA device id from listCaptureDevices() (arecord -D; AUDIODEV for rec/sox). */
  device?: string;
  /** Default 16,000 Hz. Always mono signed 16-bit. */
  sampleRate?: number;
  /** Default 'arecord'. 'rec' (SoX) also honours the rate; 'sox' opens the device at its own rate and converts. */
  program?: RecorderProgram;
  /** Stop after this much audio (exact: the last chunk is cut). */
  maxSeconds?: number;
  maxBytes?: number;
  /** Voice-activity detection settings; false turns it off (default on). */
  vad?: Partial<VadOptions> | false;
  /** Stop when the VAD reports the end of the first speech segment (isolated words). */
  stopAfterSpeech?: boolean;
  /** Block length of level readings. */
  levelIntervalMs?: number;
}

export interface PcmChunk {
  /** Mono signed 16-bit samples. */
  pcm: Int16Array;
  /** Index of pcm[0] from the start of the recording (paused audio is not counted). */
  startSample: number;
  sampleRate: number;
}

export type RecorderState = 'idle' | 'starting' | 'recording' | 'paused' | 'stopping';

export type StopReason = 'stopped' | 'limit' | 'speech-end' | 'ended' | 'failed';

export interface RecordingResult {
  /** The finished WAV, or null when no outPath was given. */
  path: string | null;
  sampleRate: number;
  samples: number;
  durationSeconds: number;
  reason: StopReason;
  /** Set when reason is 'failed'; what was captured before the failure is still in `path`. */
  error?: ErrorData;
}

export interface RecorderEvents {
  state: [state: RecorderState];
  chunk: [chunk: PcmChunk];
  level: [reading: LevelReading];
  vad: [event: VadEvent];
  /** Named 'failed', not 'error', so a missing listener never crashes the process. */
  failed: [error: UnfoldError];
  stopped: [result: RecordingResult];
}

/** Collaborators, replaceable in tests. */
export interface RecorderDeps {
  record: (options: RecordOptions) => Recording;
  /** Absolute path of a program, or null when it is not installed. */
  findProgram: (name: string) => Promise<string | null>;
  /** The environment the recorder program runs in (the library spawns with process.env). */
  env: NodeJS.ProcessEnv;
}

const INSTALL_HINTS: Record<RecorderProgram, string> = {
  arecord:
    '`sudo apt install alsa-utils` (Debian/Ubuntu) or your distribution’s alsa-utils package',
  rec: '`sudo apt install sox` (Debian/Ubuntu), `brew install sox` (macOS)',
  sox: '`sudo apt install sox` (Debian/Ubuntu), `brew install sox` (macOS)',
};

function notFound(program: RecorderProgram): UnfoldError {
  return new UnfoldError(
    'RECORDER_NOT_FOUND',
    `${program} not found: install it with ${INSTALL_HINTS[program]}, or choose another recorder program.`,
    { program },
  );
}

/** node-record-lpcm16 emits strings as stream errors; make them real errors with a code. */
function asUnfoldError(error: unknown, program: RecorderProgram): UnfoldError {
  if (error instanceof UnfoldError) return error;
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return notFound(program);
  const message = error instanceof Error ? error.message : String(error);
  return new UnfoldError('RECORDER_FAILED', `${program} failed: ${message.split('\n')[0]}`, {
    program,
  });
}

/**
 * Our recorder module for the library: its command lines plus a 20 ms capture period, so chunks
 * reach live recognition every 20 ms instead of arecord's 125 ms or SoX's 256 ms.
 */
export const LOW_LATENCY_RECORDER = resourcePath('recorders/low-latency.cjs');
export const CAPTURE_PERIOD_MS = 20;

const defaultDeps: RecorderDeps = {
  record: (options) => recordModule.record(options),
  findProgram: (name) => which(name, { nothrow: true }),
  env: process.env,
};

/**
 * Records the microphone through node-record-lpcm16 and smooths its rough edges (see
 * /work/shared/PITFALLS.md): a missing program is a RECORDER_NOT_FOUND error with an install
 * hint instead of an unhandled `spawn ENOENT`; string errors become UnfoldErrors; the non-zero
 * exit of a normal stop is not a failure; a program that dies mid-recording (device unplugged)
 * ends the recording with a 'failed' event and keeps what was captured. Chunks go to
 * listeners and to a WAV written as it arrives (WavStreamWriter).
 *
 * Pause discards incoming audio instead of SIGSTOP-ing the program (the library's way), so the
 * device never overruns and resume is instant.
 */
export class RecorderService extends EventEmitter<RecorderEvents> {
  private readonly deps: RecorderDeps;
  private currentState: RecorderState = 'idle';
  private recording: Recording | null = null;
  private writer: WavStreamWriter | null = null;
  private meter: LevelMeter | null = null;
  private vad: EnergyVad | null = null;
  private options: Required<Pick<RecorderOptions, 'sampleRate' | 'program'>> & RecorderOptions = {
    sampleRate: 16_000,
    program: 'arecord',
  };
  private capturedSamples = 0;
  private byteLimit = Infinity;
  private oddByte: number | null = null;
  private stopReason: StopReason = 'stopped';
  private failure: UnfoldError | null = null;
  private stderrTail = '';
  private finished: Promise<RecordingResult> | null = null;
  private resolveFinished: ((result: RecordingResult) => void) | null = null;
  private killTimer: NodeJS.Timeout | null = null;

  constructor(deps: Partial<RecorderDeps> = {}) {
    super();
    this.deps = { ...defaultDeps, ...deps };
  }

  get state(): RecorderState {
    return this.currentState;
  }

  /** Resolves when the current recording has ended for any reason (never rejects). */
  get done(): Promise<RecordingResult> {
    if (!this.finished) throw new Error('no recording has been started');
    return this.finished;
  }

  /** Starts recording; resolves once the program runs. Throws RECORDER_NOT_FOUND, RECORDING_WRITE_FAILED, RECORDER_BUSY. */
  async start(options: RecorderOptions = {}): Promise<void> {
    if (this.currentState !== 'idle') {
      throw new UnfoldError('RECORDER_BUSY', 'A recording is already running: stop it first.');
    }
    this.setState('starting');
    try {
      await this.prepare(options);
    } catch (error) {
      await this.writer?.discard().catch(() => undefined);
      this.writer = null;
      this.finished = null;
      this.setState('idle');
      throw error;
    }
    this.launch();
  }

  private async prepare(options: RecorderOptions): Promise<void> {
    this.options = {
      ...options,
      sampleRate: options.sampleRate ?? 16_000,
      program: options.program ?? 'arecord',
    };
    const { program, sampleRate } = this.options;
    if (!(await this.deps.findProgram(program))) throw notFound(program);
    const limits = [
      options.maxBytes,
      options.maxSeconds === undefined
        ? undefined
        : Math.round(options.maxSeconds * sampleRate) * 2,
    ];
    this.byteLimit = Math.min(...limits.map((limit) => limit ?? Infinity));
    if (this.byteLimit !== Infinity) this.byteLimit -= this.byteLimit % 2;
    this.capturedSamples = 0;
    this.finaliseStarted = false;
    this.oddByte = null;
    this.failure = null;
    this.stderrTail = '';
    this.stopReason = 'stopped';
    this.meter = new LevelMeter(sampleRate, options.levelIntervalMs);
    this.vad = options.vad === false ? null : new EnergyVad(sampleRate, options.vad ?? {});
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    if (options.outPath) {
      this.writer = new WavStreamWriter(options.outPath, sampleRate);
      await this.writer.open();
    }
  }

  private launch(): void {
    const { program, sampleRate, device } = this.options;
    let recording: Recording;
    try {
      recording = this.spawnRecording({
        recorder: LOW_LATENCY_RECORDER,
        program,
        periodMs: CAPTURE_PERIOD_MS,
        sampleRate,
        channels: 1,
        audioType: 'raw',
        device,
      });
    } catch (error) {
      this.fail(asUnfoldError(error, program));
      void this.finalise();
      return;
    }
    this.recording = recording;
    const child = recording.process;
    child.on('error', (error) => this.fail(asUnfoldError(error, program)));
    child.stderr?.on('data', (data: Buffer | string) => {
      this.stderrTail = (this.stderrTail + data.toString()).slice(-2000);
    });
    const stream = recording.stream();
    stream.on('data', (data: Buffer | string) =>
      this.onData(typeof data === 'string' ? Buffer.from(data, 'binary') : data),
    );
    stream.on('error', (error: unknown) => {
      // The library reports every non-zero exit here as a string ("... has exited with error
      // code N"), including the exit of our own stop; the 'close' handler below judges exits
      // with more detail, so only other stream errors are failures.
      if (typeof error === 'string' && /has exited with error code/.test(error)) return;
      if (this.currentState !== 'stopping') this.fail(asUnfoldError(error, program));
    });
    child.on('close', (code, signal) => {
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.currentState !== 'stopping' && !this.failure)
        this.judgeUnrequestedExit(code, signal);
      void this.finalise();
    });
    this.setState('recording');
  }

  /**
   * The program ended without our asking. SoX ends with 0 when interrupted; arecord -q exits
   * with 1 and prints nothing when a signal (Ctrl-C in the terminal, which reaches the whole
   * process group) stops it, and prints the reason when the device fails. Both interruptions
   * count as a normal end; anything else is a failure that keeps what was captured.
   */
  private judgeUnrequestedExit(code: number | null, signal: NodeJS.Signals | null): void {
    const { program, device } = this.options;
    const detail = this.stderrTail
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/^(rec|sox) WARN/.test(line))
      .slice(-2)
      .join(' ');
    if (code === 0 || (code === 1 && program === 'arecord' && detail === '')) {
      this.stopReason = code === 0 ? 'ended' : 'stopped';
      return;
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const message =
      this.capturedSamples === 0
        ? `${program} could not record from ${device ? `device "${device}"` : 'the default device'} (${how})` +
          `${detail ? `: ${detail}` : ''}. List the capture devices with \`unfold audio devices\`.`
        : `${program} stopped unexpectedly (${how})${detail ? `: ${detail}` : ''}. ` +
          'The capture device may have been unplugged; the audio captured so far was kept.';
    this.fail(new UnfoldError('RECORDER_FAILED', message, { program, code, signal }));
  }

  /**
   * The 'rec' recorder of node-record-lpcm16 ignores `device`; SoX reads it from AUDIODEV.
   * The library spawns synchronously with process.env, so AUDIODEV is set just around that
   * call and restored before anything else can run.
   */
  private spawnRecording(options: RecordOptions): Recording {
    const { env } = this.deps;
    const previous = env.AUDIODEV;
    if (options.program === 'rec' && options.device) env.AUDIODEV = options.device;
    try {
      return this.deps.record(options);
    } finally {
      if (options.program === 'rec' && options.device) {
        if (previous === undefined) delete env.AUDIODEV;
        else env.AUDIODEV = previous;
      }
    }
  }

  private onData(data: Buffer): void {
    if (this.currentState === 'stopping' || this.currentState === 'idle') return;
    let bytes: Uint8Array = data;
    // A pipe may split a 2-byte sample across chunks.
    if (this.oddByte !== null) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.oddByte;
      joined.set(bytes, 1);
      bytes = joined;
      this.oddByte = null;
    }
    if (bytes.length % 2 === 1) {
      this.oddByte = bytes[bytes.length - 1] as number;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (this.currentState === 'paused' || bytes.length === 0) return;
    const remaining = this.byteLimit - this.capturedSamples * 2;
    const reachedLimit = bytes.length >= remaining;
    if (reachedLimit) bytes = bytes.subarray(0, remaining);
    if (bytes.length > 0) this.deliver(bytes);
    if (reachedLimit) this.requestStop('limit');
  }

  private deliver(bytes: Uint8Array): void {
    // Copy into an aligned buffer: the library's Buffers may start at odd offsets.
    let pcm = new Int16Array(bytes.length / 2);
    new Uint8Array(pcm.buffer).set(bytes);
    const startSample = this.capturedSamples;
    const { sampleRate, stopAfterSpeech } = this.options;
    const events = this.vad?.push(pcm) ?? [];
    // When the first word ends the recording, keep audio up to the moment the VAD decided,
    // not the rest of the chunk (an unpaced source can deliver seconds in one chunk).
    const stopAt = stopAfterSpeech ? events.findIndex((event) => event.type === 'speechEnd') : -1;
    if (stopAt >= 0) {
      const decided = Math.round((events[stopAt] as VadEvent).decidedAtSeconds * sampleRate);
      pcm = pcm.subarray(0, Math.max(0, Math.min(pcm.length, decided - startSample)));
      events.length = stopAt + 1;
      // The VAD has seen the whole chunk; nothing after the cut may produce more events.
      this.vad = null;
    }
    this.capturedSamples += pcm.length;
    this.writer?.write(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
    this.emit('chunk', { pcm, startSample, sampleRate });
    for (const reading of this.meter?.push(pcm) ?? []) this.emit('level', reading);
    for (const event of events) this.emit('vad', event);
    if (stopAt >= 0) this.requestStop('speech-end');
  }

  pause(): void {
    if (this.currentState === 'recording') this.setState('paused');
  }

  resume(): void {
    if (this.currentState === 'paused') this.setState('recording');
  }

  /** Stops and finalises the WAV; resolves with the result (also when it had already ended). */
  async stop(): Promise<RecordingResult> {
    if (!this.finished) throw new UnfoldError('RECORDER_IDLE', 'Nothing is being recorded.');
    this.requestStop('stopped');
    return this.finished;
  }

  private requestStop(reason: StopReason): void {
    if (this.currentState === 'stopping' || this.currentState === 'idle') return;
    this.stopReason = reason;
    this.setState('stopping');
    const recording = this.recording;
    if (
      !recording ||
      recording.process.exitCode !== null ||
      recording.process.signalCode !== null
    ) {
      void this.finalise();
      return;
    }
    recording.stop();
    // A program that ignores SIGTERM (e.g. blocked in a driver) is killed after 3 s.
    this.killTimer = setTimeout(() => recording.process.kill('SIGKILL'), 3000);
    this.killTimer.unref();
  }

  private fail(error: UnfoldError): void {
    if (this.failure) return;
    this.failure = error;
    this.stopReason = 'failed';
    this.emit('failed', error);
    if (this.currentState !== 'stopping' && this.currentState !== 'idle') {
      this.setState('stopping');
      if (this.recording?.process.exitCode === null && this.recording.process.signalCode === null) {
        this.recording.process.kill();
      }
      // 'close' will not come when the program never started.
      if (this.recording?.process.pid === undefined) void this.finalise();
    }
  }

  /** Set when finalise() has begun for the current recording: 'close' and 'error' may both call it. */
  private finaliseStarted = false;

  private async finalise(): Promise<void> {
    if (this.finaliseStarted) return;
    this.finaliseStarted = true;
    for (const event of this.vad?.flush() ?? []) this.emit('vad', event);
    let path: string | null = null;
    if (this.writer && this.failure && this.capturedSamples === 0) {
      // Nothing was captured (e.g. the device could not be opened): leave no empty file behind.
      await this.writer.discard().catch(() => undefined);
    } else if (this.writer) {
      try {
        await this.writer.finish();
        path = this.writer.path;
      } catch (error) {
        this.fail(asUnfoldError(error, this.options.program));
      }
    }
    const sampleRate = this.options.sampleRate;
    const result: RecordingResult = {
      path,
      sampleRate,
      samples: this.capturedSamples,
      durationSeconds: this.capturedSamples / sampleRate,
      reason: this.failure ? 'failed' : this.stopReason,
      ...(this.failure ? { error: toErrorData(this.failure) } : {}),
    };
    this.recording = null;
    this.writer = null;
    this.setState('idle');
    this.emit('stopped', result);
    this.resolveFinished?.(result);
  }

  private setState(state: RecorderState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit('state', state);
  }
}
