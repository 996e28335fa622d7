/**
 * ELMo-style contextual embeddings end to end on toy corpora: `unfold train --task lm` trains a
 * bidirectional LM (perplexity per direction), `unfold embed --json` gives each token its
 * layers, and a tagger trained with the biLM switched on records which biLM it read, tags
 * through it, and refuses clearly once that biLM is gone.
 */
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { loadModel } from '../../src-main/domain/rnn/model-io';
import { SCALAR_MIX_WEIGHTS } from '../../src-main/domain/rnn/model-params';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toyConllu, toySentences } from '../support/toy-grammar';
import { toySentimentItems } from '../support/toy-sentiment';

let dataDir: string;

const cli = (args: string[]) =>
  runInProcessCli(registerSpeechCommands, [...args, '--data', dataDir]);

async function corpus(name: string, format: 'plain' | 'conllu', seed: number): Promise<void> {
  const sizes: Record<string, number> = { train: 160, dev: 20, test: 20 };
  const data = new Map<string, TextSplit>(
    Object.entries(sizes).map(([split, count], k): [string, TextSplit] => {
      const sentences = toySentences(count, seed + k);
      return [
        split,
        format === 'plain'
          ? { format, lines: sentences.map((words) => words.map((w) => w.form).join(' ')) }
          : { format, sentences: toyConllu(sentences, split) },
      ];
    }),
  );
  await createTextCorpus(join(dataDir, 'corpora', name), data, {
    name,
    format,
    sourcePath: 'generated',
  });
}

