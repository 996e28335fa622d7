import type * as LibSampleRate from '@alexanderolsen/libsamplerate-js';
import type { ConverterTypeValue } from '@alexanderolsen/libsamplerate-js/dist/converter-type';
import type { SRC } from '@alexanderolsen/libsamplerate-js/dist/src';
import { UnfoldError } from '../errors';

/**
 * Band-limited resampling with libsamplerate (Secret Rabbit Code, compiled to JS/WASM by
 * @alexanderolsen/libsamplerate-js), the reference sinc resampler.
 *
 * Measured on this machine with 1 s tones (resample.spec.ts pins the default's behaviour):
 * - 'medium' (default, SRC_SINC_MEDIUM_QUALITY): level within 0.01 dB up to 0.8 x the lower
 *   Nyquist frequency, -2.1 dB at 0.9 x; content above the new Nyquist down by > 110 dB;
 *   8 -> 16 kHz at ~180x real time.
 * - 'best': flat to 0.9 x, -0.3 dB at 0.95 x; ~70x real time.
 * - 'fast': -2.8 dB at 0.8 x; ~330x real time.
 * wavefile's toSampleRate('sinc') was tried first (with a Lanczos window over 16 taps a side):
 * tones kept their level within 0.1 dB and aliases fell by 85 dB, but it ran at only 4-14x
 * real time (a sin() per tap per output sample) and stretches time by one input sample per
 * file (it maps the first and last samples onto each other), so it was replaced.
 */
export type ResampleQuality = 'best' | 'medium' | 'fast';

/**
 * A new converter. The library (and its WASM) loads on first use, not with this module: most
 * commands and jobs never resample, and loading it costs a start-up 0.2-0.7 s.
 */
async function create(fromRate: number, toRate: number, quality: ResampleQuality): Promise<SRC> {
  const loaded = (await import('@alexanderolsen/libsamplerate-js')) as {
    default?: typeof LibSampleRate;
  } & Partial<typeof LibSampleRate>;
  // Node hands a CommonJS package's exports over as `default`; tsx and bundlers as named exports.
  const libsamplerate = loaded.default ?? (loaded as typeof LibSampleRate);
  const { ConverterType } = libsamplerate;
  const types: Record<ResampleQuality, ConverterTypeValue> = {
    best: ConverterType.SRC_SINC_BEST_QUALITY,
    medium: ConverterType.SRC_SINC_MEDIUM_QUALITY,
    fast: ConverterType.SRC_SINC_FASTEST,
  };
  return libsamplerate.create(1, fromRate, toRate, { converterType: types[quality] });
}

/** The wrapper's transfer buffers hold this many samples; longer inputs are streamed. */
const SIMPLE_LIMIT = 1_008_000;
const STREAM_BLOCK = 262_144;

/** One converter per (rates, quality): each instance allocates ~26 MB, so they are reused. */
const converters = new Map<string, Promise<SRC>>();

function converterFor(fromRate: number, toRate: number, quality: ResampleQuality): Promise<SRC> {
  const key = `${fromRate}:${toRate}:${quality}`;
  let converter = converters.get(key);
  if (!converter) {
    converter = create(fromRate, toRate, quality);
    converters.set(key, converter);
  }
  return converter;
}

/**
 * Resamples mono audio. The output has round(n x toRate / fromRate) samples, aligned with the
 * input (libsamplerate compensates its filter delay).
 */
