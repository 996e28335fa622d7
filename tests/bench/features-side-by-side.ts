/**
 * Unfold's MFCC + deltas beside torchaudio's Kaldi-compatible MFCC + compute_deltas, on the same
 * samples, one thread each, taking turns (Unfold, torchaudio, Unfold, ...) so that the shared
 * machine's load hits both alike. `npm run bench:features -- --side-by-side` runs it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractFeatures } from '../../src-main/domain/audio/feature-extractor';
import { resolveFeatureConfig } from '../../src-main/domain/audio/feature-config';
import { FrameKernel } from '../../src-main/domain/audio/frame-kernel';
import { nativeFramesChoice } from '../../src-main/domain/audio/native-frames';
import type { Side, SideMeasurement, SideResult } from '../../src-main/domain/bench/side-by-side';
import {
  compareSides,
  interleaved,
  machineLoad,
  median,
  reportedMeasurements,
  round,
} from '../../src-main/domain/bench/side-by-side';
import type { TorchPython } from '../../src-main/domain/bench/torch-peer';
import {
  findTorchPython,
  runProcess,
  runTorchMeasurement,
  torchDescription,
  torchEnv,
} from '../../src-main/domain/bench/torch-peer';

const RATE = 16_000;
const PEER = join(import.meta.dirname, 'features_torch.py');
/** Frames at either end where Kaldi's delta-delta and compute_deltas applied twice differ. */
const EDGE_FRAMES = 4;

export interface SideBySideOptions {
  reps: number;
  /** Timed extractions per measurement. */
  runs: number;
  warmup: number;
  log: (message: string) => void;
}

/** Largest |Unfold - torchaudio| of statics, deltas and delta-deltas away from the edges. */
function differences(
  ours: Float32Array,
  theirs: Float32Array,
  frames: number,
): Record<string, number> {
  const dims = 39;
  const blocks = ['static', 'delta', 'deltaDelta'];
  const result: Record<string, number> = {};
  blocks.forEach((name, block) => {
    let max = 0;
    for (let t = EDGE_FRAMES; t < frames - EDGE_FRAMES; t++)
      for (let d = block * 13; d < (block + 1) * 13; d++)
        max = Math.max(
          max,
          Math.abs((ours[t * dims + d] as number) - (theirs[t * dims + d] as number)),
        );
    result[name] = Number(max.toPrecision(3));
  });
  return result;
}

/** Frames per CPU second of each measurement, in the order measured (one list per side). */
type CpuRates = Map<string, Array<number | null>>;

function record(cpuRates: CpuRates, side: string, rate: number | null): void {
  const rates = cpuRates.get(side) ?? [];
  rates.push(rate);
  cpuRates.set(side, rates);
}

function unfoldSide(samples: Float32Array, runs: number, cpuRates: CpuRates): Side {
  const config = resolveFeatureConfig({ kind: 'mfcc' });
  const name = 'unfold';
  return {
    name,
    measure: (): SideResult => {
      let frames = 0;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let run = 0; run < runs; run++)
        frames += extractFeatures({ sampleRate: RATE, samples }, config).frames;
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      record(cpuRates, name, frames / ((cpu.user + cpu.system) / 1e6));
      return { perSecond: frames / seconds, batches: runs };
    },
  };
}

function torchSide(
  torch: TorchPython,
  audioFile: string,
  options: SideBySideOptions,
  cpuRates: CpuRates,
): Side {
  const name = 'pytorch torchaudio';
  const args = [
    ...['--audio', audioFile, '--threads', '1'],
    ...['--warmup', String(options.warmup), '--runs', String(options.runs)],
  ];
  return {
    name,
    measure: async (): Promise<SideResult> => {
      const out = await runProcess(torch.python, [PEER, ...args], torchEnv);
      if (out.code !== 0) {
        record(cpuRates, name, null);
        return {
          perSecond: null,
          batches: null,
          error: out.stderr.trim().split('\n').slice(-1)[0] || `exit ${out.code}`,
        };
      }
      const parsed = JSON.parse(out.stdout) as {
        framesPerSecond: number;
        framesPerCpuSecond: number;
        batches: number;
        blasLibraries: string[];
      };
      record(cpuRates, name, parsed.framesPerCpuSecond);
      return {
        perSecond: parsed.framesPerSecond,
        batches: parsed.batches,
        blasLibraries: parsed.blasLibraries,
      };
    },
  };
}

