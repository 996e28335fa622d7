/**
 * The audio API through the real dispatcher (schema validation included) with a fake ALSA
 * microphone: a `type file` PCM fed with espeak-ng speech, recorded by arecord.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AudioAnalysis,
  FramesPayload,
  RecordingEntry,
  RecordingStopped,
} from '../../src-main/api/audio';
import type { EventChannel } from '../../src-main/api/contract';
import type { ResponseEnvelope } from '../../src-main/api/envelope';
import { RecorderService } from '../../src-main/domain/audio/recorder';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { installFakeMicrophone } from '../support/fake-microphone';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));

function result<T>(envelope: ResponseEnvelope): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.result as T;
}

describe.runIf(tools)('audio handlers with a fake microphone', () => {
  let folder: string;
  let dataDir: string;
  let source: Buffer;
  let app: UnfoldApp;
  const events: { event: EventChannel; payload: unknown }[] = [];
  const savedConfigHome = process.env.XDG_CONFIG_HOME;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'unfold-audio-api-'));
    dataDir = join(folder, 'data');
    mkdirSync(dataDir);
    source = installFakeMicrophone(folder, 'one, four, eight, three').raw;
    // node-record-lpcm16 spawns with process.env: this file runs in its own worker.
    process.env.XDG_CONFIG_HOME = folder;
    app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
    app.events.subscribe((event, payload) => events.push({ event, payload }));
  });

  afterAll(async () => {
    await app?.dispose();
    process.env.XDG_CONFIG_HOME = savedConfigHome;
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists the fake device', async () => {
    const devices = result<{ id: string }[]>(await app.dispatch('audio:devices', undefined));
    expect(devices.map((device) => device.id)).toContain('fakemic');
  });

  it('records 1.5 s, streams log-mel frames and levels, and saves the WAV in the data folder', async () => {
    events.length = 0;
    const started = result<{ path: string; frameDims: number }>(
      await app.dispatch('record:start', { device: 'fakemic', maxSeconds: 1.5 }),
    );
    expect(started.path).toMatch(/^recordings\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.wav$/);
    expect(started.frameDims).toBe(80);
    await expect
      .poll(() => events.some((e) => e.event === 'record:stopped'), { timeout: 15_000 })
      .toBe(true);
    const stopped = events.find((e) => e.event === 'record:stopped')?.payload as RecordingStopped;
    expect(stopped).toMatchObject({ path: started.path, samples: 24_000, reason: 'limit' });
    const wav = readFileSync(join(dataDir, started.path));
    expect(wav.subarray(44).equals(source.subarray(0, 48_000))).toBe(true);

    const frames = events
      .filter((e) => e.event === 'record:frames')
      .map((e) => e.payload as FramesPayload);
    expect(frames.every((batch) => batch.data instanceof Float32Array && batch.dims === 80)).toBe(
      true,
    );
    let next = 0;
    for (const batch of frames) {
      expect(batch.startFrame).toBe(next);
      expect(batch.data.length).toBe(batch.frames * 80);
      next += batch.frames;
    }
    expect(next).toBe(1 + Math.floor((24_000 - 400) / 160));
    expect(events.filter((e) => e.event === 'record:level').length).toBe(30);
    expect(events.map((e) => e.event)).toContain('record:vad');
    expect(
      events
        .filter((e) => e.event === 'record:state')
        .map((e) => (e.payload as { state: string }).state),
    ).toEqual(['starting', 'recording', 'stopping', 'idle']);

    const list = result<RecordingEntry[]>(await app.dispatch('audio:recordings', undefined));
    expect(list).toEqual([
      expect.objectContaining({
        path: started.path,
        folder: 'recordings',
        durationSeconds: 1.5,
        sampleRate: 16_000,
      }),
    ]);
  });

  it('analyses a take: log-mel and MFCC matrices as typed arrays with shapes, and peaks', async () => {
    const [entry] = result<RecordingEntry[]>(await app.dispatch('audio:recordings', undefined));
    const analysis = result<AudioAnalysis>(await app.dispatch('audio:open', { path: entry!.path }));
    expect(analysis.info).toMatchObject({ durationSeconds: 1.5, sampleRate: 16_000, channels: 1 });
    expect(analysis.spectrogram).toMatchObject({ frames: 148, dims: 80 });
    expect(analysis.spectrogram.data).toBeInstanceOf(Float32Array);
    expect(analysis.spectrogram.data.length).toBe(148 * 80);
    expect(analysis.mfcc).toMatchObject({ frames: 148, dims: 13 });
    expect(analysis.peaks.length).toBe(2 * 1500);
    // The analysis equals the frames streamed live (same extractor, same settings).
    const live = events
      .filter((e) => e.event === 'record:frames')
      .map((e) => e.payload as FramesPayload);
    expect(live[0]!.data.subarray(0, 80)).toEqual(analysis.spectrogram.data.subarray(0, 80));
    const bytes = result<{ bytes: Uint8Array }>(
      await app.dispatch('audio:bytes', { path: entry!.path }),
    );
    expect(bytes.bytes.length).toBe(44 + 48_000);
  });

  it('refuses paths outside the data folder and invalid parameters', async () => {
    // `..` is refused by the parameter schema, before any handler runs; an absolute path is
    // resolved and found outside.
    for (const path of ['../speech.wav', 'recordings/../../speech.wav']) {
      const response = await app.dispatch('audio:open', { path });
      expect(response).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PARAMS', message: expect.stringContaining('..') },
      });
    }
    for (const path of [join(folder, 'speech.wav'), '/etc/passwd']) {
      const response = await app.dispatch('audio:open', { path });
      expect(response).toMatchObject({ ok: false, error: { code: 'PATH_OUTSIDE_DATA' } });
    }
    expect(await app.dispatch('audio:bytes', { path: 'recordings/none.wav' })).toMatchObject({
      ok: false,
      error: { code: 'AUDIO_NOT_FOUND' },
    });
    expect(await app.dispatch('record:start', { sampleRate: 100 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    });
    expect(
      await app.dispatch('record:start', {
        vad: { startThresholdDbfs: -50, endThresholdDbfs: -30 },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', message: expect.stringMatching(/end threshold/) },
    });
    expect(await app.dispatch('audio:import', { name: 'x.wav', bytes: [1, 2, 3] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    });
  });

  it('imports uploaded bytes under imports/ without overwriting, and rejects non-WAV bytes', async () => {
    const wav = readFileSync(join(root, 'tests/fixtures/audio/tone1k-16k.wav'));
    // A file name from a client is one name, never a path.
    expect(
      await app.dispatch('audio:import', { name: '../../tone.wav', bytes: new Uint8Array(wav) }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    const first = result<RecordingEntry>(
      await app.dispatch('audio:import', { name: 'tone.wav', bytes: new Uint8Array(wav) }),
    );
    const second = result<RecordingEntry>(
      await app.dispatch('audio:import', { name: 'tone.wav', bytes: new Uint8Array(wav) }),
    );
    expect([first.path, second.path]).toEqual(['imports/tone.wav', 'imports/tone (2).wav']);
    expect(readFileSync(join(dataDir, 'imports', 'tone.wav')).equals(wav)).toBe(true);
    const bad = await app.dispatch('audio:import', {
      name: 'bad.wav',
      bytes: new Uint8Array([1, 2, 3, 4]),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^AUDIO_/) } });
  });

  it('reports a missing recorder program as RECORDER_NOT_FOUND with an install hint', async () => {
    const recorder = new RecorderService({ findProgram: () => Promise.resolve(null) });
    const isolated = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
    // The context's recorder is the seam for this: build handlers with the fake one.
    const { createAudioHandlers } = await import('../../src-main/server/handlers/audio-handlers');
    const { createEventHub } = await import('../../src-main/server/event-hub');
    const handlers = createAudioHandlers({
      dataDir,
      version: 'test',
      env: process.env,
      electronVersion: null,
      events: createEventHub(),
      jobs: isolated.jobs,
      backend: () => Promise.reject(new Error('unused')),
      recorder,
    });
    await expect(
      handlers['record:start']({ sampleRate: 16_000, program: 'arecord', vad: {} }),
    ).rejects.toMatchObject({
      code: 'RECORDER_NOT_FOUND',
      message: expect.stringMatching(/apt install alsa-utils/),
    });
    expect(recorder.state).toBe('idle');
    await isolated.dispose();
  });
});
