import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Recording } from 'node-record-lpcm16';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventChannel, EventPayload } from '../../api/contract';
import type { LiveStopped } from '../../api/live';
import { RecorderService } from '../../domain/audio/recorder';
import { UnfoldError } from '../../domain/errors';
import type { PosteriorChunk, Recognizer, WordResult } from '../../domain/speech/recognizer';
import { NOT_SURE } from '../../domain/speech/recognizer';
import { wordLabelKind } from '../../domain/speech/word-classes';
import { createEventHub } from '../event-hub';
import { RecordingSession } from '../recording/recording-session';
import type { LiveStartParams } from './live-session';
import { LiveSession } from './live-session';

const RATE = 16_000;

/** A stand-in for node-record-lpcm16's Recording (as in recorder.spec.ts): stdout we write PCM to. */
class FakeProgram {
  readonly stdout = new PassThrough();
  readonly child = Object.assign(new EventEmitter(), {
    stderr: new PassThrough(),
    exitCode: null as number | null,
    signalCode: null as string | null,
    pid: 4321,
    kill: (): boolean => {
      this.exit(1);
      return true;
    },
  });

  asRecording(): Recording {
    return {
      process: this.child as unknown as ChildProcess,
      stream: () => this.stdout,
      stop: () => this.exit(1),
      pause: () => undefined,
      resume: () => undefined,
      isPaused: () => false,
    };
  }

  exit(code: number): void {
    if (this.child.exitCode !== null) return;
    setImmediate(() => {
      this.child.exitCode = code;
      this.stdout.emit('error', `arecord has exited with error code ${code}.`);
      this.child.emit('close', code, null);
    });
  }

  send(samples: Int16Array): void {
    this.stdout.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  }
}

/** seconds of silence, then a loud 440 Hz tone, then silence: one "word" for the energy VAD. */
function word(silence: number, tone: number, after: number): Int16Array {
  const out = new Int16Array(Math.round((silence + tone + after) * RATE));
  const from = Math.round(silence * RATE);
  for (let i = 0; i < Math.round(tone * RATE); i++)
    out[from + i] = Math.round(12_000 * Math.sin((2 * Math.PI * 440 * i) / RATE));
  return out;
}

const WORD_LABELS = ['_silence_', 'no', 'yes'];
const PHONES = ['aa', 'iy', 'pau'];

/** A recogniser with fixed answers: words always 'yes' at 0.6; phones one column per 160 samples. */
function fakeRecognizer(task: 'words' | 'phones', options: { bidirectional?: boolean } = {}) {
  const heard: number[] = [];
  const recognizer: Recognizer = {
    dir: '/fake',
    task,
    labels: task === 'words' ? WORD_LABELS : PHONES,
    features: {
      kind: 'fbank',
      sampleRate: RATE,
      frameLengthMs: 25,
      frameShiftMs: 10,
    } as Recognizer['features'],
    rejectThreshold: 0.5,
    medianWindow: 1,
    silencePhones: ['pau'],
    bidirectional: options.bidirectional ?? false,
    recognizeWord: (audio, opts = {}): Promise<WordResult> => {
      heard.push(audio.samples.length / audio.sampleRate);
      const top = [
        { label: 'yes', probability: 0.6 },
        { label: '_silence_', probability: 0.3 },
        { label: 'no', probability: 0.1 },
      ];
      const notSure = 0.6 < (opts.threshold ?? 0.5);
      return Promise.resolve({
        word: notSure ? NOT_SURE : 'yes',
        probability: 0.6,
        notSure,
        kind: notSure ? 'not-sure' : wordLabelKind('yes'),
        top,
        frames: 10,
      });
    },
    phonePosteriors: () => Promise.reject(new Error('unused')),
    createStreamingPhoneRecognizer: () => {
      if (options.bidirectional)
        throw new UnfoldError('SPEECH_NOT_STREAMABLE', 'bidirectional: train a unidirectional one');
      let pending = 0;
      let frame = 0;
      const columns = (n: number): PosteriorChunk => {
        const posteriors = new Float32Array(n * PHONES.length);
        // Frames alternate between 20 of 'aa' and 20 of 'iy'.
        for (let t = 0; t < n; t++) posteriors[t * 3 + (Math.floor((frame + t) / 20) % 2)] = 1;
        const out = { posteriors, frames: n, startFrame: frame };
        frame += n;
        return out;
      };
      return {
        push: (pcm) => {
          pending += pcm.length;
          const n = Math.floor(pending / 160);
          pending -= n * 160;
          return columns(n);
        },
        flush: () => columns(pending > 0 ? 1 : 0),
        posteriors: () => new Float32Array(0),
      };
    },
    dispose: () => undefined,
  };
  return { recognizer, heard };
}

