/** The `.npy` files a command wrote into a folder (e.g. `unfold inspect --out`), decoded, by name. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpy } from '../../src-main/domain/audio/npy';

export async function npyFiles(
  dir: string,
): Promise<Map<string, { frames: number; dims: number; data: Float32Array }>> {
  const out = new Map<string, { frames: number; dims: number; data: Float32Array }>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.npy')))
    out.set(name, decodeNpy(await readFile(join(dir, name)), name));
  return out;
}
