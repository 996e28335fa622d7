/**
 * Side-by-side speed runs (Unfold beside PyTorch): the sides take turns within each repetition
 * (Unfold, PyTorch x1, PyTorch x2, Unfold, ...) so that a change in the shared machine's load
 * hits every side alike; medians per side, the ratios of Unfold's medians to PyTorch's, and the
 * median of the ratios taken within each repetition (the pairs measured back to back).
 */
import { loadavg } from 'node:os';
import type { TorchPython } from './torch-peer';
import { runTorchMeasurement } from './torch-peer';

/** The 1, 5 and 15 minute load averages, rounded to 2 decimals. */
export const machineLoad = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const round = (x: number | null, digits = 0): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/** One measurement of a side: items (tokens, sentences) per second, or why there is none. */
export interface SideResult {
  perSecond: number | null;
  /** Timed batches (fewer than asked when a time cap cut the measurement short). */
  batches: number | null;
  error?: string;
  /** The BLAS libraries the side had mapped (PyTorch peers report theirs). */
  blasLibraries?: string[];
}

/** A side of the comparison; names start with "unfold" or "pytorch" (the ratios pair them so). */
export interface Side {
  name: string;
  measure(): SideResult | Promise<SideResult>;
}

export interface SideMeasurement extends SideResult {
  rep: number;
  side: string;
  /** The 1-minute load average right after the measurement. */
  load1: number;
}

/** Runs every side once per repetition, in turn. */
export async function interleaved(
  reps: number,
  sides: readonly Side[],
  log: (message: string) => void,
): Promise<SideMeasurement[]> {
  const measurements: SideMeasurement[] = [];
  for (let rep = 1; rep <= reps; rep++)
    for (const side of sides) {
      log(`rep ${rep}: ${side.name}`);
      const result = await side.measure();
      measurements.push({ rep, side: side.name, ...result, load1: machineLoad()[0] as number });
    }
  return measurements;
}

export interface SideComparison {
  /** Median items/s per side (rounded), null when no measurement of the side succeeded. */
  medians: Record<string, number | null>;
  /** Each Unfold side's median over each PyTorch side's. */
  ratios: Record<string, number | null>;
  /**
   * For each Unfold side and PyTorch side, the median over the repetitions of the ratio of their
   * two measurements in that repetition (taken back to back, so under the same load).
   */
  pairRatios: Record<string, number | null>;
  bestUnfoldVsBestPytorch: { unfold: string; pytorch: string; ratio: number | null } | null;
}

export function compareSides(measurements: readonly SideMeasurement[]): SideComparison {
  const sides = [...new Set(measurements.map((m) => m.side))];
  const medians = new Map(
    sides.map((side) => [
      side,
      median(
        measurements
          .filter((m) => m.side === side && m.perSecond !== null)
          .map((m) => m.perSecond as number),
      ),
    ]),
  );
  const ratios: Record<string, number | null> = {};
  const pairRatios: Record<string, number | null> = {};
  const rateOf = (side: string, rep: number): number | null =>
    measurements.find((m) => m.side === side && m.rep === rep)?.perSecond ?? null;
  const reps = [...new Set(measurements.map((m) => m.rep))];
  for (const ours of sides.filter((s) => s.startsWith('unfold')))
    for (const theirs of sides.filter((s) => s.startsWith('pytorch'))) {
      const a = medians.get(ours);
      const b = medians.get(theirs);
      ratios[`${ours} / ${theirs}`] = a && b ? round(a / b, 3) : null;
      const perRep = reps.flatMap((rep) => {
        const x = rateOf(ours, rep);
        const y = rateOf(theirs, rep);
        return x && y ? [x / y] : [];
      });
      pairRatios[`${ours} / ${theirs}`] = round(median(perRep), 3);
    }
  const bestOf = (prefix: string): { side: string; value: number } | null =>
    sides
      .filter((s) => s.startsWith(prefix) && medians.get(s))
      .map((s) => ({ side: s, value: medians.get(s) as number }))
      .sort((a, b) => b.value - a.value)[0] ?? null;
  const bestUnfold = bestOf('unfold');
  const bestTorch = bestOf('pytorch');
  return {
    medians: Object.fromEntries(sides.map((s) => [s, round(medians.get(s) ?? null)])),
    ratios,
    pairRatios,
    bestUnfoldVsBestPytorch:
      bestUnfold && bestTorch
        ? {
            unfold: bestUnfold.side,
            pytorch: bestTorch.side,
            ratio: round(bestUnfold.value / bestTorch.value, 3),
          }
        : null,
  };
}

/** The measurements as reported: items/s rounded, under the unit's own key. */
export function reportedMeasurements(
  measurements: readonly SideMeasurement[],
  key: string,
): Array<Record<string, unknown>> {
  return measurements.map(({ perSecond, ...rest }) => ({
    rep: rest.rep,
    side: rest.side,
    [key]: round(perSecond),
    batches: rest.batches,
    load1: rest.load1,
    ...(rest.error !== undefined ? { error: rest.error } : {}),
  }));
}

/** What every side-by-side part of a bench shares: the flags and the peer. */
export interface SideBySideSettings {
  /** Timed batches per measurement at most (after the warm-up ones). */
  batches: number;
  warmup: number;
  reps: number;
  /** A measurement stops after the batch that crosses this many seconds. */
  maxSeconds: number;
  /** The native kernel's thread counts to measure Unfold at; [null] without the addon. */
  unfoldThreads: Array<number | null>;
  torchThreads: number[];
  torch: TorchPython | null;
  /** Why there is no PyTorch side, when there is none. */
  torchSkipped: boolean;
  log: (message: string) => void;
}

/** A side's name for Unfold at a native thread count (null: no native kernel). */
export const unfoldSide = (threads: number | null): string =>
  threads === null ? 'unfold' : `unfold x${threads}`;

/**
 * The PyTorch sides of a part: the peer script on the same batches file at each thread count
 * of the settings (none without a peer), its rate read from `rateKey`.
 */
export function torchSides(
  s: SideBySideSettings,
  script: string,
  batchesFile: string,
  rateKey: string,
): Side[] {
  const torch = s.torch;
  if (!torch) return [];
  return s.torchThreads.map((threads) => ({
    name: `pytorch x${threads}`,
    measure: () =>
      runTorchMeasurement(
        torch,
        script,
        [
          '--batches',
          batchesFile,
          '--threads',
          String(threads),
          '--warmup',
          String(s.warmup),
          '--max-seconds',
          String(s.maxSeconds),
        ],
        rateKey,
      ),
  }));
}
