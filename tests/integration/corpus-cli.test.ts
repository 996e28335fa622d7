import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFsddLike } from '../../src-main/domain/corpus/testing/fixtures';
import { runCorpusCli, type CliOutput } from '../support/in-process-cli';

const fixtures = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'unfold-cli ü-'));
  await writeFsddLike(join(work, 'fsdd'), ['jackson', 'nicolas', 'theo'], [3, 8], [2, 7]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

/** Runs `unfold corpus ...` in-process against this file's data folder. */
function unfold(...args: string[]): Promise<CliOutput> {
  return runCorpusCli(join(work, 'data'), args);
}

describe('unfold corpus', () => {
  it('import --format pattern --split fsdd, then validate, stats, split --dry-run and export', async () => {
    const imported = await unfold(
      'import',
      '--format',
      'pattern',
      join(work, 'fsdd'),
      '--out',
      'digits',
      '--pattern',
      '{label}_{speaker}_{take}.wav',
      '--split',
      'fsdd',
      '--json',
    );
    expect(imported.exitCode).toBe(0);
    const result = JSON.parse(imported.stdout) as {
      dir: string;
      stats: { perSplit: Record<string, number> };
    };
    expect(result.dir).toBe(join(work, 'data', 'corpora', 'digits'));
    expect(result.stats.perSplit).toEqual({ test: 6, train: 6 });

    const validated = await unfold('validate', 'digits', '--json');
    expect(validated.exitCode).toBe(0);
    expect(JSON.parse(validated.stdout)).toMatchObject({ ok: true, problems: [] });

    const stats = await unfold('stats', 'digits');
    expect(stats.stdout).toContain('digits (speech): 12 items');

    const preview = await unfold(
      'split',
      'digits',
      '--by',
      'speaker',
      '--fractions',
      'train=0.67,test=0.33',
      '--seed',
      '3',
      '--dry-run',
      '--json',
    );
    const counts = JSON.parse(preview.stdout) as {
      applied: boolean;
      counts: Record<string, { speakers: number }>;
    };
    expect(counts.applied).toBe(false);
    expect(counts.counts.train?.speakers).toBe(2);
    expect(counts.counts.test?.speakers).toBe(1);

    const exported = await unfold(
      'export',
      'digits',
      '--format',
      'kaldi',
      '--out',
      join(work, 'kaldi'),
    );
    expect(exported.stdout).toMatch(/^wrote 10 file\(s\)/);
    const wavScp = await readFile(join(work, 'kaldi', 'test', 'wav.scp'), 'utf8');
    expect(wavScp.split('\n')[0]).toBe(
      `jackson-3_2 ${join(work, 'data', 'corpora', 'digits', 'audio', 'jackson-3_2.wav')}`,
    );
  });

  it('validate names the bad lines and exits non-zero; errors print as error [CODE]', async () => {
    await unfold('import', '--format', 'conllu', `${fixtures}ud-ewt`, '--out', join(work, 'ewt'));
    const path = join(work, 'ewt', 'text', 'dev.conllu');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace('1\tFrom\tfrom\tADP', '1\tFrom\tfrom'),
    );
    const bad = await unfold('validate', join(work, 'ewt'));
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('text/dev.conllu:3: expected 10 tab-separated columns, found 9');
    const missing = await unfold(
      'import',
      '--format',
      'pattern',
      join(work, 'fsdd'),
      '--out',
      join(work, 'x'),
    );
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe(
      'error [BAD_PATTERN]: Give --pattern, e.g. "{label}_{speaker}_{take}.wav".\n',
    );
  });

  it('synth words and synth sentences build corpora that validate', async () => {
    const words = await unfold(
      'synth',
      'words',
      '--words',
      'up,down',
      '--voices',
      'kal16,en-us',
      '--rates',
      '1',
      '--pitches',
      '0',
      '--out',
      'synth-words',
      '--json',
    );
    expect(words.exitCode, words.stderr).toBe(0);
    const result = JSON.parse(words.stdout) as {
      stats: { items: number; perSpeaker: Record<string, number> };
    };
    expect(result.stats.items).toBe(4);
    expect(Object.keys(result.stats.perSpeaker).sort()).toEqual(['espeakng_en_us', 'flite_kal16']);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(work, 'prompts.txt'), 'Open the door.\n\nClose it again!\n');
    const sentences = await unfold(
      'synth',
      'sentences',
      '--text-file',
      join(work, 'prompts.txt'),
      '--voices',
      'kal16',
      '--out',
      'synth-sentences',
    );
    expect(sentences.stdout).toMatch(/^synthesised 2 aligned sentences/);
    expect((await unfold('validate', 'synth-sentences')).exitCode).toBe(0);
    expect((await unfold('validate', 'synth-words')).exitCode).toBe(0);
  });
});
