import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { UnfoldError } from '../errors';
import { mixToMono } from './mix';
import type { SampleFormat } from './types';
import type { DecodeOptions, NonFiniteHandling } from './wav';
import { decodeWav, nonFiniteError, readAudioBytes, sampleFormatOf } from './wav';

/**
 * A WAV file read block by block as mono floats, so that an hour of audio (230 MB as floats)
 * never sits in memory. Plain little-endian RIFF with integer PCM or float samples (what
 * recorders, SoX and most tools write) streams; anything else (RIFX, RF64, A-law, mu-law,
 * IMA ADPCM) is decoded whole by decodeWav, the one full decoder, and handed out in blocks.
 */
export interface WavBlockReader {
  sampleRate: number;
  channels: number;
  format: SampleFormat;
  /** Frames (samples per channel) in the file. */
  frames: number;
  durationSeconds: number;
  /** Mono blocks of at most `blockFrames` samples, in order. Throws AUDIO_NONFINITE when refusing. */
  blocks(): AsyncGenerator<Float32Array>;
  /** NaN/infinite samples set to 0 so far (nonFinite: 'repair'). */
  readonly repairedNonFinite: number;
  close(): Promise<void>;
}

export interface WavBlockReaderOptions extends DecodeOptions {
  /** Default 65,536 frames (4 s at 16 kHz). */
  blockFrames?: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** How far into the file the header (fmt and the start of data) is looked for. */
const HEADER_SCAN_BYTES = 1 << 20;

interface StreamLayout {
  sampleRate: number;
  channels: number;
  bits: number;
  float: boolean;
  format: SampleFormat;
  dataStart: number;
  dataBytes: number;
}

/** Finds fmt and data in a little-endian RIFF header; null when the file needs the full decoder. */
function streamLayout(head: Uint8Array, fileSize: number, name: string): StreamLayout | null {
  const ascii = (at: number): string => String.fromCharCode(...head.subarray(at, at + 4));
  if (head.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let fmt: { code: number; channels: number; rate: number; bits: number; sub: number } | null =
    null;
  for (let at = 12; at + 8 <= head.length;) {
    const id = ascii(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 8 + 16 <= head.length) {
      const code = view.getUint16(at + 8, true);
      fmt = {
        code,
        channels: view.getUint16(at + 10, true),
        rate: view.getUint32(at + 12, true),
        bits: view.getUint16(at + 22, true),
        sub:
          code === FORMAT_EXTENSIBLE && at + 8 + 28 <= head.length
            ? view.getUint32(at + 32, true)
            : code,
      };
    } else if (id === 'data') {
      if (!fmt) return null;
      const code = fmt.code === FORMAT_EXTENSIBLE ? fmt.sub : fmt.code;
      if (code !== FORMAT_PCM && code !== FORMAT_FLOAT) return null;
      if (!(fmt.channels >= 1) || !(fmt.rate >= 1)) return null;
      const format = sampleFormatOf(
        {
          audioFormat: fmt.code,
          bitsPerSample: fmt.bits,
          subformat: [fmt.sub],
        },
        name,
      );
      const dataStart = at + 8;
      // A streamed file's placeholder size, or a size past the end: the data runs to the end.
      const dataBytes = Math.min(size, fileSize - dataStart);
      if (size > fileSize - dataStart && size < 0x7fff0000) {
        throw new UnfoldError(
          'AUDIO_TRUNCATED',
          `${name}: the file is truncated: its header announces ${size} bytes of audio but only ` +
            `${fileSize - dataStart} are present.`,
          { file: name },
        );
      }
      return {
        sampleRate: fmt.rate,
        channels: fmt.channels,
        bits: fmt.bits,
        float: code === FORMAT_FLOAT,
        format,
        dataStart,
        dataBytes,
      };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

/** Decodes one block of interleaved samples into per-channel floats in [-1, 1]. */
function decodeBlock(
  bytes: Uint8Array,
  layout: StreamLayout,
  frames: number,
  firstFrame: number,
  name: string,
  nonFinite: NonFiniteHandling,
  onRepaired: (count: number) => void,
): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = layout.bits / 8;
  const channels = Array.from({ length: layout.channels }, () => new Float32Array(frames));
  const scale = 1 / 2 ** (layout.bits - 1);
  let repaired = 0;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < layout.channels; c++) {
      const at = (f * layout.channels + c) * width;
      let value: number;
      if (layout.float) {
        value = layout.bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
        if (!Number.isFinite(value)) {
          if (nonFinite === 'refuse')
            throw nonFiniteError(
              name,
              firstFrame + f,
              c,
              layout.channels,
              layout.sampleRate,
              value,
              null,
            );
          repaired++;
          continue;
        }
      } else if (layout.bits === 8) value = ((view.getUint8(at) as number) - 128) * scale;
      else if (layout.bits === 16) value = view.getInt16(at, true) * scale;
      else if (layout.bits === 24)
        value =
          ((view.getInt8(at + 2) << 16) | (view.getUint8(at + 1) << 8) | view.getUint8(at)) * scale;
      else value = view.getInt32(at, true) * scale;
      (channels[c] as Float32Array)[f] = value;
    }
  }
  if (repaired > 0) onRepaired(repaired);
  return channels;
}

/** Opens a WAV file for block-wise reading (see WavBlockReader). */
export async function openWavBlockReader(
  path: string,
  options: WavBlockReaderOptions = {},
): Promise<WavBlockReader> {
  const blockFrames = options.blockFrames ?? 65_536;
  const nonFinite = options.nonFinite ?? 'refuse';
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    // readAudioBytes turns the open error into the audio module's error with the file's name.
    await readAudioBytes(path);
    throw new UnfoldError('AUDIO_UNREADABLE', `${path}: the file could not be opened.`);
  }
  const size = (await handle.stat()).size;
  const head = new Uint8Array(Math.min(size, HEADER_SCAN_BYTES));
  await handle.read(head, 0, head.length, 0);
  let layout: StreamLayout | null;
  try {
    layout = streamLayout(head, size, path);
  } catch (error) {
    await handle.close();
    throw error;
  }
  let repairedNonFinite = 0;
  if (!layout) {
    await handle.close();
    const decoded = decodeWav(await readAudioBytes(path), path, { nonFinite });
    repairedNonFinite = decoded.repairedNonFinite ?? 0;
    const mono = mixToMono(decoded.channels);
    return {
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      format: decoded.format,
      frames: mono.length,
      durationSeconds: mono.length / decoded.sampleRate,
      get repairedNonFinite() {
        return repairedNonFinite;
      },
      async *blocks() {
        for (let at = 0; at < mono.length; at += blockFrames)
          yield mono.subarray(at, Math.min(mono.length, at + blockFrames));
      },
      close: () => Promise.resolve(),
    };
  }
  const streamed = layout;
  const frameBytes = (streamed.channels * streamed.bits) / 8;
  const frames = Math.floor(streamed.dataBytes / frameBytes);
  return {
    sampleRate: streamed.sampleRate,
    channels: streamed.channels,
    format: streamed.format,
    frames,
    durationSeconds: frames / streamed.sampleRate,
    get repairedNonFinite() {
      return repairedNonFinite;
    },
    async *blocks() {
      const buffer = new Uint8Array(blockFrames * frameBytes);
      for (let frame = 0; frame < frames; frame += blockFrames) {
        const count = Math.min(blockFrames, frames - frame);
        const { bytesRead } = await handle.read(
          buffer,
          0,
          count * frameBytes,
          streamed.dataStart + frame * frameBytes,
        );
        const whole = Math.floor(bytesRead / frameBytes);
        const channels = decodeBlock(
          buffer.subarray(0, whole * frameBytes),
          streamed,
          whole,
          frame,
          path,
          nonFinite,
          (n) => (repairedNonFinite += n),
        );
        yield mixToMono(channels);
        if (whole < count) return;
      }
    },
    close: () => handle.close(),
  };
}
