import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { initTfBackend } from '../../domain/backend/tf-backend';
import { UnfoldError } from '../../domain/errors';
import { CELL_KINDS } from '../../domain/rnn/cell-spec';
import type { CellKind } from '../../domain/rnn/cell-spec';
import { layerOutputSize, parseModelConfig } from '../../domain/rnn/model-config';
import type { ModelConfig, ModelConfigInput } from '../../domain/rnn/model-config';
import { fileSaveHandler, loadModel, saveModel } from '../../domain/rnn/model-io';
import { toTfLayersModel } from '../../domain/rnn/tf-layers-export';
import { countParameters } from '../../domain/rnn/param-count';
import { RnnModel } from '../../domain/rnn/rnn-model';
import { reportCliError } from '../cli-errors';
import { printLine as print } from '../progress-bar';

interface NewOptions {
  arch: string;
  layers: string;
  units: string;
  proj?: string;
  bidirectional?: string | boolean;
  residual?: boolean;
  dropout?: string;
  pattern: string;
  inputSize?: string;
  vocab?: string;
  embedding?: string;
  outputSize: string;
  activation?: string;
  seed: string;
  out: string;
  json?: boolean;
}

function positiveInt(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UnfoldError('BAD_ARGUMENT', `${flag} must be a positive integer (got ${value}).`);
  return n;
}

