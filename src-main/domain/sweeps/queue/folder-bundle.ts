/**
 * A folder as one tar stream, for the corpus a queue worker fetches and the experiment folder it
 * sends back; and a folder's content hash. Neither side ever holds a whole folder in memory: a
 * bundle is read from disk and written to disk a chunk at a time, so a 600 MB corpus costs the
 * same memory as a 10 KB one.
 *
 * The tar format comes from `tar` (node-tar, kept by the npm team; v7, since v8 asks for Node 22
 * and this project runs on Node 20): its `Header`/`Pax` encode each entry's header (pax for long
 * or non-ASCII names) and its `Parser` reads them back. The packing loop is ours rather than its
 * `Pack`, so that only regular files ever go out (its `Pack` turns two names of one inode into a
 * hard-link entry, which the unpacking side refuses) and so that a stopped stream closes its
 * file and removes its snapshot at once. Unpacking writes the entries itself too (not its
 * `Unpack`, which drops bad paths with a warning instead of refusing the bundle).
 *
 * Format: one `File` entry per file (paths relative, '/'-separated, sorted, mode 0644, no owner
 * or time), then tar's end-of-archive blocks. Empty folders do not travel. Unpacking takes
 * `File` and `Directory` entries only.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Header, Parser, Pax } from 'tar';
import type { ReadEntry } from 'tar';
import { UnfoldError } from '../../errors';
import { atomicWriteTarget } from '../../fs/atomic-write';

const BLOCK = 512;
/** tar's end of archive: two zero blocks. */
const END_OF_ARCHIVE = new Uint8Array(2 * BLOCK);

/** Every file under `dir`, relative paths with '/' in sorted order; none when it is missing. */
async function filesOf(dir: string, skip: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !skip(path))
    .sort();
}

/** Lock files and atomic writes' temporary files: never part of what travels. */
const isTransient = (path: string): boolean =>
  path.endsWith('.lock') ||
  path.includes('.lock/') ||
  atomicWriteTarget(path.slice(path.lastIndexOf('/') + 1)) !== null;

const fileOf = (dir: string, path: string): string => join(dir, ...path.split('/'));

/** A folder being written to (a run training) is snapshot again until one pass saw it unchanged. */
const PACK_TRIES = 5;

/** Hard links cannot be made here (another file system, FAT, some network drives): copy. */
const NO_HARD_LINKS = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

const sameFile = (a: Stats, b: Stats): boolean =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

/**
 * One state of `dir` in `snapshot`: every file hard-linked there (copied where links are not
 * possible), and the pass repeated while a file vanished, appeared, or was replaced or written
 * during it. Hard links make this cheap (no bytes copied), and a file replaced afterwards (an
 * atomic write renames a new file over the name) leaves the snapshot's copy as it was, so the
 * stream that follows, however slow the network, sends one state of the folder. Returns the
 * snapshot's file list. After PACK_TRIES passes the last one is taken, as before.
 */
async function snapshotFolder(dir: string, snapshot: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    await rm(snapshot, { recursive: true, force: true });
    await mkdir(snapshot, { recursive: true });
    const paths = await filesOf(dir, isTransient);
    const taken: string[] = [];
    const before = new Map<string, Stats>();
    let changed = false;
    let linking = true;
    for (const path of paths) {
      const source = fileOf(dir, path);
      const target = fileOf(snapshot, path);
      try {
        before.set(path, await stat(source));
        await mkdir(dirname(target), { recursive: true });
        if (linking)
          await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
            if (!NO_HARD_LINKS.has(error.code ?? '')) throw error;
            linking = false;
            await copyFile(source, target);
          });
        else await copyFile(source, target);
        taken.push(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        changed = true;
      }
    }
    const again = await filesOf(dir, isTransient);
    if (!changed && again.join('\n') === paths.join('\n'))
      for (const path of taken) {
        const now = await stat(fileOf(dir, path)).catch(() => null);
        if (!now || !sameFile(now, before.get(path) as Stats)) {
          changed = true;
          break;
        }
      }
    else changed = true;
    if (!changed || attempt >= PACK_TRIES) return taken;
  }
}

/** A file entry's header (with a pax header first for a long or non-ASCII path). */
function fileHeader(path: string, size: number): Buffer[] {
  const header = new Header({ path, mode: 0o644, size, type: 'File' });
  const needsPax = header.encode();
  const block = header.block as Buffer;
  return needsPax ? [new Pax({ path, size }).encode(), block] : [block];
}

