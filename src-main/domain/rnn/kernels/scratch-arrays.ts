/**
 * Float32Arrays a training step hands back for the next one. The native sequence ops fill and
 * read several megabytes of arrays per call (the forward's cache, the gradients, copies of their
 * inputs); allocated anew, each is external memory to V8, which starts a full collection of the
 * heap every 64 MB of it: a tenth of a tagger's training time went to those collections.
 *
 * An array may be given back only once nothing reads it any more. On the wasm backend tf.tensor
 * copies its values into the heap at once, so the arrays a tensor was made from are free after
 * the call; backends that keep the caller's array (cpu, tfjs-node) get `freshArrays`, which
 * never reuses.
 */
import * as tf from '@tensorflow/tfjs';

export interface ScratchArrays {
  /** An array of exactly `length` floats, contents unspecified. */
  take(length: number): Float32Array;
  /** Arrays from `take` that nothing will read again (null and foreign arrays are skipped). */
  giveBack(...arrays: Array<Float32Array | null | undefined>): void;
}

/** Sizes are rounded up to a power of two (at least this), so bucketed batches share arrays. */
const SMALLEST_CAPACITY = 1024;
/** Free arrays kept per size: enough for a stacked bidirectional step, bounded if sizes drift. */
const FREE_PER_CAPACITY = 32;

interface Owned {
  whole: Float32Array;
  inUse: boolean;
}

function capacityFor(length: number): number {
  let capacity = SMALLEST_CAPACITY;
  while (capacity < length) capacity *= 2;
  return capacity;
}

/** A pool of arrays by power-of-two capacity; `take` returns a view of the requested length. */
export function pooledArrays(): ScratchArrays {
  const free = new Map<number, Float32Array[]>();
  const owned = new WeakMap<ArrayBufferLike, Owned>();
  return {
    take(length) {
      const capacity = capacityFor(length);
      const whole = free.get(capacity)?.pop() ?? new Float32Array(capacity);
      const entry = owned.get(whole.buffer);
      if (entry) entry.inUse = true;
      else owned.set(whole.buffer, { whole, inUse: true });
      return whole.subarray(0, length);
    },
    giveBack(...arrays) {
      for (const array of arrays) {
        const entry = array ? owned.get(array.buffer) : undefined;
        if (!entry) continue;
        // A second give-back would let two users share an array: a bug to catch, not skip.
        if (!entry.inUse) throw new Error('a scratch array was given back twice');
        entry.inUse = false;
        const list = free.get(entry.whole.length) ?? [];
        if (list.length < FREE_PER_CAPACITY) list.push(entry.whole);
        free.set(entry.whole.length, list);
      }
    },
  };
}

/** New arrays every time, for backends whose tensors keep the array they were made from. */
export const freshArrays: ScratchArrays = {
  take: (length) => new Float32Array(length),
  giveBack: () => {},
};

const shared = pooledArrays();

/** The pool when the current backend copies tensor values in (wasm), else fresh arrays. */
export function scratchArraysForBackend(): ScratchArrays {
  return tf.getBackend() === 'wasm' ? shared : freshArrays;
}