/** Builds a model config from `unfold model new` flags. */
export function configFromFlags(options: NewOptions): ModelConfig {
  if (!(CELL_KINDS as readonly string[]).includes(options.arch)) {
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--arch must be one of ${CELL_KINDS.join(', ')} (got ${options.arch}).`,
    );
  }
  const cell = options.arch as CellKind;
  const bidirectional =
    options.bidirectional === true ? 'concat' : options.bidirectional || undefined;
  if (bidirectional !== undefined && bidirectional !== 'concat' && bidirectional !== 'sum') {
    throw new UnfoldError('BAD_ARGUMENT', '--bidirectional takes "concat" (default) or "sum".');
  }
  const layer = {
    cell,
    units: positiveInt(options.units, '--units'),
    ...(options.proj ? { projection: positiveInt(options.proj, '--proj') } : {}),
    ...(bidirectional ? { bidirectional } : {}),
    ...(options.activation ? { activation: options.activation as 'tanh' | 'sigmoid' } : {}),
  };
  const input: ModelConfigInput['input'] = options.vocab
    ? {
        kind: 'tokens',
        vocabSize: positiveInt(options.vocab, '--vocab'),
        embeddingSize: positiveInt(options.embedding ?? '100', '--embedding'),
      }
    : { kind: 'features', size: positiveInt(options.inputSize ?? '39', '--input-size') };
  return parseModelConfig({
    pattern: options.pattern,
    input,
    layers: Array.from({ length: positiveInt(options.layers, '--layers') }, () => layer),
    residual: options.residual ?? false,
    dropout: options.dropout ? Number(options.dropout) : 0,
    output: { size: positiveInt(options.outputSize, '--output-size') },
    seed: Number(options.seed),
  });
}

/** What `unfold model summary` shows: one row per layer direction, with shapes and counts. */
export function modelSummary(config: ModelConfig): {
  pattern: string;
  input: ModelConfig['input'];
  layers: Array<{
    layer: string;
    cell: string;
    outputSize: number | null;
    weights: number;
    biases: number;
    total: number;
    shapes: Record<string, number[]>;
  }>;
  totalParameters: number;
} {
  const counts = countParameters(config);
  return {
    pattern: config.pattern,
    input: config.input,
    layers: counts.layers.map((l) => {
      const match = /^(encoder|decoder)\/layer(\d+)\//.exec(l.layer);
      const stack = match?.[1] === 'decoder' ? (config.decoder?.layers ?? []) : config.layers;
      const layerConfig = match ? stack[Number(match[2])] : undefined;
      return {
        ...l,
        cell: layerConfig ? layerConfig.cell : (l.layer.split('/')[0] ?? l.layer),
        outputSize: layerConfig
          ? layerOutputSize({ ...layerConfig, bidirectional: undefined })
          : null,
      };
    }),
    totalParameters: counts.total,
  };
}

/** `unfold model new|summary|export`. */
export function registerModelCommands(program: Command): void {
  const model = program
    .command('model')
    .description('Create and inspect recurrent network models (model.json + weights.bin)');

  model
    .command('new')
    .description('Create a model from flags and save it (model.json + weights.bin next to it)')
    .requiredOption('--arch <cell>', `recurrent cell: ${CELL_KINDS.join('|')}`)
    .option('--layers <n>', 'number of stacked recurrent layers', '1')
    .requiredOption('--units <n>', 'units (cells) per layer')
    .option('--proj <n>', 'LSTMP recurrent projection size nr')
    .option('--bidirectional [merge]', 'bidirectional layers, merged by concat (default) or sum')
    .option('--residual', 'residual connections between layers of equal size')
    .option('--dropout <rate>', 'dropout on layer inputs and on the output layer input', '0')
    .option('--activation <name>', 'Elman activation: tanh|sigmoid')
    .option('--pattern <name>', 'transducer|encoder|decoder', 'transducer')
    .option('--input-size <n>', 'feature size per frame (default 39)')
    .option('--vocab <n>', 'token input: vocabulary size (instead of --input-size)')
    .option('--embedding <n>', 'token input: embedding size', '100')
    .option('--output-size <n>', 'output classes per frame or per sequence', '40')
    .option('--seed <n>', 'initialisation seed', '1')
    .requiredOption('--out <model.json>', 'where to write model.json (weights.bin goes next to it)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: NewOptions) => {
      try {
        const config = configFromFlags(options);
        await initTfBackend();
        const created = new RnnModel(config);
        const out = resolve(options.out);
        await mkdir(dirname(out), { recursive: true });
        await saveModel(created, out);
        created.dispose();
        const summary = modelSummary(config);
        if (options.json) print(JSON.stringify({ path: out, ...summary }));
        else print(`wrote ${out} (${summary.totalParameters.toLocaleString('en')} parameters)`);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  model
    .command('summary')
    .description('Show layers, output sizes, weight shapes and parameter counts of a model')
    .argument('<model.json>', 'a model saved by Unfold')
    .option('--json', 'machine-readable output')
    .action(async (path: string, options: { json?: boolean }) => {
      try {
        await initTfBackend();
        const loaded = await loadModel(resolve(path));
        const summary = modelSummary(loaded.config);
        loaded.dispose();
        if (options.json) {
          print(JSON.stringify(summary));
          return;
        }
        print(`${summary.pattern} model, input ${JSON.stringify(summary.input)}`);
        for (const l of summary.layers) {
          const shapes = Object.entries(l.shapes)
            .map(([name, shape]) => `${name} ${shape.join('x')}`)
            .join(', ');
          print(
            `  ${l.layer.padEnd(20)} ${l.cell.padEnd(9)} out ${String(l.outputSize ?? '-').padStart(5)}  params ${String(l.total).padStart(9)}  (${shapes})`,
          );
        }
        print(`  total parameters ${summary.totalParameters}`);
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });

  model
    .command('export')
    .description(
      'Export a model as a standard tf.layers model (LSTM/GRU/Elman stacks), readable by tf.loadLayersModel',
    )
    .argument('<model.json>', 'a model saved by Unfold')
    .requiredOption(
      '--out <model.json>',
      'where to write the tf.layers model.json (weights.bin next to it)',
    )
    .option('--json', 'machine-readable output')
    .action(async (path: string, options: { out: string; json?: boolean }) => {
      try {
        await initTfBackend();
        const loaded = await loadModel(resolve(path));
        try {
          const exported = toTfLayersModel(loaded);
          const out = resolve(options.out);
          await mkdir(dirname(out), { recursive: true });
          await exported.save(fileSaveHandler(out));
          exported.dispose();
          print(
            options.json
              ? JSON.stringify({ path: out, format: 'layers-model' })
              : `wrote ${out} (tf.layers format)`,
          );
        } finally {
          loaded.dispose();
        }
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });
}
