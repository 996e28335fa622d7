/**
 * How a generator picks the next unit from the model's log-probabilities: greedy (temperature
 * 0), or a draw from softmax(logp / T) restricted to the k most probable units (top-k) and to
 * the smallest set of most probable units whose mass reaches p (top-p, nucleus sampling,
 * Holtzman et al. 2020), renormalised. Ids the model must never produce (padding) are left out.
 */
import { UnfoldError } from '../../errors';

export interface SamplingSettings {
  /** 0: greedy; > 0: sample (1 is the model's own distribution). */
  temperature: number;
  /** Keep the k most probable units; null: all. */
  topK: number | null;
  /** Keep the most probable units up to this cumulative probability (0 < p <= 1); null: all. */
  topP: number | null;
}

/** Checks the settings a user gave; notes what was adjusted (top-k past the vocabulary). */
export function checkSamplingSettings(
  settings: SamplingSettings,
  predictable: number,
): { settings: SamplingSettings; notes: string[] } {
  const { temperature, topK, topP } = settings;
  if (!Number.isFinite(temperature) || temperature < 0)
    throw new UnfoldError(
      'LM_BAD_TEMPERATURE',
      `The temperature must be 0 (greedy) or more (got ${temperature}).`,
    );
  if (topK !== null && (!Number.isInteger(topK) || topK < 1))
    throw new UnfoldError('LM_BAD_TOP_K', `top-k must be a whole number from 1 (got ${topK}).`);
  if (topP !== null && (!Number.isFinite(topP) || topP <= 0 || topP > 1))
    throw new UnfoldError('LM_BAD_TOP_P', `top-p must be above 0 and at most 1 (got ${topP}).`);
  const notes: string[] = [];
  let k = topK;
  if (k !== null && k > predictable) {
    notes.push(
      `top-k ${k} is more than the ${predictable} units the model can produce: all of them are kept.`,
    );
    k = predictable;
  }
  return { settings: { temperature, topK: k, topP }, notes };
}

/** The ids that are not excluded, most probable first (ties: the lowest id first). */
export function rankedIds(logProbs: ArrayLike<number>, excluded: ReadonlySet<number>): number[] {
  const ids: number[] = [];
  for (let i = 0; i < logProbs.length; i++) if (!excluded.has(i)) ids.push(i);
  return ids.sort((a, b) => (logProbs[b] as number) - (logProbs[a] as number) || a - b);
}

/**
 * The distribution the next unit is drawn from: probabilities over the ids (0 for those left
 * out), or null for greedy decoding.
 */
export function samplingDistribution(
  logProbs: ArrayLike<number>,
  settings: SamplingSettings,
  excluded: ReadonlySet<number>,
): Float64Array | null {
  if (settings.temperature === 0) return null;
  const ids = rankedIds(logProbs, excluded);
  const kept = settings.topK === null ? ids : ids.slice(0, settings.topK);
  const max = logProbs[kept[0] as number] as number;
  const weights = kept.map((id) =>
    Math.exp(((logProbs[id] as number) - max) / settings.temperature),
  );
  let total = weights.reduce((a, b) => a + b, 0);
  let count = kept.length;
  if (settings.topP !== null) {
    let mass = 0;
    count = 0;
    while (count < kept.length && mass < settings.topP * total) mass += weights[count++] as number;
    total = mass;
  }
  const probabilities = new Float64Array(logProbs.length);
  for (let i = 0; i < count; i++) probabilities[kept[i] as number] = (weights[i] as number) / total;
  return probabilities;
}

/** The most probable id that is not excluded (ties: the lowest id). */
export function greedyId(logProbs: ArrayLike<number>, excluded: ReadonlySet<number>): number {
  let best = -1;
  for (let i = 0; i < logProbs.length; i++) {
    if (excluded.has(i)) continue;
    if (best < 0 || (logProbs[i] as number) > (logProbs[best] as number)) best = i;
  }
  return best;
}

/** The id a uniform draw u in [0, 1) falls on. */
export function drawId(probabilities: Float64Array, u: number): number {
  let acc = 0;
  let last = -1;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    if (p <= 0) continue;
    acc += p;
    last = i;
    if (u < acc) return i;
  }
  return last;
}

/** The next id: greedy at temperature 0, else a draw with `u`. */
export function chooseNextId(
  logProbs: ArrayLike<number>,
  settings: SamplingSettings,
  excluded: ReadonlySet<number>,
  u: number,
): number {
  const distribution = samplingDistribution(logProbs, settings, excluded);
  return distribution ? drawId(distribution, u) : greedyId(logProbs, excluded);
}
