/**
 * `unfold bench rnn` (also `npm run bench:rnn`): Unfold's recurrent layers beside PyTorch, the
 * sides taking turns at each thread count (domain/bench/rnn-bench-report.ts). A table by default,
 * the whole report with --json.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { initTfBackend } from '../../domain/backend/tf-backend';
import type { RnnBenchReport } from '../../domain/bench/rnn-bench-report';
import {
  RNN_BENCH_MODELS,
  rnnBenchDefaults,
  rnnBenchReport,
} from '../../domain/bench/rnn-bench-report';
import { UnfoldError } from '../../domain/errors';
import { JOB_PROCESS_V8_FLAGS, processJobFlags } from '../../server/worker-process';
import { reportCliError } from '../cli-errors';
import { printLine as print, withProgressBar } from '../progress-bar';
import { positiveFlag } from './flag-values';

interface BenchRnnOptions {
  models?: string;
  threads?: string;
  reps?: string;
  warmup?: string;
  steps?: string;
  streamFrames?: string;
  maxSeconds?: string;
  skipTorch?: boolean;
  quick?: boolean;
  torch?: boolean;
  profile?: boolean;
  json?: boolean;
}

/**
 * tests/bench/rnn_torch.py of the checkout the CLI runs from (sources or out/main), if there is
 * one: an installed app has no peer scripts.
 */
function torchScriptPath(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(process.cwd(), 'tests/bench/rnn_torch.py'),
    resolve(here, '../../tests/bench/rnn_torch.py'),
    resolve(here, '../../../tests/bench/rnn_torch.py'),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

const badArgument = (message: string): never => {
  throw new UnfoldError('BAD_ARGUMENT', message);
};

/** A whole number of at least `min` (0 allowed for warm-ups), or undefined when not given. */
function countFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    badArgument(`${flag} takes a whole number of at least ${min} (got ${value}).`);
  return n;
}

function listFlag(value: string | undefined, flag: string): number[] | undefined {
  return value
    ?.split(',')
    .map((t) => countFlag(t, flag, 1) ?? badArgument(`${flag} takes whole numbers`));
}

/** The report's options from the flags, with the same checks for the CLI and the npm script. */
function benchOptions(options: BenchRnnOptions, command: string) {
  const quick = Boolean(options.quick);
  const defaults = rnnBenchDefaults(quick);
  if (options.torch && !quick)
    badArgument('--torch goes with --quick (a full run has PyTorch unless --skip-torch).');
  if (options.skipTorch && options.torch)
    badArgument('--skip-torch and --torch contradict each other.');
  const models = options.models?.split(',') ?? defaults.models;
  const unknown = models.filter((id) => !RNN_BENCH_MODELS.some((m) => m.id === id));
  if (unknown.length > 0)
    badArgument(
      `No model ${unknown.join(', ')}: --models takes ${RNN_BENCH_MODELS.map((m) => m.id).join(',')}.`,
    );
  return {
    ...defaults,
    models,
    threads: listFlag(options.threads, '--threads') ?? defaults.threads,
    // The medians and pair ratios mean something from 5 repetitions; a quick run is a smoke test.
    reps: countFlag(options.reps, '--reps', quick ? 1 : 5) ?? defaults.reps,
    warmup: countFlag(options.warmup, '--warmup', 0) ?? defaults.warmup,
    steps: countFlag(options.steps, '--steps', 1) ?? defaults.steps,
    streamFrames: countFlag(options.streamFrames, '--stream-frames', 1) ?? defaults.streamFrames,
    maxSeconds: positiveFlag(options.maxSeconds, '--max-seconds', false) ?? defaults.maxSeconds,
    torch: quick ? Boolean(options.torch) : !options.skipTorch,
    torchScript: torchScriptPath(),
    profile: Boolean(options.profile),
    command,
  };
}

/** The command line the flags came from, for the report. */
function commandLine(options: BenchRnnOptions): string {
  const flags = Object.entries(options).map(([name, value]) => {
    const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return value === true ? flag : `${flag} ${String(value)}`;
  });
  return ['unfold bench rnn', ...flags].join(' ');
}

