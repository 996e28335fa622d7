/**
 * One word in two sentences, as a biLM sees it (Peters et al. 2018, section 5.3): the cosine
 * similarity of its two occurrences' static vectors (layer 0, the character-based
 * representation, the same for the same spelling whatever the context) and of their contextual
 * vectors (each recurrent layer and the mix), and each occurrence's nearest tokens of a
 * reference corpus by brute-force cosine. Plain arithmetic over vectors: the biLM and the
 * index are arguments.
 */
import { NEIGHBOUR_CONTEXT_WORDS } from '../../api/lm';
import type { LmNeighbour, LmPolysemy, LmTokenIndexSummary } from '../../api/lm';
import { UnfoldError } from '../errors';
import type { ContextualLayers } from './lm/bilm-steps';
import { tokenizeText } from './tokenize';

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new Error(`cosine of vectors of ${a.length} and ${b.length} values`);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}

/** The vector scaled to length 1 (zeros stay zeros), as float32 for an index. */
export function unitVector(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) ** 2;
  const scale = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  return Float32Array.from(vector, (v) => v * scale);
}

/** Row-major [count, size] unit vectors: an index's rows, searched by dot product. */
export interface UnitRows {
  count: number;
  size: number;
  values: Float32Array;
}

export interface Neighbour {
  /** The row of the index. */
  row: number;
  cosine: number;
}

/**
 * The `k` rows most similar to `query` by cosine, most similar first (ties by row), by one pass
 * over all rows keeping the best k: O(rows x size), fine for the index's limit of tokens.
 */
export function nearestRows(rows: UnitRows, query: ArrayLike<number>, k: number): Neighbour[] {
  if (query.length !== rows.size)
    throw new Error(`a query of ${query.length} values against rows of ${rows.size}`);
  const unit = unitVector(query);
  const best: Neighbour[] = [];
  for (let r = 0; r < rows.count; r++) {
    let dot = 0;
    const base = r * rows.size;
    for (let d = 0; d < rows.size; d++)
      dot += (unit[d] as number) * (rows.values[base + d] as number);
    if (best.length === k && dot <= (best[k - 1] as Neighbour).cosine) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1] as Neighbour).cosine < dot) at--;
    best.splice(at, 0, { row: r, cosine: dot });
    if (best.length > k) best.pop();
  }
  return best;
}

/** Does a token have a letter or digit (a word rather than punctuation)? */
const isWordLike = (token: string): boolean => /[\p{L}\p{N}]/u.test(token);

/**
 * The words two sentences share (compared in lower case), in the order of the first sentence,
 * punctuation left out; each with its first position in either sentence.
 */
export function sharedWords(
  first: readonly string[],
  second: readonly string[],
): { word: string; first: number; second: number }[] {
  const seen = new Set<string>();
  const out: { word: string; first: number; second: number }[] = [];
  first.forEach((token, i) => {
    const key = token.toLowerCase();
    if (seen.has(key) || !isWordLike(token)) return;
    seen.add(key);
    const j = second.findIndex((other) => other.toLowerCase() === key);
    if (j >= 0) out.push({ word: token, first: i, second: j });
  });
  return out;
}

/**
 * The word to compare: the one asked for (found in lower case in both sentences), else the
 * longest shared word (the first of equal length): "play" rather than "The" in "The children
 * play in the park." / "The play premiered yesterday.".
 */
export function chooseSharedWord(
  first: readonly string[],
  second: readonly string[],
  asked: string | null,
): { word: string; first: number; second: number } {
  const shared = sharedWords(first, second);
  if (asked !== null && asked.trim() !== '') {
    const key = asked.trim().toLowerCase();
    const i = first.findIndex((t) => t.toLowerCase() === key);
    const j = second.findIndex((t) => t.toLowerCase() === key);
    if (i < 0 || j < 0)
      throw new UnfoldError(
        'POLYSEMY_WORD_MISSING',
        `"${asked.trim()}" is not in ${i < 0 ? 'the first' : 'the second'} sentence${shared.length > 0 ? `; the sentences share ${shared.map((s) => `"${s.word}"`).join(', ')}` : ''}.`,
      );
    return { word: first[i] as string, first: i, second: j };
  }
  const longest = shared.reduce<(typeof shared)[number] | null>(
    (best, s) => (best === null || [...s.word].length > [...best.word].length ? s : best),
    null,
  );
  if (!longest)
    throw new UnfoldError(
      'POLYSEMY_NO_SHARED_WORD',
      'The two sentences share no word: write a word in both (e.g. "The children play in the park." and "The play premiered yesterday.").',
    );
  return longest;
}

