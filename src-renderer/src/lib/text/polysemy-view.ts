/**
 * What the polysemy panel shows of a comparison: each layer's cosine as a bar (static layer 0
 * first, then the contextual layers and their mix), and each occurrence's nearest tokens of
 * the index as bars with a few words of their sentence around them.
 */
import type { CorpusSummary } from '@api/corpus';
import type { LmLayerSimilarity, LmNeighbour } from '@api/lm';

/** A row of ProbabilityBars (its ProbabilityBar shape): here a cosine, not a probability. */
export interface CosineBar {
  value: string;
  face: string;
  /** The bar's length: the cosine, 0 when negative. */
  probability: number;
  /** The cosine as written ("0.873"). */
  percent: string;
  marked: boolean;
}

/** The example of Peters et al.'s kind: "play" as a verb, then as a noun. */
export const POLYSEMY_EXAMPLE = {
  first: 'The children play in the park.',
  second: 'The play premiered yesterday.',
} as const;

export function layerName(layer: number | 'mix'): string {
  if (layer === 'mix') return 'mix (average of the layers)';
  return layer === 0
    ? 'layer 0: static (characters)'
    : `layer ${layer}: contextual (LSTM ${layer})`;
}

/** A cosine as a bar: the bar shows 0..1 (a negative cosine an empty bar), the figure the sign. */
function cosineBar(value: string, face: string, cosine: number, marked: boolean): CosineBar {
  return {
    value,
    face,
    probability: Math.min(1, Math.max(0, cosine)),
    percent: cosine.toFixed(3),
    marked,
  };
}

export function similarityBars(similarities: readonly LmLayerSimilarity[]): CosineBar[] {
  return similarities.map((s) =>
    cosineBar(String(s.layer), layerName(s.layer), s.cosine, s.kind === 'static'),
  );
}

/** The static cosine and the mix's, the two figures the panel states in words. */
export function headlineSimilarities(similarities: readonly LmLayerSimilarity[]): {
  static: number | null;
  contextual: number | null;
} {
  return {
    static: similarities.find((s) => s.kind === 'static')?.cosine ?? null,
    contextual: similarities.find((s) => s.layer === 'mix')?.cosine ?? null,
  };
}

/** "… kids [play] in it …" */
export function neighbourFace(neighbour: LmNeighbour): string {
  const before = neighbour.before.length > 0 ? `${neighbour.before.join(' ')} ` : '';
  const after = neighbour.after.length > 0 ? ` ${neighbour.after.join(' ')}` : '';
  return `${before}[${neighbour.word}]${after}`;
}

export function neighbourBars(neighbours: readonly LmNeighbour[], word: string): CosineBar[] {
  return neighbours.map((n) =>
    cosineBar(n.word, neighbourFace(n), n.cosine, n.word.toLowerCase() === word.toLowerCase()),
  );
}

/** Text corpora an index can be built over, and their splits (largest first). */
export function indexableCorpora(
  corpora: readonly CorpusSummary[],
): { name: string; splits: string[] }[] {
  return corpora
    .filter((c) => c.kind === 'text' && c.textFormat !== 'pairs')
    .map((c) => ({
      name: c.name,
      splits: Object.entries(c.splits)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([split]) => split),
    }))
    .filter((c) => c.splits.length > 0);
}
