/**
 * The real recorder path with no microphone: an ALSA `type file` PCM ("fakemic") whose input
 * is espeak-ng speech as raw S16_LE 16 kHz mono. The fake device is not paced and keeps
 * delivering after its file ends, so recordings stop by byte count.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import recordModule from 'node-record-lpcm16';
import type { Recording } from 'node-record-lpcm16';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCaptureDevices } from '../../src-main/domain/audio/capture-devices';
import type { LevelReading } from '../../src-main/domain/audio/level-meter';
import type { PcmChunk } from '../../src-main/domain/audio/recorder';
import { RecorderService } from '../../src-main/domain/audio/recorder';
import type { VadEvent } from '../../src-main/domain/audio/vad';
import { decodeWav } from '../../src-main/domain/audio/wav';
import { installFakeMicrophone } from '../support/fake-microphone';

const tools = ['arecord', 'rec', 'sox', 'espeak-ng'].every((tool) =>
  which.sync(tool, { nothrow: true }),
);

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe.runIf(tools)('recorder on a fake ALSA microphone', () => {
  let folder: string;
  let source: Buffer;
  let sourceSamples: Float32Array;
  const savedEnv = { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, PATH: process.env.PATH };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'unfold-recorder-'));
    source = installFakeMicrophone(folder, 'seven, two, nine', { asDefault: true }).raw;
    sourceSamples = Float32Array.from(
      new Int16Array(source.buffer, source.byteOffset, source.length / 2),
      (v) => v / 32_768,
    );
    // node-record-lpcm16 spawns with process.env: this file runs in its own worker process.
    process.env.XDG_CONFIG_HOME = folder;
  });

  afterAll(() => {
    process.env.XDG_CONFIG_HOME = savedEnv.XDG_CONFIG_HOME;
    process.env.PATH = savedEnv.PATH;
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists the fake device among the capture devices', async () => {
    const devices = await listCaptureDevices();
    expect(devices.map((device) => device.id)).toContain('fakemic');
  });

  it('records with arecord bit for bit, streams chunks, levels and VAD events, and writes the WAV', async () => {
    const recorder = new RecorderService();
    const chunks: PcmChunk[] = [];
    const levels: LevelReading[] = [];
    const vad: VadEvent[] = [];
    const states: string[] = [];
    recorder.on('chunk', (chunk) => chunks.push(chunk));
    recorder.on('level', (reading) => levels.push(reading));
    recorder.on('vad', (event) => vad.push(event));
    recorder.on('state', (state) => states.push(state));
    const outPath = join(folder, 'arecord.wav');
    await recorder.start({ outPath, device: 'fakemic', maxBytes: source.length });
    const result = await recorder.done;
    expect(result).toMatchObject({
      path: outPath,
      reason: 'limit',
      samples: source.length / 2,
      sampleRate: 16_000,
    });
    expect(result.error).toBeUndefined();
    expect(existsSync(`${outPath}.part`)).toBe(false);
    const decoded = decodeWav(readFileSync(outPath), outPath);
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.channels[0]).toEqual(sourceSamples);
    // The streamed chunks are the same samples, in order.
    let expectedStart = 0;
    for (const chunk of chunks) {
      expect(chunk.startSample).toBe(expectedStart);
      expectedStart += chunk.pcm.length;
    }
    expect(expectedStart).toBe(source.length / 2);
    expect(Math.max(...levels.map((l) => l.peakDbfs))).toBeGreaterThan(-20);
    expect(levels.some((l) => l.rmsDbfs === -Infinity || l.rmsDbfs < -40)).toBe(true);
    expect(vad[0]?.type).toBe('speechStart');
    expect(vad.filter((e) => e.type === 'speechEnd').length).toBeGreaterThanOrEqual(1);
    expect(states).toEqual(['starting', 'recording', 'stopping', 'idle']);
  });

  it('records with SoX rec on the same device (compared by correlation)', async () => {
    const recorder = new RecorderService();
    const outPath = join(folder, 'rec.wav');
    await recorder.start({ outPath, device: 'fakemic', program: 'rec', maxBytes: source.length });
    const result = await recorder.done;
    expect(result.reason).toBe('limit');
    const recorded = decodeWav(readFileSync(outPath), outPath).channels[0] as Float32Array;
    expect(recorded.length).toBe(sourceSamples.length);
    expect(correlation(recorded, sourceSamples)).toBeGreaterThan(0.99);
    expect(process.env.AUDIODEV).toBeUndefined();
  });

  it('treats a normal stop (arecord exits with code 1) as success', async () => {
    const recorder = new RecorderService();
    const outPath = join(folder, 'stopped.wav');
    const chunks: PcmChunk[] = [];
    // Stop once the whole spoken source has been captured, however the pipe splits it.
    const sourceCaptured = new Promise<void>((resolve) =>
      recorder.on('chunk', (chunk) => {
        chunks.push(chunk);
        if (chunk.startSample + chunk.pcm.length >= sourceSamples.length) resolve();
      }),
    );
    await recorder.start({ outPath, device: 'fakemic' });
    await sourceCaptured;
    const result = await recorder.stop();
    expect(result.reason).toBe('stopped');
    expect(result.error).toBeUndefined();
    // Every sample delivered before the stop is in the WAV, in order, and nothing else is.
    const delivered = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.pcm.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      expect(chunk.startSample).toBe(offset);
      delivered.set(chunk.pcm, offset);
      offset += chunk.pcm.length;
    }
    expect(result.samples).toBe(delivered.length);
    const decoded = decodeWav(readFileSync(outPath), outPath).channels[0] as Float32Array;
    expect(decoded).toEqual(Float32Array.from(delivered, (v) => v / 32_768));
    // ... and they are the microphone's samples, bit for bit.
    expect(decoded.subarray(0, sourceSamples.length)).toEqual(sourceSamples);
  });

  it('ends with an error and keeps the audio when the program dies (a vanished device)', async () => {
    let recording: Recording | null = null;
    const recorder = new RecorderService({
      record: (options) => {
        recording = recordModule.record(options);
        return recording;
      },
    });
    const failures: string[] = [];
    recorder.on('failed', (error) => failures.push(error.code));
    const outPath = join(folder, 'vanished.wav');
    recorder.once('chunk', () => (recording as Recording | null)?.process.kill('SIGKILL'));
    await recorder.start({ outPath, device: 'fakemic' });
    const result = await recorder.done;
    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ code: 'RECORDER_FAILED' });
    expect(result.error?.message).toMatch(
      /arecord stopped unexpectedly \(signal SIGKILL\).*captured so far was kept/,
    );
    expect(failures).toEqual(['RECORDER_FAILED']);
    const decoded = decodeWav(readFileSync(outPath), outPath).channels[0] as Float32Array;
    expect(decoded.length).toBe(result.samples);
    expect(decoded.length).toBeGreaterThan(0);
    const n = Math.min(decoded.length, sourceSamples.length);
    expect(decoded.subarray(0, n)).toEqual(sourceSamples.subarray(0, n));
  });

  it('treats Ctrl-C in the terminal (SIGINT to arecord) as a normal end', async () => {
    let recording: Recording | null = null;
    const recorder = new RecorderService({
      record: (options) => {
        recording = recordModule.record(options);
        return recording;
      },
    });
    recorder.once('chunk', () => (recording as Recording | null)?.process.kill('SIGINT'));
    await recorder.start({ outPath: join(folder, 'interrupted.wav'), device: 'fakemic' });
    const result = await recorder.done;
    expect(result.reason).toBe('stopped');
    expect(result.error).toBeUndefined();
    expect(result.samples).toBeGreaterThan(0);
  });

  it('names the device it could not open and leaves no empty file', async () => {
    const recorder = new RecorderService();
    const outPath = join(folder, 'nodevice.wav');
    await recorder.start({ outPath, device: 'nosuchdev' });
    const result = await recorder.done;
    expect(result.reason).toBe('failed');
    expect(result.path).toBeNull();
    expect(result.error?.code).toBe('RECORDER_FAILED');
    expect(result.error?.message).toMatch(
      /arecord could not record from device "nosuchdev" \(exit code 1\): .*Unknown PCM nosuchdev/,
    );
    expect(result.error?.message).toMatch(/unfold audio devices/);
    expect(existsSync(outPath)).toBe(false);
    expect(existsSync(`${outPath}.part`)).toBe(false);
  });

  it('reports a missing program with its install hint (PATH without arecord)', async () => {
    const emptyBin = join(folder, 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    process.env.PATH = emptyBin;
    try {
      const recorder = new RecorderService();
      await expect(recorder.start({ outPath: join(folder, 'never.wav') })).rejects.toMatchObject({
        code: 'RECORDER_NOT_FOUND',
        message: expect.stringMatching(
          /arecord not found: install it with `sudo apt install alsa-utils`/,
        ),
      });
      expect(recorder.state).toBe('idle');
      expect(existsSync(join(folder, 'never.wav.part'))).toBe(false);
      // The race where the program vanishes after the check: spawn ENOENT must not crash.
      const racing = new RecorderService({ findProgram: async () => '/usr/bin/arecord' });
      const failed = new Promise((resolve) => racing.once('failed', resolve));
      await racing.start({ device: 'fakemic' });
      expect(await failed).toMatchObject({ code: 'RECORDER_NOT_FOUND' });
      expect((await racing.done).reason).toBe('failed');
    } finally {
      process.env.PATH = savedEnv.PATH;
    }
  });
});
