function rejectionRate(summary: Readonly<Record<string, unknown>>): string | null {
  const { rejected, utterances } = summary;
  if (typeof rejected !== 'number' || typeof utterances !== 'number' || utterances <= 0)
    return null;
  return `${((rejected / utterances) * 100).toFixed(1)}%`;
}

function acceptedAccuracy(summary: Readonly<Record<string, unknown>>): string | null {
  const { acceptedAccuracy: value, rejected, utterances } = summary;
  if (typeof value !== 'number') return null;
  // Every answer rejected: there is no accuracy among accepted answers to show.
  if (typeof rejected === 'number' && typeof utterances === 'number' && rejected >= utterances)
    return '—';
  return `${(value * 100).toFixed(1)}%`;
}

export interface SpeakerAccuracy {
  speaker: string;
  correct: number;
  total: number;
  accuracy: number;
}

/**
 * Accuracy per speaker, as `unfold eval` prints it: from the summary's `perSpeaker` when the
 * evaluation stored it, else counted from the predictions that say whether they were correct.
 * Worst first, so the speakers the model fails on lead.
 */
export function speakerAccuracies(
  summary: Readonly<Record<string, unknown>> | null,
  predictions: readonly { speaker?: string; correct?: boolean }[],
): SpeakerAccuracy[] {
  const rows: SpeakerAccuracy[] = [];
  const stored = summary?.perSpeaker;
  if (Array.isArray(stored)) {
    for (const entry of stored as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { group, correct, total } = entry as Record<string, unknown>;
      if (typeof group !== 'string' || typeof correct !== 'number' || typeof total !== 'number')
        continue;
      rows.push({ speaker: group, correct, total, accuracy: total > 0 ? correct / total : 0 });
    }
  } else {
    const tally = new Map<string, { correct: number; total: number }>();
    for (const p of predictions) {
      // Items without a speaker (text) have no per-speaker accuracy.
      if (p.correct === undefined || p.speaker === undefined) continue;
      const t = tally.get(p.speaker) ?? { correct: 0, total: 0 };
      t.total++;
      if (p.correct) t.correct++;
      tally.set(p.speaker, t);
    }
    for (const [speaker, t] of tally)
      rows.push({ speaker, ...t, accuracy: t.total > 0 ? t.correct / t.total : 0 });
  }
  return rows.sort((a, b) => a.accuracy - b.accuracy || a.speaker.localeCompare(b.speaker));
}

function percent(value: unknown): string | null {
  return typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : null;
}

function decimals(value: unknown, places: number): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(places) : null;
}

/** The figures an evaluation summary can hold: each one's label and how to read it off. */
const HEADLINE_FIGURES = {
  accuracy: { label: 'Accuracy', read: (summary) => percent(summary.accuracy) },
  // "Not sure" answers count as errors in Accuracy; these two show what the rejection costs.
  rejected: { label: 'Rejected (not sure)', read: rejectionRate },
  acceptedAccuracy: { label: 'Accuracy among accepted', read: acceptedAccuracy },
  frameAccuracy: { label: 'Frame accuracy', read: (summary) => percent(summary.frameAccuracy) },
  frameAccuracy39: {
    label: 'Frame accuracy (39 phones)',
    read: (summary) => percent(summary.frameAccuracy39),
  },
  phoneErrorRate: {
    label: 'PER',
    read: (summary) => {
      const per = summary.phoneErrorRate as { rate?: unknown } | number | undefined;
      return percent(typeof per === 'object' ? per.rate : per);
    },
  },
  utterances: {
    label: 'Utterances',
    read: (summary) => (typeof summary.utterances === 'number' ? String(summary.utterances) : null),
  },
  // A tagging summary (it counts tokens) has its `accuracy` over tokens.
  tokenAccuracy: {
    label: 'Token accuracy',
    read: (summary) => (typeof summary.tokens === 'number' ? percent(summary.accuracy) : null),
  },
  unseenAccuracy: {
    label: 'Accuracy on unseen words',
    // null: the evaluated text had no word that training did not see.
    read: (summary) =>
      summary.unseenAccuracy === null && typeof summary.unseenTokens === 'number'
        ? '—'
        : percent(summary.unseenAccuracy),
  },
  sentenceAccuracy: {
    label: 'Sentence accuracy',
    read: (summary) => percent(summary.sentenceAccuracy),
  },
  // Language models: lower is better, so the label says so (every other figure is a rate of right answers).
  perplexity: {
    label: 'Perplexity (lower is better)',
    read: (summary) => decimals(summary.perplexity, 2),
  },
  bitsPerCharacter: {
    label: 'Bits per character (lower is better)',
    read: (summary) => decimals(summary.bitsPerCharacter, 3),
  },
  kneserNeyPerplexity: {
    label: 'Kneser-Ney perplexity (baseline)',
    read: (summary) => {
      const value = decimals(summary.kneserNeyPerplexity, 2);
      const order = summary.kneserNeyOrder;
      return value !== null && typeof order === 'number' ? `${value} (${order}-gram)` : value;
    },
  },
  unigramPerplexity: {
    label: 'Unigram perplexity (baseline)',
    read: (summary) => decimals(summary.unigramPerplexity, 2),
  },
  sentences: {
    label: 'Sentences',
    read: (summary) => (typeof summary.sentences === 'number' ? String(summary.sentences) : null),
  },
  tokens: {
    label: 'Tokens',
    read: (summary) => (typeof summary.tokens === 'number' ? String(summary.tokens) : null),
  },
} satisfies Record<
  string,
  { label: string; read: (summary: Readonly<Record<string, unknown>>) => string | null }
>;

export type HeadlineFigureName = keyof typeof HEADLINE_FIGURES;

/** Every headline figure, for an evaluation whose task names none. */
export const HEADLINE_FIGURE_NAMES = Object.keys(HEADLINE_FIGURES) as HeadlineFigureName[];

/**
 * The headline figures of an evaluation summary, labelled: those of `figures` (the task's, in
 * its order) that the summary holds.
 */
export function headlineMetrics(
  summary: Readonly<Record<string, unknown>> | null,
  figures: readonly HeadlineFigureName[],
): {
  label: string;
  value: string;
}[] {
  if (!summary) return [];
  return figures.flatMap((name) => {
    const { label, read } = HEADLINE_FIGURES[name];
    const value = read(summary);
    return value === null ? [] : [{ label, value }];
  });
}