/** The same measurements with each rate replaced by its frames per CPU second. */
function byCpuTime(
  measurements: readonly SideMeasurement[],
  cpuRates: CpuRates,
): SideMeasurement[] {
  const seen = new Map<string, number>();
  return measurements.map((m) => {
    const index = seen.get(m.side) ?? 0;
    seen.set(m.side, index + 1);
    return { ...m, perSecond: cpuRates.get(m.side)?.[index] ?? null };
  });
}

export async function sideBySide(
  samples: Float32Array,
  options: SideBySideOptions,
): Promise<Record<string, unknown>> {
  const torch = await findTorchPython();
  const folder = join(tmpdir(), `unfold-features-${randomUUID()}`);
  await mkdir(folder, { recursive: true });
  try {
    const audioFile = join(folder, 'audio.f32');
    await writeFile(
      audioFile,
      new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
    );
    const config = resolveFeatureConfig({ kind: 'mfcc' });
    const ours = extractFeatures({ sampleRate: RATE, samples }, config);
    // Warm up Unfold's JIT on the full length as torchaudio warms up in its process.
    for (let run = 0; run < options.warmup; run++)
      extractFeatures({ sampleRate: RATE, samples }, config);

    let crossCheck: Record<string, unknown> = { available: false };
    if (torch) {
      const outFile = join(folder, 'torch.f32');
      await runTorchMeasurement(
        torch,
        PEER,
        ['--audio', audioFile, '--warmup', '0', '--runs', '1', '--out', outFile],
        'framesPerSecond',
      );
      const bytes = await readFile(outFile);
      const theirs = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      crossCheck =
        theirs.length === ours.data.length
          ? {
              frames: ours.frames,
              maxAbsDiffAwayFromEdges: differences(ours.data, theirs, ours.frames),
              note: `frames ${EDGE_FRAMES}..T-${EDGE_FRAMES + 1}: Kaldi's delta-delta and compute_deltas applied twice differ only at the edges; the rest is float32 (torchaudio) vs float64 (Unfold) rounding`,
            }
          : { shapeMismatch: { ours: ours.data.length, theirs: theirs.length } };
    }

    const loadBefore = machineLoad();
    const cpuRates: CpuRates = new Map();
    const sides = [unfoldSide(samples, options.runs, cpuRates)];
    if (torch) sides.push(torchSide(torch, audioFile, options, cpuRates));
    const measurements = await interleaved(options.reps, sides, options.log);
    const comparison = compareSides(measurements);
    const cpuMeasurements = byCpuTime(measurements, cpuRates);
    const cpuComparison = compareSides(cpuMeasurements);
    const audioSeconds = samples.length / RATE;
    const realTime = (side: string): number | null => {
      const fps = median(
        measurements
          .filter((m) => m.side === side && m.perSecond !== null)
          .map((m) => m.perSecond as number),
      );
      return fps === null ? null : round((fps * audioSeconds) / ours.frames);
    };
    return {
      feature:
        'mfcc 13 (c0 = log energy) + delta + delta-delta = 39 dims, 25 ms Hamming, 10 ms hop, 23 mel bands, 16 kHz, float32 samples x 32768',
      audioSeconds,
      frames: ours.frames,
      threads: 'one each (Node is single-threaded here; torch.set_num_threads(1))',
      // native: src-main/native's FeatureKernel (C++); js: frame-kernel.ts (the fallback).
      unfoldKernel: {
        implementation: new FrameKernel(config).implementation,
        ...nativeFramesChoice(),
      },
      protocol: `${options.warmup} warm-up extraction(s) per side, then ${options.reps} repetitions of [Unfold, torchaudio], each measurement ${options.runs} timed extraction(s)`,
      torch: torchDescription(torch, false, [1], 'tests/bench/features_torch.py'),
      crossCheck,
      medianFramesPerSecond: comparison.medians,
      medianRealTimeFactor: Object.fromEntries(
        sides.map((side) => [side.name, realTime(side.name)]),
      ),
      ratioOfMedians: comparison.ratios,
      medianPairRatio: comparison.pairRatios,
      // The same runs timed by CPU time (process.cpuUsage, Python's time.process_time), which a
      // busy machine disturbs less than the wall clock; the wall-clock figures above are the
      // ones the issue asks for.
      byCpuTime: {
        medianFramesPerCpuSecond: cpuComparison.medians,
        ratioOfMedians: cpuComparison.ratios,
        medianPairRatio: cpuComparison.pairRatios,
      },
      loadAverage: { before: loadBefore, after: machineLoad() },
      measurements: reportedMeasurements(measurements, 'framesPerSecond').map((m, i) => ({
        ...m,
        framesPerCpuSecond: round(cpuMeasurements[i]?.perSecond ?? null),
      })),
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
