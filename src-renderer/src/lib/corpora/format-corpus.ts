import type { CorpusSummary, CorpusValidity } from '@api/corpus';

export function formatSeconds(total: number): string {
  if (total < 60) return `${total.toFixed(1)} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(total % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1,240 utterances · 12 speakers · 8 min 3 s" */
export function summaryLine(summary: CorpusSummary): string {
  if (summary.kind === null) return 'not readable as a corpus';
  if (summary.kind === 'text')
    return `${formatCount(summary.items)} sentences · ${summary.textFormat ?? 'text'}`;
  return `${formatCount(summary.items)} utterances · ${summary.speakers} speakers · ${formatSeconds(summary.totalSeconds)}`;
}

export function validityText(validity: CorpusValidity): string {
  switch (validity.state) {
    case 'valid':
      return 'Valid';
    case 'invalid':
      return `${validity.problems} problem${validity.problems === 1 ? '' : 's'}`;
    case 'unreadable':
      return 'Unreadable';
    case 'unchecked':
      return 'Not validated';
  }
}

/** Bars of a count table, largest first, at most `limit` of them. */
export function topCounts(
  counts: Record<string, number>,
  limit: number,
): { key: string; count: number; fraction: number }[] {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = entries[0]?.[1] ?? 1;
  return entries.slice(0, limit).map(([key, count]) => ({ key, count, fraction: count / max }));
}
