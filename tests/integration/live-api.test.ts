import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from '../../src-main/api/client-core';
import type { EventChannel, EventPayload } from '../../src-main/api/contract';
import type { JobInfo, JobSpecInput } from '../../src-main/api/jobs';
import {
  createWebSocketTransport,
  websocketUrl,
  type WebSocketLike,
} from '../../src-main/api/websocket-transport';
import { readAudioFile } from '../../src-main/domain/audio/wav';
import { readCorpus } from '../../src-main/domain/corpus';
import type { SpeechCorpusData } from '../../src-main/domain/corpus/model';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import { startServe, type ServeProcess } from '../support/cli';
import { synthesiseTinySentences, synthesiseTinyWords } from '../support/tiny-corpora';
import { tinyPhonesConfig, tinyWordsConfig } from '../support/tiny-experiments';

/**
 * Live recognition through `unfold serve` and its WebSocket API, with an ALSA `type file`
 * microphone (as tests/support/fake-microphone.ts sets up) playing a word or a sentence from
 * the training voices: live:word must name the word; live:posteriors must carry well-formed
 * columns. The device is unpaced, so every take ends by maxSeconds (record:stop's 'limit').
 */
const canRun =
  (await hasProgram('espeak-ng')) && (await hasProgram('flite')) && (await hasProgram('arecord'));

let root = '';
let dataDir = '';
let micFolder = '';
let serve: ServeProcess | undefined;
let client: ApiClient;
let closeClient: () => void = () => undefined;

/** Writes the fake microphone's audio: `lead` s of silence, the clip, `tail` s of silence. */
async function playOnMicrophone(wavPath: string, lead: number, tail: number): Promise<number> {
  const audio = await readAudioFile(wavPath, { sampleRate: 16_000 });
  const pcm = new Int16Array(Math.round((lead + tail) * 16_000) + audio.samples.length);
  const from = Math.round(lead * 16_000);
  audio.samples.forEach((v, i) => (pcm[from + i] = Math.round(v * 32767)));
  const raw = join(micFolder, 'mic.raw');
  await mkdir(join(micFolder, 'alsa'), { recursive: true });
  await writeFile(raw, new Uint8Array(pcm.buffer));
  await writeFile(
    join(micFolder, 'alsa', 'asoundrc'),
    `pcm.fakemic { type file; slave.pcm "null"; file "/dev/null"; infile "${raw}"; format "raw" }\n`,
  );
  return pcm.length / 16_000;
}

/** Collects every event of one channel from now on. */
function collect<E extends EventChannel>(event: E): EventPayload<E>[] {
  const out: EventPayload<E>[] = [];
  client.on(event, (payload) => out.push(payload));
  return out;
}

