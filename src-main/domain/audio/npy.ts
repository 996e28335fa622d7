import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, rm } from 'node:fs/promises';
import { UnfoldError } from '../errors';
import type { FeatureMatrix } from './feature-matrix';

/**
 * NumPy .npy version 1.0 (numpy/lib/format.py): magic "\x93NUMPY", version 1.0, a little-endian
 * uint16 header length, then a Python dict literal padded with spaces and ending in "\n" so
 * that the data starts at a multiple of 64 bytes. Written by hand: no maintained npm package
 * writes it, and the format is 20 lines.
 */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function encodeNpy(matrix: FeatureMatrix): Uint8Array {
  return encodeNpyArray(matrix.data, [matrix.frames, matrix.dims]);
}

/** A row-major little-endian float32 .npy of any shape (`unfold embed --out`: 3-D). */
export function encodeNpyArray(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((n, d) => n * d, 1);
  if (values.length !== count)
    throw new Error(`npy: ${values.length} values do not fill the shape [${shape.join(', ')}]`);
  // A 1-tuple needs its comma in Python syntax: (5,).
  const tuple = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${tuple}), }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = dict + ' '.repeat(padding) + '\n';
  const headerStart = MAGIC.length + 4;
  const bytes = new Uint8Array(headerStart + header.length + count * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[headerStart + i] = header.charCodeAt(i);
  const data = new DataView(bytes.buffer, headerStart + header.length);
  for (let i = 0; i < count; i++) data.setFloat32(i * 4, values[i] as number, true);
  return bytes;
}

/** Reads back a 2-D little-endian float32 .npy (what encodeNpy writes); `name` goes into errors. */
export function decodeNpy(bytes: Uint8Array, name: string): FeatureMatrix {
  const bad = (problem: string): never => {
    throw new UnfoldError('NPY_INVALID', `${name}: ${problem}`);
  };
  if (bytes.length < 10 || MAGIC.some((value, i) => bytes[i] !== value)) bad('not a .npy file.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  if (!/'descr':\s*'<f4'/.test(header)) bad('only little-endian float32 arrays are supported.');
  if (/'fortran_order':\s*True/.test(header)) bad('Fortran-ordered arrays are not supported.');
  const shape = /'shape':\s*\((\d+),\s*(\d+)\s*,?\)/.exec(header);
  if (!shape) bad('only 2-D arrays are supported.');
  const frames = Number(shape?.[1]);
  const dims = Number(shape?.[2]);
  const start = headerStart + headerLength;
  if (bytes.length - start < frames * dims * 4) bad('the file is truncated.');
  const data = new Float32Array(frames * dims);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(start + i * 4, true);
  return { data, frames, dims };
}

/** Header bytes of a streamed .npy: fixed, so the final shape can be written over it. */
const STREAM_HEADER_BYTES = 128;

function streamHeader(frames: number, dims: number): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${frames}, ${dims}), }`;
  const length = STREAM_HEADER_BYTES - MAGIC.length - 4;
  const header = dict.padEnd(length - 1, ' ') + '\n';
  const bytes = new Uint8Array(STREAM_HEADER_BYTES);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  new DataView(bytes.buffer).setUint16(8, length, true);
  for (let i = 0; i < header.length; i++) bytes[MAGIC.length + 4 + i] = header.charCodeAt(i);
  return bytes;
}

/**
 * Writes a float32 [frames, dims] .npy row block by row block, for outputs too long to hold
 * (an hour of posteriors): rows go to a temporary file beside `path`, and finish() writes the
 * final shape into the header and renames it into place, so `path` is never half written.
 */
export class NpyStreamWriter {
  private frames = 0;
  private constructor(
    readonly path: string,
    readonly dims: number,
    private readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(path: string, dims: number): Promise<NpyStreamWriter> {
    const temporary = `${path}.${randomBytes(4).toString('hex')}.part`;
    const handle = await open(temporary, 'w');
    await handle.write(streamHeader(0, dims), 0, STREAM_HEADER_BYTES, 0);
    return new NpyStreamWriter(path, dims, temporary, handle);
  }

  /** Appends row-major rows (a multiple of dims values). */
  async append(rows: Float32Array): Promise<void> {
    if (rows.length % this.dims !== 0)
      throw new Error(`npy rows of ${rows.length} values are not a multiple of ${this.dims}`);
    const bytes = new Uint8Array(rows.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < rows.length; i++) view.setFloat32(i * 4, rows[i] as number, true);
    await this.handle.write(
      bytes,
      0,
      bytes.length,
      STREAM_HEADER_BYTES + this.frames * this.dims * 4,
    );
    this.frames += rows.length / this.dims;
  }

  /** Writes the shape, syncs and renames the file into place; returns the number of rows. */
  async finish(): Promise<number> {
    await this.handle.write(streamHeader(this.frames, this.dims), 0, STREAM_HEADER_BYTES, 0);
    await this.handle.sync();
    await this.handle.close();
    await rename(this.temporary, this.path);
    return this.frames;
  }

  /** Closes and removes the temporary file (after a failure or cancellation). */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temporary, { force: true });
  }
}
