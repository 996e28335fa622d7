/**
 * The seq2seq task end to end on a toy corpus: pairs imported from TSV files (characters on both
 * sides), a tiny encoder-decoder that learns to reverse 2-4 letter strings, its evaluation
 * (word and phone error rates with aligned errors) from the domain and `unfold eval`, and
 * `unfold translate` with its n-best list and its refusals of bad input; and the same task learnt
 * with additive attention over a bidirectional encoder (and scheduled sampling), whose
 * translations carry their alignment matrices.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import type { Translation } from '../../src-main/domain/text/seq2seq/translator';
import { trainExperiment } from '../support/builtin-experiments';
import { runCorpusCli, runInProcessCli } from '../support/in-process-cli';
import { pairLines, reversalPairs } from '../support/toy-pairs';

let dataDir: string;
const EXPERIMENT = 'reverse';
const ATTENDING = 'reverse-attention';

function tinyReverser(): Record<string, unknown> {
  return {
    name: EXPERIMENT,
    task: 'seq2seq',
    corpus: 'reversal',
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    model: {
      layers: [{ cell: 'gru', units: 32 }],
      sourceEmbeddingSize: 8,
      targetEmbeddingSize: 8,
    },
    decoding: { beam: 3, lengthNormalization: 1 },
    scoring: 'g2p',
    training: { epochs: 30, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
    seed: 2,
  };
}

/**
 * The reverser with additive attention over a bidirectional encoder (bridged start states),
 * trained with scheduled sampling.
 */
