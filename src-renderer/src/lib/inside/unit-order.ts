/**
 * The order of a heatmap's rows: by unit number, by falling variance over time (computed in the
 * domain), or by how strongly a unit follows a label of the steps. The labels are what the trace
 * carries per step: the reference (a corpus utterance's gold phone of each frame, a language
 * model's next unit of the typed text), the model's own answer at each step (per-step models) and
 * the input's word at each step (text). A unit's score is the Pearson correlation of its
 * activation with the label's 0/1 indicator over time (the point-biserial correlation); rows run
 * by falling |r|.
 */
import { NO_REFERENCE, type InsideSeries, type InsideTrace } from '@api/inside';

/** A label of the steps: where it holds (1) and where not (0), one entry per step. */
export interface StepLabel {
  key: string;
  /** For the chooser: "the model answers “ah” (12 steps)". */
  text: string;
  indicator: Float32Array;
}

export type UnitSort =
  { kind: 'number' } | { kind: 'variance' } | { kind: 'correlation'; label: StepLabel };

export type UnitSortKind = UnitSort['kind'];

export const UNIT_SORT_CHOICES: readonly { kind: UnitSortKind; text: string }[] = [
  { kind: 'number', text: 'unit number' },
  { kind: 'variance', text: 'variance over time' },
  { kind: 'correlation', text: 'correlation with a label' },
];

/**
 * One label per distinct value of `perStep`, most frequent first (ties: first seen first); a step
 * with no reference (NO_REFERENCE) is no label's.
 */
function labelsOf(
  perStep: readonly string[],
  prefix: string,
  describe: (value: string, count: number) => string,
): StepLabel[] {
  const counts = new Map<string, number>();
  for (const value of perStep)
    if (value !== NO_REFERENCE) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([value, count]) => ({
      key: `${prefix}:${value}`,
      text: describe(value, count),
      indicator: Float32Array.from(perStep, (v) => (v === value ? 1 : 0)),
    }));
}

const plural = (count: number): string => `${count} step${count === 1 ? '' : 's'}`;

/** The step labels a trace carries: its per-step reference, its per-step answers, its input words. */
export function stepLabels(trace: InsideTrace): StepLabel[] {
  const labels: StepLabel[] = [];
  // A language model's reference is the text itself: the unit after each step's (and, for a
  // bidirectional LM's backward direction, the one before).
  const lm = trace.task === 'lm';
  if (trace.reference && trace.reference.length === trace.steps)
    labels.push(
      ...labelsOf(trace.reference, 'reference', (v, n) =>
        lm ? `the next unit is “${v}” (${plural(n)})` : `the reference is “${v}” (${plural(n)})`,
      ),
    );
  const before = trace.backward?.reference;
  if (before && before.length === trace.steps)
    labels.push(
      ...labelsOf(before, 'previous', (v, n) => `the previous unit is “${v}” (${plural(n)})`),
    );
  if (trace.perStep && trace.predicted.length === trace.steps)
    labels.push(
      ...labelsOf(trace.predicted, 'answer', (v, n) => `the model answers “${v}” (${plural(n)})`),
    );
  if (trace.axis.kind === 'tokens' && trace.axis.tokens.length === trace.steps)
    labels.push(
      ...labelsOf(trace.axis.tokens, 'word', (v, n) => `the input word is “${v}” (${plural(n)})`),
    );
  return labels;
}

/**
 * Pearson's r of each unit of a row-major [steps, units] series with `target` over time; 0 where
 * either is constant (no correlation is defined there).
 */
export function unitCorrelations(
  data: Float32Array,
  steps: number,
  units: number,
  target: Float32Array,
): Float64Array {
  const correlations = new Float64Array(units);
  if (steps === 0) return correlations;
  let targetMean = 0;
  for (let t = 0; t < steps; t++) targetMean += target[t] as number;
  targetMean /= steps;
  let targetSquares = 0;
  for (let t = 0; t < steps; t++) targetSquares += ((target[t] as number) - targetMean) ** 2;
  for (let u = 0; u < units; u++) {
    let mean = 0;
    for (let t = 0; t < steps; t++) mean += data[t * units + u] as number;
    mean /= steps;
    let cross = 0;
    let squares = 0;
    for (let t = 0; t < steps; t++) {
      const d = (data[t * units + u] as number) - mean;
      cross += d * ((target[t] as number) - targetMean);
      squares += d * d;
    }
    const norm = Math.sqrt(squares * targetSquares);
    correlations[u] = norm > 1e-12 ? cross / norm : 0;
  }
  return correlations;
}

/** Unit indices by falling |r| with `target` (ties: the lower index first). */
export function unitsByCorrelation(
  data: Float32Array,
  steps: number,
  units: number,
  target: Float32Array,
): Int32Array {
  const r = unitCorrelations(data, steps, units, target);
  const order = Array.from({ length: units }, (_, u) => u);
  order.sort((a, b) => Math.abs(r[b] as number) - Math.abs(r[a] as number) || a - b);
  return Int32Array.from(order);
}

/** The rows' units, top first; null: by unit number. */
export function unitOrder(series: InsideSeries, steps: number, sort: UnitSort): Int32Array | null {
  switch (sort.kind) {
    case 'number':
      return null;
    case 'variance':
      return series.varianceOrder;
    case 'correlation':
      return unitsByCorrelation(series.data, steps, series.units, sort.label.indicator);
  }
}

/** For a heading or aria label: "by |correlation| with: the model answers “ah” (12 steps)". */
export function unitSortText(sort: UnitSort): string {
  switch (sort.kind) {
    case 'number':
      return 'by unit number';
    case 'variance':
      return 'by falling variance';
    case 'correlation':
      return `by falling |correlation| with: ${sort.label.text}`;
  }
}
