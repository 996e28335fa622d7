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
  predictions: readonly { speaker: string; correct?: boolean }[],
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
      if (p.correct === undefined) continue;
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

/** The headline figures of an evaluation summary, labelled, in the order the view shows them. */
export function headlineMetrics(summary: Readonly<Record<string, unknown>> | null): {
  label: string;
  value: string;
}[] {
  if (!summary) return [];
  const percent = (v: unknown): string | null =>
    typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : null;
  const per = summary.phoneErrorRate as { rate?: unknown } | number | undefined;
  const rows: [string, string | null][] = [
    ['Accuracy', percent(summary.accuracy)],
    // "Not sure" answers count as errors in Accuracy; these two show what the rejection costs.
    ['Rejected (not sure)', rejectionRate(summary)],
    ['Accuracy among accepted', acceptedAccuracy(summary)],
    ['Frame accuracy', percent(summary.frameAccuracy)],
    ['Frame accuracy (39 phones)', percent(summary.frameAccuracy39)],
    ['PER', percent(typeof per === 'object' ? per.rate : per)],
    ['Utterances', typeof summary.utterances === 'number' ? String(summary.utterances) : null],
  ];
  return rows
    .filter((r): r is [string, string] => r[1] !== null)
    .map(([label, value]) => ({ label, value }));
}
