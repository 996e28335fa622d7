/**
 * The report of `unfold bench rnn` (and `npm run bench:rnn`, which runs it): for every recurrent
 * cell of issue 17's table, training, inference and (unidirectional models) batch-1 streaming,
 * Unfold beside PyTorch at the same thread counts, the sides taking turns (interleaved,
 * side-by-side.ts) so that the ratios are taken pair by pair under the same load.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RnnNativeAddon } from '../../native/rnn-native';
import { loadRnnNative } from '../../native/rnn-native';
import { throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import type { BenchModelSpec, KernelTime, TorchMeasure } from '../rnn/benchmark';
import {
  BENCH_MODELS,
  createUnfoldWorkload,
  profileTrainingStep,
  resizedSpec,
  timeSteps,
  torchWorkload,
} from '../rnn/benchmark';
import type { Side, SideBySideSettings, SideComparison, SideMeasurement } from './side-by-side';
import {
  compareSides,
  interleaved,
  machineLoad,
  reportedMeasurements,
  round,
  torchSides,
  unfoldSide,
} from './side-by-side';
import type { TorchPython } from './torch-peer';
import { findTorchPython, torchDescription } from './torch-peer';

/** The cells' rows of issue 17's table (B32 x T200, 39 -> 40); the tagger is bench:text's. */
export const RNN_BENCH_MODELS: readonly BenchModelSpec[] = BENCH_MODELS.filter(
  (m) => m.kind === 'acoustic',
);

/** The quick smoke run's model sizes: the same stacks, tiny. */
export const QUICK_SIZES = { units: 16, batch: 4, time: 10 } as const;

export interface RnnBenchOptions {
  /** Tiny models (QUICK_SIZES); the counts below are then the quick ones unless given. */
  quick: boolean;
  /** Ids of RNN_BENCH_MODELS, in report order. */
  models: string[];
  /** Thread counts at which both sides run (Unfold's native kernel threads, torch's threads). */
  threads: number[];
  /** Measurements per side (the medians and pair ratios are over these). */
  reps: number;
  /** Untimed training or inference steps at the start of each measurement. */
  warmup: number;
  /** Timed training or inference steps per measurement. */
  steps: number;
  /** Untimed and timed frames per streaming measurement. */
  streamWarmup: number;
  streamFrames: number;
  /** A measurement stops after the step that crosses this many seconds. */
  maxSeconds: number;
  /** Run the PyTorch sides (when a python3 with torch and the peer script are found). */
  torch: boolean;
  /**
   * The PyTorch peer, rnn_torch.py (tests/bench in a checkout of Unfold; an installed app has
   * none), or null.
   */
  torchScript: string | null;
  /** Also profile one Unfold training step of the first model (time per TF.js kernel). */
  profile: boolean;
  /** The command line, for the report. */
  command: string;
}

/** The defaults of a full and of a quick run. */
export function rnnBenchDefaults(
  quick: boolean,
): Omit<RnnBenchOptions, 'command' | 'torchScript' | 'profile'> {
  return quick
    ? {
        quick,
        models: RNN_BENCH_MODELS.map((m) => m.id),
        threads: [1, 2],
        reps: 2,
        warmup: 1,
        steps: 2,
        streamWarmup: 2,
        streamFrames: 10,
        maxSeconds: 5,
        torch: false,
      }
    : {
        quick,
        models: RNN_BENCH_MODELS.map((m) => m.id),
        threads: [1, 2],
        reps: 5,
        warmup: 1,
        steps: 3,
        streamWarmup: 20,
        streamFrames: 200,
        maxSeconds: 20,
        torch: true,
      };
}

const CELL_NAMES = { lstm: 'LSTM', gru: 'GRU', rnn: 'Elman' } as const;
const MEASURES: Record<TorchMeasure, string> = {
  train: 'training frames/s (forward + cross-entropy + BPTT + Adam, one fixed batch)',
  infer: 'inference frames/s (forward, logits read back)',
  stream: 'streaming frames/s at batch 1 (one 10 ms frame per call, state carried, softmax)',
};

/** One measure of one model side by side: every measurement, the medians and the ratios. */
interface MeasureReport {
  unit: string;
  medianFramesPerSecond: Record<string, number | null>;
  /** Unfold's median over PyTorch's, per pair of sides. */
  ratioOfMedians: Record<string, number | null>;
  /** The median of the ratios within each repetition, per pair of sides: the figure to quote. */
  pairRatios: Record<string, number | null>;
  measurements: Array<Record<string, unknown>>;
}

/** Per thread count: Unfold's and PyTorch's medians and the pair ratio (above 1: Unfold faster). */
type Summary = Record<
  string,
  { unfold: number | null; pytorch: number | null; ratio: number | null }
>;

