/**
 * The language-model part of `npm run bench:text` (issue 14): the Penn Treebank word LM
 * (../shared/data/ptb's train file, `--lm-data`) imported with the text importer into a
 * temporary data folder, the `lm-word-lstm` preset with the corpus's own tokens (white-space
 * tokenizer, minCount 1: PTB's 10,000 words), its training streams (20 contiguous streams, one
 * batch) walked in truncated-BPTT windows of 35 steps with the state carried, as trainModel
 * walks them (trainBatch: gradients, norms, clipping, the optimizer), beside the same model in
 * PyTorch (torch_lm.py: stateful, the state detached between windows) on the same ids.
 * Training tokens/s (streams x window per window), interleaved, medians and ratios. The first
 * `--warmup` windows are not timed; a measurement stops after the window that crosses
 * `--max-seconds`, or after `--batches` windows.
 * Without the data the part is {"skipped": reason}.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCorpus } from '../../src-main/domain/corpus';
import { readCorpus } from '../../src-main/domain/corpus/store/read-corpus';
import { presetConfig } from '../../src-main/domain/experiments/presets';
import type { TrainBatch } from '../../src-main/domain/rnn/batching';
import { disposeBatch, makeBatch } from '../../src-main/domain/rnn/batching';
import { sliceBatchWindow } from '../../src-main/domain/rnn/batch-windows';
import { Optimizer } from '../../src-main/domain/rnn/optimizers';
import { createRng } from '../../src-main/domain/rnn/random';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { trainBatch } from '../../src-main/domain/rnn/train';
import type { TrainConfig } from '../../src-main/domain/rnn/train';
import { lmTask } from '../../src-main/domain/text/lm/lm-task';
import type { RnnNativeLoad } from '../../src-main/native/rnn-native';
import type {
  Side,
  SideBySideSettings,
  SideResult,
} from '../../src-main/domain/bench/side-by-side';
import {
  compareSides,
  interleaved,
  reportedMeasurements,
  torchSides,
  unfoldSide,
} from '../../src-main/domain/bench/side-by-side';
import { torchDescription } from '../../src-main/domain/bench/torch-peer';

const PRESET = 'lm-word-lstm';
const CORPUS = 'ptb';
const TRAIN_FILE = 'ptb.train.txt';

/** Unfold's side: `windows` windows of the batch walked by trainBatch, the last ones timed. */
async function timedWindows(
  createModel: () => RnnModel,
  training: TrainConfig,
  batch: TrainBatch,
  s: SideBySideSettings,
  tokensPerWindow: number,
): Promise<SideResult> {
  const model = createModel();
  const optimizer = new Optimizer(training.optimizer);
  const rng = createRng(1);
  const window = training.bptt?.kind === 'truncated' ? training.bptt.window : 1;
  const where = { epoch: 0, batch: 0, perParameter: false };
  const walk = async (
    start: number,
    windows: number,
    onWindow?: (done: number) => boolean,
  ): Promise<void> => {
    const part = sliceBatchWindow(batch, start * window, windows * window);
    const stop = new AbortController();
    try {
      await trainBatch(model, part, optimizer, training, rng, where, {
        signal: stop.signal,
        onWindow: (w) => {
          if (onWindow?.(w.window)) stop.abort();
        },
      });
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    } finally {
      disposeBatch(part);
    }
  };
  try {
    if (s.warmup > 0) await walk(0, s.warmup);
    const started = performance.now();
    let timed = s.batches;
    let seconds = 0;
    await walk(s.warmup, s.batches, (done) => {
      seconds = (performance.now() - started) / 1000;
      timed = done;
      return seconds > s.maxSeconds;
    });
    // The walk's last window reports no progress: it ended the walk, so time it here.
    if (timed === s.batches - 1 || seconds <= s.maxSeconds) {
      timed = s.batches;
      seconds = (performance.now() - started) / 1000;
    }
    return { perSecond: (timed * tokensPerWindow) / seconds, batches: timed };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

export async function benchLanguageModel(
  s: SideBySideSettings,
  options: { data: string; native: RnnNativeLoad },
): Promise<Record<string, unknown>> {
  const source = resolve(options.data);
  if (!existsSync(join(source, TRAIN_FILE)))
    return { skipped: `PTB not found: no ${TRAIN_FILE} in ${source}` };
  const work = await mkdtemp(join(tmpdir(), 'unfold-bench-lm-'));
  try {
    const textDir = join(work, 'text');
    await mkdir(textDir);
    await writeFile(join(textDir, TRAIN_FILE), await readFile(join(source, TRAIN_FILE)));
    const corpusDir = join(work, 'corpora', CORPUS);
    await importCorpus({ format: 'text', source: textDir, outDir: corpusDir, name: CORPUS });
    const corpus = await readCorpus(corpusDir);
    const base = presetConfig(PRESET, CORPUS, 'bench-lm');
    const config = lmTask.parseConfig({
      ...base,
      // Only the training streams are built; the test role is never read here.
      data: { train: { splits: ['train'] }, test: { splits: ['train'] } },
      words: { ...base.words, tokenizer: 'whitespace', minCount: 1 },
      baseline: null,
    });
    const plan = await lmTask.prepareTraining(corpus, config, { dataDir: work });
    const training = config.training as TrainConfig;
    const window = training.bptt?.kind === 'truncated' ? training.bptt.window : 1;
    const streams = plan.train.length;
    const windows = s.warmup + s.batches;
    const steps = Math.min(windows * window, plan.train[0]?.length ?? 0);
    if (steps < windows * window)
      return { skipped: `the training streams hold fewer than ${windows} windows` };
    const examples = plan.train.map((e) => ({
      ...e,
      length: steps,
      inputs: (e.inputs as Int32Array).slice(0, steps),
      target: (e.target as Int32Array).slice(0, steps),
    }));
    const tokensPerWindow = streams * window;
    s.log(
      `lm: ${streams} streams x ${window} steps per window; ${s.warmup} warm-up + ${s.batches} timed windows at most; vocabulary ${plan.model.output.size}`,
    );

    const peerScript = fileURLToPath(new URL('./torch_lm.py', import.meta.url));
    const peerFile = join(work, 'streams.json');
    if (s.torch) {
      const input = plan.model.input;
      if (input.kind !== 'tokens') throw new Error('a word LM reads tokens');
      await writeFile(
        peerFile,
        JSON.stringify({
          model: {
            vocabSize: input.vocabSize,
            embeddingSize: input.embeddingSize,
            layers: plan.model.layers.length,
            units: plan.model.layers[0]?.units,
            dropout: plan.model.dropout,
            optimizer: training.optimizer,
            clipNorm: training.clipNorm ?? 1e9,
            window,
          },
          // Each stream's inputs and targets (its inputs moved by one).
          streams: examples.map((e) => ({
            inputs: Array.from(e.inputs),
            targets: Array.from(e.target),
          })),
        }),
      );
    }
    const batch = makeBatch(plan.model, examples);
    try {
      const sides: Side[] = [
        ...s.unfoldThreads.map((threads) => ({
          name: unfoldSide(threads),
          measure: async () => {
            if (threads !== null) options.native.addon?.setParallel(threads);
            return timedWindows(
              () => new RnnModel(plan.model),
              training,
              batch,
              s,
              tokensPerWindow,
            );
          },
        })),
        ...torchSides(s, peerScript, peerFile, 'tokensPerSecond'),
      ];
      const measurements = await interleaved(s.reps, sides, (m) => s.log(`lm: ${m}`));
      if (options.native.addon) options.native.addon.setParallel(options.native.threads);
      return {
        preset: PRESET,
        model: {
          vocabulary: plan.model.output.size,
          embeddingSize: plan.model.input.kind === 'tokens' ? plan.model.input.embeddingSize : 0,
          layers: plan.model.layers.map((l) => `${l.cell} ${l.units}`),
          optimizer: training.optimizer.kind,
        },
        streams,
        window,
        tokensPerWindow,
        peer: torchDescription(s.torch, s.torchSkipped, s.torchThreads, peerScript),
        trainingTokensPerSecond: compareSides(measurements),
        measurements: reportedMeasurements(measurements, 'tokensPerSecond'),
      };
    } finally {
      disposeBatch(batch);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
