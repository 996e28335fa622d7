/**
 * The part-of-speech task end to end: a tiny tagger learns a toy grammar fully (words whose tag
 * depends on their context included), is evaluated with every figure the task reports, tags
 * new text with offsets from the command line, and bad input gets clear reports.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { EXPERIMENT_TASK_REGISTRY } from '../../src-main/domain/experiment-tasks';
import { evaluateExperiment } from '../../src-main/domain/experiments/evaluate-experiment';
import type { TaggingEvaluation } from '../../src-main/domain/text/pos/score-tagging';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toyConllu, toySentences } from '../support/toy-grammar';
import type { TaggedWord } from '../support/toy-grammar';

let dataDir: string;

function tinyTagger(
  name: string,
  corpus: string,
  tagSet: 'upos' | 'xpos' = 'upos',
): Record<string, unknown> {
  return {
    name,
    task: 'pos',
    corpus,
    tagSet,
    data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
    words: {
      embeddingSize: 16,
      chars: { embeddingSize: 8, filters: 8, width: 3 },
      caseEmbeddingSize: 4,
    },
    model: { layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }] },
    training: { epochs: 12, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
    seed: 2,
  };
}

async function conlluCorpus(
  name: string,
  splits: Record<string, number>,
  seed: number,
  xposOf?: (word: TaggedWord) => string,
): Promise<void> {
  const data = new Map<string, TextSplit>(
    Object.entries(splits).map(([split, count], k) => [
      split,
      { format: 'conllu', sentences: toyConllu(toySentences(count, seed + k), split, xposOf) },
    ]),
  );
  await createTextCorpus(join(dataDir, 'corpora', name), data, {
    name,
    format: 'conllu',
    sourcePath: 'generated',
  });
}

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-pos-'));
  await conlluCorpus('toy', { train: 240, dev: 30, test: 60 }, 11);
  await trainExperiment(tinyTagger('toy-tagger', 'toy'), {
    dataDir,
    outDir: join(dataDir, 'experiments', 'toy-tagger'),
  });
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the pos task', () => {
  it('learns the toy grammar to 100% on sentences it never saw, context-dependent words included', async () => {
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', 'toy-tagger', 'metrics.json'), 'utf8'),
    ) as { evaluations: Record<string, Record<string, number>> };
    const test = metrics.evaluations.test;
    expect(test).toMatchObject({ accuracy: 1, sentenceAccuracy: 1, sentences: 60 });
    const evaluated = await evaluateExperiment('toy-tagger', {
      dataDir,
      tasks: EXPERIMENT_TASK_REGISTRY,
      split: 'test',
    });
    const result = evaluated.result as TaggingEvaluation;
    // "can" is AUX after a pronoun and NOUN after a determiner: both right.
    const can = result.predictions.flatMap((p) =>
      p.tokens
        .map((t, i) => [t, p.reference[i], p.decoded[i]] as const)
        .filter(([t]) => t === 'can'),
    );
    expect(new Set(can.map(([, gold]) => gold))).toEqual(new Set(['AUX', 'NOUN']));
    expect(can.every(([, gold, guess]) => gold === guess)).toBe(true);
    const { labels, counts } = result.confusion;
    const offDiagonal = counts.flatMap((row, g) => row.filter((_, p) => p !== g));
    expect(offDiagonal.every((n) => n === 0)).toBe(true);
    expect(counts.reduce((n, row) => n + row.reduce((a, b) => a + b, 0), 0)).toBe(result.tokens);
    expect(labels).toEqual(
      expect.arrayContaining(['ADJ', 'ADP', 'AUX', 'DET', 'NOUN', 'PRON', 'PUNCT', 'VERB']),
    );
  });

  it('tags typed text with offsets, top-3 probabilities and unseen words marked (unfold tag --json)', async () => {
    const text = 'They can run.  The can ...';
    const out = await cli(['tag', 'toy-tagger', text, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const tagged = JSON.parse(out.stdout) as {
      tokens: {
        text: string;
        start: number;
        end: number;
        tag: string;
        top: { tag: string; probability: number }[];
        unseen: boolean;
      }[];
    };
    expect(tagged.tokens.map((t) => [t.text, t.tag])).toEqual([
      ['They', 'PRON'],
      ['can', 'AUX'],
      ['run', 'VERB'],
      ['.', 'PUNCT'],
      ['The', 'DET'],
      ['can', 'NOUN'],
      ['...', 'PUNCT'],
    ]);
    for (const token of tagged.tokens) {
      expect(text.slice(token.start, token.end)).toBe(token.text);
      expect(token.top).toHaveLength(3);
      expect(token.top[0]?.tag).toBe(token.tag);
      const [a, b, c] = token.top.map((t) => t.probability);
      expect(a).toBeGreaterThanOrEqual(b as number);
      expect(b).toBeGreaterThanOrEqual(c as number);
    }
    expect(tagged.tokens.find((t) => t.text === '...')?.unseen).toBe(true);
    expect(tagged.tokens.find((t) => t.text === 'can')?.unseen).toBe(false);
  });

  it('writes CoNLL-U with the tags in the UPOS column and the token offsets', async () => {
    const out = await cli(['tag', 'toy-tagger', 'We see the dog.', '--format', 'conllu']);
    expect(out.exitCode, out.stderr).toBe(0);
    const rows = out.stdout
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('#'));
    expect(rows.map((row) => row.split('\t').slice(1, 4))).toEqual([
      ['We', '_', 'PRON'],
      ['see', '_', 'VERB'],
      ['the', '_', 'DET'],
      ['dog', '_', 'NOUN'],
      ['.', '_', 'PUNCT'],
    ]);
    expect(rows[3]?.split('\t')[9]).toBe('TokenRange=11:14|SpaceAfter=No');
  });

  it('tags a file line by line, offsets counted from its start, no sentence over a line break', async () => {
    const file = join(dataDir, 'lines.txt');
    await writeFile(file, 'We see the dog\nThey can run.\n');
    const out = await cli(['tag', 'toy-tagger', '--file', file, '--format', 'conllu']);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout.match(/^# sent_id/gm)).toHaveLength(2);
    expect(out.stdout).toContain('# text = They can run.');
    expect(out.stdout).toMatch(/\tThey\t_\tPRON\t_\t_\t_\t_\t_\tTokenRange=15:19\n/);
    await writeFile(file, 'fine\nthe\u0007dog\n');
    const refused = await cli(['tag', 'toy-tagger', '--file', file]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`${file}: control character U+0007 at line 2, column 4`);
  });

  it('answers odd text with tokens or a clear refusal, never a crash', async () => {
    const odd = await cli([
      'tag',
      'toy-tagger',
      `😀 ${'x'.repeat(10_000)} Привет 東京 !!!`,
      '--json',
    ]);
    expect(odd.exitCode, odd.stderr).toBe(0);
    const tokens = (JSON.parse(odd.stdout) as { tokens: { text: string; tag: string }[] }).tokens;
    expect(tokens.map((t) => t.text)).toEqual(
      expect.arrayContaining(['😀', 'x'.repeat(10_000), 'Привет']),
    );
    expect(tokens.every((t) => t.tag !== '')).toBe(true);
    const empty = await cli(['tag', 'toy-tagger', '   ', '--json']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ tokens: [] });
    const control = await cli(['tag', 'toy-tagger', 'the\u0007dog', '--json']);
    expect(control.exitCode).not.toBe(0);
    expect(control.stdout + control.stderr).toMatch(/control character U\+0007/);
  });

  it('reports gold tags the model lacks instead of dropping them', async () => {
    await conlluCorpus('toy-intj', { test: 10 }, 99, (word) => word.upos);
    const file = join(dataDir, 'corpora', 'toy-intj', 'text', 'test.conllu');
    // One gold tag the model never saw: INTJ on every first word.
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace(/^1\t(\S+)\t_\t[A-Z]+\t/gm, '1\t$1\t_\tINTJ\t'));
    const out = await cli([
      'eval',
      'toy-tagger',
      '--corpus',
      'toy-intj',
      '--split',
      'test',
      '--json',
    ]);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      goldTagsOutsideModel: Record<string, number>;
      accuracy: number;
      tokens: number;
    };
    expect(result.goldTagsOutsideModel).toEqual({ INTJ: 10 });
    expect(result.accuracy).toBeLessThanOrEqual((result.tokens - 10) / result.tokens);
  });

  it('lower-cases words by the preset, and keeps them cased with --no-lowercase', async () => {
    const small = ['--units', '8', '--layers', '1', '--epochs', '1', '--test-split', 'test'];
    const wordsOf = async (out: string) =>
      (
        JSON.parse(await readFile(join(dataDir, 'experiments', out, 'config.json'), 'utf8')) as {
          words: { lowercase: boolean };
        }
      ).words;
    for (const [out, flags, lowercase] of [
      ['by-preset', [], true],
      ['cased', ['--no-lowercase'], false],
      ['lowered', ['--lowercase'], true],
    ] as const) {
      const run = await cli([
        'train',
        '--task',
        'pos',
        '--corpus',
        'toy',
        '--out',
        out,
        ...small,
        ...flags,
      ]);
      expect(run.exitCode, run.stderr).toBe(0);
      expect((await wordsOf(out)).lowercase, out).toBe(lowercase);
    }
  }, 120_000);

  it('averages the weights with --average-decay, and refuses a decay of 1', async () => {
    const small = ['--units', '8', '--layers', '1', '--epochs', '2', '--test-split', 'test'];
    const base = ['train', '--task', 'pos', '--corpus', 'toy', ...small];
    const run = await cli([...base, '--out', 'averaged', '--average-decay', '0.9']);
    expect(run.exitCode, run.stderr).toBe(0);
    const folder = join(dataDir, 'experiments', 'averaged');
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as {
      training: { averageDecay?: number };
    };
    expect(config.training.averageDecay).toBe(0.9);
    // The checkpoints carry the training weights beside the averaged model.
    const last = JSON.parse(await readFile(join(folder, 'checkpoints', 'last.json'), 'utf8')) as {
      folder: string;
    };
    const state = JSON.parse(
      await readFile(join(folder, 'checkpoints', last.folder, 'state.json'), 'utf8'),
    ) as { optimizerSlots: Array<{ name: string }> };
    const slots = state.optimizerSlots.map((s) => s.name);
    expect(slots).toContain('output/kernel/average');
    expect(slots).toContain('output/kernel/training');

    const refused = await cli([...base, '--out', 'bad-decay', '--average-decay', '1']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('--average-decay must be a number from 0 up to');
  }, 120_000);

  it('refuses to score a model on gold tags of another tag set, and a corpus without tags', async () => {
    await trainExperiment(
      {
        ...tinyTagger('toy-penn', 'toy', 'xpos'),
        training: { epochs: 1, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
      },
      { dataDir, outDir: join(dataDir, 'experiments', 'toy-penn') },
    );
    // The same sentences with UPOS names where the Penn tags should be.
    await conlluCorpus('toy-upos-as-xpos', { test: 10 }, 5, (word) => word.upos);
    const out = await cli(['eval', 'toy-penn', '--corpus', 'toy-upos-as-xpos', '--split', 'test']);
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr).toMatch(
      /None of the \d+ gold tags of toy-upos-as-xpos .* is a tag of this model .*XPOS/,
    );

    await createTextCorpus(
      join(dataDir, 'corpora', 'labelled'),
      new Map<string, TextSplit>([
        ['train', { format: 'tsv', items: [{ label: 'a', text: 'x y' }] }],
      ]),
      { name: 'labelled', format: 'tsv', sourcePath: 'generated' },
    );
    const refused = await cli(['train', '--task', 'pos', '--corpus', 'labelled', '--out', 'nope']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(
      /labelled is a tsv text corpus: part-of-speech tagging needs words with tags/,
    );
  });
});
