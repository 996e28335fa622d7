/** Synthetic signals with known answers, shared by the audio specs and benchmarks. */
import { mulberry32 } from '../../seeded-random';

export function sineWave(
  frequency: number,
  sampleRate: number,
  seconds: number,
  amplitude = 0.5,
  phase = 0,
): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  const step = (2 * Math.PI * frequency) / sampleRate;
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin(step * i + phase);
  return out;
}

/** Deterministic uniform noise in [-amplitude, amplitude] (mulberry32), so tests are repeatable. */
export function noise(length: number, amplitude = 0.5, seed = 1): Float32Array {
  const random = mulberry32(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (random() * 2 - 1) * amplitude;
  return out;
}

/** Amplitude of the component at `frequency` (least-squares projection on sine and cosine). */
export function toneAmplitude(
  samples: Float32Array,
  frequency: number,
  sampleRate: number,
  skip = 0,
): number {
  let sinSum = 0;
  let cosSum = 0;
  const step = (2 * Math.PI * frequency) / sampleRate;
  const end = samples.length - skip;
  for (let i = skip; i < end; i++) {
    const value = samples[i] as number;
    sinSum += value * Math.sin(step * i);
    cosSum += value * Math.cos(step * i);
  }
  const n = end - skip;
  return (2 / n) * Math.hypot(sinSum, cosSum);
}

export function rootMeanSquare(samples: Float32Array, skip = 0): number {
  let sum = 0;
  const end = samples.length - skip;
  for (let i = skip; i < end; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, end - skip));
}
