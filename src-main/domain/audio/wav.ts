import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import wavefile from 'wavefile';
import { UnfoldError } from '../errors';
import { mixToMono } from './mix';
import { resampleMono } from './resample';
import type { DecodedAudio, MonoAudio, SampleFormat, WavBitDepth } from './types';

export type { DecodedAudio, MonoAudio, SampleFormat, WavBitDepth } from './types';

/** The fields of wavefile's parsed 'fmt ' chunk that we read (its typings only say `object`). */
interface WavFmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  validBitsPerSample: number;
  /** The GUID of an extensible header as four uint32; the first is the real format code. */
  subformat: number[];
}

interface WavDataChunk {
  chunkSize: number;
  samples: Uint8Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_IMA_ADPCM = 17;
const FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Writers that stream to a pipe cannot seek back to fill in the data size, so they put a huge
 * placeholder there (arecord writes 0x7fffffff, others 0xffffffff). Such a file is not
 * truncated: its data simply runs to the end of the file.
 */
const STREAMED_SIZE_PLACEHOLDER = 0x7fff0000;

function fail(code: string, name: string, problem: string): never {
  throw new UnfoldError(code, `${name}: ${problem}`, { file: name });
}

/** Parses the RIFF structure with wavefile and turns its terse messages into actionable ones. */
function parseWithWavefile(bytes: Uint8Array, name: string): wavefile.WaveFile {
  if (bytes.byteLength === 0) fail('AUDIO_EMPTY', name, 'the file is empty (0 bytes).');
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const wave = String.fromCharCode(...bytes.subarray(8, 12));
  if (!['RIFF', 'RIFX', 'RF64'].includes(magic) || (bytes.byteLength >= 12 && wave !== 'WAVE')) {
    fail(
      'AUDIO_NOT_WAV',
      name,
      'this is not a WAV file (no RIFF/WAVE header). Convert it first, e.g. `sox input.mp3 output.wav`.',
    );
  }
  if (bytes.byteLength < 12) fail('AUDIO_TRUNCATED', name, 'the file ends inside its header.');
  try {
    return new wavefile.WaveFile(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/data/i.test(reason) || /fmt/i.test(reason)) {
      fail(
        'AUDIO_TRUNCATED',
        name,
        `the file is truncated or damaged: ${reason.replace(/\.$/, '')} (the header or audio data is missing).`,
      );
    }
    fail('AUDIO_CORRUPT', name, `the WAV header could not be read: ${reason}`);
  }
}

function describe(
  encoding: SampleFormat['encoding'],
  bits: number,
  extensible: boolean,
): SampleFormat {
  const kind =
    encoding === 'pcm'
      ? `${bits}-bit PCM`
      : encoding === 'float'
        ? `${bits}-bit float`
        : encoding === 'ima-adpcm'
          ? 'IMA ADPCM'
          : `${bits}-bit ${encoding === 'alaw' ? 'A-law' : 'mu-law'}`;
  return {
    encoding,
    bitsPerSample: bits,
    extensible,
    description: extensible ? `${kind} (extensible)` : kind,
  };
}

/** The sample format a fmt chunk declares; AUDIO_UNSUPPORTED for anything else. */
export function sampleFormatOf(
  fmt: Pick<WavFmtChunk, 'audioFormat' | 'bitsPerSample' | 'subformat'>,
  name: string,
): SampleFormat {
  const extensible = fmt.audioFormat === FORMAT_EXTENSIBLE;
  const code = extensible ? (fmt.subformat[0] ?? 0) : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  if (code === FORMAT_PCM && [8, 16, 24, 32].includes(bits))
    return describe('pcm', bits, extensible);
  if (code === FORMAT_FLOAT && (bits === 32 || bits === 64))
    return describe('float', bits, extensible);
  if (code === FORMAT_ALAW && bits === 8) return describe('alaw', 8, extensible);
  if (code === FORMAT_MULAW && bits === 8) return describe('mulaw', 8, extensible);
  if (code === FORMAT_IMA_ADPCM) return describe('ima-adpcm', 4, extensible);
  return fail(
    'AUDIO_UNSUPPORTED',
    name,
    `unsupported sample format (format code ${code}, ${bits} bits per sample). ` +
      'Supported: 8/16/24/32-bit integer PCM, 32/64-bit float, A-law, mu-law, IMA ADPCM. ' +
      'Convert it with `sox input.wav -b 16 output.wav`.',
  );
}

/**
 * What to do with NaN or infinite samples (only float WAVs can hold them): 'refuse' throws
 * AUDIO_NONFINITE, since every feature frame and network output they touch would be NaN;
 * 'repair' replaces them with 0 and counts them, when the user asks for it.
 */
export type NonFiniteHandling = 'refuse' | 'repair';

export interface DecodeOptions {
  /** Default 'refuse'. */
  nonFinite?: NonFiniteHandling;
}

/** Reads IEEE float samples directly: wavefile reads an extensible header's float data as integers. */
function decodeFloatData(
  data: Uint8Array,
  channelCount: number,
  bits: number,
  frames: number,
  sampleRate: number,
  name: string,
  nonFinite: NonFiniteHandling,
): { channels: Float32Array[]; repaired: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bytes = bits / 8;
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  let bad = 0;
  let first: { frame: number; channel: number; value: number } | null = null;
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channelCount; c++) {
      const offset = (frame * channelCount + c) * bytes;
      const value = bits === 32 ? view.getFloat32(offset, true) : view.getFloat64(offset, true);
      if (Number.isFinite(value)) {
        (channels[c] as Float32Array)[frame] = value;
      } else {
        bad++;
        first ??= { frame, channel: c, value };
        // A new Float32Array already holds 0 here: that is the repair.
      }
    }
  }
  if (first && nonFinite === 'refuse') {
    throw nonFiniteError(name, first.frame, first.channel, channelCount, sampleRate, first.value, {
      bad,
      total: frames * channelCount,
    });
  }
  return { channels, repaired: bad };
}

