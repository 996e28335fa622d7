/**
 * `unfold inspect` on tiny trained encoder-decoders (toy reversal pairs, characters on both
 * sides), with and without attention: the encoder's arrays run over the source's letters and
 * are named `encoder-...`, the decoder's over its greedy answer's steps and named `decoder-...`;
 * with attention, `attention-target-by-source.npy` holds one row per answer step summing to 1;
 * inside.json names both sequences and which one each layer runs over.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInspectCommand } from '../../src-main/cli/commands/inspect-command';
import { trainExperiment } from '../support/builtin-experiments';
import { runInProcessCli } from '../support/in-process-cli';
import { createReversalCorpus, reversalPairs, reverserConfig } from '../support/toy-pairs';
import { npyFiles } from '../support/npy-files';

let dataDir = '';
const SOURCE = 'abcd';
const UNITS = 6;

const inspect = (args: string[]) =>
  runInProcessCli(registerInspectCommand, ['inspect', ...args, '--data', dataDir]);

async function trainReverser(name: string, attention: 'none' | 'additive'): Promise<void> {
  await trainExperiment(
    reverserConfig(name, 'reversal', {
      cell: 'lstm',
      units: UNITS,
      attention,
      beam: 1,
      epochs: 2,
      dev: false,
    }),
    { dataDir, outDir: join(dataDir, 'experiments', name) },
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-inspect-seq2seq-'));
  await createReversalCorpus(dataDir, 'reversal', {
    train: reversalPairs(40, 1),
    test: reversalPairs(6, 3),
  });
  await trainReverser('tiny-attending', 'additive');
  await trainReverser('tiny-plain', 'none');
}, 180_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('unfold inspect on an encoder-decoder', () => {
  it.each([
    ['tiny-attending', true],
    ['tiny-plain', false],
  ] as const)(
    '%s: the encoder over the source, the decoder over its answer (attention: %s)',
    async (name, attends) => {
      const out = join(dataDir, `out-${name}`);
      const result = await inspect([name, SOURCE, '--out', out, '--steps', '50']);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(await readFile(join(out, 'inside.json'), 'utf8'));
      expect(summary.axis).toEqual({ kind: 'tokens', tokens: [...SOURCE] });
      const answer: string[] = summary.target.axis.tokens;
      const targetSteps: number = summary.target.steps;
      expect(answer).toHaveLength(targetSteps);
      expect(targetSteps).toBeGreaterThan(0);
      // Teacher-forced on its greedy answer, the decoder's argmax at every step is that answer.
      expect(summary.predicted).toEqual(answer);
      expect(summary.outputs.steps).toBe(targetSteps);
      expect(result.stdout).toContain(
        `${SOURCE.length} source steps and ${targetSteps} target steps, 2 layer directions`,
      );
      expect(
        summary.layers.map((l: { key: string; sequence: string; steps: number }) => [
          l.key,
          l.sequence,
          l.steps,
        ]),
      ).toEqual([
        ['encoder/layer0/fw', 'source', SOURCE.length],
        ['decoder/layer0/fw', 'target', targetSteps],
      ]);
      const arrays = await npyFiles(out);
      for (const [part, steps] of [
        ['encoder', SOURCE.length],
        ['decoder', targetSteps],
      ] as const) {
        for (const series of ['input', 'forget', 'output', 'candidate', 'cell', 'hidden'])
          expect(arrays.get(`${part}-layer0-fw-${series}.npy`), `${part} ${series}`).toMatchObject({
            frames: steps,
            dims: UNITS,
          });
        const norms = arrays.get(`${part}-layer0-fw-gradnorm.npy`);
        expect(norms).toMatchObject({ frames: steps, dims: 1 });
        // The loss reaches every step of both parts (the encoder's through the decoder).
        expect(
          Array.from(norms?.data ?? []).every((n) => n > 0),
          `${part} norms`,
        ).toBe(true);
        expect(arrays.get(`${part}-layer0-fw-dynamics-pca.npy`)).toMatchObject({
          frames: 51,
          dims: 2,
        });
      }
      expect(arrays.get('outputs.npy')?.frames).toBe(targetSteps);
      for (const [file, array] of arrays)
        expect(array.data.every(Number.isFinite), `${file} is finite`).toBe(true);
      const attention = arrays.get('attention-target-by-source.npy');
      const files = await readdir(out);
      if (!attends) {
        expect(attention).toBeUndefined();
        expect(files).not.toContain('attention-target-by-source.png');
        return;
      }
      expect(attention).toMatchObject({ frames: targetSteps, dims: SOURCE.length });
      for (let t = 0; t < targetSteps; t++) {
        const row = Array.from(
          attention?.data.subarray(t * SOURCE.length, (t + 1) * SOURCE.length) ?? [],
        );
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      expect(files).toContain('attention-target-by-source.png');
    },
  );

  it('takes an output step of the answer, and refuses one past its end', async () => {
    const out = join(dataDir, 'out-step');
    const result = await inspect([
      'tiny-plain',
      SOURCE,
      '--what',
      'gradnorm',
      '--output-step',
      '0',
      '--out',
      out,
    ]);
    expect(result.exitCode).toBe(0);
    const arrays = await npyFiles(out);
    const decoder = Array.from(arrays.get('decoder-layer0-fw-gradnorm.npy')?.data ?? []);
    expect(decoder[0]).toBeGreaterThan(0);
    expect(decoder.slice(1).every((n) => n === 0)).toBe(true);
    const past = await inspect(['tiny-plain', SOURCE, '--output-step', '99', '--out', out]);
    expect(past.exitCode).not.toBe(0);
    expect(past.stderr).toMatch(/output steps/);
  });
});
