import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareCodePoints } from '../formats/utf8';

/** Files under `root` whose names end with one of `extensions` (case-insensitive), sorted, with `/` paths. */
export async function listFiles(root: string, extensions: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const lower = extensions.map((e) => e.toLowerCase());
  async function visit(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile() && lower.some((e) => entry.name.toLowerCase().endsWith(e))) {
        found.push(relative(root, path).split(sep).join('/'));
      }
    }
  }
  await visit(root);
  return found.sort(compareCodePoints);
}
