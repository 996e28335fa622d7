/**
 * Interpolated Kneser-Ney smoothing with modified discounts (Chen & Goodman 1998), orders 2 to 5:
 * the n-gram baseline a recurrent LM is compared with (Mikolov et al. 2011 report KN5).
 *
 * Written here because no well-kept npm package does it: the registry's n-gram packages (`n-gram`,
 * `ngraminator`, `word-ngrams`) only list n-grams, and the one toolkit with smoothing
 * (`nlptoolkit-ngram`, ~500 downloads a month) is a small port with no modified discounts.
 *
 * p_k(w | h) = max(c_k(h w) - D_k(c_k(h w)), 0) / sum_v c_k(h v) + gamma_k(h) p_{k-1}(w | h'),
 * gamma_k(h) = (D_k1 N1(h .) + D_k2 N2(h .) + D_k3+ N3+(h .)) / sum_v c_k(h v),
 * where c_n are the counts of the highest order and c_k (k < n) continuation counts (how many
 * distinct units precede the k-gram), h' is h without its first unit, a context never seen
 * backs off whole (p_k = p_{k-1}), and the unigram level is interpolated with the uniform
 * distribution over the `outcomes` predictable ids, so every id gets some probability and
 * the distribution of every context sums to 1. Discounts per order from counts of counts:
 * Y = n1 / (n1 + 2 n2), D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3 (clamped to
 * (0, i] so that no count goes negative; a missing count of counts gives i / 2).
 *
 * The counts come from one stream of ids (sentences joined by their end-of-sentence token, the
 * same stream the recurrent model reads), so n-grams run across sentence ends as the recurrent
 * model's carried state does. Tables are sorted id arrays searched by bisection: the Penn
 * Treebank's 0.9M tokens give ~3M distinct n-grams of orders 1-5 in a few tens of MB.
 */
import { UnfoldError } from '../../errors';
import { KN_MAX_ORDER, KN_MIN_ORDER } from '../../experiments/config/lm-config';

/** The n-grams of one order: sorted rows of `order` ids with their counts, grouped by context. */
interface OrderTable {
  order: number;
  /** [rows * order], sorted lexicographically. */
  grams: Int32Array;
  counts: Int32Array;
  /** Contexts (the first order - 1 ids of each row), [contexts * (order - 1)], sorted. */
  contexts: Int32Array;
  /** Rows of each context: [start, end) in `grams`. */
  starts: Int32Array;
  ends: Int32Array;
  /** Per context: the sum of its counts and its gamma (the back-off weight). */
  totals: Float64Array;
  gammas: Float64Array;
  /** D1, D2, D3+. */
  discounts: [number, number, number];
}

