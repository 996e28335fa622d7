import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UnfoldError } from '../errors';
import { pcm16WavHeader } from './wav';

/**
 * Writes 16-bit PCM to `<path>.part` as it arrives and makes it `<path>` on finish.
 * Every `syncIntervalMs` (default 1 s) the header sizes are patched and the file fsynced, so
 * after a crash or power cut the .part file is a valid WAV missing at most the last second.
 * finish() patches, fsyncs, renames and fsyncs the folder: the final name appears only when
 * the file is complete (the atomic finalisation the recorder needs).
 */
export class WavStreamWriter {
  readonly partPath: string;
  private handle: FileHandle | null = null;
  private queue: Promise<void> = Promise.resolve();
  private dataBytes = 0;
  private lastSync = Date.now();
  private failure: unknown = null;

  constructor(
    readonly path: string,
    private readonly sampleRate: number,
    private readonly syncIntervalMs = 1000,
  ) {
    this.partPath = `${path}.part`;
  }

  async open(): Promise<void> {
    try {
      this.handle = await open(this.partPath, 'w');
    } catch (error) {
      throw new UnfoldError(
        'RECORDING_WRITE_FAILED',
        `Cannot write the recording to ${this.partPath}: ${(error as Error).message}`,
      );
    }
    await this.handle.write(pcm16WavHeader(this.sampleRate, 1, 0), 0, 44, 0);
  }

  get bytesWritten(): number {
    return this.dataBytes;
  }

  /** Queues a chunk; writes happen in order without blocking the caller. */
  write(pcm: Uint8Array): void {
    const copy = pcm.slice();
    this.queue = this.queue.then(async () => {
      if (!this.handle || this.failure) return;
      try {
        await this.handle.write(copy, 0, copy.length, 44 + this.dataBytes);
        this.dataBytes += copy.length;
        if (Date.now() - this.lastSync >= this.syncIntervalMs) await this.sync();
      } catch (error) {
        this.failure = error;
      }
    });
  }

  /** Resolves once every chunk queued so far is written (and synced where one was due). */
  written(): Promise<void> {
    return this.queue;
  }

  private async sync(): Promise<void> {
    const handle = this.handle as FileHandle;
    const header = pcm16WavHeader(this.sampleRate, 1, this.dataBytes);
    await handle.write(header, 0, 44, 0);
    await handle.sync();
    this.lastSync = Date.now();
  }

  /** Completes the file under its final name; returns the number of audio bytes. */
  async finish(): Promise<number> {
    await this.queue;
    if (this.failure) {
      throw new UnfoldError(
        'RECORDING_WRITE_FAILED',
        `Writing ${this.partPath} failed: ${(this.failure as Error).message}`,
      );
    }
    if (!this.handle) throw new Error('finish() before open()');
    await this.sync();
    await this.handle.close();
    this.handle = null;
    await rename(this.partPath, this.path);
    const folder = await open(dirname(this.path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
    return this.dataBytes;
  }

  /** Abandons the file (e.g. a recording that never started). */
  async discard(): Promise<void> {
    await this.queue;
    await this.handle?.close();
    this.handle = null;
    await rm(this.partPath, { force: true });
  }
}

/**
 * Turns the `.part` file a crashed recording left behind into a WAV: the header is patched to
 * cover every whole sample on disk (the periodic sync may lag by up to a second) and the file
 * renamed to its final name. Returns that name.
 */
export async function recoverWavPart(partPath: string, sampleRate: number): Promise<string> {
  if (!partPath.endsWith('.part')) {
    throw new UnfoldError(
      'NOT_A_PARTIAL_RECORDING',
      `${partPath} is not a partial recording (*.wav.part).`,
    );
  }
  const size = (await stat(partPath)).size;
  if (size < 44) {
    throw new UnfoldError(
      'AUDIO_TRUNCATED',
      `${partPath}: the recording ended before its header was written.`,
    );
  }
  const dataBytes = (size - 44) & ~1;
  const handle = await open(partPath, 'r+');
  try {
    await handle.write(pcm16WavHeader(sampleRate, 1, dataBytes), 0, 44, 0);
    await handle.truncate(44 + dataBytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const finalPath = partPath.slice(0, -'.part'.length);
  await rename(partPath, finalPath);
  return finalPath;
}