export async function resampleMono(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  options: { quality?: ResampleQuality } = {},
): Promise<Float32Array> {
  if (!(fromRate > 0) || !(toRate > 0) || fromRate > 192_000 || toRate > 192_000) {
    throw new UnfoldError(
      'AUDIO_BAD_RATE',
      `Cannot resample from ${fromRate} Hz to ${toRate} Hz (rates must be between 1 and 192,000 Hz).`,
    );
  }
  if (fromRate === toRate) return samples.slice();
  const outputLength = Math.round((samples.length * toRate) / fromRate);
  if (samples.length === 0) return new Float32Array(0);
  const quality = options.quality ?? 'medium';
  const padding = Math.ceil(fromRate / 10);
  const fitsSimple =
    samples.length + padding <= SIMPLE_LIMIT &&
    Math.ceil((samples.length + padding) * (toRate / fromRate)) <= SIMPLE_LIMIT;
  if (fitsSimple) {
    // `simple` starts from a fresh state each call; the zero padding flushes the filter's tail.
    const converter = await converterFor(fromRate, toRate, quality);
    const padded = new Float32Array(samples.length + padding);
    padded.set(samples);
    return converter.simple(padded).slice(0, outputLength);
  }
  // The wrapper's own chunking of long inputs drops most of the output (measured with
  // v2.1.2), and re-initialising a used converter does not clear the `full` API's state, so
  // long inputs get a converter of their own, streamed and then destroyed.
  const converter = await create(fromRate, toRate, quality);
  try {
    return streamResample(converter, samples, padding, outputLength);
  } finally {
    converter.destroy();
  }
}

/** Feeds the input in blocks, then zeros until the filter's tail is out. */
function streamResample(
  converter: SRC,
  samples: Float32Array,
  padding: number,
  outputLength: number,
): Float32Array {
  const output = new Float32Array(outputLength);
  let written = 0;
  const take = (block: Float32Array): void => {
    const produced = converter.full(block);
    const count = Math.min(produced.length, outputLength - written);
    output.set(produced.subarray(0, count), written);
    written += count;
  };
  for (let start = 0; start < samples.length; start += STREAM_BLOCK) {
    take(samples.subarray(start, Math.min(samples.length, start + STREAM_BLOCK)));
  }
  for (let guard = 0; written < outputLength && guard < 100; guard++)
    take(new Float32Array(padding));
  return output;
}

/** Resamples a stream block by block, for audio too long to hold (see createStreamingResampler). */
export interface StreamingResampler {
  /** The output that the input so far makes available (the filter holds back a little). */
  push(block: Float32Array): Float32Array;
  /** Flushes the filter's tail; the total output is round(input x toRate / fromRate) samples. */
  finish(): Float32Array;
  dispose(): void;
}

/**
 * The streamed path of resampleMono, one block at a time: a converter of its own (its `full`
 * state cannot be reset), fed blocks of at most STREAM_BLOCK samples.
 */
export async function createStreamingResampler(
  fromRate: number,
  toRate: number,
  options: { quality?: ResampleQuality } = {},
): Promise<StreamingResampler> {
  if (fromRate === toRate) {
    return { push: (block) => block.slice(), finish: () => new Float32Array(0), dispose: () => {} };
  }
  // Validates the rates with the same message as a whole-file resample.
  await resampleMono(new Float32Array(0), fromRate, toRate);
  const quality = options.quality ?? 'medium';
  const converter = await create(fromRate, toRate, quality);
  const padding = Math.ceil(fromRate / 10);
  let consumed = 0;
  let produced = 0;
  const feed = (samples: Float32Array, limit: number): Float32Array => {
    const parts: Float32Array[] = [];
    let length = 0;
    for (let start = 0; start < samples.length; start += STREAM_BLOCK) {
      const out = converter.full(
        samples.subarray(start, Math.min(samples.length, start + STREAM_BLOCK)),
      );
      const count = Math.max(0, Math.min(out.length, limit - produced - length));
      parts.push(out.slice(0, count));
      length += count;
    }
    const joined = new Float32Array(length);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    produced += length;
    return joined;
  };
  return {
    push(block) {
      consumed += block.length;
      return feed(block, Infinity);
    },
    finish() {
      const total = Math.round((consumed * toRate) / fromRate);
      const parts: Float32Array[] = [];
      for (let guard = 0; produced < total && guard < 100; guard++)
        parts.push(feed(new Float32Array(padding), total));
      const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        out.set(part, offset);
        offset += part.length;
      }
      return out;
    },
    dispose() {
      converter.destroy();
    },
  };
}