/** Which vector of a token: a layer by number (0 static, 1.. contextual) or the mix. */
export type LayerKey = number | 'mix';

/** A token's vectors by layer, then their mix (their plain average, as `unfold embed` gives it). */
export function layersWithMix(
  values: Float32Array,
  token: number,
  layers: number,
  size: number,
): { layer: LayerKey; vector: Float32Array }[] {
  const out: { layer: LayerKey; vector: Float32Array }[] = [];
  const mix = new Float32Array(size);
  for (let l = 0; l < layers; l++) {
    const vector = values.subarray((token * layers + l) * size, (token * layers + l + 1) * size);
    out.push({ layer: l, vector });
    vector.forEach((v, d) => (mix[d] = (mix[d] as number) + v / layers));
  }
  out.push({ layer: 'mix', vector: mix });
  return out;
}

/** The cosine of two occurrences at every layer and the mix, static (layer 0) first. */
export function layerSimilarities(
  a: { layer: LayerKey; vector: Float32Array }[],
  b: { layer: LayerKey; vector: Float32Array }[],
): { layer: LayerKey; cosine: number }[] {
  return a.map((x, i) => ({
    layer: x.layer,
    cosine: cosineSimilarity(x.vector, (b[i] as { vector: Float32Array }).vector),
  }));
}

/** What the comparison reads: a biLM's layers, and the index of its tokens (or none yet). */
export interface PolysemyInputs {
  layersOf(sentences: readonly (readonly string[])[]): ContextualLayers[];
  index: {
    summary: LmTokenIndexSummary;
    rows: UnitRows;
    sentences: readonly (readonly string[])[];
    /** Row -> [sentence, position]. */
    places: Int32Array;
  } | null;
}

/** The index's rows as words with a few words of their sentence on each side. */
function neighboursOf(
  index: NonNullable<PolysemyInputs['index']>,
  query: Float32Array,
  k: number,
): LmNeighbour[] {
  return nearestRows(index.rows, query, k).map(({ row, cosine }) => {
    const sentence = index.sentences[index.places[row * 2] as number] as readonly string[];
    const position = index.places[row * 2 + 1] as number;
    return {
      word: sentence[position] as string,
      before: sentence.slice(Math.max(0, position - NEIGHBOUR_CONTEXT_WORDS), position),
      after: sentence.slice(position + 1, position + 1 + NEIGHBOUR_CONTEXT_WORDS),
      cosine,
    };
  });
}

/**
 * One word of two typed sentences (each read by the biLM on its own): the cosine of its two
 * occurrences at every layer and the mix, and each occurrence's `k` nearest tokens of the index
 * by the mix (the vectors the index keeps).
 */
export function comparePolysemy(
  inputs: PolysemyInputs,
  experiment: string,
  firstText: string,
  secondText: string,
  asked: string | null,
  k: number,
): LmPolysemy {
  const first = tokenizeText(firstText).map((t) => t.text);
  const second = tokenizeText(secondText).map((t) => t.text);
  if (first.length === 0 || second.length === 0)
    throw new UnfoldError(
      'POLYSEMY_EMPTY_SENTENCE',
      `The ${first.length === 0 ? 'first' : 'second'} sentence has no words.`,
    );
  const chosen = chooseSharedWord(first, second, asked);
  const [a, b] = inputs.layersOf([first, second]) as [ContextualLayers, ContextualLayers];
  const aLayers = layersWithMix(a.values, chosen.first, a.layers, a.size);
  const bLayers = layersWithMix(b.values, chosen.second, b.layers, b.size);
  const mixOf = (layers: { layer: LayerKey; vector: Float32Array }[]): Float32Array =>
    (layers[layers.length - 1] as { vector: Float32Array }).vector;
  const index = inputs.index;
  return {
    experiment,
    word: chosen.word,
    sharedWords: sharedWords(first, second).map((s) => s.word),
    first: {
      tokens: first,
      position: chosen.first,
      neighbours: index ? neighboursOf(index, mixOf(aLayers), k) : null,
    },
    second: {
      tokens: second,
      position: chosen.second,
      neighbours: index ? neighboursOf(index, mixOf(bLayers), k) : null,
    },
    similarities: layerSimilarities(aLayers, bLayers).map(({ layer, cosine }) => ({
      layer,
      kind: layer === 0 ? 'static' : 'contextual',
      cosine,
    })),
    index: index?.summary ?? null,
  };
}
