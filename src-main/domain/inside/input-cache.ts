/**
 * The last few inputs an opened model was shown, kept with what was worked out from them (the
 * prepared features or token ids, each layer's states): the dynamics panel asks again on every
 * step of its slider, and only the first ask should read the audio and trace it. An entry is made
 * again when a file it was read from has changed since (its stamp); the whole cache goes with its
 * model, which the app reopens when the experiment's model files change.
 */
import { filesStamp } from '../fs/files-stamp';

/** Inputs kept per opened model. */
export const INPUT_CACHE_CAPACITY = 4;

interface Made<T> {
  value: T;
  /** The stamp of the value's source files when it was made. */
  stamp: string;
}

export interface InputCacheOptions<T> {
  /** The files a value was read from (none for typed text). */
  sourcesOf: (value: T) => readonly string[];
  capacity?: number;
  stamp?: (paths: readonly string[]) => Promise<string>;
}

/** Values by input key, least recently used dropped first; a failed make is not kept. */
export class InputCache<T> {
  private readonly entries = new Map<string, Promise<Made<T>>>();
  private readonly sourcesOf: (value: T) => readonly string[];
  private readonly capacity: number;
  private readonly stamp: (paths: readonly string[]) => Promise<string>;

  constructor(options: InputCacheOptions<T>) {
    this.sourcesOf = options.sourcesOf;
    this.capacity = options.capacity ?? INPUT_CACHE_CAPACITY;
    this.stamp = options.stamp ?? filesStamp;
  }

  /** The value of `key`: the kept one while its source files are unchanged, else `make()`'s. */
  async get(key: string, make: () => Promise<T>): Promise<T> {
    const kept = this.entries.get(key);
    if (kept) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, kept);
      const made = await kept.catch(() => null);
      if (made && made.stamp === (await this.stamp(this.sourcesOf(made.value)))) return made.value;
      if (this.entries.get(key) === kept) this.entries.delete(key);
      // Another request may have made it again meanwhile.
      const again = this.entries.get(key);
      if (again) return this.get(key, make);
    }
    const making = make().then(async (value) => ({
      value,
      stamp: await this.stamp(this.sourcesOf(value)),
    }));
    this.entries.set(key, making);
    making.catch(() => {
      if (this.entries.get(key) === making) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return (await making).value;
  }

  get size(): number {
    return this.entries.size;
  }
}
