import { describe, expect, it } from 'vitest';
import { groupPhonesByClass, normalisePhone, phoneClassOf } from './phone-classes';

const names = (groups: { name: string }[]): string[] => groups.map((g) => g.name);

describe('phone classes', () => {
  it('normalises case and ARPAbet stress digits but keeps h# and @@', () => {
    expect(normalisePhone('AH0')).toBe('ah');
    expect(normalisePhone('ey1')).toBe('ey');
    expect(normalisePhone('h#')).toBe('h#');
    expect(normalisePhone('@@')).toBe('@@');
  });

  it('classifies ARPAbet, TIMIT, mrpa and silence symbols', () => {
    expect(['iy', 'AA1', 'ax', 'ux', 'ax-h', '@', 'ii', 'oo'].map(phoneClassOf)).toEqual(
      Array(8).fill('vowels'),
    );
    expect(['ey', 'OY2', 'ai', 'e@', 'ou'].map(phoneClassOf)).toEqual(Array(5).fill('diphthongs'));
    expect(['w', 'Y'].map(phoneClassOf)).toEqual(['semivowels', 'semivowels']);
    expect(['l', 'el', 'R'].map(phoneClassOf)).toEqual(Array(3).fill('liquids'));
    expect(['m', 'en', 'nx', 'NG', 'eng'].map(phoneClassOf)).toEqual(Array(5).fill('nasals'));
    expect(['p', 'bcl', 'dx', 'q', 'K'].map(phoneClassOf)).toEqual(Array(5).fill('stops'));
    expect(['ch', 'JH'].map(phoneClassOf)).toEqual(['affricates', 'affricates']);
    expect(['f', 'dh', 'zh', 'hh', 'hv', 'h'].map(phoneClassOf)).toEqual(
      Array(6).fill('fricatives'),
    );
    expect(['pau', 'sil', 'SIL', 'sp', 'h#', '#', 'epi', 'brth'].map(phoneClassOf)).toEqual(
      Array(8).fill('silence'),
    );
    expect(phoneClassOf('xyz')).toBe('other');
  });

  it('groups a model phone set in class order, phones in display order, spelt as given', () => {
    const groups = groupPhonesByClass(['z', 'AE1', 'pau', 'k', 'IY0', 'n', 'ch', 'w', 'r', 'ay']);
    expect(groups).toEqual([
      { name: 'vowels', phones: ['IY0', 'AE1'] },
      { name: 'diphthongs', phones: ['ay'] },
      { name: 'semivowels', phones: ['w'] },
      { name: 'liquids', phones: ['r'] },
      { name: 'nasals', phones: ['n'] },
      { name: 'stops', phones: ['k'] },
      { name: 'affricates', phones: ['ch'] },
      { name: 'fricatives', phones: ['z'] },
      { name: 'silence', phones: ['pau'] },
    ]);
  });

  it('puts every phone exactly once, unknown ones last and sorted, empty classes left out', () => {
    const phones = ['zz', 'aa', 'aa', 'spn', 'sil', 't', 'b'];
    const groups = groupPhonesByClass(phones);
    expect(names(groups)).toEqual(['vowels', 'stops', 'silence', 'other']);
    expect(groups.at(-1)).toEqual({ name: 'other', phones: ['spn', 'zz'] });
    expect(groups.flatMap((g) => g.phones).sort()).toEqual([...new Set(phones)].sort());
    expect(groups.find((g) => g.name === 'stops')?.phones).toEqual(['b', 't']);
  });

  it('covers the whole CMUdict + festival radio set without "other"', () => {
    const radio =
      'aa ae ah ao aw ax axr ay b ch d dh dx eh el em en er ey f g hh ih ix iy jh k l m n nx ng ow oy p r s sh t th uh uw v w y z zh pau h# brth';
    const groups = groupPhonesByClass(radio.split(' '));
    expect(names(groups)).not.toContain('other');
    expect(groups.flatMap((g) => g.phones)).toHaveLength(radio.split(' ').length);
  });
});
