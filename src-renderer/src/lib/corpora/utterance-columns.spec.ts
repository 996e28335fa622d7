import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COLUMN_WIDTHS,
  MIN_COLUMN_WIDTH,
  UTTERANCE_COLUMNS,
  alignedText,
  charsThatFit,
  gridTemplate,
  idRelativeToSpeaker,
  middleEllipsis,
  resizeColumn,
  totalWidth,
} from './utterance-columns';

describe('utterance ids in the table', () => {
  it('drops the speaker prefix so rows of one speaker differ', () => {
    const ids = ['george-zero_0', 'george-zero_1', 'george-one_0'];
    expect(ids.map((id) => idRelativeToSpeaker(id, 'george'))).toEqual([
      'zero_0',
      'zero_1',
      'one_0',
    ]);
    expect(idRelativeToSpeaker('fsdd_jackson_3', 'fsdd')).toBe('jackson_3');
  });

  it('keeps ids that do not start with the speaker whole', () => {
    expect(idRelativeToSpeaker('take-1', 'george')).toBe('take-1');
    // A prefix that is only part of a longer name is not the speaker.
    expect(idRelativeToSpeaker('georgette-1', 'george')).toBe('georgette-1');
    expect(idRelativeToSpeaker('george', 'george')).toBe('george');
    expect(idRelativeToSpeaker('george-', 'george')).toBe('george-');
    expect(idRelativeToSpeaker('x-1', '')).toBe('x-1');
  });

  it('cuts the middle out of long ids, keeping both ends', () => {
    expect(middleEllipsis('abcdefghij', 7)).toBe('abc…hij');
    expect(middleEllipsis('abcdefghij', 6)).toBe('abc…ij');
    expect(middleEllipsis('abcdefghij', 10)).toBe('abcdefghij');
    expect(middleEllipsis('abcdefghij', 1)).toBe('…');
    expect(middleEllipsis('abcdefghij', 2)).toBe('a…');
    // Rows that differ only at the end stay different.
    const a = middleEllipsis('speaker_with_a_long_name-yes_20240101T120000_1', 16);
    const b = middleEllipsis('speaker_with_a_long_name-yes_20240101T120000_2', 16);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(16);
  });

  it('counts the characters that fit a column', () => {
    expect(charsThatFit(170, 7.5)).toBe(21);
    expect(charsThatFit(10, 7.5)).toBe(1);
  });
});

describe('column widths', () => {
  it('has a starting width per column', () => {
    expect(DEFAULT_COLUMN_WIDTHS).toHaveLength(UTTERANCE_COLUMNS.length);
  });

  it('resizes one column, clamped to a minimum', () => {
    const widths = [100, 200, 300];
    expect(resizeColumn(widths, 1, 25)).toEqual([100, 225, 300]);
    expect(resizeColumn(widths, 0, -500)).toEqual([MIN_COLUMN_WIDTH, 200, 300]);
    expect(resizeColumn(widths, 2, 10_000, 40, 500)).toEqual([100, 200, 500]);
    expect(widths).toEqual([100, 200, 300]);
  });

  it('lays the columns out as a grid whose label column takes the spare room', () => {
    expect(gridTemplate(DEFAULT_COLUMN_WIDTHS)).toBe(
      '120px 140px minmax(150px, 1fr) 64px 72px 110px',
    );
    expect(totalWidth([10, 20, 30])).toBe(60);
  });
});

describe('the Aligned cell', () => {
  it('names the tiers, or shows a dash', () => {
    expect(alignedText(['words', 'phones'])).toBe('words + phones');
    expect(alignedText([])).toBe('—');
  });
});
