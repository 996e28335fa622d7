/**
 * Feature extraction speed. Prints JSON.
 *   npx tsx tests/bench/features.ts [--folder DIR] [--seconds 60]
 *   npx tsx tests/bench/features.ts --side-by-side [--seconds 60] [--reps 7] [--runs 3] [--warmup 2]
 * - side-by-side: Unfold's MFCC + deltas against torchaudio.compliance.kaldi.mfcc +
 *   compute_deltas on the same samples, one thread each, interleaved (features-side-by-side.ts);
 *   medians, ratios pair by pair, the load average and a cross-check of the numbers.
 * - oneThread: 39-dim MFCC+delta+delta-delta of N seconds of synthetic 16 kHz audio.
 * - meyda: the same front end through meyda's per-frame `Meyda.extract('mfcc')` (on 3,000
 *   frames), and the ratio between the two. Both are the best of several runs: the machine
 *   is shared, and the best run is the one least disturbed.
 * - folder (with --folder): every WAV read, resampled to 16 kHz and featurised, on one
 *   thread and split over two worker processes (the machine's two cores).
 */
import { fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Meyda from 'meyda';
import { addDeltas, extractFeatures } from '../../src-main/domain/audio/feature-extractor';
import { frameShape, resolveFeatureConfig } from '../../src-main/domain/audio/feature-config';
import { FrameKernel, createWindow } from '../../src-main/domain/audio/frame-kernel';
import { nativeFramesChoice } from '../../src-main/domain/audio/native-frames';
import { noise, sineWave } from '../../src-main/domain/audio/testing/signals';
import { extractFolder } from './features-folder';
import { sideBySide } from './features-side-by-side';

const RATE = 16_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function syntheticSpeechLike(seconds: number): Float32Array {
  const tone = sineWave(220, RATE, seconds, 0.3);
  const hiss = noise(tone.length, 0.05, 3);
  return tone.map((value, i) => value + (hiss[i] as number));
}

function benchOneThread(samples: Float32Array): { frames: number; seconds: number } {
  const config = resolveFeatureConfig({ kind: 'mfcc' });
  extractFeatures({ sampleRate: RATE, samples: samples.subarray(0, RATE) }, config); // warm up the JIT
  let best = Infinity;
  let frames = 0;
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    frames = extractFeatures({ sampleRate: RATE, samples }, config).frames;
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { frames, seconds: best };
}

/** meyda's per-frame API with the same framing: window ourselves, zero-pad 400 -> 512. */
function benchMeyda(samples: Float32Array, maxFrames: number): { frames: number; seconds: number } {
  const config = resolveFeatureConfig({ kind: 'mfcc' });
  const { frameLength, frameShift, fftSize } = frameShape(config);
  Meyda.bufferSize = fftSize;
  Meyda.sampleRate = RATE;
  Meyda.melBands = config.melBands;
  Meyda.numberOfMFCCCoefficients = config.numCeps;
  Meyda.windowingFunction = 'rect';
  const window = createWindow('hamming', frameLength);
  const frame = new Float32Array(fftSize);
  const frames = Math.min(maxFrames, 1 + Math.floor((samples.length - frameLength) / frameShift));
  const statics = new Float32Array(frames * config.numCeps);
  const run = (count: number): void => {
    for (let t = 0; t < count; t++) {
      const start = t * frameShift;
      let previous = samples[start] as number;
      frame[0] = previous * (1 - 0.97) * (window[0] as number);
      for (let i = 1; i < frameLength; i++) {
        const value = samples[start + i] as number;
        frame[i] = (value - 0.97 * previous) * (window[i] as number);
        previous = value;
      }
      const mfcc = Meyda.extract('mfcc', frame) as unknown as number[];
      statics.set(mfcc.slice(0, config.numCeps), t * config.numCeps);
    }
  };
  run(Math.min(200, frames)); // warm up
  let best = Infinity;
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = performance.now();
    run(frames);
    addDeltas({ data: statics, frames, dims: config.numCeps }, 2, 2);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { frames, seconds: best };
}

async function benchFolderParallel(
  folder: string,
  files: string[],
  workers: number,
): Promise<number> {
  const start = performance.now();
  const shards = Array.from({ length: workers }, (_, w) =>
    files.filter((_, i) => i % workers === w),
  );
  await Promise.all(
    shards.map(
      (shard) =>
        new Promise<void>((resolve, reject) => {
          const child = fork(join(import.meta.dirname, 'features-worker.ts'), [folder, ...shard], {
            execArgv: ['--import', 'tsx'],
            stdio: 'inherit',
          });
          child.on('error', reject);
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`)),
          );
        }),
    ),
  );
  return (performance.now() - start) / 1000;
}

async function main(): Promise<void> {
  const seconds = Number(argument('--seconds') ?? 60);
  const samples = syntheticSpeechLike(seconds);
  if (process.argv.includes('--side-by-side')) {
    const report = await sideBySide(samples, {
      reps: Number(argument('--reps') ?? 7),
      runs: Number(argument('--runs') ?? 3),
      warmup: Number(argument('--warmup') ?? 2),
      log: (message) => console.error(message),
    });
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const ours = benchOneThread(samples);
  const meyda = benchMeyda(samples, 3000);
  const oursFps = ours.frames / ours.seconds;
  const meydaFps = meyda.frames / meyda.seconds;
  const result: Record<string, unknown> = {
    feature:
      'mfcc 13 (c0 = log energy) + delta + delta-delta = 39 dims, 25 ms Hamming, 10 ms hop, 16 kHz',
    audioSeconds: seconds,
    // native: src-main/native's FeatureKernel (C++); js: frame-kernel.ts (the fallback).
    unfoldKernel: {
      implementation: new FrameKernel(resolveFeatureConfig({ kind: 'mfcc' })).implementation,
      ...nativeFramesChoice(),
    },
    oneThread: {
      frames: ours.frames,
      seconds: Number(ours.seconds.toFixed(4)),
      framesPerSecond: Math.round(oursFps),
      realTimeFactor: Math.round(seconds / ours.seconds),
    },
    meydaPerFrameExtract: {
      framesMeasured: meyda.frames,
      framesPerSecond: Math.round(meydaFps),
      // One frame per 10 ms hop: 100 frames make one second of audio.
      realTimeFactor: Math.round(meydaFps / 100),
    },
    speedupOverMeyda: Number((oursFps / meydaFps).toFixed(1)),
  };
  const folder = argument('--folder');
  if (folder) {
    const files = (await readdir(folder))
      .filter((name) => name.toLowerCase().endsWith('.wav'))
      .sort();
    const single = await extractFolder(folder, files);
    const parallelSeconds = await benchFolderParallel(folder, files, 2);
    result.folder = {
      folder,
      files: files.length,
      audioSeconds: Number(single.audioSeconds.toFixed(1)),
      frames: single.frames,
      oneThread: {
        seconds: Number(single.seconds.toFixed(2)),
        framesPerSecond: Math.round(single.frames / single.seconds),
        realTimeFactor: Math.round(single.audioSeconds / single.seconds),
        featureOnlyFramesPerSecond: Math.round(single.frames / single.featureSeconds),
        // Reading, decoding and resampling 8 kHz -> 16 kHz (libsamplerate) dominate here.
        readAndResampleSeconds: Number((single.seconds - single.featureSeconds).toFixed(2)),
      },
      twoProcesses: {
        seconds: Number(parallelSeconds.toFixed(2)),
        framesPerSecond: Math.round(single.frames / parallelSeconds),
        realTimeFactor: Math.round(single.audioSeconds / parallelSeconds),
        note: 'includes starting two Node processes with tsx (~0.5 s each)',
      },
    };
  }
  console.log(JSON.stringify(result, null, 2));
}

await main();
