import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

/** Long commands run from scripts and CI, where stderr is a pipe, not a terminal. */
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-progress-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const SELFTEST = ['selftest', '--steps', '12', '--units', '8'];

describe('CLI progress when stderr is not a terminal', () => {
  it('prints plain progress lines by default', async () => {
    const { code, stderr } = await runCli([...SELFTEST, '--data', dataDir]);
    expect(code).toBe(0);
    const lines = stderr.trimEnd().split('\n');
    const steps = lines.filter((line) => /^\d+% \| Step \d+ of 12 on \w+/.test(line));
    // A line every few percent (how few per update is the unit test's business).
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.at(-1)).toMatch(/^100% \| Step 12 of 12/);
    // Plain lines, no terminal control codes.
    expect(stderr).not.toContain(String.fromCharCode(27));
  });

  it('prints nothing with --progress none, and refuses an unknown style', async () => {
    const quiet = await runCli([...SELFTEST, '--progress', 'none', '--data', dataDir]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('Self-test passed');
    const bad = await runCli([...SELFTEST, '--progress', 'fancy', '--data', dataDir]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--progress <style>' argument 'fancy' is invalid");
  });

  it('prints progress lines beside --json output when asked to', async () => {
    const { code, stdout, stderr } = await runCli([
      ...SELFTEST,
      '--json',
      '--progress',
      'plain',
      '--data',
      dataDir,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ steps: 12 });
    expect(stderr).toMatch(/^100% \| Step 12 of 12/m);
  });
});
