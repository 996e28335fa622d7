/**
 * Recurrent-network benchmark of issue 5: `npx tsx tests/bench/rnn.ts [--models a-lstm,c-tagger]
 * [--steps N] [--time T] [--skip-tf-layers] [--skip-torch] [--profile]`. Prints one JSON report: Unfold's
 * sequence-level layers vs tf.layers on the same backend, and vs PyTorch (rnn_torch.py) when a
 * python3 with torch is found.
 */
import { fileURLToPath } from 'node:url';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { runRnnBenchmark } from '../../src-main/domain/rnn/benchmark';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const backend = await initTfBackend();
const report = await runRnnBenchmark(
  {
    models: option('--models')?.split(','),
    steps: option('--steps') ? Number(option('--steps')) : undefined,
    timeOverride: option('--time') ? Number(option('--time')) : undefined,
    skipTfLayers: process.argv.includes('--skip-tf-layers'),
    profile: process.argv.includes('--profile'),
    torchScript: process.argv.includes('--skip-torch')
      ? null
      : fileURLToPath(new URL('./rnn_torch.py', import.meta.url)),
  },
  { onProgress: (p) => process.stderr.write(`${p.message ?? ''}\n`) },
);
console.log(JSON.stringify({ ...report, backendInfo: backend }, null, 2));