/**
 * AUDIO_NONFINITE for the first NaN/infinite sample of a file; `counts` when the whole file
 * was scanned (a streamed read stops at the first one).
 */
export function nonFiniteError(
  name: string,
  frame: number,
  channel: number,
  channelCount: number,
  sampleRate: number,
  value: number,
  counts: { bad: number; total: number } | null,
): UnfoldError {
  const seconds = frame / sampleRate;
  return new UnfoldError(
    'AUDIO_NONFINITE',
    `${name}: sample ${frame} (${seconds.toFixed(3)} s` +
      `${channelCount > 1 ? `, channel ${channel + 1}` : ''}) is ${value}` +
      (counts ? `, and ${counts.bad} of ${counts.total} samples are not finite numbers. ` : '. ') +
      'Features of such audio would be NaN. Fix the file, or pass --repair-nonfinite to ' +
      'replace non-finite samples with silence (0).',
    {
      file: name,
      sample: frame,
      seconds,
      channel,
      ...(counts ? { nonFiniteSamples: counts.bad } : {}),
    },
  );
}

/** wavefile returns integer samples at their stored scale; map them to [-1, 1). */
function normaliseIntegerChannels(raw: Float64Array[], bits: number): Float32Array[] {
  // Unsigned 8-bit is centred on 128; wider formats are signed two's complement.
  const offset = bits === 8 ? 128 : 0;
  const scale = 1 / 2 ** (bits - 1);
  return raw.map((channel) => {
    const out = new Float32Array(channel.length);
    for (let i = 0; i < channel.length; i++) out[i] = ((channel[i] as number) - offset) * scale;
    return out;
  });
}

function asChannelList(samples: Float64Array | Float64Array[]): Float64Array[] {
  return samples instanceof Float64Array ? [samples] : samples;
}

/**
 * Decodes a WAV file held in memory into normalised channels. `name` (usually the path) is
 * put in every error so the user knows which file is broken.
 */
export function decodeWav(
  bytes: Uint8Array,
  name: string,
  options: DecodeOptions = {},
): DecodedAudio {
  const wav = parseWithWavefile(bytes, name);
  const fmt = wav.fmt as WavFmtChunk;
  const data = wav.data as WavDataChunk;
  if (!(fmt.numChannels >= 1)) fail('AUDIO_CORRUPT', name, 'the header says it has 0 channels.');
  if (!(fmt.sampleRate >= 1)) fail('AUDIO_CORRUPT', name, 'the header says its sample rate is 0.');
  const format = sampleFormatOf(fmt, name);
  if (data.samples.byteLength < data.chunkSize && data.chunkSize < STREAMED_SIZE_PLACEHOLDER) {
    fail(
      'AUDIO_TRUNCATED',
      name,
      `the file is truncated: its header announces ${data.chunkSize} bytes of audio but only ` +
        `${data.samples.byteLength} are present.`,
    );
  }
  if (format.encoding === 'float') {
    const blockAlign = (fmt.numChannels * format.bitsPerSample) / 8;
    const frames = Math.floor(data.samples.byteLength / blockAlign);
    const { channels, repaired } = decodeFloatData(
      data.samples,
      fmt.numChannels,
      format.bitsPerSample,
      frames,
      fmt.sampleRate,
      name,
      options.nonFinite ?? 'refuse',
    );
    return {
      sampleRate: fmt.sampleRate,
      channels,
      format,
      ...(repaired > 0 ? { repairedNonFinite: repaired } : {}),
    };
  }
  if (format.encoding === 'pcm') {
    // Drop a partial last frame (streamed files may end mid-frame) so wavefile stays in bounds.
    const whole = data.samples.byteLength - (data.samples.byteLength % fmt.blockAlign);
    if (whole !== data.samples.byteLength) data.samples = data.samples.subarray(0, whole);
    const raw = asChannelList(wav.getSamples(false, Float64Array) as Float64Array | Float64Array[]);
    return {
      sampleRate: fmt.sampleRate,
      channels: normaliseIntegerChannels(raw, format.bitsPerSample),
      format,
    };
  }
  try {
    // Codecs: wavefile expands them to 16-bit PCM.
    if (format.encoding === 'alaw') wav.fromALaw();
    else if (format.encoding === 'mulaw') wav.fromMuLaw();
    else wav.fromIMAADPCM();
  } catch (error) {
    fail(
      'AUDIO_CORRUPT',
      name,
      `the ${format.description} data could not be decoded: ${String(error)}`,
    );
  }
  const raw = asChannelList(wav.getSamples(false, Float64Array) as Float64Array | Float64Array[]);
  return { sampleRate: fmt.sampleRate, channels: normaliseIntegerChannels(raw, 16), format };
}

