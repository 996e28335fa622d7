/**
 * Recurrent-network speed beside PyTorch (issues 5 and 17): `npm run bench:rnn -- [options]`
 * (`--help` lists them). For each cell of issue 17's table (2 x LSTM 256, 2 x GRU 256, 2 x Elman
 * 256, 1 x BiLSTM 256; 39 -> 40, B32 x T200): training and inference frames/s, and batch-1
 * streaming ms per frame for the unidirectional ones, Unfold (native kernel, else TF.js) and
 * PyTorch (tests/bench/rnn_torch.py) at the same thread counts (`--threads 1,2`). The sides take
 * turns (Unfold x1, PyTorch x1, Unfold x2, PyTorch x2, then again; support/side-by-side.ts), each
 * measurement being warm-up steps then timed ones; every figure is the median over `--reps`
 * (at least 5) measurements, and each ratio the median of the ratios within a repetition.
 * PyTorch is Debian's /usr/bin/python3 with python3-torch, given Debian's OpenMP OpenBLAS
 * (libopenblas0-openmp) when installed without the user setting LD_LIBRARY_PATH
 * (support/torch-peer.ts). Prints one JSON report (rnn-report.ts): `sideBySide` holds the figures
 * to quote, `models` every measurement with the 1-minute load after it, beside the load before and
 * after the run and the BLAS each side loaded. `--quick` is the CI smoke run: tiny models, 1
 * warm-up + 2 timed runs, no PyTorch unless `--torch`.
 */
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { RNN_BENCH_MODELS, rnnBenchDefaults, rnnBenchReport } from './rnn-report';

const USAGE = `Usage: npm run bench:rnn -- [options]

Training, inference and batch-1 streaming speed of Unfold's recurrent layers beside the same
models in PyTorch (Debian's /usr/bin/python3 with python3-torch; OpenMP OpenBLAS when installed).
Unfold and PyTorch take turns at each thread count; figures are medians over the repetitions and
ratios (Unfold / PyTorch speed, above 1 = Unfold faster) medians of the per-repetition ratios.
Prints one JSON report; progress goes to stderr.

Options:
  --models IDS        comma-separated subset of (default: all)
${RNN_BENCH_MODELS.map((m) => `                        ${m.id.padEnd(9)} ${m.description}`).join('\n')}
  --threads LIST      thread counts at which both sides run (default 1,2)
  --reps N            measurements per side, at least 5 outside --quick (default 5)
  --warmup N          untimed steps at the start of each measurement (default 1)
  --steps N           timed training or inference steps per measurement (default 3)
  --stream-frames N   timed frames per streaming measurement (default 200, after 20 untimed)
  --max-seconds S     a measurement stops after the step that crosses S seconds (default 20)
  --skip-torch        Unfold only
  --quick             CI smoke run: tiny models (16 units, B4 x T10), 1 warm-up + 2 timed runs,
                      no PyTorch unless --torch; finishes in seconds
  --torch             with --quick: run the PyTorch sides too
  --help              this text

Not here: the text workloads (POS tagger, sentiment classifiers, word language model with a
10,000-word softmax) are measured beside PyTorch by \`npm run bench:text\`; streaming in more
detail (chunk sizes, the TF.js-wrapped step) by \`npm run bench:stream\`; 1 against 2 kernel
threads with a busy core by \`npm run bench:rnn-threads -- --busy\`.`;

function fail(message: string): never {
  process.stderr.write(`bench:rnn: ${message}\n(npm run bench:rnn -- --help for the options)\n`);
  process.exit(2);
}

const OPTIONS = {
  models: { type: 'string' },
  threads: { type: 'string' },
  reps: { type: 'string' },
  warmup: { type: 'string' },
  steps: { type: 'string' },
  'stream-frames': { type: 'string' },
  'max-seconds': { type: 'string' },
  'skip-torch': { type: 'boolean', default: false },
  quick: { type: 'boolean', default: false },
  torch: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;
const parsed = (() => {
  try {
    return parseArgs({ options: OPTIONS, strict: true });
  } catch (error) {
    // Unknown options and missing values: node's message names the option.
    return fail((error as Error).message);
  }
})();
const { values } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

/** A whole number of at least `min` from option `name`, or the default. */
function count(name: keyof typeof values, fallback: number, min = 1): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(n) || n < min)
    fail(`--${name} takes a whole number of at least ${min}, not "${String(text)}"`);
  return n;
}

const defaults = rnnBenchDefaults(values.quick);
if (values.torch && !values.quick)
  fail('--torch goes with --quick (a full run has PyTorch unless --skip-torch)');
if (values['skip-torch'] && values.torch) fail('--skip-torch and --torch contradict each other');
const models = values.models?.split(',') ?? defaults.models;
const unknown = models.filter((id) => !RNN_BENCH_MODELS.some((m) => m.id === id));
if (unknown.length > 0)
  fail(
    `no model ${unknown.join(', ')}: --models takes ${RNN_BENCH_MODELS.map((m) => m.id).join(',')}`,
  );
const threads =
  values.threads?.split(',').map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1)
      fail(`--threads takes whole numbers of at least 1, not "${t}"`);
    return n;
  }) ?? defaults.threads;
const maxSeconds =
  values['max-seconds'] === undefined ? defaults.maxSeconds : Number(values['max-seconds']);
if (!(maxSeconds > 0))
  fail(`--max-seconds takes a positive number, not "${values['max-seconds']}"`);

await initTfBackend();
const report = await rnnBenchReport({
  ...defaults,
  models,
  threads,
  reps: count('reps', defaults.reps, values.quick ? 1 : 5),
  warmup: count('warmup', defaults.warmup, 0),
  steps: count('steps', defaults.steps),
  streamFrames: count('stream-frames', defaults.streamFrames),
  maxSeconds,
  torch: values.quick ? values.torch : !values['skip-torch'],
  command: [
    'npm run bench:rnn',
    ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
  ].join(' '),
  log: (message) => void process.stderr.write(`[bench:rnn] ${message}\n`),
});
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