type Received = { event: EventChannel; payload: EventPayload<EventChannel> };

describe('LiveSession (fake recorder program, fake recogniser)', () => {
  let dataDir: string;
  let program: FakeProgram;
  let recording: RecordingSession;
  let received: Received[];
  let loads: string[];
  /** Recognisers held by the session: back to 0 whenever no run is active. */
  let leases: number;

  const of = <E extends EventChannel>(event: E): EventPayload<E>[] =>
    received.filter((r) => r.event === event).map((r) => r.payload as EventPayload<E>);

  async function experiment(name: string, trained = true): Promise<void> {
    const dir = join(dataDir, 'experiments', name);
    await mkdir(join(dir, 'model'), { recursive: true });
    await writeFile(join(dir, 'config.json'), '{}');
    if (trained) {
      await writeFile(join(dir, 'labels.json'), '{}');
      await writeFile(join(dir, 'model', 'model.json'), '{}');
    }
  }

  function session(recognizers: Record<string, Recognizer>): LiveSession {
    const events = createEventHub();
    events.subscribe((event, payload) => received.push({ event, payload }));
    recording = new RecordingSession(
      new RecorderService({
        findProgram: () => Promise.resolve('/usr/bin/arecord'),
        // A fresh program per take, as arecord is: `program` is always the current one.
        record: () => (program = new FakeProgram()).asRecording(),
        env: {},
      }),
      dataDir,
      events,
    );
    return new LiveSession({
      dataDir,
      events,
      recording,
      acquireRecognizer: (dir) => {
        loads.push(dir);
        const name = dir.split('/').pop() as string;
        const recognizer = recognizers[name];
        if (!recognizer) return Promise.reject(new Error(`no fake for ${name}`));
        leases++;
        return Promise.resolve({ recognizer, release: () => void leases-- });
      },
      groupPhones: (phones) => [{ name: 'all', phones: [...phones] }],
    });
  }

  const params = (experiment: string, extra: Partial<LiveStartParams> = {}): LiveStartParams => ({
    experiment,
    program: 'arecord',
    vad: {},
    threshold: 0.5,
    ...extra,
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'unfold-live-spec-'));
    program = new FakeProgram();
    received = [];
    loads = [];
    leases = 0;
  });
  afterEach(async () => {
    recording.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('turns each word the VAD cuts into live:word, and applies a new threshold to the next word', async () => {
    await experiment('w');
    const { recognizer, heard } = fakeRecognizer('words');
    const live = session({ w: recognizer });
    const started = await live.start(params('w'));
    expect(started).toMatchObject({
      experiment: 'w',
      mode: 'words',
      labels: WORD_LABELS,
      phoneClasses: [],
      silenceLabels: ['_silence_'],
      unknownLabels: [],
      threshold: 0.5,
      hopSeconds: 0.01,
      recording: { sampleRate: RATE, path: expect.stringMatching(/^recordings\/.+\.wav$/) },
    });
    expect(live.status()).toEqual({ active: true, experiment: 'w', mode: 'words', threshold: 0.5 });

    program.send(word(0.5, 0.4, 0.6));
    await vi.waitFor(() => expect(of('live:word')).toHaveLength(1));
    const first = of('live:word')[0];
    expect(first).toMatchObject({ index: 0, kind: 'word', label: 'yes', probability: 0.6 });
    expect(first?.top.map((t) => t.label)).toEqual(['yes', '_silence_', 'no']);
    expect(first?.startSeconds).toBeCloseTo(0.5, 1);
    expect(first?.endSeconds).toBeCloseTo(0.9, 1);
    expect(first?.latencyMs).toBeGreaterThanOrEqual(0);
    // The word was cut with 100 ms of context either side.
    expect(heard[0]).toBeCloseTo(0.6, 1);
    // The recording's own events flow as in the Record view (the Live view's spectrogram).
    expect(of('record:frames').length).toBeGreaterThan(0);
    expect(of('record:vad').map((v) => v.type)).toEqual(['speechStart', 'speechEnd']);

    expect(live.setThreshold(0.7).threshold).toBe(0.7);
    program.send(word(0.2, 0.4, 0.6));
    await vi.waitFor(() => expect(of('live:word')).toHaveLength(2));
    expect(of('live:word')[1]).toMatchObject({
      index: 1,
      kind: 'not-sure',
      label: NOT_SURE,
      probability: 0.6,
    });

    const stopped = await live.stop();
    expect(stopped).toMatchObject({ experiment: 'w', mode: 'words', words: 2, frames: 0 });
    expect(stopped.recording.reason).toBe('stopped');
    expect(stopped.recording.durationSeconds).toBeCloseTo(2.7, 2);
    expect(of('live:stopped')).toEqual([stopped]);
    expect(live.status()).toEqual({ active: false, experiment: null, mode: null, threshold: null });
    expect(leases).toBe(0);
    expect(() => live.setThreshold(0.2)).toThrow(expect.objectContaining({ code: 'LIVE_IDLE' }));
  });

  it('reports a word still being recognised when the take stops before live:stopped', async () => {
    await experiment('w');
    const { recognizer } = fakeRecognizer('words');
    let release: () => void = () => undefined;
    const slow: Recognizer = {
      ...recognizer,
      recognizeWord: async (audio, opts) => {
        await new Promise<void>((resolve) => (release = resolve));
        return recognizer.recognizeWord(audio, opts);
      },
    };
    const live = session({ w: slow });
    await live.start(params('w'));
    // The word ends only when the take stops: the VAD's flush cuts it then.
    program.send(word(0.3, 0.5, 0));
    await vi.waitFor(() => expect(of('record:vad').map((v) => v.type)).toEqual(['speechStart']));
    const stopping = live.stop();
    await vi.waitFor(() => expect(of('record:stopped')).toHaveLength(1));
    expect(of('live:stopped')).toHaveLength(0);
    release();
    const stopped = await stopping;
    expect(stopped.words).toBe(1);
    const order = received.map((r) => r.event).filter((e) => e.startsWith('live:'));
    expect(order).toEqual(['live:word', 'live:stopped']);
  });

  it('ends words after 200 ms of quiet unless the client sets the hangover', async () => {
    await experiment('w');
    const live = session({ w: fakeRecognizer('words').recognizer });
    await live.start(params('w'));
    // 250 ms of quiet after the word: enough for 200 ms, not for the Record view's 300 ms.
    program.send(word(0.3, 0.4, 0.25));
    await vi.waitFor(() => expect(of('live:word')).toHaveLength(1));
    await live.stop();
    received = [];
    await live.start(params('w', { vad: { hangoverMs: 300 } }));
    program.send(word(0.3, 0.4, 0.25));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(of('live:word')).toHaveLength(0);
    // The stop flushes the VAD, which then cuts the word.
    await live.stop();
    expect(of('live:word')).toHaveLength(1);
  });

  it('allows one live session or recording at a time, with a clear error', async () => {
    await experiment('w');
    const { recognizer } = fakeRecognizer('words');
    const live = session({ w: recognizer });
    await recording.start({ sampleRate: RATE, program: 'arecord', vad: {} }, 'record');
    await expect(live.start(params('w'))).rejects.toMatchObject({
      code: 'RECORDER_BUSY',
      message: expect.stringMatching(/Record view/),
    });
    expect(live.status().active).toBe(false);
    await recording.stop();

    await live.start(params('w'));
    await expect(live.start(params('w'))).rejects.toMatchObject({ code: 'LIVE_BUSY' });
    await expect(
      recording.start({ sampleRate: RATE, program: 'arecord', vad: {} }, 'record'),
    ).rejects.toMatchObject({ code: 'RECORDER_BUSY', message: expect.stringMatching(/Live/) });
    // Refused before the recogniser was asked for.
    expect(loads).toHaveLength(1);
    expect(leases).toBe(1);
    await live.stop();
  });

  it('ends cleanly when the recording is stopped from the Record view (record:stop)', async () => {
    await experiment('w');
    const live = session({ w: fakeRecognizer('words').recognizer });
    await live.start(params('w'));
    program.send(word(0.1, 0, 0.2));
    const stopped = await recording.stop();
    await vi.waitFor(() => expect(of('live:stopped')).toHaveLength(1));
    expect(of('live:stopped')[0]?.recording).toEqual(stopped);
    expect(live.status().active).toBe(false);
    await expect(live.stop()).rejects.toMatchObject({ code: 'LIVE_IDLE' });
    // The microphone is free again for either view.
    await live.start(params('w'));
    await live.stop();
  });

  it('streams posterior columns with latency, send time and the decoded string, until maxSeconds', async () => {
    await experiment('p');
    const live = session({ p: fakeRecognizer('phones').recognizer });
    const started = await live.start(params('p', { maxSeconds: 1 }));
    expect(started).toMatchObject({
      mode: 'phones',
      labels: PHONES,
      phoneClasses: [{ name: 'all', phones: PHONES }],
      silenceLabels: [],
      hopSeconds: 0.01,
    });
    const before = Date.now();
    // 1.5 s offered; the 1 s limit ends the take.
    for (let k = 0; k < 15; k++) program.send(new Int16Array(1600));
    await vi.waitFor(() => expect(of('live:stopped')).toHaveLength(1));
    const columns = of('live:posteriors');
    expect(columns.length).toBeGreaterThan(0);
    let next = 0;
    for (const c of columns) {
      expect(c.startFrame).toBe(next);
      expect(c.posteriors).toBeInstanceOf(Float32Array);
      expect(c.posteriors.length).toBe(c.frames * PHONES.length);
      expect(c.latencyMs).toBeGreaterThanOrEqual(0);
      expect(c.sentAt).toBeGreaterThanOrEqual(before);
      next += c.frames;
    }
    expect(next).toBe(100);
    // 20 frames of aa, 20 of iy, ... over 100 frames.
    expect(columns[columns.length - 1]?.decoded).toEqual(['aa', 'iy', 'aa', 'iy', 'aa']);
    const stopped = of('live:stopped')[0] as LiveStopped;
    expect(stopped).toMatchObject({ mode: 'phones', frames: 100, words: 0 });
    expect(stopped.recording.reason).toBe('limit');
  });

  it('refuses missing, untrained and bidirectional phone experiments before opening the microphone', async () => {
    await experiment('untrained', false);
    await experiment('bi');
    const live = session({ bi: fakeRecognizer('phones', { bidirectional: true }).recognizer });
    await expect(live.start(params('nope'))).rejects.toMatchObject({
      code: 'EXPERIMENT_NOT_FOUND',
      message: expect.stringMatching(/"nope"/),
    });
    await expect(live.start(params('untrained'))).rejects.toMatchObject({
      code: 'EXPERIMENT_NOT_TRAINED',
    });
    await expect(live.start(params('bi'))).rejects.toMatchObject({
      code: 'SPEECH_NOT_STREAMABLE',
    });
    expect(recording.owner).toBeNull();
    expect(recording.state).toBe('idle');
    expect(leases).toBe(0);
    expect(live.status().active).toBe(false);
    expect(received.filter((r) => r.event.startsWith('record:'))).toEqual([]);
  });

  it('reports a failing phone stream as live:error and ends the session', async () => {
    await experiment('p');
    const { recognizer } = fakeRecognizer('phones');
    const broken: Recognizer = {
      ...recognizer,
      createStreamingPhoneRecognizer: () => ({
        push: () => {
          throw new UnfoldError('TF_FAILED', 'the backend failed');
        },
        flush: () => ({ posteriors: new Float32Array(0), frames: 0, startFrame: 0 }),
        posteriors: () => new Float32Array(0),
      }),
    };
    const live = session({ p: broken });
    await live.start(params('p'));
    program.send(new Int16Array(1600));
    await vi.waitFor(() => expect(of('live:stopped')).toHaveLength(1));
    expect(of('live:error')).toEqual([{ code: 'TF_FAILED', message: 'the backend failed' }]);
    expect(recording.owner).toBeNull();
    expect(leases).toBe(0);
  });

  it('refuses a words session without the voice-activity detector', async () => {
    await experiment('w');
    const live = session({ w: fakeRecognizer('words').recognizer });
    await expect(live.start(params('w', { vad: false }))).rejects.toMatchObject({
      code: 'LIVE_NEEDS_VAD',
    });
  });
});
