/**
 * Corpus-level BLEU and chrF with sacreBLEU's defaults, written from their definitions:
 *
 * - BLEU (Papineni et al. 2002): 1- to 4-gram precisions with counts clipped by the most any
 *   reference has, summed over the corpus; brevity penalty exp(1 - r/c) when the output length c
 *   is below r, the sum of the references closest in length (the shorter of equals); geometric
 *   mean of the precisions; sacreBLEU's "exp" smoothing (an order with no match gets precision
 *   1 / (2^k * its n-gram count) for the k-th such order). Tokens: sacreBLEU's default `13a`
 *   tokenizer (mteval-v13a's rules: punctuation split off, full stops and commas split unless
 *   between digits, a hyphen after a digit split) applied to the output and reference text.
 * - chrF2 (Popović 2015, sacreBLEU's CHRF()): character 1- to 6-grams of the text without
 *   whitespace, no word n-grams, beta 2; per order precision and recall summed over the corpus,
 *   averaged over the orders both sides have, then F-beta. With several references, each
 *   sentence counts the statistics of its best-scoring reference.
 *
 * Both are on a 0-100 scale, as sacreBLEU prints them.
 */

export const BLEU_MAX_ORDER = 4;
export const CHRF_CHAR_ORDER = 6;
export const CHRF_BETA = 2;

/** mteval-v13a tokenisation as sacreBLEU's `13a` (entities unescaped, punctuation split). */
export function tokenize13a(text: string): string[] {
  let line = text
    .replace(/<skipped>/g, '')
    .replace(/-\n/g, '')
    .replace(/\n/g, ' ');
  if (line.includes('&'))
    line = line
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  line = ` ${line} `
    .replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ')
    .replace(/([^0-9])([.,])/g, '$1 $2 ')
    .replace(/([.,])([^0-9])/g, ' $1 $2')
    .replace(/([0-9])(-)/g, '$1 $2 ');
  return line.split(/\s+/).filter((token) => token !== '');
}

function ngramCounts(tokens: readonly string[], order: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + order <= tokens.length; i++) {
    const key = tokens.slice(i, i + order).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface BleuScore {
  /** 0-100. */
  score: number;
  /** Per-order precisions, 0-100 (smoothed where an order had no match). */
  precisions: number[];
  brevityPenalty: number;
  hypothesisLength: number;
  referenceLength: number;
}

/** Corpus BLEU of output texts against their reference texts (one or more per output). */
export function corpusBleu(
  items: readonly { hypothesis: string; references: readonly string[] }[],
): BleuScore {
  const correct = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const total = new Array<number>(BLEU_MAX_ORDER).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  for (const item of items) {
    const hyp = tokenize13a(item.hypothesis);
    const refs = item.references.map(tokenize13a);
    hypothesisLength += hyp.length;
    // The reference length closest to the output's; the shorter one of two as close.
    let closest = refs[0]?.length ?? 0;
    for (const ref of refs) {
      const d = Math.abs(ref.length - hyp.length);
      const best = Math.abs(closest - hyp.length);
      if (d < best || (d === best && ref.length < closest)) closest = ref.length;
    }
    referenceLength += closest;
    for (let n = 1; n <= BLEU_MAX_ORDER; n++) {
      const hypCounts = ngramCounts(hyp, n);
      const maxRef = new Map<string, number>();
      for (const ref of refs)
        for (const [gram, count] of ngramCounts(ref, n))
          maxRef.set(gram, Math.max(maxRef.get(gram) ?? 0, count));
      for (const [gram, count] of hypCounts) {
        correct[n - 1] = (correct[n - 1] as number) + Math.min(count, maxRef.get(gram) ?? 0);
        total[n - 1] = (total[n - 1] as number) + count;
      }
    }
  }
  const precisions = new Array<number>(BLEU_MAX_ORDER).fill(0);
  const brevityPenalty =
    hypothesisLength >= referenceLength
      ? 1
      : hypothesisLength > 0
        ? Math.exp(1 - referenceLength / hypothesisLength)
        : 0;
  const result = { precisions, brevityPenalty, hypothesisLength, referenceLength };
  if (!correct.some((c) => c > 0)) return { score: 0, ...result };
  let smooth = 1;
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    const count = total[n] as number;
    if (count === 0) break;
    if ((correct[n] as number) === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * count);
    } else precisions[n] = (100 * (correct[n] as number)) / count;
  }
  // A zero precision (an order the output is too short for) makes the score 0, as sacreBLEU's log.
  if (precisions.some((p) => p === 0)) return { score: 0, ...result };
  const logMean = precisions.reduce((sum, p) => sum + Math.log(p), 0) / BLEU_MAX_ORDER;
  return { score: brevityPenalty * Math.exp(logMean), ...result };
}

/** [hyp, ref, match] counts per character order 1..6. */
function chrfStatistics(hypothesis: string, reference: string): number[] {
  const hyp = [...hypothesis.replace(/\s+/g, '')];
  const ref = [...reference.replace(/\s+/g, '')];
  const stats: number[] = [];
  for (let n = 1; n <= CHRF_CHAR_ORDER; n++) {
    const h = ngramCounts(hyp, n);
    const r = ngramCounts(ref, n);
    let match = 0;
    for (const [gram, count] of h) match += Math.min(count, r.get(gram) ?? 0);
    stats.push(Math.max(0, hyp.length - n + 1), Math.max(0, ref.length - n + 1), match);
  }
  return stats;
}

function chrfFromStatistics(stats: readonly number[]): number {
  const factor = CHRF_BETA ** 2;
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (let n = 0; n < CHRF_CHAR_ORDER; n++) {
    const [hyp, ref, match] = stats.slice(3 * n, 3 * n + 3) as [number, number, number];
    if (hyp > 0 && ref > 0) {
      precision += match / hyp;
      recall += match / ref;
      effectiveOrder += 1;
    }
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

/** Corpus chrF2 (0-100) of output texts against their reference texts. */
export function corpusChrf(
  items: readonly { hypothesis: string; references: readonly string[] }[],
): number {
  const totals = new Array<number>(3 * CHRF_CHAR_ORDER).fill(0);
  for (const item of items) {
    let best: number[] | null = null;
    let bestScore = -1;
    for (const reference of item.references) {
      const stats = chrfStatistics(item.hypothesis, reference);
      const score = chrfFromStatistics(stats);
      if (score > bestScore) {
        best = stats;
        bestScore = score;
      }
    }
    best?.forEach((value, i) => (totals[i] = (totals[i] as number) + value));
  }
  return chrfFromStatistics(totals);
}