export interface RnnBenchReport {
  bench: 'rnn';
  date: string;
  command: string;
  quick: boolean;
  settings: Omit<RnnBenchOptions, 'command' | 'torch' | 'torchScript' | 'profile' | 'quick'>;
  machine: { cores: number; loadBefore: number[]; loadAfter: number[] };
  backend: string;
  unfold: Record<string, unknown>;
  pytorch: Record<string, unknown>;
  /** Where the text workloads (tagger, sentiment, word LM) are measured. */
  textWorkloads: string;
  /** The figures to quote: per model, measure and thread count, the medians and pair ratio. */
  sideBySide: Array<{
    id: string;
    what: string;
    training: Summary;
    inference: Summary;
    /** ms per frame (the pair ratio is PyTorch's time over Unfold's: above 1, Unfold faster). */
    streamingMsPerFrame: Summary | null;
  }>;
  models: Array<{
    id: string;
    what: string;
    sizes: { layers: number; units: number; bidirectional: boolean; batch: number; time: number };
    training: MeasureReport;
    inference: MeasureReport;
    streaming: (MeasureReport & { unfoldPath: string | null }) | null;
  }>;
  /** With `profile`: time per TF.js kernel in one training step of the first model. */
  profile: { model: string; kernels: KernelTime[] } | null;
}

/** The BLAS libraries this (Node) process has mapped: the one the native addon calls. */
function mappedBlas(): string[] {
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8').split('\n');
    return [...new Set(maps.filter((l) => /blas/i.test(l)).map((l) => l.split(/\s+/).pop() ?? ''))]
      .filter(Boolean)
      .sort();
  } catch {
    return [];
  }
}

const whatOf = (spec: BenchModelSpec): string =>
  `${spec.layers} x ${spec.bidirectional ? 'Bi' : ''}${CELL_NAMES[spec.cell]} ${spec.units}, 39 -> 40, B${spec.batch} x T${spec.time}`;

/**
 * Measures every model of `options.models`; progress is each measurement as it starts (its
 * fraction of all of them), and a cancel takes effect before the next measurement.
 */
