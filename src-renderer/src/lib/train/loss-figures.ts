/**
 * The figures of the loss the Train view charts instead of accuracy (a task view's
 * `train.lossFigure`). The engine's loss is the mean cross-entropy in nats per predicted unit, so
 * a word model's perplexity is exp(loss) and a character model's bits per character loss / ln 2,
 * the same definitions as the language model's evaluation (text/lm/score-lm.ts).
 */
import type { LossFigure } from '../tasks/task-view';
import { taskView } from '../tasks/task-views';

export interface LossFigureSpec {
  /** The chart's title. */
  title: string;
  /** The y axis's label. */
  yLabel: string;
  /** Suffix of the chart's data-testid (`<prefix>-perplexity`). */
  testid: string;
  /** The figure of a loss in nats per unit. */
  ofLoss: (loss: number) => number;
}

export const LOSS_FIGURE_SPECS: { readonly [F in LossFigure]: LossFigureSpec } = {
  perplexity: {
    title: 'Perplexity',
    yLabel: 'perplexity (exp of the loss)',
    testid: 'perplexity',
    ofLoss: Math.exp,
  },
  bitsPerCharacter: {
    title: 'Bits per character',
    yLabel: 'bits per character (loss / ln 2)',
    testid: 'bits-per-character',
    ofLoss: (loss) => loss / Math.LN2,
  },
};

/** The figure a run of this config is charted by, or null for accuracy (or an unknown task). */
export function lossFigureOf(config: Readonly<Record<string, unknown>>): LossFigure | null {
  if (typeof config.task !== 'string') return null;
  return taskView(config.task)?.train.lossFigure?.(config) ?? null;
}

/** The figure several runs are charted by together: the one they all share, else accuracy (null). */
export function sharedLossFigure(
  configs: readonly Readonly<Record<string, unknown>>[],
): LossFigure | null {
  const figures = new Set(configs.map(lossFigureOf));
  const [only] = figures;
  return figures.size === 1 && only !== undefined ? only : null;
}
