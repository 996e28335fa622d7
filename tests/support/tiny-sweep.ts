/**
 * What the sweep tests and the sweep bench share: the tiny run every sweep of theirs varies (a
 * word CNN with 8-dim embeddings and 4 filters of width 2 on a toy sentiment corpus, 1 epoch;
 * train doubles as test, so a run needs one split), and the command line of `unfold worker`
 * from the sources in a process of its own, as a lab PC starts it.
 */
import { join } from 'node:path';

export const TINY_SWEEP_RUN_CONFIG = {
  task: 'sentiment',
  data: { train: { splits: ['train'] }, dev: null, test: { splits: ['train'] } },
  words: { embeddingSize: 8, wordDropout: 0 },
  model: { kind: 'cnn', widths: [2], filters: 4 },
  training: { epochs: 1, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
} as const;

/** The config with another number of epochs (the other fields as they are). */
export const tinySweepRunConfig = (epochs: number, batchSize = 16) => ({
  ...TINY_SWEEP_RUN_CONFIG,
  training: { ...TINY_SWEEP_RUN_CONFIG.training, epochs, batchSize },
});

const root = join(import.meta.dirname, '..', '..');

/** The CLI from the sources, through tsx (the built one needs a build). */
const CLI_FROM_SOURCES = ['--import', 'tsx', join(root, 'tests/support/queue-worker-cli.ts')];

/** Node's arguments for `unfold worker --queue URL --concurrency N --data DIR ...extra`. */
export function queueWorkerArgs(
  url: string,
  {
    concurrency,
    dataDir,
    extra = [],
    cli = CLI_FROM_SOURCES,
  }: { concurrency: number; dataDir: string; extra?: string[]; cli?: string[] },
): string[] {
  return [
    ...cli,
    'worker',
    ...['--queue', url, '--concurrency', String(concurrency), '--data', dataDir],
    ...extra,
  ];
}