/** Reads a file's bytes, turning a missing or unreadable file into an UnfoldError naming it. */
export async function readAudioBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail('AUDIO_NOT_FOUND', path, 'no such file.');
    if (code === 'EISDIR') fail('AUDIO_NOT_WAV', path, 'this is a folder, not a WAV file.');
    if (code === 'EACCES') fail('AUDIO_UNREADABLE', path, 'permission denied.');
    throw error;
  }
}

/** A file read as mono; `repairedNonFinite` counts the samples a 'repair' read set to 0. */
export interface ReadAudio extends MonoAudio {
  repairedNonFinite: number;
}

/**
 * Reads any supported WAV file as mono, resampled to `options.sampleRate` when given.
 * Non-finite samples are refused (AUDIO_NONFINITE) unless `nonFinite: 'repair'`.
 */
export async function readAudioFile(
  path: string,
  options: { sampleRate?: number } & DecodeOptions = {},
): Promise<ReadAudio> {
  const decoded = decodeWav(await readAudioBytes(path), path, options);
  const repairedNonFinite = decoded.repairedNonFinite ?? 0;
  const samples = mixToMono(decoded.channels);
  const target = options.sampleRate;
  if (target === undefined || target === decoded.sampleRate)
    return { sampleRate: decoded.sampleRate, samples, repairedNonFinite };
  return {
    sampleRate: target,
    samples: await resampleMono(samples, decoded.sampleRate, target),
    repairedNonFinite,
  };
}

/** Maps [-1, 1] to signed integers with the same scale the decoder divides by, so PCM round-trips bit-exactly. */
function toIntegerSamples(samples: Float32Array, bits: number): Int32Array {
  const scale = 2 ** (bits - 1);
  const max = scale - 1;
  const out = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.round((samples[i] as number) * scale);
    out[i] = value > max ? max : value < -scale ? -scale : value;
  }
  return out;
}

/** Encodes mono audio as a WAV file (16-bit PCM unless told otherwise); values outside [-1, 1] are clipped. */
export function encodeWav(audio: MonoAudio, options: { bitDepth?: WavBitDepth } = {}): Uint8Array {
  const bitDepth = options.bitDepth ?? 16;
  const wav = new wavefile.WaveFile();
  if (bitDepth === '32f') {
    wav.fromScratch(1, audio.sampleRate, '32f', audio.samples);
  } else {
    wav.fromScratch(
      1,
      audio.sampleRate,
      String(bitDepth),
      toIntegerSamples(audio.samples, bitDepth),
    );
  }
  return wav.toBuffer();
}

/** A 44-byte canonical header for 16-bit PCM; the recorder appends data and patches the sizes. */
export function pcm16WavHeader(
  sampleRate: number,
  channels: number,
  dataBytes: number,
): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, sampleRate, '16', []);
  const header = wav.toBuffer().slice(0, 44);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  view.setUint32(4, 36 + dataBytes, true);
  view.setUint32(40, dataBytes, true);
  return header;
}

export interface AudioInfo {
  path: string;
  fileName: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationSeconds: number;
  format: SampleFormat;
  /** Largest absolute sample over all channels, linear and in dBFS (-Infinity for silence). */
  peak: number;
  peakDbfs: number;
  /** Root mean square over all channels, linear and in dBFS. */
  rms: number;
  rmsDbfs: number;
}

export function toDbfs(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}

/** Describes a WAV file: what `unfold audio info` prints. */
export async function audioInfo(path: string): Promise<AudioInfo> {
  const decoded = decodeWav(await readAudioBytes(path), path);
  let peak = 0;
  let sumSquares = 0;
  let count = 0;
  for (const channel of decoded.channels) {
    for (let i = 0; i < channel.length; i++) {
      const value = channel[i] as number;
      const magnitude = Math.abs(value);
      if (magnitude > peak) peak = magnitude;
      sumSquares += value * value;
    }
    count += channel.length;
  }
  const rms = count > 0 ? Math.sqrt(sumSquares / count) : 0;
  const frames = decoded.channels[0]?.length ?? 0;
  return {
    path,
    fileName: basename(path),
    sampleRate: decoded.sampleRate,
    channels: decoded.channels.length,
    frames,
    durationSeconds: frames / decoded.sampleRate,
    format: decoded.format,
    peak,
    peakDbfs: toDbfs(peak),
    rms,
    rmsDbfs: toDbfs(rms),
  };
}
