/**
 * Unit specs share their workers' module cache (vitest.config.ts: isolate false), so a spec that
 * replaces a module with vi.mock would leak the fake into the specs after it: every such spec
 * must be listed in MOCKING_SPECS, which runs them isolated.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MOCKING_SPECS } from '../../vitest.config';

const root = join(import.meta.dirname, '..', '..');
const MOCKING = /\bvi\.(mock|doMock|unmock|stubGlobal|stubEnv)\(/;

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true });
  return entries.filter((entry) => entry.endsWith(suffix)).map((entry) => join(dir, entry));
}

it('lists every unit spec that replaces a module or a global among the isolated ones', async () => {
  const specs = [
    ...(await filesUnder('src-main', '.spec.ts')),
    ...(await filesUnder('src-renderer', '.spec.ts')),
    ...(await filesUnder('tests/unit', '.test.ts')),
  ];
  const mocking: string[] = [];
  for (const file of specs)
    if (MOCKING.test(await readFile(join(root, file), 'utf8'))) mocking.push(file);
  // This file names the calls it looks for without making them.
  const found = mocking.filter((file) => !file.endsWith('mocking-specs.test.ts')).sort();
  expect(found).toEqual([...MOCKING_SPECS].sort());
});
