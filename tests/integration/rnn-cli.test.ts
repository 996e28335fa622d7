import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerModelCommands } from '../../src-main/cli/commands/model';
import { lstmpPaperCount } from '../../src-main/domain/rnn/param-count';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-rnn-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    });
  process.exitCode = 0;
  try {
    const program = new Command().exitOverride();
    registerModelCommands(program);
    await program.parseAsync(args, { from: 'user' });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}

describe('unfold model', () => {
  it('new writes model.json + weights.bin; summary reports the paper parameter count', async () => {
    const path = join(dir, 'lstmp', 'model.json');
    const created = await run([
      'model',
      'new',
      '--arch',
      'lstmp',
      '--units',
      '16',
      '--proj',
      '8',
      '--input-size',
      '13',
      '--output-size',
      '5',
      '--out',
      path,
      '--json',
    ]);
    expect(created.exitCode).toBe(0);
    expect((await stat(join(dir, 'lstmp', 'weights.bin'))).size).toBeGreaterThan(0);
    const summary = await run(['model', 'summary', path, '--json']);
    const parsed = JSON.parse(summary.stdout) as {
      layers: Array<{ layer: string; weights: number; biases: number }>;
      totalParameters: number;
    };
    const weights = parsed.layers.reduce((sum, l) => sum + l.weights, 0);
    expect(weights).toBe(lstmpPaperCount(13, 16, 8, 5));
    expect(parsed.totalParameters).toBe(weights + 4 * 16 + 5);
  });

  it('bidirectional stacks are described per direction', async () => {
    const path = join(dir, 'bi', 'model.json');
    await run([
      'model',
      'new',
      '--arch',
      'gru',
      '--layers',
      '2',
      '--units',
      '6',
      '--bidirectional',
      'sum',
      '--out',
      path,
    ]);
    const summary = await run(['model', 'summary', path]);
    expect(summary.stdout).toContain('encoder/layer1/bw');
    expect(summary.stdout).toMatch(/total parameters \d+/);
  });

  it('export writes a tf.layers model that tf.loadLayersModel reads', async () => {
    const path = join(dir, 'gru', 'model.json');
    await run([
      'model',
      'new',
      '--arch',
      'gru',
      '--units',
      '6',
      '--input-size',
      '4',
      '--output-size',
      '3',
      '--out',
      path,
    ]);
    const out = join(dir, 'gru-layers', 'model.json');
    const result = await run(['model', 'export', path, '--out', out, '--json']);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      format: string;
      modelTopology: unknown;
      weightsManifest: unknown[];
    };
    expect(json.format).toBe('layers-model');
    const weights = await readFile(join(dir, 'gru-layers', 'weights.bin'));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'],
        weightSpecs: (json.weightsManifest as tf.io.WeightsManifestConfig).flatMap(
          (g) => g.weights,
        ),
        weightData: weights.buffer.slice(
          weights.byteOffset,
          weights.byteOffset + weights.byteLength,
        ),
      }),
    );
    const y = loaded.predict(tf.ones([1, 5, 4])) as tf.Tensor;
    expect(y.shape).toEqual([1, 5, 3]);
    loaded.dispose();
  });

  it('reports a bad flag as error [CODE] with a non-zero exit', async () => {
    const result = await run([
      'model',
      'new',
      '--arch',
      'transformer',
      '--units',
      '4',
      '--out',
      join(dir, 'x.json'),
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error \[BAD_ARGUMENT\]: --arch must be one of/);
  });
});
