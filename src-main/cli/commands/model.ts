import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { initTfBackend } from '../../domain/backend/tf-backend';
import { UnfoldError } from '../../domain/errors';
import { runRnnBenchmark } from '../../domain/rnn/benchmark';
import type { BenchReport } from '../../domain/rnn/benchmark';
import { CELL_KINDS } from '../../domain/rnn/cell-spec';
import type { CellKind } from '../../domain/rnn/cell-spec';
import { layerOutputSize, parseModelConfig } from '../../domain/rnn/model-config';
import type { ModelConfig, ModelConfigInput } from '../../domain/rnn/model-config';
import { fileSaveHandler, loadModel, saveModel } from '../../domain/rnn/model-io';
import { toTfLayersModel } from '../../domain/rnn/tf-layers-export';
import { countParameters } from '../../domain/rnn/param-count';
import { RnnModel } from '../../domain/rnn/rnn-model';
import { reportCliError } from '../cli-errors';
import { printLine as print, withProgressBar } from '../progress-bar';

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

function formatBench(report: BenchReport): string {
  const fmt = (v: number | null | undefined, digits = 0): string =>
    v == null ? '-' : v.toFixed(digits);
  const lines = [
    `backend ${report.backend}, ${report.steps} timed steps; PyTorch ${report.pytorch.available ? `${report.pytorch.python}` : 'not available'}`,
  ];
  lines.push(
    'model       unit    train/s unfold  tf.layers  pytorch  x tf.layers  / pytorch  infer/s unfold  stream ms/frame',
  );
  for (const m of report.models) {
    lines.push(
      [
        m.id.padEnd(11),
        m.unit.padEnd(7),
        fmt(m.unfold.trainPerSecond).padStart(14),
        fmt(m.tfLayers.trainPerSecond).padStart(10),
        fmt(m.pytorch?.trainPerSecond).padStart(8),
        fmt(m.speedupVsTfLayers, 2).padStart(11),
        fmt(m.ratioVsPytorch, 2).padStart(10),
        fmt(m.unfold.inferencePerSecond).padStart(15),
        fmt(m.unfold.streamingMsPerFrame, 2).padStart(16),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

/** tests/bench/rnn_torch.py of the checkout the CLI runs from, if there is one. */
function torchScriptPath(): string | null {
  const candidates = [
    resolve(process.cwd(), 'tests/bench/rnn_torch.py'),
    resolve(dirname(fileURLToPath(import.meta.url)), '../../../tests/bench/rnn_torch.py'),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** `unfold model new|summary` and `unfold bench rnn`. */
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

  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('rnn')
    .description(
      'Training/inference throughput and streaming latency: Unfold vs tf.layers (and PyTorch when installed)',
    )
    .option('--models <ids>', 'comma-separated subset of a-lstm,b-gru,b-rnn,b-bilstm,c-tagger')
    .option('--steps <n>', 'timed steps per model', '2')
    .option('--time <n>', 'override the sequence length (quick look; not the issue figures)')
    .option('--skip-tf-layers', 'do not run the (slow) tf.layers comparison')
    .option('--profile', 'report time per TF.js kernel for one training step of the first model')
    .option('--json', 'machine-readable output')
    .action(
      async (options: {
        models?: string;
        steps: string;
        time?: string;
        skipTfLayers?: boolean;
        profile?: boolean;
        json?: boolean;
      }) => {
        try {
          await initTfBackend();
          const report = await withProgressBar(Boolean(options.json), (longOptions) =>
            runRnnBenchmark(
              {
                models: options.models?.split(','),
                steps: positiveInt(options.steps, '--steps'),
                timeOverride: options.time ? positiveInt(options.time, '--time') : undefined,
                skipTfLayers: options.skipTfLayers ?? false,
                profile: options.profile ?? false,
                torchScript: torchScriptPath(),
              },
              longOptions,
            ),
          );
          print(options.json ? JSON.stringify(report) : formatBench(report));
        } catch (error) {
          reportCliError(error, Boolean(options.json));
        }
      },
    );
}
