import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../corpus/manifest';
import type { Corpus } from '../corpus/model';
import { readCorpus } from '../corpus/store/read-corpus';
import type { CorpusSource } from './posteriorgram';

/**
 * Corpora kept between posteriorgram requests: opening one utterance after another should not
 * re-read every TextGrid of the corpus (~0.1 s per 300 utterances here). Loaded models are kept
 * by the server's RecognizerCache (src-main/server/recognizer-cache.ts).
 */

/** A file's identity and version: changes when it is rewritten (atomic writes replace the inode). */
async function fileVersion(path: string): Promise<string | null> {
  return stat(path).then(
    (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
    () => null,
  );
}

/** A small most-recently-used map of promises; evicted values are handed to `release`. */
class PromiseCache<T> {
  private readonly entries = new Map<string, { version: string; value: Promise<T> }>();

  constructor(
    private readonly capacity: number,
    private readonly release: (value: T) => void = () => undefined,
  ) {}

  get(key: string, version: string, load: () => Promise<T>): Promise<T> {
    const cached = this.entries.get(key);
    this.entries.delete(key);
    if (cached && cached.version === version) {
      this.entries.set(key, cached); // most recently used last
      return cached.value;
    }
    if (cached) this.drop(cached.value);
    const value = load();
    this.entries.set(key, { version, value });
    // A failed load is not kept: the next request tries again.
    void value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.drop(entry.value);
      this.entries.delete(oldest);
    }
    return value;
  }

  clear(): void {
    for (const { value } of this.entries.values()) this.drop(value);
    this.entries.clear();
  }

  private drop(value: Promise<T>): void {
    void value.then(this.release, () => undefined);
  }
}

/**
 * Keeps the last few corpora read. Every change to a corpus rewrites its manifest last (with a
 * new revision), so the manifest's version says whether the kept copy is current.
 */
export class CorpusCache {
  private readonly cache: PromiseCache<Corpus>;

  constructor(
    private readonly read: CorpusSource = readCorpus,
    capacity = 2,
  ) {
    this.cache = new PromiseCache<Corpus>(capacity);
  }

  async get(dir: string): Promise<Corpus> {
    const version = (await fileVersion(join(dir, MANIFEST_FILE))) ?? 'missing';
    return this.cache.get(dir, version, () => this.read(dir));
  }
}