/** Token representation 12 + 8 = 20 wide, so are the two LSTM layers. */
const BILM_CONFIG = {
  name: 'bilm',
  task: 'lm',
  corpus: 'toy-text',
  data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
  words: { minCount: 1, embeddingSize: 12, chars: { embeddingSize: 8, filters: 8, width: 3 } },
  model: {
    direction: 'bidirectional',
    layers: [
      { cell: 'lstm', units: 20 },
      { cell: 'lstm', units: 20 },
    ],
    residual: true,
  },
  training: {
    epochs: 3,
    batchSize: 4,
    optimizer: { kind: 'adam', learningRate: 0.02 },
    bptt: { kind: 'truncated', window: 10 },
    clipNorm: 5,
  },
  baseline: { order: 3 },
  seed: 4,
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-elmo-'));
  await corpus('toy-text', 'plain', 41);
  await corpus('toy-tagged', 'conllu', 51);
  await createTextCorpus(
    join(dataDir, 'corpora', 'toy-sentiment'),
    new Map<string, TextSplit>([
      ['train', { format: 'tsv', items: toySentimentItems(160, 61) }],
      ['dev', { format: 'tsv', items: toySentimentItems(20, 62) }],
      ['test', { format: 'tsv', items: toySentimentItems(30, 63) }],
    ]),
    { name: 'toy-sentiment', format: 'tsv', sourcePath: 'generated' },
  );
  await writeFile(join(dataDir, 'bilm.json'), JSON.stringify(BILM_CONFIG));
}, 60_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('a bidirectional LM and its contextual embeddings', () => {
  it('trains with unfold train --task lm and reports perplexity per direction', async () => {
    const out = await cli([
      'train',
      '--task',
      'lm',
      '--corpus',
      'toy-text',
      '--out',
      'bilm',
      '--config',
      join(dataDir, 'bilm.json'),
    ]);
    expect(out.exitCode, out.stderr).toBe(0);
    const metrics = JSON.parse(
      await readFile(join(dataDir, 'experiments', 'bilm', 'metrics.json'), 'utf8'),
    ) as { evaluations: Record<string, Record<string, number>> };
    const test = metrics.evaluations.test!;
    // Both directions learnt something: far below the unigram model on unseen toy sentences.
    expect(test.perplexity).toBeLessThan(test.unigramPerplexity!);
    expect(test.backwardPerplexity).toBeLessThan(test.unigramPerplexity!);
    expect(test.backwardPerplexity).not.toBe(test.perplexity);
    expect(out.stdout).toMatch(/backward perplexity/);
  }, 120_000);

  it('gives each token its layers with unfold embed --json, and one vector with --layer mix', async () => {
    const text = 'They can run . The can is red .';
    const out = await cli(['embed', 'bilm', text, '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const embedded = JSON.parse(out.stdout) as {
      layers: number[];
      size: number;
      tokens: { text: string; start: number; end: number; vectors: number[][] }[];
    };
    expect(embedded.layers).toEqual([0, 1, 2]);
    expect(embedded.size).toBe(40);
    expect(embedded.tokens.map((t) => t.text)).toEqual(text.split(' '));
    for (const token of embedded.tokens) {
      expect(text.slice(token.start, token.end)).toBe(token.text);
      expect(token.vectors).toHaveLength(3);
      for (const vector of token.vectors) expect(vector).toHaveLength(40);
    }
    // Layer 0 is context-free: both "can"s share it; the LSTM layers tell them apart.
    const [first, second] = embedded.tokens.filter((t) => t.text === 'can');
    expect(first!.vectors[0]).toEqual(second!.vectors[0]);
    expect(first!.vectors[1]).not.toEqual(second!.vectors[1]);

    const mixed = await cli(['embed', 'bilm', 'They can run .', '--json', '--layer', 'mix']);
    expect(mixed.exitCode, mixed.stderr).toBe(0);
    const mix = JSON.parse(mixed.stdout) as {
      layers: unknown[];
      tokens: { vectors: number[][] }[];
    };
    expect(mix.layers).toEqual(['mix']);
    expect(mix.tokens[1]!.vectors).toHaveLength(1);
    const average = first!.vectors[0]!.map(
      (_, d) => first!.vectors.reduce((sum, v) => sum + v[d]!, 0) / 3,
    );
    mix.tokens[1]!.vectors[0]!.forEach((v, d) => expect(v).toBeCloseTo(average[d]!, 5));

    const bad = await cli(['embed', 'bilm', 'They run .', '--layer', '3']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/--layer takes all, mix or a layer number from 0 to 2/);
    const generate = await cli(['generate', 'bilm', '--tokens', '3']);
    expect(generate.exitCode).toBe(1);
    expect(generate.stderr).toMatch(/bidirectional language model/);
  }, 60_000);

  it('writes every layer and the mix as a float32 .npy with the tokens beside it (--out)', async () => {
    const text = 'They can run . The can is red .';
    const npy = join(dataDir, 'can.npy');
    const out = await cli(['embed', 'bilm', text, '--out', npy]);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toContain('[9 x 4 x 40]');
    const bytes = await readFile(npy);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    const headerLength = bytes.readUInt16LE(8);
    const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (9, 4, 40)");
    expect((10 + headerLength) % 64).toBe(0);
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLength));
    expect(values).toHaveLength(9 * 4 * 40);
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    // The fourth vector of a token is the average of its three layers.
    const at = (token: number, layer: number, d: number): number =>
      values[(token * 4 + layer) * 40 + d]!;
    for (const d of [0, 17, 39])
      expect(at(1, 3, d)).toBeCloseTo((at(1, 0, d) + at(1, 1, d) + at(1, 2, d)) / 3, 5);
    const sidecar = JSON.parse(await readFile(join(dataDir, 'can.tokens.json'), 'utf8')) as {
      shape: number[];
      layers: unknown[];
      tokens: { text: string; start: number; end: number }[];
    };
    expect(sidecar.shape).toEqual([9, 4, 40]);
    expect(sidecar.layers).toEqual([0, 1, 2, 'mix']);
    expect(sidecar.tokens.map((t) => text.slice(t.start, t.end))).toEqual(text.split(' '));
  }, 60_000);

  it('feeds a tagger through a learnt scalar mix, recorded and refused when the biLM is gone', async () => {
    const trained = await trainExperiment(
      {
        name: 'elmo-tagger',
        task: 'pos',
        corpus: 'toy-tagged',
        data: {
          train: { splits: ['train'] },
          dev: { splits: ['dev'] },
          test: { splits: ['test'] },
        },
        words: { embeddingSize: 12, chars: null, caseFeatures: false },
        model: {
          layers: [{ cell: 'lstm', units: 12, bidirectional: 'concat' }],
          contextualEmbeddings: { experiment: 'bilm' },
        },
        training: { epochs: 6, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.03 } },
        seed: 2,
      },
      { dataDir, outDir: join(dataDir, 'experiments', 'elmo-tagger') },
    );
    expect((trained.evaluation as { accuracy: number }).accuracy).toBeGreaterThan(0.8);
    const record = JSON.parse(
      await readFile(
        join(dataDir, 'experiments', 'elmo-tagger', 'model', 'contextual-embeddings.json'),
        'utf8',
      ),
    ) as { experiment: string; layers: number; size: number };
    expect(record).toMatchObject({ experiment: 'bilm', layers: 3, size: 40 });
    // The mix weights started equal (zeros) and trained with the tagger; the biLM did not.
    const model = await loadModel(
      join(dataDir, 'experiments', 'elmo-tagger', 'model', 'model.json'),
    );
    const weights = Array.from(model.param(SCALAR_MIX_WEIGHTS).dataSync());
    model.dispose();
    expect(weights).toHaveLength(3);
    expect(Math.max(...weights.map(Math.abs))).toBeGreaterThan(1e-4);

    const tagged = await cli(['tag', 'elmo-tagger', 'They can run .', '--json']);
    expect(tagged.exitCode, tagged.stderr).toBe(0);
    const tokens = (JSON.parse(tagged.stdout) as { tokens: { text: string; tag: string }[] })
      .tokens;
    expect(tokens.map((t) => t.text)).toEqual(['They', 'can', 'run', '.']);
    expect(tokens.every((t) => t.tag !== '')).toBe(true);

    await rename(join(dataDir, 'experiments', 'bilm'), join(dataDir, 'experiments', 'bilm-moved'));
    try {
      const refused = await cli(['tag', 'elmo-tagger', 'They can run .']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/CONTEXTUAL_EMBEDDINGS_MISSING/);
      expect(refused.stderr).toMatch(/"bilm"/);
    } finally {
      await rename(
        join(dataDir, 'experiments', 'bilm-moved'),
        join(dataDir, 'experiments', 'bilm'),
      );
    }
  }, 120_000);

  it('feeds a sentiment classifier too, attributions included (unfold classify --json)', async () => {
    await trainExperiment(
      {
        name: 'elmo-classifier',
        task: 'sentiment',
        corpus: 'toy-sentiment',
        data: {
          train: { splits: ['train'] },
          dev: { splits: ['dev'] },
          test: { splits: ['test'] },
        },
        words: { embeddingSize: 8 },
        model: {
          layers: [{ cell: 'lstm', units: 8, bidirectional: 'concat' }],
          pooling: 'max',
          contextualEmbeddings: { experiment: 'bilm' },
        },
        training: { epochs: 2, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
        seed: 3,
      },
      { dataDir, outDir: join(dataDir, 'experiments', 'elmo-classifier') },
    );
    const out = await cli(['classify', 'elmo-classifier', 'the film was good', '--json']);
    expect(out.exitCode, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as {
      probabilities: { probability: number }[];
      tokens: { text: string; attribution: number }[];
    };
    expect(result.probabilities.reduce((n, p) => n + p.probability, 0)).toBeCloseTo(1, 5);
    expect(result.tokens.map((t) => t.text)).toEqual(['the', 'film', 'was', 'good']);
    expect(result.tokens.every((t) => Number.isFinite(t.attribution))).toBe(true);
  }, 120_000);
});