function compareRows(
  a: Int32Array,
  aRow: number,
  b: Int32Array,
  bRow: number,
  width: number,
): number {
  const aBase = aRow * width;
  const bBase = bRow * width;
  for (let i = 0; i < width; i++) {
    const d = (a[aBase + i] as number) - (b[bBase + i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** The distinct rows of `rows` ([n * width]) in sorted order, with how often each occurs. */
function countRows(rows: Int32Array, width: number): { grams: Int32Array; counts: Int32Array } {
  const n = width === 0 ? 0 : rows.length / width;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => compareRows(rows, a, rows, b, width));
  const grams: number[] = [];
  const counts: number[] = [];
  let previous = -1;
  for (const row of order) {
    if (previous >= 0 && compareRows(rows, row, rows, previous, width) === 0) {
      counts[counts.length - 1] = (counts[counts.length - 1] as number) + 1;
    } else {
      for (let i = 0; i < width; i++) grams.push(rows[row * width + i] as number);
      counts.push(1);
    }
    previous = row;
  }
  return { grams: Int32Array.from(grams), counts: Int32Array.from(counts) };
}

/** Modified KN discounts from the counts of counts (see the file comment). */
export function modifiedDiscounts(counts: ArrayLike<number>): [number, number, number] {
  const n = [0, 0, 0, 0, 0];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c >= 1 && c <= 4) n[c] = (n[c] as number) + 1;
  }
  const [, n1, n2, n3, n4] = n as [number, number, number, number, number];
  const y = n1 / (n1 + 2 * n2);
  const raw = [1 - 2 * y * (n2 / n1), 2 - 3 * y * (n3 / n2), 3 - 4 * y * (n4 / n3)];
  return raw.map((d, i) => (Number.isFinite(d) && d > 0 ? Math.min(d, i + 1) : (i + 1) / 2)) as [
    number,
    number,
    number,
  ];
}

function discountOf(discounts: [number, number, number], count: number): number {
  if (count <= 0) return 0;
  return discounts[Math.min(count, 3) - 1] as number;
}

/** Whether rows a and b of `grams` share their first order - 1 ids. */
function sameContext(grams: Int32Array, a: number, b: number, order: number): boolean {
  for (let i = 0; i < order - 1; i++)
    if (grams[a * order + i] !== grams[b * order + i]) return false;
  return true;
}

function tableOf(order: number, grams: Int32Array, counts: Int32Array): OrderTable {
  const discounts = modifiedDiscounts(counts);
  const width = order - 1;
  const contexts: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const totals: number[] = [];
  const gammas: number[] = [];
  const rows = counts.length;
  let start = 0;
  while (start < rows) {
    let end = start + 1;
    while (end < rows && sameContext(grams, end, start, order)) end++;
    let total = 0;
    let mass = 0;
    for (let r = start; r < end; r++) {
      const c = counts[r] as number;
      total += c;
      mass += discountOf(discounts, c);
    }
    for (let i = 0; i < width; i++) contexts.push(grams[start * order + i] as number);
    starts.push(start);
    ends.push(end);
    totals.push(total);
    gammas.push(mass / total);
    start = end;
  }
  return {
    order,
    grams,
    counts,
    contexts: Int32Array.from(contexts),
    starts: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    totals: Float64Array.from(totals),
    gammas: Float64Array.from(gammas),
    discounts,
  };
}

/** Index of the context equal to ids[from, from + width), or -1. */
function findContext(table: OrderTable, ids: ArrayLike<number>, from: number): number {
  const width = table.order - 1;
  let lo = 0;
  let hi = table.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    let d = 0;
    for (let i = 0; i < width && d === 0; i++)
      d = (table.contexts[mid * width + i] as number) - (ids[from + i] as number);
    if (d === 0) return mid;
    if (d < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Count of the row of context `context` ending in `word`, 0 when there is none. */
function countAfter(table: OrderTable, context: number, word: number): number {
  let lo = table.starts[context] as number;
  let hi = (table.ends[context] as number) - 1;
  const last = table.order - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = table.grams[mid * table.order + last] as number;
    if (id === word) return table.counts[mid] as number;
    if (id < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

export class KneserNeyModel {
  private constructor(
    readonly order: number,
    /** How many ids the distribution covers (the uniform floor is 1 / outcomes). */
    readonly outcomes: number,
    /** tables[k - 1] holds order k (k = 1: continuation counts of single ids, context width 0). */
    private readonly tables: OrderTable[],
  ) {}

  /** Counts the stream's n-grams up to `order` and their continuation counts. */
  static train(stream: Int32Array, options: { order: number; outcomes: number }): KneserNeyModel {
    const { order, outcomes } = options;
    if (!Number.isInteger(order) || order < KN_MIN_ORDER || order > KN_MAX_ORDER)
      throw new UnfoldError(
        'LM_KN_ORDER',
        `The Kneser-Ney order must be ${KN_MIN_ORDER} to ${KN_MAX_ORDER} (got ${order}).`,
      );
    const n = Math.max(0, stream.length - order + 1);
    const rows = new Int32Array(n * order);
    for (let t = 0; t < n; t++) rows.set(stream.subarray(t, t + order), t * order);
    const tables: OrderTable[] = [];
    let { grams, counts } = countRows(rows, order);
    tables[order - 1] = tableOf(order, grams, counts);
    // Continuation counts of order k: how many distinct (k+1)-grams end in each k-gram.
    for (let k = order - 1; k >= 1; k--) {
      const suffixes = new Int32Array(counts.length * k);
      for (let r = 0; r < counts.length; r++)
        suffixes.set(grams.subarray(r * (k + 1) + 1, (r + 1) * (k + 1)), r * k);
      ({ grams, counts } = countRows(suffixes, k));
      tables[k - 1] = tableOf(k, grams, counts);
    }
    return new KneserNeyModel(order, outcomes, tables);
  }

  /** p(word | history): the history's last order - 1 ids are used (fewer at a stream's start). */
  probability(history: ArrayLike<number>, word: number): number {
    const unigrams = this.tables[0] as OrderTable;
    let p = 1 / this.outcomes;
    if (unigrams.starts.length > 0) {
      const total = unigrams.totals[0] as number;
      const count = countAfter(unigrams, 0, word);
      p =
        Math.max(count - discountOf(unigrams.discounts, count), 0) / total +
        (unigrams.gammas[0] as number) * p;
    }
    for (let k = 2; k <= this.order && history.length >= k - 1; k++) {
      const table = this.tables[k - 1] as OrderTable;
      const context = findContext(table, history, history.length - (k - 1));
      if (context < 0) continue;
      const count = countAfter(table, context, word);
      p =
        Math.max(count - discountOf(table.discounts, count), 0) /
          (table.totals[context] as number) +
        (table.gammas[context] as number) * p;
    }
    return p;
  }

  /** ln p of ids[t] given ids[0..t-1], for t = 1 .. length - 1 (the first id is the start). */
  scoreStream(ids: Int32Array): Float64Array {
    const out = new Float64Array(Math.max(0, ids.length - 1));
    for (let t = 1; t < ids.length; t++) {
      const history = ids.subarray(Math.max(0, t - this.order + 1), t);
      out[t - 1] = Math.log(this.probability(history, ids[t] as number));
    }
    return out;
  }

  /** How many distinct n-grams each order holds (1 first). */
  get sizes(): number[] {
    return this.tables.map((table) => table.counts.length);
  }
}
