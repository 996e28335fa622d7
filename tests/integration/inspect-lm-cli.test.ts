/**
 * `unfold inspect` on tiny trained language models (a word LM, a character LM and a
 * bidirectional word LM, each a few epochs on a toy text): the text is read as the LM reads it
 * (the end of sentence first, `<unk>` for an unknown word), the reference of each step is the
 * text's next unit and scores the loss by default, every array is finite and runs over the
 * text's steps; a biLM writes both directions' layers on the same steps and its backward LM's
 * outputs beside the forward one's.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInspectCommand } from '../../src-main/cli/commands/inspect-command';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { toySentences } from '../support/toy-grammar';
import { npyFiles } from '../support/npy-files';

let dataDir = '';
const UNITS = 8;

const inspect = (args: string[]) =>
  runInProcessCli(registerInspectCommand, ['inspect', ...args, '--data', dataDir]);

function tinyLm(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    task: 'lm',
    corpus: 'toy-text',
    data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
    words: { minCount: 1, embeddingSize: UNITS },
    model: { layers: [{ cell: 'lstm', units: UNITS }] },
    training: {
      epochs: 2,
      batchSize: 4,
      optimizer: { kind: 'adam', learningRate: 0.03 },
      bptt: { kind: 'truncated', window: 10 },
      clipNorm: 5,
    },
    baseline: null,
    seed: 3,
    ...extra,
  };
}

let sentence = '';
const words = (): string[] => sentence.split(' ');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-inspect-lm-'));
  const lines = (count: number, seed: number): string[] =>
    toySentences(count, seed).map((s) => s.map((w) => w.form).join(' '));
  const train = lines(60, 7);
  sentence = train[0] as string;
  await createTextCorpus(
    join(dataDir, 'corpora', 'toy-text'),
    new Map<string, TextSplit>([
      ['train', { format: 'plain', lines: train }],
      ['test', { format: 'plain', lines: lines(5, 8) }],
    ]),
    { name: 'toy-text', format: 'plain', sourcePath: 'generated' },
  );
  const train1 = (config: Record<string, unknown>) =>
    trainExperiment(config, {
      dataDir,
      outDir: join(dataDir, 'experiments', config.name as string),
    });
  await train1(tinyLm('word-lm', {}));
  await train1(tinyLm('char-lm', { level: 'char' }));
  await train1(
    tinyLm('bilm', {
      words: { minCount: 1, embeddingSize: 5, chars: { embeddingSize: 4, filters: 3, width: 2 } },
      model: { direction: 'bidirectional', layers: [{ cell: 'lstm', units: UNITS }] },
    }),
  );
}, 180_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('unfold inspect on a language model', () => {
  it('reads a word LM’s text with the end of sentence first and scores the next words', async () => {
    const out = join(dataDir, 'out-word');
    const text = `${sentence} zyzzyva`;
    const result = await inspect(['word-lm', text, '--out', out, '--steps', '30']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'inside.json'), 'utf8'));
    const units = [...words(), '<unk>'];
    expect(summary.axis).toEqual({ kind: 'tokens', tokens: ['</s>', ...units] });
    expect(summary.reference).toEqual([...units, '</s>']);
    expect(summary.lossTarget).toBe('reference');
    expect(summary.predicted).toHaveLength(units.length + 1);
    expect(result.stdout).toContain(`${units.length + 1} steps, 1 layer directions`);
    const arrays = await npyFiles(out);
    for (const series of ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'])
      expect(arrays.get(`encoder-layer0-fw-${series}.npy`), series).toMatchObject({
        frames: units.length + 1,
        dims: UNITS,
      });
    expect(arrays.get('outputs.npy')?.frames).toBe(units.length + 1);
    for (const [file, array] of arrays)
      expect(array.data.every(Number.isFinite), `${file} is finite`).toBe(true);
    const files = await readdir(out);
    expect(files).toContain('outputs.png');
    expect(files.some((f) => f.endsWith('-gradnorm.png'))).toBe(true);
    expect(files.some((f) => f.endsWith('-dynamics.png'))).toBe(true);
  });

  it('reads a character LM’s text one character at a time', async () => {
    const out = join(dataDir, 'out-char');
    const result = await inspect(['char-lm', 'a b', '--what', 'gradnorm,outputs', '--out', out]);
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'inside.json'), 'utf8'));
    expect(summary.axis.tokens).toEqual(['</s>', 'a', ' ', 'b']);
    expect(summary.reference).toEqual(['a', ' ', 'b', '</s>']);
    const arrays = await npyFiles(out);
    const norms = [...arrays.entries()].find(([name]) => name.endsWith('-gradnorm.npy'))?.[1];
    expect(norms).toMatchObject({ frames: 4, dims: 1 });
    // The loss of the last step (the end of sentence) reaches back to the first.
    expect(Array.from(norms?.data ?? []).every((n) => n > 0)).toBe(true);
  });

  it('writes a bidirectional LM’s two directions on one axis, and its backward LM’s outputs', async () => {
    const out = join(dataDir, 'out-bilm');
    const result = await inspect([
      'bilm',
      sentence,
      '--what',
      'states,gradnorm,outputs',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'inside.json'), 'utf8'));
    const steps = words().length + 2;
    expect(summary.axis.tokens).toEqual(['</s>', ...words(), '</s>']);
    expect(summary.layers.map((l: { key: string; steps: number }) => [l.key, l.steps])).toEqual([
      ['encoder/layer0/fw', steps],
      ['encoder/layer0/bw', steps],
    ]);
    // The forward LM's next unit, the backward LM's previous one; none past the ends ('').
    expect(summary.reference).toEqual([...words(), '</s>', '']);
    expect(summary.backward.reference).toEqual(['', '</s>', ...words()]);
    expect(summary.backward.predicted).toHaveLength(steps);
    const arrays = await npyFiles(out);
    expect(arrays.get('outputs.npy')?.frames).toBe(steps);
    expect(arrays.get('backward-outputs.npy')?.frames).toBe(steps);
    const norms = (key: string): number[] =>
      Array.from(
        [...arrays.entries()].find(([name]) => name.endsWith(`${key}-gradnorm.npy`))?.[1].data ??
          [],
      );
    // Nothing is scored past the ends: the forward LM's last step, the backward LM's first.
    expect(norms('layer0-fw').at(-1)).toBe(0);
    expect(norms('layer0-bw')[0]).toBe(0);
    expect(
      norms('layer0-fw')
        .slice(0, -1)
        .every((n) => n > 0),
    ).toBe(true);
    expect(
      norms('layer0-bw')
        .slice(1)
        .every((n) => n > 0),
    ).toBe(true);
  });
});
