/**
 * A recurrent layer left to itself: iterate state -> state with no (or a constant) input and say
 * what the trajectory does. It settles to a fixed point, falls into a cycle (with its period),
 * blows up (only an unbounded map can: a tanh or sigmoid state stays in [-1, 1]), or wanders,
 * with an estimate of the largest Lyapunov exponent (Benettin et al. 1980: follow a neighbour
 * a small distance away, renormalise it every step, average the log growth).
 */
import type { DynamicsBehaviour } from '../../api/inside';
import { mulberry32 } from '../seeded-random';

export type StateMap = (state: Float32Array) => Float32Array;

/** A state this large (or not finite) has left any bounded region: the map diverges. */
export const DIVERGED_NORM = 1e6;
/** Two states this close (relative to the trajectory's size) are the same state. */
const SAME_STATE = 1e-4;
/** Relative size of the neighbour's offset in the Lyapunov estimate. */
const NEIGHBOUR_OFFSET = 1e-4;
/** Longest cycle looked for. */
export const MAX_PERIOD = 64;

export function norm(v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  return Math.sqrt(sum);
}

function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}

/**
 * States 0..steps (fewer when the map diverges: the trajectory stops at the first state past
 * DIVERGED_NORM).
 */
export function trajectory(map: StateMap, start: Float32Array, steps: number): Float32Array[] {
  const states: Float32Array[] = [Float32Array.from(start)];
  let state = states[0] as Float32Array;
  for (let t = 0; t < steps; t++) {
    state = map(state);
    states.push(state);
    const size = norm(state);
    if (!Number.isFinite(size) || size > DIVERGED_NORM) break;
  }
  return states;
}

/** Largest Lyapunov exponent per step, from `from` over `steps` steps. */
export function lyapunovEstimate(
  map: StateMap,
  from: Float32Array,
  steps: number,
  seed = 1,
): number {
  const random = mulberry32(seed);
  const offset = NEIGHBOUR_OFFSET * Math.max(1, norm(from));
  const direction = Float32Array.from(from, () => random() - 0.5);
  const size = norm(direction) || 1;
  let state: Float32Array = Float32Array.from(from);
  let neighbour: Float32Array = Float32Array.from(
    from,
    (v, i) => v + (offset * (direction[i] as number)) / size,
  );
  let sum = 0;
  let counted = 0;
  for (let t = 0; t < steps; t++) {
    state = map(state);
    neighbour = map(neighbour);
    const apart = distance(state, neighbour);
    if (!(apart > 0) || !Number.isFinite(apart)) break;
    sum += Math.log(apart / offset);
    counted++;
    const pull = offset / apart;
    neighbour = Float32Array.from(state, (v, i) => v + ((neighbour[i] as number) - v) * pull);
  }
  return counted > 0 ? sum / counted : 0;
}

/**
 * What the trajectory does. The second half of it is taken as the behaviour's (the first is
 * the transient); a fixed point's `settledAt` is the first step from which it no longer moves.
 */
export function classifyTrajectory(
  map: StateMap,
  states: readonly Float32Array[],
): DynamicsBehaviour {
  const last = states[states.length - 1] as Float32Array;
  const lastNorm = norm(last);
  if (!Number.isFinite(lastNorm) || lastNorm > DIVERGED_NORM)
    return { kind: 'diverges', at: states.length - 1 };
  const tailStart = Math.floor(states.length / 2);
  let scale = 1;
  for (let t = tailStart; t < states.length; t++)
    scale = Math.max(scale, norm(states[t] as Float32Array));
  const tolerance = SAME_STATE * scale;
  const end = states.length - 1;
  const moved = (t: number, period: number): boolean =>
    distance(states[t] as Float32Array, states[t - period] as Float32Array) >= tolerance;
  if (end >= 1 && !moved(end, 1)) {
    let settledAt = end;
    while (settledAt > 0 && !moved(settledAt, 1)) settledAt--;
    return { kind: 'fixed-point', settledAt };
  }
  const tail = end - tailStart;
  for (let period = 2; period <= Math.min(MAX_PERIOD, Math.floor(tail / 2)); period++) {
    let repeats = true;
    for (let t = end; t > end - period * 2 && repeats; t--) repeats = !moved(t, period);
    if (repeats) return { kind: 'cycle', period };
  }
  return {
    kind: 'wanders',
    lyapunov: lyapunovEstimate(map, states[tailStart] as Float32Array, Math.max(1, tail)),
  };
}
