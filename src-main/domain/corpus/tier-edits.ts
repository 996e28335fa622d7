import { UnfoldError } from '../errors';
import type { IntervalTier, TextGridInterval } from './formats/textgrid';
import { TEXTGRID_TIME_EPSILON, tierFromSpans } from './formats/textgrid';

/**
 * Region edits on an interval tier, as the label editor needs them. Each returns a new tier
 * that still covers its whole span without gaps or overlaps (the TextGrid invariant).
 */

function interval(tier: IntervalTier, index: number): TextGridInterval {
  const found = tier.intervals[index];
  if (!found) throw new UnfoldError('BAD_EDIT', `tier "${tier.name}" has no interval ${index + 1}`);
  return found;
}

export function renameInterval(tier: IntervalTier, index: number, text: string): IntervalTier {
  interval(tier, index);
  return {
    ...tier,
    intervals: tier.intervals.map((item, k) => (k === index ? { ...item, text } : item)),
  };
}

/** Splits interval `index` at `time`; both halves keep its text (rename one afterwards). */
export function splitInterval(tier: IntervalTier, index: number, time: number): IntervalTier {
  const target = interval(tier, index);
  if (time <= target.xmin + TEXTGRID_TIME_EPSILON || time >= target.xmax - TEXTGRID_TIME_EPSILON) {
    throw new UnfoldError(
      'BAD_EDIT',
      `${time} s is not inside interval ${index + 1} (${target.xmin}..${target.xmax})`,
    );
  }
  const intervals = [...tier.intervals];
  intervals.splice(index, 1, { ...target, xmax: time }, { ...target, xmin: time });
  return { ...tier, intervals };
}

/** Merges interval `index` with the next one; texts are joined with a space. */
export function mergeWithNext(tier: IntervalTier, index: number): IntervalTier {
  const first = interval(tier, index);
  const second = interval(tier, index + 1);
  const text = [first.text, second.text].filter((t) => t !== '').join(' ');
  const intervals = [...tier.intervals];
  intervals.splice(index, 2, { xmin: first.xmin, xmax: second.xmax, text });
  return { ...tier, intervals };
}

/** Moves the boundary between interval `index` and `index + 1` to `time`. */
export function moveBoundary(tier: IntervalTier, index: number, time: number): IntervalTier {
  const left = interval(tier, index);
  const right = interval(tier, index + 1);
  if (time <= left.xmin + TEXTGRID_TIME_EPSILON || time >= right.xmax - TEXTGRID_TIME_EPSILON) {
    throw new UnfoldError(
      'BAD_EDIT',
      `the boundary must stay between ${left.xmin} and ${right.xmax} s`,
    );
  }
  const intervals = [...tier.intervals];
  intervals[index] = { ...left, xmax: time };
  intervals[index + 1] = { ...right, xmin: time };
  return { ...tier, intervals };
}

/** Clears the label of interval `index` and merges it into empty neighbours (a gap again). */
export function deleteInterval(tier: IntervalTier, index: number): IntervalTier {
  interval(tier, index);
  const spans = tier.intervals.filter((item, k) => k !== index && item.text !== '');
  return tierFromSpans(tier.name, tier.xmin, tier.xmax, spans);
}

/** Labels [start, end] with `text`, cutting whatever it overlaps. */
export function createInterval(
  tier: IntervalTier,
  start: number,
  end: number,
  text: string,
): IntervalTier {
  if (
    !(end > start) ||
    start < tier.xmin - TEXTGRID_TIME_EPSILON ||
    end > tier.xmax + TEXTGRID_TIME_EPSILON
  ) {
    throw new UnfoldError(
      'BAD_EDIT',
      `${start}..${end} s is not a span inside ${tier.xmin}..${tier.xmax} s`,
    );
  }
  const spans: TextGridInterval[] = [];
  for (const item of tier.intervals) {
    if (item.text === '') continue;
    if (item.xmax <= start || item.xmin >= end) spans.push(item);
    else {
      if (item.xmin < start) spans.push({ ...item, xmax: start });
      if (item.xmax > end) spans.push({ ...item, xmin: end });
    }
  }
  spans.push({ xmin: start, xmax: end, text });
  return tierFromSpans(tier.name, tier.xmin, tier.xmax, spans);
}
