import type { Recognizer } from '../domain/speech/recognizer';
import { loadRecognizer } from '../domain/speech/recognizer';
import { trainedModelStamp } from '../domain/experiments/experiment-folder';

interface Entry {
  stamp: string;
  recognizer: Promise<Recognizer>;
  /** Holders of a lease (a live session); the recogniser is disposed only when none is left. */
  leases: number;
  retired: boolean;
  /** Set once the load has finished. */
  loaded: Recognizer | null;
}

/** A recogniser held for as long as it is used (a live session); release it when done. */
export interface RecognizerLease {
  recognizer: Recognizer;
  release(): void;
}

export interface RecognizerCacheOptions {
  load?: (dir: string) => Promise<Recognizer>;
  stamp?: (dir: string) => Promise<string>;
  /** Recognisers kept loaded (least recently used are disposed first). */
  capacity?: number;
}

/**
 * Loaded recognisers by experiment folder, so that starting live recognition again with the
 * same experiment is instant (loading reads the model and builds the network). An entry is
 * reloaded when the model files change (the experiment was retrained). A recogniser that is
 * replaced or evicted while leased (a live session is running with it) is disposed when the
 * lease is released, never under the session's feet.
 */
export class RecognizerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly load: (dir: string) => Promise<Recognizer>;
  private readonly stamp: (dir: string) => Promise<string>;
  private readonly capacity: number;

  constructor(options: RecognizerCacheOptions = {}) {
    this.load = options.load ?? loadRecognizer;
    this.stamp = options.stamp ?? trainedModelStamp;
    this.capacity = options.capacity ?? 4;
  }

  /** The recogniser for a short use (one request). */
  async get(dir: string): Promise<Recognizer> {
    return (await this.entry(dir)).recognizer;
  }

  /** The recogniser for a long use: it stays alive until release(). */
  async acquire(dir: string): Promise<RecognizerLease> {
    let entry = await this.entry(dir);
    // Replaced while we waited (the model changed again): take the new one.
    while (entry.retired) entry = await this.entry(dir);
    const recognizer = entry.loaded as Recognizer;
    entry.leases++;
    let released = false;
    return {
      recognizer,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) recognizer.dispose();
      },
    };
  }

  private async entry(dir: string): Promise<Entry> {
    const stamp = await this.stamp(dir);
    const cached = this.entries.get(dir);
    if (cached && cached.stamp === stamp) {
      // Most recently used last.
      this.entries.delete(dir);
      this.entries.set(dir, cached);
      await cached.recognizer;
      return cached;
    }
    if (cached) this.drop(dir, cached);
    const recognizer = this.load(dir);
    const entry: Entry = { stamp, recognizer, leases: 0, retired: false, loaded: null };
    this.entries.set(dir, entry);
    void recognizer.then(
      (r) => {
        entry.loaded = r;
        if (entry.retired && entry.leases === 0) r.dispose();
      },
      () => undefined,
    );
    // A failed load is not kept: the next start tries again (e.g. after training finishes).
    recognizer.catch(() => {
      if (this.entries.get(dir) === entry) this.entries.delete(dir);
    });
    while (this.entries.size > this.capacity) {
      const [oldest, old] = this.entries.entries().next().value as [string, Entry];
      this.drop(oldest, old);
    }
    await recognizer;
    return entry;
  }

  dispose(): void {
    for (const [dir, entry] of [...this.entries]) this.drop(dir, entry);
  }

  private drop(dir: string, entry: Entry): void {
    if (this.entries.get(dir) === entry) this.entries.delete(dir);
    entry.retired = true;
    // Still loading: disposed when the load finishes (see entry()).
    if (entry.loaded && entry.leases === 0) entry.loaded.dispose();
  }
}