function tinyAttendingReverser(): Record<string, unknown> {
  const plain = tinyReverser();
  return {
    ...plain,
    name: ATTENDING,
    model: {
      ...(plain.model as Record<string, unknown>),
      layers: [{ cell: 'gru', units: 16, bidirectional: 'concat' }],
      attention: 'additive',
    },
    training: {
      epochs: 20,
      batchSize: 16,
      optimizer: { kind: 'adam', learningRate: 0.02 },
      scheduledSampling: 0.25,
    },
  };
}

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-seq2seq-'));
  const source = join(dataDir, 'reversal-source');
  await mkdir(source);
  await writeFile(join(source, 'train.tsv'), pairLines(reversalPairs(320, 1)));
  await writeFile(join(source, 'dev.tsv'), pairLines(reversalPairs(30, 2)));
  await writeFile(join(source, 'test.tsv'), pairLines(reversalPairs(40, 3)));
  const imported = await runCorpusCli(dataDir, [
    'import',
    source,
    '--format',
    'pairs',
    '--out',
    'reversal',
    '--source-level',
    'characters',
    '--target-level',
    'characters',
  ]);
  expect(imported.exitCode, imported.stderr).toBe(0);
  await trainExperiment(tinyReverser(), {
    dataDir,
    outDir: join(dataDir, 'experiments', EXPERIMENT),
  });
  await trainExperiment(tinyAttendingReverser(), {
    dataDir,
    outDir: join(dataDir, 'experiments', ATTENDING),
  });
}, 360_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the seq2seq task', () => {
  it('learns to reverse short strings (final-state encoder-decoder, no attention)', async () => {
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', EXPERIMENT, 'metrics.json'), 'utf8'),
    ) as { evaluations: Record<string, Record<string, number>> };
    const summary = metrics.evaluations.test;
    expect(summary?.items).toBeGreaterThan(0);
    // An untrained decoder gets almost every string wrong; the trained one few.
    expect(summary?.wordErrorRate).toBeLessThan(0.2);
    expect(summary?.phoneErrorRate).toBeLessThan(0.1);
  });

  it('learns to reverse short strings with attention over a bidirectional encoder and scheduled sampling', async () => {
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', ATTENDING, 'metrics.json'), 'utf8'),
    ) as { evaluations: Record<string, Record<string, number>> };
    const summary = metrics.evaluations.test;
    expect(summary?.items).toBeGreaterThan(0);
    expect(summary?.wordErrorRate).toBeLessThan(0.2);
    expect(summary?.phoneErrorRate).toBeLessThan(0.1);
  });

  it('translates with attention: each output has its alignment, rows summing to 1 over the source', async () => {
    const out = await cli(['translate', ATTENDING, 'abcd', '--beam', '3', '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as Translation;
    expect(result.nBest[0]?.text).toBe('dcba');
    for (const output of result.nBest) {
      const rows = output.alignment ?? [];
      // One row per output symbol, and one for the end symbol when it ended.
      expect(rows.length).toBe(output.symbols.length + (output.finished ? 1 : 0));
      for (const row of rows) {
        expect(row.length).toBe(4);
        expect(row.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 5);
      }
    }
    const text = await cli(['translate', ATTENDING, 'cab', '--beam', '1']);
    expect(text.exitCode, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/\tbac$/);
    expect(lines[1]).toBe('attention (percent; source across, output down):');
    expect(lines[2]).toBe('       c   a   b');
    expect(lines.slice(3).map((line) => line.split(/ +/)[0])).toEqual(['b', 'a', 'c', '</s>']);
    for (const line of lines.slice(3)) {
      const percents = line.trim().split(/ +/).slice(1).map(Number);
      expect(percents).toHaveLength(3);
      expect(Math.abs(percents.reduce((a, p) => a + p, 0) - 100)).toBeLessThanOrEqual(2);
    }
    const plain = await cli(['translate', EXPERIMENT, 'abcd', '--json']);
    const withoutAttention = JSON.parse(plain.stdout) as Translation;
    expect(withoutAttention.nBest[0]?.alignment).toBeUndefined();
  });

  it('prints the error rates and the aligned errors of the worst items (unfold eval --json)', async () => {
    const out = await cli(['eval', EXPERIMENT, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      scoring: string;
      wordErrorRate: number;
      phoneErrorRate: number;
      rates: { referencePhones: number };
      worst: { alignment: { op: string }[]; errors: number }[];
    };
    expect(result.scoring).toBe('g2p');
    expect(result.rates.referencePhones).toBeGreaterThan(0);
    for (const item of result.worst) {
      const edits = item.alignment.filter((step) => step.op !== 'match').length;
      expect(edits).toBe(item.errors);
    }
  });

  it('translates a string with its n-best list, best first (unfold translate --json)', async () => {
    const out = await cli(['translate', EXPERIMENT, 'abcd', '--beam', '3', '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as Translation;
    expect(result.sourceSymbols).toEqual(['a', 'b', 'c', 'd']);
    expect(result.nBest.length).toBeGreaterThan(1);
    expect(result.nBest.length).toBeLessThanOrEqual(3);
    // The reversal is in the list (which place it gets is the tiny model's quality: a 4-letter
    // string is its hardest, and the WER test above bounds its errors); the list is best first.
    expect(result.nBest.map((o) => o.text)).toContain('dcba');
    const scores = result.nBest.map((o) => o.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(result.unknownSymbols).toEqual([]);
    const text = await cli(['translate', EXPERIMENT, 'cab', '--beam', '1']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^1\. -?\d+\.\d{3} \(log P -?\d+\.\d{3}\)\tbac\n$/);
  });

  it('refuses beam 0 and an empty text; names symbols training never saw', async () => {
    const zero = await cli(['translate', EXPERIMENT, 'abc', '--beam', '0']);
    expect(zero.exitCode).not.toBe(0);
    expect(zero.stderr).toMatch(/beam must be a whole number from 1/);
    const empty = await cli(['translate', EXPERIMENT, '  ']);
    expect(empty.exitCode).not.toBe(0);
    expect(empty.stderr).toMatch(/empty/);
    const unknown = await cli(['translate', EXPERIMENT, 'abz']);
    expect(unknown.exitCode, unknown.stderr).toBe(0);
    expect(unknown.stdout).toMatch(/training never saw "z": read as the unknown symbol/);
  });

  it('keeps the imported pairs as a valid corpus that says how its sides are cut', async () => {
    const validated = await runCorpusCli(dataDir, ['validate', 'reversal', '--json']);
    expect(validated.exitCode, validated.stdout).toBe(0);
    const manifest = JSON.parse(
      await readFile(join(dataDir, 'corpora', 'reversal', 'corpus.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      textFormat: 'pairs',
      tasks: ['sequence-to-sequence'],
      splits: ['dev', 'test', 'train'],
      pairLevels: { source: 'characters', target: 'characters' },
    });
    const stored = await readFile(
      join(dataDir, 'corpora', 'reversal', 'text', 'test.pairs.tsv'),
      'utf8',
    );
    expect(stored).toBe(pairLines(reversalPairs(40, 3)));
  });

  it('refuses a pairs file with a line without a tab, naming the file and the line', async () => {
    const source = join(dataDir, 'broken.tsv');
    await writeFile(source, 'ab\tba\nabc cba\n');
    const out = await runCorpusCli(dataDir, ['import', source, '--format', 'pairs', '--out', 'x']);
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr).toContain(`${source}:2: expected source<TAB>target (no tab on this line)`);
  });
});
