/**
 * How many threads the native RNN kernel uses per call, chosen by measuring once per machine:
 * a short LSTM training step (forward + BPTT) at 1 and 2 threads, interleaved, and 2 only when
 * it was clearly faster. The result is cached in Unfold's config folder (env-paths: on Linux
 * `$XDG_CONFIG_HOME/unfold`, else `~/.config/unfold`) as `native-threads.json`, keyed by the CPU,
 * its core count, the BLAS build and the kernel's threading version, so a new machine or a new
 * kernel measures again. UNFOLD_RNN_THREADS=<n> overrides it; UNFOLD_RNN_THREADS=measure
 * measures again and rewrites the cache.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import envPaths from 'env-paths';
import writeFileAtomic from 'write-file-atomic';
import type { NativeDims, RnnNativeAddon } from './rnn-native';

/** Bump when the kernel's use of threads changes: cached choices then no longer apply. */
const THREADING_VERSION = 3;

export interface ThreadMeasurement {
  /** Best (least disturbed) ms per training step of the calibration workload at 1 and 2 threads. */
  msOneThread: number;
  msTwoThreads: number;
  /** msTwoThreads / msOneThread. */
  ratio: number;
}

interface CachedChoice extends ThreadMeasurement {
  version: number;
  machine: string;
  parallel: number;
  measuredAt: string;
}

export interface ThreadChoice {
  parallel: number;
  /** Why: the variable, the cache file and date, or the fresh measurement. */
  chosenBy: string;
}

/** The cache file of the measured choice. */
export function threadCalibrationFile(): string {
  return join(envPaths('unfold', { suffix: '' }).config, 'native-threads.json');
}

function machineKey(addon: RnnNativeAddon): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'} x${availableParallelism()}; ${addon.info().blas}`;
}

/**
 * Two threads must save at least this share of the time to be chosen. The best times decide:
 * what the machine can do, not the load of the moment it was measured in (a cached choice
 * outlives that load, and the kernel's second thread never makes a busy machine slower than one
 * thread would: the calling thread does the work the helper has not started).
 */
const MIN_GAIN = 0.05;

/**
 * Times the calibration workload, a 256-unit LSTM training step on 32 sequences of 48 frames
 * (3 chunks of steps, so the second thread overlaps the recurrence as in real training), at
 * 1 and 2 threads, interleaved (1 2 1 2 ...) after a warm-up; the best time of each. About half
 * a second.
 */
export function measureThreads(addon: RnnNativeAddon, pairs = 5): ThreadMeasurement {
  const [T, B, I, n] = [48, 32, 39, 256];
  const values = (count: number): Float32Array =>
    Float32Array.from({ length: count }, (_, i) => 0.1 * Math.sin(i));
  const x = values(T * B * I);
  const w = values(I * 4 * n);
  const u = values(n * 4 * n);
  const b = values(4 * n);
  const h0 = new Float32Array(B * n);
  const c0 = new Float32Array(B * n);
  const dOut = values(T * B * n);
  const dims: NativeDims = [T, B, I, n, n, 0];
  const trainStep = (): void => {
    const cache = addon.lstmForward(dims, [x, w, u, b, null, null, h0, c0, null]);
    addon.lstmBackward(dims, [x, w, u, b, null, null, null, dOut, null, ...cache]);
  };
  const before = addon.info().parallel;
  const timed = (parallel: number): number => {
    addon.setParallel(parallel);
    const start = performance.now();
    trainStep();
    return performance.now() - start;
  };
  try {
    timed(1);
    timed(2);
    let one = Infinity;
    let two = Infinity;
    for (let k = 0; k < pairs; k++) {
      one = Math.min(one, timed(1));
      two = Math.min(two, timed(2));
    }
    return { msOneThread: one, msTwoThreads: two, ratio: two / one };
  } finally {
    addon.setParallel(before);
  }
}

function readCached(file: string, machine: string): CachedChoice | null {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Partial<CachedChoice>;
    const ok =
      cached.version === THREADING_VERSION &&
      cached.machine === machine &&
      Number.isInteger(cached.parallel) &&
      (cached.parallel as number) >= 1;
    return ok ? (cached as CachedChoice) : null;
  } catch {
    return null; // missing or unreadable: measure
  }
}

/**
 * The kernel's threads per call: UNFOLD_RNN_THREADS=<n> when set, else 1 on a one-core machine,
 * else the cached measurement of this machine, else a new measurement (then cached; a cache
 * that cannot be written is not an error). Never throws.
 */
export function chooseThreads(
  addon: RnnNativeAddon,
  env: NodeJS.ProcessEnv,
  file: string = threadCalibrationFile(),
): ThreadChoice {
  const setting = env.UNFOLD_RNN_THREADS;
  const forced = Number(setting);
  if (setting !== undefined && setting !== 'measure' && Number.isInteger(forced) && forced > 0)
    return { parallel: forced, chosenBy: `UNFOLD_RNN_THREADS=${setting}` };
  if (availableParallelism() < 2) return { parallel: 1, chosenBy: 'one core' };
  const machine = machineKey(addon);
  const cached = setting === 'measure' ? null : readCached(file, machine);
  if (cached)
    return {
      parallel: cached.parallel,
      chosenBy: `measured ${cached.measuredAt.slice(0, 10)} (${file}: 2 threads took ${cached.ratio.toFixed(2)} x the time of 1)`,
    };
  const measured = measureThreads(addon);
  const parallel = measured.ratio <= 1 - MIN_GAIN ? 2 : 1;
  const record: CachedChoice = {
    version: THREADING_VERSION,
    machine,
    parallel,
    ...measured,
    measuredAt: new Date().toISOString(),
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic.sync(file, JSON.stringify(record, null, 2) + '\n');
  } catch {
    // a read-only config folder: keep the measurement for this process only
  }
  return {
    parallel,
    chosenBy: `measured now (2 threads took ${measured.ratio.toFixed(2)} x the time of 1)`,
  };
}
