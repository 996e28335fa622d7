import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingEntry } from '../../api/audio';
import { IMPORTS_FOLDER, RECORDINGS_FOLDER } from './data-paths';

export interface WavHeaderSummary {
  sampleRate: number;
  durationSeconds: number;
}

/**
 * Duration and rate from the first bytes of a WAV, for listing many files without decoding
 * them (a 10-minute take is 19 MB). Walks the RIFF chunks to `fmt ` and `data`; returns null
 * for anything that is not a WAV with both chunks in the given bytes.
 */
export function summariseWavHeader(bytes: Uint8Array): WavHeaderSummary | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string =>
    String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let offset = 12;
  let sampleRate = 0;
  let blockAlign = 0;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ' && offset + 24 <= bytes.length) {
      sampleRate = view.getUint32(offset + 12, true);
      blockAlign = view.getUint16(offset + 20, true);
    } else if (id === 'data') {
      if (sampleRate === 0 || blockAlign === 0) return null;
      return { sampleRate, durationSeconds: Math.floor(size / blockAlign) / sampleRate };
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Every finished WAV in `<data>/recordings` and `<data>/imports`, newest first. */
export async function listRecordings(dataDir: string): Promise<RecordingEntry[]> {
  const entries: RecordingEntry[] = [];
  for (const folder of [RECORDINGS_FOLDER, IMPORTS_FOLDER] as const) {
    let names: string[];
    try {
      names = await readdir(join(dataDir, folder));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names) {
      // `.wav.part` files are takes still being written (or left by a crash).
      if (!/\.wav$/i.test(name)) continue;
      const full = join(dataDir, folder, name);
      const info = await stat(full).catch(() => null);
      if (!info?.isFile()) continue;
      const header = summariseWavHeader(await readHead(full, 4096).catch(() => new Uint8Array()));
      entries.push({
        path: `${folder}/${name}`,
        name,
        folder,
        sizeBytes: info.size,
        modifiedMs: info.mtimeMs,
        durationSeconds: header?.durationSeconds ?? null,
        sampleRate: header?.sampleRate ?? null,
      });
    }
  }
  return entries.sort((a, b) => b.modifiedMs - a.modifiedMs || a.path.localeCompare(b.path));
}
