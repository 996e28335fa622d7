import { conlluWords } from './formats/conllu';
import type { CorpusData } from './model';

export interface CorpusStats {
  perLabel: Record<string, number>;
  perSpeaker: Record<string, number>;
  perSplit: Record<string, number>;
  /** Items of each speaker within each split (speech only): what a split's speakers are. */
  perSplitSpeaker: Record<string, Record<string, number>>;
  totalSeconds: number;
  items: number;
}

/**
 * Counts per label, speaker, split and speaker within split, and total duration: the Corpora
 * view's statistics and the Train view's split sizes.
 */
export function corpusStats(data: CorpusData): CorpusStats {
  const stats: CorpusStats = {
    perLabel: {},
    perSpeaker: {},
    perSplit: {},
    perSplitSpeaker: {},
    totalSeconds: 0,
    items: 0,
  };
  const bump = (record: Record<string, number>, key: string, by = 1): void => {
    record[key] = (record[key] ?? 0) + by;
  };
  if (data.kind === 'speech') {
    const durations = new Map(data.recordings.map((r) => [r.id, r.duration]));
    // A Map, then own properties: a split may be called "constructor" or "__proto__".
    const splitSpeakers = new Map<string, Map<string, number>>();
    for (const u of data.utterances) {
      const seconds = u.segment
        ? u.segment.end - u.segment.start
        : (durations.get(u.recordingId) ?? 0);
      bump(stats.perLabel, u.text);
      bump(stats.perSpeaker, u.speaker);
      bump(stats.perSplit, u.split);
      const speakers = splitSpeakers.get(u.split) ?? new Map<string, number>();
      splitSpeakers.set(u.split, speakers.set(u.speaker, (speakers.get(u.speaker) ?? 0) + 1));
      stats.totalSeconds += seconds;
      stats.items++;
    }
    stats.perSplitSpeaker = Object.fromEntries(
      [...splitSpeakers].map(([split, speakers]) => [split, Object.fromEntries(speakers)]),
    );
    return stats;
  }
  for (const [split, content] of data.splits) {
    if (content.format === 'conllu') {
      bump(stats.perSplit, split, content.sentences.length);
      for (const sentence of content.sentences)
        for (const word of conlluWords(sentence)) bump(stats.perLabel, word.upos);
      stats.items += content.sentences.length;
    } else if (content.format === 'tsv') {
      bump(stats.perSplit, split, content.items.length);
      for (const item of content.items) bump(stats.perLabel, item.label);
      stats.items += content.items.length;
    } else if (content.format === 'pairs') {
      bump(stats.perSplit, split, content.pairs.length);
      stats.items += content.pairs.length;
    } else {
      bump(stats.perSplit, split, content.lines.length);
      stats.items += content.lines.length;
    }
  }
  return stats;
}
