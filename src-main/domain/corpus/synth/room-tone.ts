/**
 * Clips of "silence" for a word corpus's `_silence_` class: not digital zero (which a
 * microphone never delivers) but room tone, i.e. low-level noise of varied level and colour,
 * so the recogniser learns an answer for the background the voice-activity detector
 * sometimes lets through. Deterministic: the same seed gives the same samples.
 */
import { mulberry32 } from '../../seeded-random';

export type NoiseColour = 'white' | 'pink' | 'brown';

export const NOISE_COLOURS: readonly NoiseColour[] = ['white', 'pink', 'brown'];

export interface RoomToneSpec {
  seconds: number;
  /** RMS level in dBFS (full scale = 1). */
  levelDbfs: number;
  colour: NoiseColour;
  /** Amplitude of a mains hum (50 Hz and harmonics) relative to the noise RMS; 0 for none. */
  hum: number;
  seed: number;
}

/**
 * Noise of one colour, unscaled. Pink uses Paul Kellet's economy filter (three poles, within
 * 0.5 dB of 1/f over the audio band); brown is a leaky integral of white noise (1/f^2 with
 * the lowest frequencies tamed so it does not drift).
 */
function colouredNoise(length: number, colour: NoiseColour, random: () => number): Float32Array {
  const out = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let brown = 0;
  for (let i = 0; i < length; i++) {
    const white = random() * 2 - 1;
    if (colour === 'white') out[i] = white;
    else if (colour === 'pink') {
      b0 = 0.99765 * b0 + white * 0.099046;
      b1 = 0.963 * b1 + white * 0.2965164;
      b2 = 0.57 * b2 + white * 1.0526913;
      out[i] = b0 + b1 + b2 + white * 0.1848;
    } else {
      brown = 0.995 * brown + white * 0.1;
      out[i] = brown;
    }
  }
  return out;
}

export function roomTone(spec: RoomToneSpec, sampleRate: number): Float32Array {
  const random = mulberry32(spec.seed);
  const samples = colouredNoise(Math.round(spec.seconds * sampleRate), spec.colour, random);
  const phase = random() * 2 * Math.PI;
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    let hum = 0;
    for (let h = 1; h <= 3; h++) hum += Math.sin(2 * Math.PI * 50 * h * t + phase) / h;
    samples[i] = (samples[i] as number) + spec.hum * hum;
  }
  let sum = 0;
  for (const v of samples) sum += v * v;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  const gain = rms > 0 ? 10 ** (spec.levelDbfs / 20) / rms : 0;
  for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] as number) * gain;
  return samples;
}

/**
 * The specs of `count` room-tone clips: lengths 0.4-1.0 s (the length of a spoken word),
 * levels from -65 to -35 dBFS, the three colours in turn, a hum in one clip of three.
 */
export function roomToneSpecs(count: number, seed: number): RoomToneSpec[] {
  const random = mulberry32(seed ^ 0x5ea1_0000);
  return Array.from({ length: count }, (_, k) => ({
    seconds: 0.4 + 0.6 * random(),
    levelDbfs: -65 + 30 * random(),
    colour: NOISE_COLOURS[k % NOISE_COLOURS.length] as NoiseColour,
    hum: k % 3 === 2 ? 0.5 * random() : 0,
    seed: (seed * 7919 + k * 104_729) >>> 0,
  }));
}
