import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeWav } from '../../audio/wav';
import { importCorpus } from '../import/import-corpus';

/** A short tone as WAV bytes: test audio is made at run time, never shipped. */
export function toneWav(
  options: { sampleRate?: number; seconds?: number; frequency?: number; channels?: number } = {},
): Uint8Array {
  const sampleRate = options.sampleRate ?? 8000;
  const length = Math.round(sampleRate * (options.seconds ?? 0.25));
  const samples = new Float32Array(length);
  const frequency = options.frequency ?? 440;
  for (let i = 0; i < length; i++)
    samples[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return encodeWav({ sampleRate, samples }, { bitDepth: 16 });
}

export async function writeFixture(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

/** A Free Spoken Digit Dataset look-alike: `{digit}_{speaker}_{take}.wav`, 8 kHz tones. */
export async function writeFsddLike(
  dir: string,
  speakers: string[],
  digits: number[],
  takes: number[],
): Promise<string[]> {
  const files: string[] = [];
  for (const speaker of speakers) {
    for (const digit of digits) {
      for (const take of takes) {
        const name = `${digit}_${speaker}_${take}.wav`;
        await writeFixture(
          join(dir, name),
          toneWav({ frequency: 200 + 50 * digit + take, seconds: 0.1 + 0.01 * take }),
        );
        files.push(name);
      }
    }
  }
  return files;
}

/** Imports an FSDD look-alike folder (writeFsddLike) as a corpus; returns the corpus folder. */
export async function importFsddLike(source: string, outDir: string): Promise<string> {
  const imported = await importCorpus({
    format: 'pattern',
    source,
    outDir,
    pattern: '{label}_{speaker}_{take}.wav',
  });
  return imported.corpus.dir;
}
