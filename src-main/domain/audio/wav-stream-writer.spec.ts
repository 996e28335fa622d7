import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWav } from './wav';
import { WavStreamWriter, recoverWavPart } from './wav-stream-writer';

describe('WavStreamWriter', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold-wav-writer-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const pcm = (values: number[]): Uint8Array => new Uint8Array(new Int16Array(values).buffer);

  it('keeps a valid WAV in .part while recording and renames it only when finished', async () => {
    const path = join(folder, 'take.wav');
    const writer = new WavStreamWriter(path, 16_000, 0); // sync after every chunk
    await writer.open();
    writer.write(pcm([100, 200]));
    writer.write(pcm([300]));
    // Simulate a crash here: once the queued chunks are written, the file must be readable.
    await writer.written();
    expect(existsSync(path)).toBe(false);
    const partial = decodeWav(await readFile(writer.partPath), writer.partPath).channels[0];
    expect(Array.from(partial ?? []).map((v) => v * 32_768)).toEqual([100, 200, 300]);
    writer.write(pcm([400]));
    expect(await writer.finish()).toBe(8);
    expect(existsSync(writer.partPath)).toBe(false);
    const final = decodeWav(await readFile(path), path).channels[0];
    expect(Array.from(final ?? []).map((v) => v * 32_768)).toEqual([100, 200, 300, 400]);
  });

  it('recovers every whole sample of a .part file left by a crash', async () => {
    const path = join(folder, 'crashed.wav');
    const writer = new WavStreamWriter(path, 16_000, 60_000); // no periodic sync: header says 0 bytes
    await writer.open();
    writer.write(pcm([1, 2, 3]));
    await writer.written();
    await appendFile(writer.partPath, new Uint8Array([7])); // half a sample, as a power cut might leave
    expect(await recoverWavPart(writer.partPath, 16_000)).toBe(path);
    const recovered = decodeWav(await readFile(path), path).channels[0];
    expect(Array.from(recovered ?? []).map((v) => v * 32_768)).toEqual([1, 2, 3]);
    await expect(recoverWavPart(path, 16_000)).rejects.toMatchObject({
      code: 'NOT_A_PARTIAL_RECORDING',
    });
  });

  it('discards an abandoned recording', async () => {
    const writer = new WavStreamWriter(join(folder, 'gone.wav'), 16_000);
    await writer.open();
    await writer.discard();
    expect(existsSync(writer.partPath)).toBe(false);
  });
});