export async function rnnBenchReport(
  options: RnnBenchOptions,
  { onProgress, signal }: LongOperationOptions = {},
): Promise<RnnBenchReport> {
  const loadBefore = machineLoad();
  const native = loadRnnNative();
  const addon = native.addon;
  const script = options.torchScript;
  const torch: TorchPython | null = options.torch && script ? await findTorchPython() : null;
  const specs = options.models.map((id) => {
    const spec = RNN_BENCH_MODELS.find((m) => m.id === id);
    if (!spec)
      throw new Error(
        `no RNN bench model "${id}": ${RNN_BENCH_MODELS.map((m) => m.id).join(', ')}`,
      );
    return options.quick ? resizedSpec(spec, QUICK_SIZES) : spec;
  });
  // Without the addon Unfold runs the TF.js kernels, which have no thread count: one side.
  const unfoldThreads: Array<number | null> = addon ? options.threads : [null];
  const sidesPerMeasure = unfoldThreads.length + (torch ? options.threads.length : 0);
  const measures = (spec: BenchModelSpec): number => (spec.bidirectional ? 2 : 3);
  const planned = specs.reduce((n, spec) => n + measures(spec), 0) * options.reps * sidesPerMeasure;
  let started = 0;
  const progress = (message: string): void => {
    throwIfAborted(signal);
    onProgress?.({ fraction: started / planned, message });
    started += 1;
  };
  const folder = await mkdtemp(join(tmpdir(), 'unfold-bench-rnn-'));
  const peerBlas = new Set<string>();
  const models: RnnBenchReport['models'] = [];
  try {
    for (const spec of specs) {
      const workload = createUnfoldWorkload(spec, addon);
      try {
        const part = async (measure: TorchMeasure, step: () => void): Promise<MeasureReport> => {
          const stream = measure === 'stream';
          const settings: SideBySideSettings = {
            batches: stream ? options.streamFrames : options.steps,
            warmup: stream ? options.streamWarmup : options.warmup,
            reps: options.reps,
            maxSeconds: options.maxSeconds,
            unfoldThreads,
            torchThreads: options.threads,
            torch,
            torchSkipped: !options.torch,
            // Not a measurement: said without moving the fraction.
            log: (message) => onProgress?.({ fraction: started / planned, message }),
          };
          const file = join(folder, `${spec.id}-${measure}.json`);
          if (torch)
            await writeFile(file, JSON.stringify(torchWorkload(spec, measure, settings.batches)));
          const measurements = await interleaved(
            options.reps,
            interleavedSides(settings, addon, step, stream ? 1 : workload.itemsPerStep, {
              script: script ?? '',
              workload: file,
            }),
            (m) => progress(`${spec.id} ${measure}: ${m}`),
          );
          for (const m of measurements) for (const lib of m.blasLibraries ?? []) peerBlas.add(lib);
          return measureReport(MEASURES[measure], measurements, compareSides(measurements));
        };
        models.push({
          id: spec.id,
          what: whatOf(spec),
          sizes: {
            layers: spec.layers,
            units: spec.units,
            bidirectional: spec.bidirectional,
            batch: spec.batch,
            time: spec.time,
          },
          training: await part('train', workload.trainStep),
          inference: await part('infer', workload.inferStep),
          streaming: workload.streamFrame
            ? { ...(await part('stream', workload.streamFrame)), unfoldPath: workload.streamPath }
            : null,
        });
      } finally {
        workload.dispose();
      }
    }
  } finally {
    if (addon) addon.setParallel(native.threads);
    await rm(folder, { recursive: true, force: true });
  }

  const first = specs[0];
  const profiled =
    options.profile && first
      ? { model: first.id, kernels: await profileTrainingStep(first) }
      : null;

  const summary = (part: MeasureReport, ms: boolean): Summary =>
    Object.fromEntries(
      options.threads.map((threads) => {
        const ours = unfoldSide(addon ? threads : null);
        const theirs = `pytorch x${threads}`;
        const value = (side: string): number | null => {
          const perSecond = part.medianFramesPerSecond[side] ?? null;
          return ms ? (perSecond ? round(1000 / perSecond, 4) : null) : perSecond;
        };
        return [
          `x${threads}`,
          {
            unfold: value(ours),
            pytorch: value(theirs),
            ratio: part.pairRatios[`${ours} / ${theirs}`] ?? null,
          },
        ];
      }),
    );

  return {
    bench: 'rnn',
    date: new Date().toISOString(),
    command: options.command,
    quick: options.quick,
    settings: {
      models: options.models,
      threads: options.threads,
      reps: options.reps,
      warmup: options.warmup,
      steps: options.steps,
      streamWarmup: options.streamWarmup,
      streamFrames: options.streamFrames,
      maxSeconds: options.maxSeconds,
    },
    machine: { cores: availableParallelism(), loadBefore, loadAfter: machineLoad() },
    backend: tf.getBackend(),
    unfold: addon
      ? {
          kernel: 'native',
          path: native.path,
          defaultThreads: native.threads,
          threadsChosenBy: native.threadsChosenBy,
          ...addon.info(),
          blasLibrariesMapped: mappedBlas(),
        }
      : { kernel: 'tfjs', reason: native.reason },
    pytorch: torch
      ? {
          ...torchDescription(torch, false, options.threads, script ?? ''),
          blasLibrariesMappedByPeers: [...peerBlas].sort(),
        }
      : options.torch
        ? script
          ? torchDescription(null, false, options.threads, script)
          : {
              available: false,
              reason:
                'no peer script: PyTorch runs beside Unfold from a checkout (tests/bench/rnn_torch.py)',
            }
        : {
            available: false,
            reason: options.quick ? 'a quick run without --torch' : '--skip-torch',
          },
    textWorkloads:
      'npm run bench:text (tagger, sentiment classifiers, word LM beside PyTorch); npm run bench:stream (streaming in more detail)',
    sideBySide: models.map((m) => ({
      id: m.id,
      what: m.what,
      training: summary(m.training, false),
      inference: summary(m.inference, false),
      streamingMsPerFrame: m.streaming ? summary(m.streaming, true) : null,
    })),
    models,
    profile: profiled,
  };
}

/**
 * The sides of one measure in the order they take turns: Unfold and PyTorch at the first thread
 * count, then both at the next (A B A B per repetition).
 */
function interleavedSides(
  s: SideBySideSettings,
  native: RnnNativeAddon | null,
  step: () => void,
  itemsPerStep: number,
  torchFiles: { script: string; workload: string },
): Side[] {
  return s.torchThreads.flatMap((threads, index) => {
    const unfoldThreads = s.unfoldThreads.includes(threads) ? threads : null;
    // Without the native kernel there is one Unfold side, measured once per repetition.
    const unfold: Side[] =
      unfoldThreads === null && index > 0
        ? []
        : [
            {
              name: unfoldSide(unfoldThreads),
              measure: () => {
                if (unfoldThreads !== null) native?.setParallel(unfoldThreads);
                const timed = timeSteps(step, {
                  warmup: s.warmup,
                  steps: s.batches,
                  itemsPerStep,
                  maxSeconds: s.maxSeconds,
                });
                return { perSecond: timed.perSecond, batches: timed.steps };
              },
            },
          ];
    return [
      ...unfold,
      ...torchSides(
        { ...s, torchThreads: [threads] },
        torchFiles.script,
        torchFiles.workload,
        'framesPerSecond',
      ),
    ];
  });
}

function measureReport(
  unit: string,
  measurements: readonly SideMeasurement[],
  comparison: SideComparison,
): MeasureReport {
  return {
    unit,
    medianFramesPerSecond: comparison.medians,
    ratioOfMedians: comparison.ratios,
    pairRatios: comparison.pairRatios,
    measurements: reportedMeasurements(measurements, 'framesPerSecond'),
  };
}
