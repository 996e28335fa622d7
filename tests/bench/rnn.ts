/**
 * Recurrent-network benchmark of issue 5: `npx tsx tests/bench/rnn.ts [--models a-lstm,c-tagger]
 * [--steps N] [--time T] [--skip-tf-layers] [--skip-torch] [--profile]
 * [--kernels native,tfjs] [--threads 1,2]`. Prints one JSON report: Unfold's sequence-level
 * layers vs tf.layers on the same backend, and vs PyTorch (rnn_torch.py) when a python3 with
 * torch is found. With the native RNN kernel built, Unfold runs once per kernel (and per BLAS
 * thread count for the native one) and `sideBySide` compares them with PyTorch; tf.layers and
 * PyTorch run only with the first kernel.
 */
import { fileURLToPath } from 'node:url';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { runRnnBenchmark } from '../../src-main/domain/rnn/benchmark';
import type { BenchReport } from '../../src-main/domain/rnn/benchmark';
import { loadRnnNative } from '../../src-main/native/rnn-native';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface KernelRun {
  kernel: 'native' | 'tfjs';
  threads: number | null;
  report: BenchReport;
}

const backend = await initTfBackend();
const native = loadRnnNative();
const kernels = (option('--kernels')?.split(',') ?? (native.addon ? ['native', 'tfjs'] : ['tfjs']))
  .filter((k): k is 'native' | 'tfjs' => k === 'native' || k === 'tfjs')
  .filter((k) => k === 'tfjs' || native.addon !== null);
const threadCounts = option('--threads')?.split(',').map(Number) ?? [native.threads];

const runs: KernelRun[] = [];
for (const kernel of kernels) {
  for (const threads of kernel === 'native' ? threadCounts : [null]) {
    process.env.UNFOLD_RNN_KERNEL = kernel;
    if (threads !== null) native.addon?.setParallel(threads);
    const first = runs.length === 0;
    const report = await runRnnBenchmark(
      {
        models: option('--models')?.split(','),
        steps: option('--steps') ? Number(option('--steps')) : undefined,
        timeOverride: option('--time') ? Number(option('--time')) : undefined,
        skipTfLayers: !first || process.argv.includes('--skip-tf-layers'),
        profile: first && process.argv.includes('--profile'),
        torchScript:
          !first || process.argv.includes('--skip-torch')
            ? null
            : fileURLToPath(new URL('./rnn_torch.py', import.meta.url)),
      },
      {
        onProgress: (p) =>
          process.stderr.write(`[${kernel}${threads ? ` x${threads}` : ''}] ${p.message ?? ''}\n`),
      },
    );
    runs.push({ kernel, threads, report });
  }
}
if (native.addon) native.addon.setParallel(native.threads);

const [firstRun] = runs;
if (!firstRun) throw new Error('no kernel to benchmark');
const pytorchTrain = new Map(
  firstRun.report.models.map((m) => [m.id, m.pytorch?.trainPerSecond ?? null]),
);
const label = (run: KernelRun): string =>
  run.kernel === 'native' ? `native x${run.threads ?? '?'}` : 'tfjs';
const sideBySide = firstRun.report.models.map((model) => {
  const torch = pytorchTrain.get(model.id) ?? null;
  const perKernel = Object.fromEntries(
    runs.map((run) => {
      const figures = run.report.models.find((m) => m.id === model.id)?.unfold;
      const train = figures?.trainPerSecond ?? null;
      return [
        label(run),
        {
          trainPerSecond: train,
          inferencePerSecond: figures?.inferencePerSecond ?? null,
          streamingMsPerFrame: figures?.streamingMsPerFrame ?? null,
          ratioVsPytorch: train && torch ? train / torch : null,
        },
      ];
    }),
  );
  return { id: model.id, unit: model.unit, pytorchTrainPerSecond: torch, kernels: perKernel };
});

console.log(
  JSON.stringify(
    {
      ...firstRun.report,
      kernel: label(firstRun),
      rnnKernels: {
        native: native.addon
          ? {
              available: true,
              path: native.path,
              defaultThreads: native.threads,
              ...native.addon.info(),
            }
          : { available: false, reason: native.reason },
        runs: runs.map(label),
      },
      sideBySide,
      backendInfo: backend,
    },
    null,
    2,
  ),
);
