/**
 * A small seeded generator (mulberry32) so that initialisation, shuffling and dropout masks are
 * reproducible from one seed on every backend; TF.js's own seeded ops differ between backends.
 */
import { mulberry32 } from '../seeded-random';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A fresh 32-bit seed for a dependent generator or a seeded TF.js op. */
  seed(): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    seed: () => Math.floor(next() * 4294967296) >>> 0,
  };
}

/** Fisher-Yates shuffle in place with the given generator. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
