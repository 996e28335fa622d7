import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The path of a file in the project's resources/ folder. Code runs from src-main (tests, tsx)
 * and from bundled chunks in out/main, at different depths, so the folder is found by walking
 * up from this module rather than by a fixed relative path.
 */
export function resourcePath(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'resources', name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(fileURLToPath(import.meta.url)), 'resources', name);
    dir = parent;
  }
}
