/**
 * `unfold inspect` on tiny trained models: a sentence classifier (text) and a phone transducer
 * (speech, flite voices, by corpus utterance and by WAV): every .npy it writes holds finite
 * numbers of the right shape, every PNG decodes to the size drawn, and inside.json says what
 * was written and how each layer behaves without input (its free run's path, norms and states).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInspectCommand } from '../../src-main/cli/commands/inspect-command';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { readCorpus } from '../../src-main/domain/corpus';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { synthesiseTinySentences } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { toySentimentItems } from '../support/toy-sentiment';
import { npyFiles } from '../support/npy-files';

let dataDir = '';
const canSynthesise = await hasProgram('flite');

const inspect = (args: string[]) =>
  runInProcessCli(registerInspectCommand, ['inspect', ...args, '--data', dataDir]);

/** Width and height of a PNG, and its pixels decoded (8-bit RGBA, filter 0 rows). */
function readPng(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(Array.from(bytes.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const idatLength = view.getUint32(33);
  expect(String.fromCharCode(...bytes.subarray(37, 41))).toBe('IDAT');
  const rows = inflateSync(bytes.subarray(41, 41 + idatLength));
  expect(rows.length).toBe(height * (1 + width * 4));
  return { width, height, pixels: rows };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-inspect-'));
  const splits = new Map<string, TextSplit>([
    ['train', { format: 'tsv', items: toySentimentItems(60, 21) }],
    ['test', { format: 'tsv', items: toySentimentItems(10, 23) }],
  ]);
  await createTextCorpus(join(dataDir, 'corpora', 'reviews'), splits, {
    name: 'reviews',
    format: 'tsv',
    sourcePath: 'generated',
  });
  await trainExperiment(
    {
      name: 'tiny-sentiment',
      task: 'sentiment',
      corpus: 'reviews',
      data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
      words: { embeddingSize: 8, wordDropout: 0 },
      model: { layers: [{ cell: 'lstm', units: 6, bidirectional: 'concat' }], pooling: 'max' },
      training: { epochs: 2, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
      seed: 3,
    },
    { dataDir, outDir: join(dataDir, 'experiments', 'tiny-sentiment') },
  );
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('unfold inspect', () => {
  it('writes finite gates, states, gradient norms and dynamics of a text model, with PNGs', async () => {
    const out = join(dataDir, 'out-text');
    const result = await inspect(['tiny-sentiment', 'the film was good', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/4 steps, 2 layer directions/);
    expect(result.stdout).toMatch(
      /encoder\/layer0\/fw forget gate f: [\d.]+% below 0.05, [\d.]+% above 0.95/,
    );
    expect(result.stdout).toMatch(/encoder\/layer0\/bw without input: (settles|falls|wanders)/);
    const arrays = await npyFiles(out);
    for (const direction of ['fw', 'bw']) {
      const stem = `encoder-layer0-${direction}`;
      for (const series of ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'])
        expect(arrays.get(`${stem}-${series}.npy`), series).toMatchObject({ frames: 4, dims: 6 });
      expect(arrays.get(`${stem}-gradnorm.npy`)).toMatchObject({ frames: 4, dims: 1 });
      expect(arrays.get(`${stem}-dynamics-pca.npy`)).toMatchObject({ frames: 301, dims: 2 });
      // The free run's states: the LSTM's 6 outputs h, then its 6 cells c; their norms are norms.npy.
      const states = arrays.get(`${stem}-dynamics-states.npy`);
      expect(states).toMatchObject({ frames: 301, dims: 12 });
      const norms = arrays.get(`${stem}-dynamics-norms.npy`)?.data ?? new Float32Array();
      for (const k of [0, 1, 150, 300])
        expect(Math.hypot(...(states?.data.subarray(12 * k, 12 * (k + 1)) ?? [NaN]))).toBeCloseTo(
          norms[k] ?? NaN,
          5,
        );
    }
    for (const [name, array] of arrays)
      expect(array.data.every(Number.isFinite), `${name} is finite`).toBe(true);
    const gates = arrays.get('encoder-layer0-fw-forget.npy')?.data ?? new Float32Array();
    expect(gates.every((g) => g > 0 && g < 1)).toBe(true);
    const pngs = (await readdir(out)).filter((n) => n.endsWith('.png'));
    expect(pngs).toHaveLength(2 * (6 + 1 + 1));
    const heatmap = readPng(await readFile(join(out, 'encoder-layer0-fw-forget.png')));
    expect({ width: heatmap.width, height: heatmap.height }).toEqual({ width: 200, height: 60 });
    const dynamicsPng = readPng(await readFile(join(out, 'encoder-layer0-fw-dynamics.png')));
    expect(dynamicsPng.width).toBe(400);
    const summary = JSON.parse(await readFile(join(out, 'inside.json'), 'utf8'));
    expect(summary).toMatchObject({
      experiment: 'tiny-sentiment',
      steps: 4,
      axis: { kind: 'tokens', tokens: ['the', 'film', 'was', 'good'] },
      outputStep: null,
    });
    expect(summary.predicted).toHaveLength(1);
    expect(summary.dynamics.map((d: { stateSizes: unknown }) => d.stateSizes)).toEqual([
      { output: 6, cell: 6 },
      { output: 6, cell: 6 },
    ]);
    // The classifier's one answer: a distribution over its two labels, named in inside.json.
    const outputs = arrays.get('outputs.npy');
    expect(outputs).toMatchObject({ frames: 1, dims: 2 });
    expect((outputs?.data[0] ?? 0) + (outputs?.data[1] ?? 0)).toBeCloseTo(1, 5);
    expect(summary.outputs).toMatchObject({ activation: 'softmax', steps: 1, totalClasses: 2 });
    expect(summary.files).toEqual(expect.arrayContaining([...arrays.keys(), ...pngs]));
  });

  it('writes only the panels asked for and refuses what does not fit', async () => {
    const out = join(dataDir, 'out-gradnorm');
    const result = await inspect([
      'tiny-sentiment',
      'a bad plot',
      '--what',
      'gradnorm',
      '--out',
      out,
    ]);
    expect(result.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'encoder-layer0-bw-gradnorm.npy',
      'encoder-layer0-bw-gradnorm.png',
      'encoder-layer0-fw-gradnorm.npy',
      'encoder-layer0-fw-gradnorm.png',
      'inside.json',
    ]);
    const stepped = await inspect([
      'tiny-sentiment',
      'a bad plot',
      '--output-step',
      '1',
      '--out',
      out,
    ]);
    expect(stepped.exitCode).not.toBe(0);
    expect(stepped.stderr).toMatch(/one answer per sequence/);
    const dynamicsOut = join(dataDir, 'out-dynamics');
    const dynamics = await inspect([
      'tiny-sentiment',
      'a bad plot',
      '--what',
      'dynamics',
      '--layer',
      'encoder/layer0/bw',
      '--out',
      dynamicsOut,
    ]);
    expect(dynamics.exitCode).toBe(0);
    expect((await readdir(dynamicsOut)).sort()).toEqual([
      'encoder-layer0-bw-dynamics-norms.npy',
      'encoder-layer0-bw-dynamics-pca.npy',
      'encoder-layer0-bw-dynamics-states.npy',
      'encoder-layer0-bw-dynamics.png',
      'inside.json',
    ]);
    const wrong = await inspect(['tiny-sentiment', 'x', '--what', 'weights', '--out', out]);
    expect(wrong.stderr).toMatch(/--what takes gates, states, gradnorm, dynamics/);
  });

  describe.skipIf(!canSynthesise)('a speech model (flite voices)', () => {
    beforeAll(async () => {
      await synthesiseTinySentences(dataDir);
      await trainExperiment(
        tinyPhonesConfig('tiny-phones', 'sentences', {
          model: { layers: [{ cell: 'gru', units: 8 }] },
          training: { epochs: 1 },
        }),
        { dataDir },
      );
    }, 120_000);

    it('inspects a corpus utterance and a WAV file the same way', async () => {
      const corpus = await readCorpus(join(dataDir, 'corpora', 'sentences'));
      if (corpus.data.kind !== 'speech') throw new Error('not a speech corpus');
      const utterance = corpus.data.utterances[0];
      const recording = corpus.data.recordings.find((r) => r.id === utterance?.recordingId);
      const byUtterance = join(dataDir, 'out-utt');
      const byWav = join(dataDir, 'out-wav');
      const a = await inspect([
        'tiny-phones',
        utterance?.id ?? '',
        '--utterance',
        '--output-step',
        '20',
        // The WAV has no reference: both score the model's answer.
        '--loss-target',
        'answer',
        '--out',
        byUtterance,
      ]);
      expect(a.stderr).toBe('');
      const b = await inspect([
        'tiny-phones',
        join(corpus.dir, recording?.path ?? ''),
        '--output-step',
        '20',
        '--out',
        byWav,
      ]);
      expect(b.stderr).toBe('');
      const fromUtterance = await npyFiles(byUtterance);
      const fromWav = await npyFiles(byWav);
      const features = fromUtterance.get('input-features.npy');
      expect(features?.frames).toBeGreaterThan(20);
      for (const name of [
        'encoder-layer0-fw-update.npy',
        'encoder-layer0-fw-gradnorm.npy',
        'input-features.npy',
      ])
        expect(Array.from(fromWav.get(name)?.data ?? [])).toEqual(
          Array.from(fromUtterance.get(name)?.data ?? []),
        );
      const norms = fromUtterance.get('encoder-layer0-fw-gradnorm.npy')?.data ?? new Float32Array();
      // The loss is at step 20: later steps get no gradient, earlier ones do.
      expect(Array.from(norms.subarray(21)).every((n) => n === 0)).toBe(true);
      expect(Array.from(norms.subarray(0, 21)).every((n) => n > 0)).toBe(true);
      const summary = JSON.parse(await readFile(join(byUtterance, 'inside.json'), 'utf8'));
      expect(summary.axis).toEqual({ kind: 'frames', frameShiftSeconds: 0.01 });
      expect(summary.predicted).toHaveLength(features?.frames ?? -1);
      // The utterance's reference phone of every frame; the WAV has none.
      expect(summary.reference).toHaveLength(features?.frames ?? -1);
      expect(summary.lossTarget).toBe('answer');
      const wavSummary = JSON.parse(await readFile(join(byWav, 'inside.json'), 'utf8'));
      expect(wavSummary).toMatchObject({ reference: null, lossTarget: 'answer' });
      // The GRU's free run: its 8 units per state (a GRU has no cell state).
      expect(fromUtterance.get('encoder-layer0-fw-dynamics-states.npy')).toMatchObject({
        frames: 301,
        dims: 8,
      });
      // The phone posteriors per frame, and their heatmap.
      expect(fromUtterance.get('outputs.npy')?.frames).toBe(features?.frames);
      expect(summary.outputs.labels).toHaveLength(fromUtterance.get('outputs.npy')?.dims ?? -1);
      expect(readPng(await readFile(join(byUtterance, 'outputs.png'))).width).toBeGreaterThan(0);
    });

    it("scores an utterance's reference by default, its answer when asked", async () => {
      const corpus = await readCorpus(join(dataDir, 'corpora', 'sentences'));
      if (corpus.data.kind !== 'speech') throw new Error('not a speech corpus');
      const id = corpus.data.utterances[0]?.id ?? '';
      const run = async (out: string, extra: string[]) => {
        const result = await inspect([
          'tiny-phones',
          id,
          '--utterance',
          '--what',
          'gradnorm',
          ...extra,
          '--out',
          out,
        ]);
        expect(result.stderr).toBe('');
        return {
          summary: JSON.parse(await readFile(join(out, 'inside.json'), 'utf8')),
          norms: (await npyFiles(out)).get('encoder-layer0-fw-gradnorm.npy')?.data,
        };
      };
      const reference = await run(join(dataDir, 'out-reference'), []);
      const answer = await run(join(dataDir, 'out-answer'), ['--loss-target', 'answer']);
      expect(reference.summary.lossTarget).toBe('reference');
      expect(answer.summary.lossTarget).toBe('answer');
      expect(answer.summary.reference).toEqual(reference.summary.reference);
      expect(reference.summary.reference).toContain('pau');
      // The one-epoch model does not answer every frame right: another target, another gradient.
      expect(reference.summary.predicted).not.toEqual(reference.summary.reference);
      expect(Array.from(reference.norms ?? [])).not.toEqual(Array.from(answer.norms ?? []));
      const wrong = await inspect([
        'tiny-phones',
        id,
        '--utterance',
        '--loss-target',
        'gold',
        '--out',
        join(dataDir, 'out-wrong'),
      ]);
      expect(wrong.stderr).toMatch(/--loss-target must be answer or reference \(got gold\)/);
    });
  });
});
