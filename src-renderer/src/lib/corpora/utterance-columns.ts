/**
 * The utterance table's columns: their widths (resizable by dragging a header's edge) and how an
 * utterance id is shortened to the part that tells rows apart.
 */

export type UtteranceColumnKey = 'id' | 'label' | 'speaker' | 'split' | 'duration' | 'aligned';

export interface UtteranceColumn {
  key: UtteranceColumnKey;
  title: string;
  /** Hover text of the header. */
  hint?: string;
  numeric?: boolean;
}

export const UTTERANCE_COLUMNS: readonly UtteranceColumn[] = [
  { key: 'id', title: 'Utterance', hint: 'Utterance id, shown after its speaker prefix' },
  // The speaker sits next to the id, which is shown without its speaker prefix.
  { key: 'speaker', title: 'Speaker' },
  { key: 'label', title: 'Label', hint: 'Label or transcript' },
  { key: 'split', title: 'Split' },
  { key: 'duration', title: 'Duration', numeric: true },
  { key: 'aligned', title: 'Aligned', hint: 'Tiers of its word/phone alignment (TextGrid)' },
];

/** Starting widths in CSS pixels, in UTTERANCE_COLUMNS order. */
export const DEFAULT_COLUMN_WIDTHS: readonly number[] = [120, 140, 150, 64, 72, 110];
export const MIN_COLUMN_WIDTH = 44;
export const MAX_COLUMN_WIDTH = 1200;

/** The widths after dragging column `index`'s right edge by `delta` pixels (clamped). */
export function resizeColumn(
  widths: readonly number[],
  index: number,
  delta: number,
  min = MIN_COLUMN_WIDTH,
  max = MAX_COLUMN_WIDTH,
): number[] {
  return widths.map((w, i) =>
    i === index ? Math.round(Math.min(max, Math.max(min, w + delta))) : w,
  );
}

/**
 * The CSS grid columns: fixed widths, except that the label column also takes any spare room
 * (so a wide window has no empty strip, and a narrow one scrolls sideways instead of squeezing).
 */
export function gridTemplate(widths: readonly number[]): string {
  return widths
    .map((w, i) => (UTTERANCE_COLUMNS[i]?.key === 'label' ? `minmax(${w}px, 1fr)` : `${w}px`))
    .join(' ');
}

/** The width all columns need together, for the table's minimum width. */
export function totalWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w, 0);
}

const SEPARATORS = ['-', '_', '/', '.'];

/**
 * The id without its speaker prefix (`alice-no_3` of speaker `alice` -> `no_3`): the part that
 * differs between a speaker's rows. Ids that do not start with the speaker stay whole.
 */
export function idRelativeToSpeaker(id: string, speaker: string): string {
  if (speaker === '' || id.length <= speaker.length + 1 || !id.startsWith(speaker)) return id;
  return SEPARATORS.includes(id[speaker.length] as string) ? id.slice(speaker.length + 1) : id;
}

/**
 * `text` cut to at most `maxChars` characters by taking out its middle, so that both the start
 * and the end (where take numbers usually are) stay visible: `abcdefghij`, 7 -> `abc…hij`.
 */
export function middleEllipsis(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  if (maxChars <= 1) return '…';
  const keep = maxChars - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return chars.slice(0, head).join('') + '…' + (tail > 0 ? chars.slice(-tail).join('') : '');
}

/** How many characters of a monospace font of `charWidth` px fit in `width` px less padding. */
export function charsThatFit(width: number, charWidth: number, padding = 12): number {
  return Math.max(1, Math.floor((width - padding) / Math.max(1, charWidth)));
}

/** The Aligned cell: the tier names (`words + phones`), or a dash when there is no alignment. */
export function alignedText(tiers: readonly string[]): string {
  return tiers.length > 0 ? tiers.join(' + ') : '—';
}
