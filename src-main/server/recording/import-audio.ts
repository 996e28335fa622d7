import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingEntry } from '../../api/audio';
import { decodeWav } from '../../domain/audio/wav';
import { resolveInDataFolder } from '../../domain/data-folder';
import { writeFileAtomically } from '../../domain/fs/atomic-write';
import { IMPORTS_FOLDER, safeFileName } from './data-paths';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Saves a WAV the user picked in the browser under `<data>/imports/` (the original on their
 * disk is never touched: only its bytes crossed the API). The bytes are decoded first, so a
 * corrupt or truncated file is refused with the decoder's error naming it, and nothing is saved.
 * An existing name gets a numbered suffix instead of being overwritten.
 */
export async function importAudio(
  dataDir: string,
  name: string,
  bytes: Uint8Array,
): Promise<RecordingEntry> {
  const fileName = safeFileName(name);
  const decoded = decodeWav(bytes, name);
  const folder = await resolveInDataFolder(dataDir, IMPORTS_FOLDER);
  await mkdir(folder, { recursive: true });
  const stem = fileName.slice(0, -'.wav'.length);
  let candidate = fileName;
  for (let n = 2; await exists(join(folder, candidate)); n++) candidate = `${stem} (${n}).wav`;
  await writeFileAtomically(await resolveInDataFolder(dataDir, IMPORTS_FOLDER, candidate), bytes);
  const frames = decoded.channels[0]?.length ?? 0;
  return {
    path: `${IMPORTS_FOLDER}/${candidate}`,
    name: candidate,
    folder: 'imports',
    sizeBytes: bytes.byteLength,
    modifiedMs: Date.now(),
    durationSeconds: frames / decoded.sampleRate,
    sampleRate: decoded.sampleRate,
  };
}
