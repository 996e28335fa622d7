import type { Recognizer } from '../domain/speech/recognizer';
import { loadRecognizer } from '../domain/speech/recognizer';
import { trainedModelStamp } from '../domain/experiments/experiment-folder';

/** What the cache holds: anything loaded from an experiment folder that must be disposed. */
export interface LoadedModel {
  dispose(): void;
}

interface Entry<T extends LoadedModel> {
  stamp: string;
  recognizer: Promise<T>;
  /** Holders of a lease (a live session); the recogniser is disposed only when none is left. */
  leases: number;
  retired: boolean;
  /** Set once the load has finished. */
  loaded: T | null;
}

/** A recogniser held for as long as it is used (a live session); release it when done. */
export interface RecognizerLease<T extends LoadedModel = Recognizer> {
  recognizer: T;
  release(): void;
}

export interface ModelCacheOptions<T extends LoadedModel> {
  load: (dir: string) => Promise<T>;
  stamp?: (dir: string) => Promise<string>;
  /** Recognisers kept loaded (least recently used are disposed first). */
  capacity?: number;
}

/**
 * Loaded models (recognisers, taggers) by experiment folder, so that starting live recognition again with the
 * same experiment is instant (loading reads the model and builds the network). An entry is
 * reloaded when the model files change (the experiment was retrained). A recogniser that is
 * replaced or evicted while leased (a live session is running with it) is disposed when the
 * lease is released, never under the session's feet.
 */
export class ModelCache<T extends LoadedModel> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly load: (dir: string) => Promise<T>;
  private readonly stamp: (dir: string) => Promise<string>;
  private readonly capacity: number;

  constructor(options: ModelCacheOptions<T>) {
    this.load = options.load;
    this.stamp = options.stamp ?? trainedModelStamp;
    this.capacity = options.capacity ?? 4;
  }

  /** The model for a short use (one request). */
  async get(dir: string): Promise<T> {
    return (await this.entry(dir)).recognizer;
  }

  /** The model for a long use: it stays alive until release(). */
  async acquire(dir: string): Promise<RecognizerLease<T>> {
    let entry = await this.entry(dir);
    // Replaced while we waited (the model changed again): take the new one.
    while (entry.retired) entry = await this.entry(dir);
    const recognizer = entry.loaded as T;
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

  private async entry(dir: string): Promise<Entry<T>> {
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
    const entry: Entry<T> = { stamp, recognizer, leases: 0, retired: false, loaded: null };
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
      const [oldest, old] = this.entries.entries().next().value as [string, Entry<T>];
      this.drop(oldest, old);
    }
    await recognizer;
    return entry;
  }

  dispose(): void {
    for (const [dir, entry] of [...this.entries]) this.drop(dir, entry);
  }

  private drop(dir: string, entry: Entry<T>): void {
    if (this.entries.get(dir) === entry) this.entries.delete(dir);
    entry.retired = true;
    // Still loading: disposed when the load finishes (see entry()).
    if (entry.loaded && entry.leases === 0) entry.loaded.dispose();
  }
}

/** The app's recognisers: loadRecognizer unless a test passes another loader. */
export class RecognizerCache extends ModelCache<Recognizer> {
  constructor(options: Partial<ModelCacheOptions<Recognizer>> = {}) {
    super({ ...options, load: options.load ?? loadRecognizer });
  }
}
