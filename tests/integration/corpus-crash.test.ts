import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCorpus } from '../../src-main/domain/corpus/import/import-corpus';
import { writeFsddLike } from '../../src-main/domain/corpus/testing/fixtures';
import { validateCorpus } from '../../src-main/domain/corpus/validate';

const child = fileURLToPath(new URL('../fixtures/corpus/crash-child.ts', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold crash-'));
  await writeFsddLike(join(work, 'src'), ['ann', 'bob', 'cy'], [0, 1, 2, 3, 4], [0, 1, 2, 3]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Starts the child and SIGKILLs it once `ready` accepts a line of its output. */
function runAndKill(
  args: string[],
  ready: (line: string) => boolean,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killed = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (!killed && chunk.split('\n').some(ready)) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    proc.on('error', reject);
    proc.on('close', () => resolve({ killed, output }));
  });
}

describe('a kill at any moment leaves the corpus valid', () => {
  it('killed during an import: no corpus appears; the next import cleans up and succeeds', async () => {
    const target = join(work, 'imported');
    const { killed, output } = await runAndKill(['import', join(work, 'src'), target], (line) =>
      /^progress 0\.[3-9]/.test(line),
    );
    expect(killed, output).toBe(true);
    await expect(stat(target)).rejects.toThrow();
    expect((await readdir(work)).some((n) => n.startsWith('.imported.partial-'))).toBe(true);
    const result = await importCorpus({
      format: 'pattern',
      source: join(work, 'src'),
      outDir: target,
      pattern: '{label}_{speaker}_{take}.wav',
    });
    expect((await validateCorpus(result.corpus.dir)).problems).toEqual([]);
    expect((await readdir(work)).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('killed during edits, three times at different moments: validates every time', async () => {
    const dir = join(work, 'edited');
    await importCorpus({
      format: 'pattern',
      source: join(work, 'src'),
      outDir: dir,
      pattern: '{label}_{speaker}_{take}.wav',
    });
    for (const after of [2, 5, 9]) {
      const { killed, output } = await runAndKill(
        ['edit', dir],
        (line) => line === `edit ${after}`,
      );
      expect(killed, output).toBe(true);
      const report = await validateCorpus(dir, { checkAudio: false });
      expect(report.problems).toEqual([]);
      expect(report.counts.utterances).toBe(60);
      // A kill between the atomic writer's temporary file and its rename leaves
      // `<file>.<digits>` (e.g. wav.scp.2234094470); opening or validating removes it.
      const leftovers = (await readdir(dir, { recursive: true })).filter((p) =>
        /(wav\.scp|text|utt2spk|spk2utt|segments|reco2dur|corpus\.json|\.TextGrid|\.wav)\.\d+$/.test(
          p,
        ),
      );
      expect(leftovers).toEqual([]);
    }
  });

  it('a process that died holding the lock with a pending commit: the next reader completes it', async () => {
    const dir = join(work, 'stale-lock');
    await importCorpus({
      format: 'pattern',
      source: join(work, 'src'),
      outDir: dir,
      pattern: '{label}_{speaker}_{take}.wav',
    });
    const manifest = JSON.parse(await readFile(join(dir, 'corpus.json'), 'utf8')) as {
      revision: number;
    };
    const text = await readFile(join(dir, 'data/train/text'), 'utf8');
    const changed = text.replace('ann-0_0 0', 'ann-0_0 1');
    // What a commit leaves when its process is killed right after writing the pending file.
    await mkdir(join(dir, '.unfold', 'lock'), { recursive: true });
    await writeFile(
      join(dir, '.unfold', 'pending-commit.json'),
      JSON.stringify({
        writes: [
          ['data/train/text', changed],
          ['corpus.json', JSON.stringify({ ...manifest, revision: 1 }, null, 2) + '\n'],
        ],
        deletes: [],
      }),
    );
    const report = await validateCorpus(dir, { checkAudio: false });
    expect(report.problems).toEqual([]);
    expect(await readFile(join(dir, 'data/train/text'), 'utf8')).toBe(changed);
    await expect(stat(join(dir, '.unfold', 'pending-commit.json'))).rejects.toThrow();
  });
});