function nextEvent<E extends EventChannel>(event: E, timeoutMs = 30_000): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${timeoutMs} ms`)), timeoutMs);
    const off = client.on(event, (payload) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

async function runJob(spec: JobSpecInput): Promise<JobInfo> {
  const job = await client.invoke('jobs:start', spec);
  return new Promise((resolve) => {
    const off = client.on('jobs:updated', (info) => {
      if (info.id !== job.id || !['succeeded', 'failed', 'cancelled'].includes(info.state)) return;
      off();
      resolve(info);
    });
  });
}

function train(config: ExperimentConfigInput): JobSpecInput {
  return { kind: 'experiment-train', params: { config, resume: false } };
}

describe.skipIf(!canRun)('live recognition over the API (unfold serve, fake microphone)', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'unfold-live-api-'));
    dataDir = join(root, 'data');
    micFolder = join(root, 'mic');
    // yes/no from 3 espeak-ng voices (split by voice) and a _silence_ class of room tone.
    await synthesiseTinyWords(dataDir, { stretches: [0.9, 1, 1.1], silenceClips: 3 });
    await synthesiseTinySentences(dataDir);
    serve = await startServe(['--port', '0', '--data', dataDir], {
      ...process.env,
      XDG_CONFIG_HOME: micFolder,
    });
    const transport = createWebSocketTransport(
      websocketUrl(`http://127.0.0.1:${serve.port}`, serve.token),
      (url) => new WebSocket(url) as unknown as WebSocketLike,
    );
    await transport.ready;
    client = createApiClient(transport);
    closeClient = () => transport.close();
    const trained = await Promise.all([
      runJob(train(tinyWordsConfig('w', 'words'))),
      // Unidirectional (the tiny default): the only kind of phone model that can run live.
      runJob(train(tinyPhonesConfig('p', 'sentences', { features: { cmvn: 'speaker' }, seed: 3 }))),
    ]);
    for (const job of trained) expect(job.error, job.title).toBeUndefined();
  });

  afterAll(async () => {
    closeClient();
    await serve?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('recognises a word spoken into the microphone by a training voice (live:word)', async () => {
    const corpus = await readCorpus(join(dataDir, 'corpora', 'words'));
    const data = corpus.data as SpeechCorpusData;
    // "yes" at the plain rate and pitch by a voice of the training split.
    const utterance = data.utterances.find(
      (u) => u.split === 'train' && u.text === 'yes' && u.recordingId.endsWith('yes_r1p0'),
    );
    const recording = data.recordings.find((r) => r.id === utterance?.recordingId);
    expect(recording).toBeDefined();
    await playOnMicrophone(join(corpus.dir, recording?.path ?? ''), 0.5, 1.5);

    const words = collect('live:word');
    const frames = collect('record:frames');
    const errors = collect('live:error');
    const stopped = nextEvent('live:stopped');
    const started = await client.invoke('live:start', {
      experiment: 'w',
      device: 'fakemic',
      maxSeconds: 3,
      threshold: 0.3,
    });
    expect(started).toMatchObject({
      experiment: 'w',
      mode: 'words',
      labels: ['_silence_', 'no', 'yes'],
      silenceLabels: ['_silence_'],
      unknownLabels: [],
      threshold: 0.3,
      hopSeconds: 0.01,
    });
    const end = await stopped;
    expect(errors).toEqual([]);
    expect(end.recording.reason).toBe('limit');
    expect(end.recording.durationSeconds).toBeCloseTo(3, 2);
    expect(existsSync(join(dataDir, end.recording.path ?? 'none'))).toBe(true);
    expect(end.words).toBe(words.length);
    expect(words.length).toBeGreaterThanOrEqual(1);
    const word = words[0];
    expect(word?.top[0]?.label).toBe('yes');
    expect(word).toMatchObject({ index: 0, kind: 'word', label: 'yes' });
    expect(word?.top).toHaveLength(3);
    expect(word?.probability).toBe(word?.top[0]?.probability);
    expect(word?.startSeconds).toBeGreaterThan(0.3);
    expect(word?.endSeconds).toBeLessThan(2);
    expect(word?.latencyMs).toBeGreaterThan(0);
    // The Live view's spectrogram comes from the same recording's events.
    expect(frames.length).toBeGreaterThan(0);
    expect(await client.invoke('live:status')).toMatchObject({ active: false });
  });

  it('streams posterior columns of a unidirectional phone model (live:posteriors)', async () => {
    const corpus = await readCorpus(join(dataDir, 'corpora', 'sentences'));
    const data = corpus.data as SpeechCorpusData;
    const recording = data.recordings[0];
    await playOnMicrophone(join(corpus.dir, recording?.path ?? ''), 0.2, 0.5);
    const columns = collect('live:posteriors');
    const stopped = nextEvent('live:stopped');
    const started = await client.invoke('live:start', {
      experiment: 'p',
      device: 'fakemic',
      maxSeconds: 2,
    });
    expect(started.mode).toBe('phones');
    expect(started.labels).toContain('pau');
    // Every phone appears in exactly one class group.
    expect(started.phoneClasses.flatMap((g) => g.phones).sort()).toEqual(
      [...started.labels].sort(),
    );
    const end = await stopped;
    const classes = started.labels.length;
    let next = 0;
    for (const c of columns) {
      expect(c.startFrame).toBe(next);
      expect(c.posteriors).toBeInstanceOf(Float32Array);
      expect(c.posteriors.length).toBe(c.frames * classes);
      for (let t = 0; t < c.frames; t++) {
        const row = c.posteriors.subarray(t * classes, (t + 1) * classes);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
      expect(Number.isFinite(c.latencyMs) && c.latencyMs >= 0).toBe(true);
      expect(c.sentAt).toBeGreaterThan(Date.now() - 60_000);
      for (const phone of c.decoded) expect(started.labels).toContain(phone);
      next += c.frames;
    }
    // 2 s at a 10 ms hop with 25 ms frames: every frame of the take, none twice.
    expect(next).toBe(1 + Math.floor((2 * 16_000 - 400) / 160));
    expect(end).toMatchObject({ experiment: 'p', mode: 'phones', frames: next, words: 0 });
    expect(end.recording.reason).toBe('limit');
  });

  it('refuses a bidirectional phone model and an unknown experiment with what to do', async () => {
    // The phone experiment's folder with a config that says its layers run both ways.
    const dir = join(dataDir, 'experiments', 'p-bi');
    await cp(join(dataDir, 'experiments', 'p'), dir, { recursive: true });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
      model: { layers: Record<string, unknown>[] };
    };
    config.model.layers = config.model.layers.map((l) => ({ ...l, bidirectional: 'concat' }));
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    await expect(client.invoke('live:start', { experiment: 'p-bi' })).rejects.toMatchObject({
      code: 'SPEECH_NOT_STREAMABLE',
      message: expect.stringMatching(/unidirectional/),
    });
    expect(await client.invoke('live:status')).toMatchObject({ active: false });
    expect(await client.invoke('record:status')).toEqual({ state: 'idle' });
    await expect(client.invoke('live:start', { experiment: 'nope' })).rejects.toMatchObject({
      code: 'EXPERIMENT_NOT_FOUND',
    });
    await expect(client.invoke('live:stop')).rejects.toMatchObject({ code: 'LIVE_IDLE' });
  });
});
