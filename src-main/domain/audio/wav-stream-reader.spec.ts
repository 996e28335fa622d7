import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixToMono } from './mix';
import { decodeNpy, NpyStreamWriter } from './npy';
import { createStreamingResampler, resampleMono } from './resample';
import { decodeWav, encodeWav } from './wav';
import { openWavBlockReader } from './wav-stream-reader';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures/audio');

async function readAll(path: string, blockFrames: number): Promise<Float32Array> {
  const reader = await openWavBlockReader(path, { blockFrames });
  const parts: Float32Array[] = [];
  try {
    for await (const block of reader.blocks()) parts.push(block.slice());
  } finally {
    await reader.close();
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  expect(out.length).toBe(reader.frames);
  return out;
}

describe('openWavBlockReader', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold-wav-blocks-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    'tone1ch-s16.wav',
    'tone3ch-u8.wav',
    'tone3ch-s16.wav',
    'tone3ch-s24.wav',
    'tone3ch-s32.wav',
    'tone3ch-f32.wav',
    'tone3ch-f64.wav',
    'tone2ch-alaw.wav',
    'tone2ch-mulaw.wav',
  ])('reads %s in blocks exactly as the whole-file decoder mixes it', async (name) => {
    const path = join(FIXTURES, name);
    const whole = mixToMono(decodeWav(new Uint8Array(await readFile(path)), path).channels);
    expect(await readAll(path, 100)).toEqual(whole);
  });

  it('refuses a NaN at the first bad block, naming the file and sample, and repairs on request', async () => {
    const samples = new Float32Array(1000).fill(0.25);
    samples[700] = NaN;
    samples[900] = Infinity;
    const path = join(folder, 'nan.wav');
    await writeFile(path, encodeWav({ sampleRate: 1000, samples }, { bitDepth: '32f' }));
    await expect(readAll(path, 256)).rejects.toMatchObject({
      code: 'AUDIO_NONFINITE',
      message: expect.stringMatching(/nan\.wav: sample 700 \(0\.700 s\) is NaN/),
    });
    const reader = await openWavBlockReader(path, { blockFrames: 256, nonFinite: 'repair' });
    let zeros = 0;
    for await (const block of reader.blocks()) zeros += block.filter((v) => v === 0).length;
    await reader.close();
    expect(reader.repairedNonFinite).toBe(2);
    expect(zeros).toBe(2);
  });
});

describe('createStreamingResampler', () => {
  it('gives the same samples block by block as resampling the whole signal', async () => {
    const input = Float32Array.from({ length: 30_000 }, (_, i) => Math.sin(i / 7) * 0.5);
    const whole = await resampleMono(input, 22_050, 16_000);
    const stream = await createStreamingResampler(22_050, 16_000);
    const parts: Float32Array[] = [];
    for (let at = 0; at < input.length; at += 4_096)
      parts.push(stream.push(input.subarray(at, at + 4_096)));
    parts.push(stream.finish());
    stream.dispose();
    const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    expect(joined.length).toBe(whole.length);
    let worst = 0;
    for (let i = 0; i < whole.length; i++)
      worst = Math.max(worst, Math.abs((joined[i] as number) - (whole[i] as number)));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('NpyStreamWriter', () => {
  it('writes rows as they come and a header with the final shape', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'unfold-npy-stream-'));
    try {
      const path = join(folder, 'p.npy');
      const writer = await NpyStreamWriter.open(path, 3);
      await writer.append(new Float32Array([1, 2, 3, 4, 5, 6]));
      await writer.append(new Float32Array(0));
      await writer.append(new Float32Array([7, 8, 9]));
      expect(await writer.finish()).toBe(3);
      const matrix = decodeNpy(new Uint8Array(await readFile(path)), path);
      expect(matrix).toEqual({
        frames: 3,
        dims: 3,
        data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