/** The figures to quote, one line per model, measure and thread count. */
export function formatRnnBench(report: RnnBenchReport): string {
  const fmt = (v: number | null, digits = 0): string => (v === null ? '-' : v.toFixed(digits));
  const lines = [
    `${report.command}: ${report.unfold.kernel === 'native' ? 'native kernel' : 'TF.js kernels'}, PyTorch ${
      report.pytorch.available === false
        ? `not run (${String(report.pytorch.reason)})`
        : 'beside it'
    }; load ${report.machine.loadBefore.join(' ')} before, ${report.machine.loadAfter.join(' ')} after`,
    ...(report.unfold.runsWithJobProcessFlags === false
      ? [
          `(Unfold timed without the training jobs' V8 flags ${JOB_PROCESS_V8_FLAGS.join(' ')}: \`npm run bench:rnn\` runs with them)`,
        ]
      : []),
    'model      measure          threads     unfold    pytorch  ratio (above 1: Unfold faster)',
  ];
  for (const model of report.sideBySide) {
    type Summary = RnnBenchReport['sideBySide'][number]['training'];
    const measures: Array<{ name: string; summary: Summary; digits: number }> = [
      { name: 'train frames/s', summary: model.training, digits: 0 },
      { name: 'infer frames/s', summary: model.inference, digits: 0 },
      ...(model.streamingMsPerFrame
        ? [{ name: 'stream ms/frame', summary: model.streamingMsPerFrame, digits: 3 }]
        : []),
    ];
    for (const { name, summary, digits } of measures)
      for (const [threads, figures] of Object.entries(summary))
        lines.push(
          [
            model.id.padEnd(10),
            name.padEnd(16),
            threads.padStart(7),
            fmt(figures.unfold, digits).padStart(10),
            fmt(figures.pytorch, digits).padStart(10),
            fmt(figures.ratio, 2).padStart(6),
          ].join(' '),
        );
  }
  for (const k of report.profile?.kernels ?? [])
    lines.push(`profile ${report.profile?.model ?? ''}: ${k.kernel} ${k.ms} ms (${k.calls} calls)`);
  return lines.join('\n');
}

export function registerBenchCommands(program: Command): void {
  const bench = program.command('bench').description('Speed benchmarks');
  bench
    .command('rnn')
    .description(
      "Training, inference and batch-1 streaming speed of the recurrent layers beside the same models in PyTorch (Debian's python3-torch, from a checkout of Unfold), taking turns at each thread count; medians and pair ratios",
    )
    .option(
      '--models <ids>',
      `comma-separated subset of ${RNN_BENCH_MODELS.map((m) => `${m.id} (${m.description})`).join(', ')}`,
    )
    .option('--threads <list>', 'thread counts at which both sides run (default 1,2)')
    .option('--reps <n>', 'measurements per side, at least 5 outside --quick (default 5)')
    .option('--warmup <n>', 'untimed steps at the start of each measurement (default 1)')
    .option('--steps <n>', 'timed training or inference steps per measurement (default 3)')
    .option('--stream-frames <n>', 'timed frames per streaming measurement (default 200)')
    .option('--max-seconds <s>', 'a measurement stops after the step that crosses S s (default 20)')
    .option('--skip-torch', 'Unfold only')
    .option(
      '--quick',
      'smoke run: tiny models, 1 warm-up + 2 timed runs, no PyTorch unless --torch',
    )
    .option('--torch', 'with --quick: run the PyTorch sides too')
    .option(
      '--profile',
      'also report time per TF.js kernel in one training step of the first model',
    )
    .option(
      '--json',
      'print the whole report (every measurement, the load, the BLAS each side loaded)',
    )
    .addHelpText(
      'after',
      `
Not here: the text workloads (POS tagger, sentiment classifiers, word language model with a
10,000-word softmax) are measured beside PyTorch by \`npm run bench:text\`; streaming in more
detail (chunk sizes, the TF.js-wrapped step) by \`npm run bench:stream\`; 1 against 2 kernel
threads with a busy core by \`npm run bench:rnn-threads -- --busy\`.`,
    )
    .action(async (options: BenchRnnOptions) => {
      try {
        const settings = benchOptions(options, commandLine(options));
        await initTfBackend();
        const measured = await withProgressBar(Boolean(options.json), (longOptions) =>
          rnnBenchReport(settings, longOptions),
        );
        // Unfold's side runs in this process: its figures are a training job's only with the
        // job processes' V8 flags (`npm run bench:rnn` gives them).
        const report = { ...measured, unfold: { ...measured.unfold, ...processJobFlags() } };
        print(options.json ? JSON.stringify(report, null, 2) : formatRnnBench(report));
      } catch (error) {
        reportCliError(error, Boolean(options.json));
      }
    });
}