/** The kinds of folder a transfer makes beside its target, each named by {@link transferName}. */
const TRANSFER_KINDS = ['snapshot', 'incoming', 'outgoing'] as const;

/** `.<kind>-<folder>-<pid>-<time>-<random>`: the pid tells a live transfer from an abandoned one. */
const transferName = (kind: (typeof TRANSFER_KINDS)[number], dir: string): string =>
  `.${kind}-${basename(dir)}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

const TRANSFER_NAME = new RegExp(`^\\.(?:${TRANSFER_KINDS.join('|')})-.+-(\\d+)-\\d+-[0-9a-z]+$`);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the snapshots and staged folders that transfers of processes no longer running left
 * in `dir` (a crash or a kill -9 skips their own clean-up); a live process's are left alone.
 * Returns the names removed.
 */
export async function removeAbandonedTransfers(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const pid = TRANSFER_NAME.exec(name)?.[1];
    return pid !== undefined && !isRunning(Number(pid));
  });
  for (const name of abandoned) await rm(join(dir, name), { recursive: true, force: true });
  return abandoned;
}

async function* tarOfFolder(dir: string, snapshotDir: string): AsyncGenerator<Uint8Array> {
  const snapshot = join(snapshotDir, transferName('snapshot', dir));
  try {
    for (const path of await snapshotFolder(dir, snapshot)) {
      const file = fileOf(snapshot, path);
      // The snapshot's files do not change: the size in the header is the size sent.
      const { size } = await stat(file);
      yield* fileHeader(path, size);
      if (size === 0) continue;
      const stream = createReadStream(file);
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } finally {
        stream.destroy();
      }
      if (size % BLOCK !== 0) yield new Uint8Array(BLOCK - (size % BLOCK));
    }
    yield END_OF_ARCHIVE;
  } finally {
    // Also when the reader stops early (a broken connection): the generator is returned.
    await rm(snapshot, { recursive: true, force: true });
  }
}

/**
 * The folder's files as a tar stream, read from a snapshot of them (see snapshotFolder) made in
 * `snapshotDir` (default: beside `dir`; give a folder no listing shows, on the same file system
 * so hard links work) and removed when the stream ends, fails or is destroyed.
 */
export function packFolderStream(
  dir: string,
  { snapshotDir = dirname(dir) }: { snapshotDir?: string } = {},
): Readable {
  return Readable.from(tarOfFolder(dir, snapshotDir), { objectMode: false });
}

/** SHA-256 over every file's path and bytes: equal folders, equal hashes, on any machine. */
export async function folderHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const path of await filesOf(dir, isTransient)) {
    const file = fileOf(dir, path);
    const { size } = await stat(file);
    hash.update(`${path}\0${size}\0`);
    // A file at a time, a chunk at a time: a corpus of any size hashes in constant memory.
    let hashed = 0;
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer);
      hashed += (chunk as Buffer).length;
    }
    if (hashed !== size) throw new Error(`${file} changed while it was hashed`);
  }
  return hash.digest('hex');
}

const badBundle = (message: string): UnfoldError => new UnfoldError('BAD_BUNDLE', message);

function checkedPath(path: unknown): string[] {
  const segments = typeof path === 'string' ? path.split('/') : [];
  if (
    segments.length === 0 ||
    segments.some(
      (s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'),
    )
  )
    throw badBundle(`A bundle holds a path that is not allowed: ${String(path)}`);
  return segments;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

export interface UnpackOptions {
  /** Where the folder is unpacked before it is swapped in (default: beside `dir`). */
  stagingDir?: string;
  /** The most bytes the stream, and the files in it, may hold (default: no limit). */
  maxBytes?: number;
}

/**
 * Replaces `dir` by the bundle's files: unpacked beside it first (in `stagingDir`), then swapped
 * in, so a broken transfer or a bad bundle never leaves half a folder where a whole one was.
 * Refuses (BAD_BUNDLE) any entry but files and folders (links, devices), any path that is
 * absolute, has a '..' or '.' segment, a backslash or a NUL, and a stream that ends before tar's
 * end-of-archive blocks; BUNDLE_TOO_LARGE past `maxBytes`. Errors of the stream itself (a
 * connection lost) are passed on as they are. Returns the bytes read.
 */
export async function unpackFolderStream(
  source: AsyncIterable<Uint8Array>,
  dir: string,
  { stagingDir = dirname(dir), maxBytes = Infinity }: UnpackOptions = {},
): Promise<{ bytes: number }> {
  // Staged on the same file system (renames), outside folders that are listed (experiments/).
  const incoming = join(stagingDir, transferName('incoming', dir));
  const outgoing = join(stagingDir, transferName('outgoing', dir));
  const parser = new Parser({ strict: true, brotli: false, zstd: false });
  let failure: unknown = null;
  // Each wait below also ends at the first failure. Not Promise.race with one long-lived
  // promise: every race would leave it a reaction holding its result (each chunk), for ever.
  const waiting = new Set<(error: unknown) => void>();
  const orFailure = <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure !== null) return reject(failure);
      waiting.add(reject);
      promise.then(
        (value) => {
          waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(reject);
          reject(error);
        },
      );
    });
  let current: ReadEntry | null = null;
  const fail = (error: unknown): void => {
    if (failure !== null) return;
    failure = error;
    for (const reject of waiting) reject(error);
    waiting.clear();
    // A fresh error: tar's abort writes its own fields into the error it is given.
    parser.abort(new Error('unpacking stopped'));
    // No more data comes for the entry being written: end its file now.
    current?.destroy();
  };
  parser.on('error', (error: Error) =>
    fail(
      error instanceof UnfoldError
        ? error
        : badBundle(`The data received is not a whole folder bundle: ${error.message}`),
    ),
  );
  let sawEnd = false;
  parser.on('eof', () => (sawEnd = true));
  const ended = new Promise<void>((resolve) => parser.on('end', () => resolve()));

  let bytes = 0;
  let fileBytes = 0;
  const tooLarge = (): UnfoldError =>
    new UnfoldError(
      'BUNDLE_TOO_LARGE',
      `A folder bundle for ${basename(dir)} is larger than the limit of ${maxBytes} bytes.`,
    );
  const store = async (entry: ReadEntry): Promise<void> => {
    const isDirectory = entry.type === 'Directory';
    if (!isDirectory && !FILE_TYPES.has(entry.type))
      throw badBundle(
        `A bundle holds a ${entry.type} entry (${entry.path}): only files and folders travel.`,
      );
    const segments = checkedPath(isDirectory ? entry.path.replace(/\/$/, '') : entry.path);
    const target = join(incoming, ...segments);
    if (isDirectory) {
      await mkdir(target, { recursive: true });
      entry.resume();
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    // 'wx': a path given twice is refused rather than written over.
    const handle = await open(target, 'wx');
    try {
      for await (const chunk of entry) {
        fileBytes += chunk.length;
        if (fileBytes > maxBytes) throw tooLarge();
        await handle.write(chunk);
        // Failed meanwhile: the entry was destroyed while no read waited, so none would end.
        if (failure !== null) break;
      }
    } finally {
      await handle.close();
    }
  };
  // The parser hands over the next entry once this one is read: one file open at a time.
  let storing: Promise<void> = Promise.resolve();
  parser.on('entry', (entry: ReadEntry) => {
    storing = storing
      .then(async () => {
        if (failure !== null) {
          entry.resume();
          return;
        }
        current = entry;
        await store(entry).catch((error: NodeJS.ErrnoException) => {
          if (['EEXIST', 'ENOTDIR', 'EISDIR'].includes(error.code ?? ''))
            throw badBundle(`A bundle holds ${entry.path} twice, or as a file and a folder.`);
          throw error;
        });
      })
      .catch(fail);
  });

  const iterator = source[Symbol.asyncIterator]();
  try {
    await mkdir(incoming, { recursive: true });
    for (;;) {
      const next = await orFailure(iterator.next());
      if (next.done) break;
      bytes += next.value.length;
      if (bytes > maxBytes) throw tooLarge();
      if (!parser.write(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.length)))
        await orFailure(once(parser, 'drain'));
    }
    parser.end();
    await orFailure(ended);
    await orFailure(storing);
    if (failure !== null) throw failure;
    if (!sawEnd) throw badBundle('The folder bundle ends before its end (a transfer cut short?).');
    await mkdir(dirname(dir), { recursive: true });
    await rename(dir, outgoing).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(incoming, dir);
    return { bytes };
  } catch (error) {
    fail(error);
    // Stops the source (destroys a stream), not waited for: it may be waiting for data.
    iterator.return?.().catch(() => undefined);
    throw failure;
  } finally {
    await storing;
    await rm(incoming, { recursive: true, force: true });
    await rm(outgoing, { recursive: true, force: true });
  }
}
