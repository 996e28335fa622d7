import type { PhoneClassGroup } from '../../api/experiments';

/**
 * Articulatory classes of the phone sets Unfold's corpora use, for grouping the rows of a
 * posteriorgram: ARPAbet as CMUdict, flite and festival's `radio` set print it (CMUdict's 39 +
 * ax, axr, dx, el, em, en, ...), the TIMIT 61 (closures, flaps, glottal stop, ux, ix, ax-h),
 * festival's British `mrpa` set (@, @@, ii, uu, oo, e@, i@, u@, ou, ...) and the silence or
 * pause symbols of all of them (pau, sil, sp, h#, #, epi, brth).
 *
 * Within a class the phones are listed in a display order (vowels front to back and close to
 * open, consonants by place from the lips back), and classes come in the order of `CLASS_ORDER`
 * so that a heatmap reads vowels first and silence last. `h`/`hh`/`hv` count as (glottal)
 * fricatives, as in most phonetics texts; TIMIT's documentation files them with the glides.
 */
export const CLASS_ORDER = [
  'vowels',
  'diphthongs',
  'semivowels',
  'liquids',
  'nasals',
  'stops',
  'affricates',
  'fricatives',
  'silence',
  'other',
] as const;

export type PhoneClassName = (typeof CLASS_ORDER)[number];

/** Normalised phone -> class, in display order within each class. */
const CLASS_PHONES: Record<Exclude<PhoneClassName, 'other'>, readonly string[]> = {
  // Close front to open back; mrpa spellings next to their ARPAbet neighbours.
  vowels: [
    'iy',
    'ii',
    'ih',
    'i',
    'ix',
    'eh',
    'e',
    'ae',
    'a',
    'ax',
    'ax-h',
    '@',
    'ah',
    'uh',
    'axr',
    'er',
    '@@',
    'u',
    'ux',
    'uw',
    'uu',
    'ao',
    'oo',
    'o',
    'aa',
  ],
  diphthongs: ['ey', 'ei', 'ay', 'ai', 'oy', 'oi', 'aw', 'au', 'ow', 'ou', 'i@', 'e@', 'u@'],
  semivowels: ['w', 'y'],
  liquids: ['l', 'el', 'r'],
  nasals: ['m', 'em', 'n', 'en', 'nx', 'ng', 'eng'],
  // Closures (TIMIT's bcl ... tcl) sit beside their releases; q is the glottal stop, dx the flap.
  stops: ['p', 'pcl', 'b', 'bcl', 't', 'tcl', 'd', 'dcl', 'dx', 'k', 'kcl', 'g', 'gcl', 'q'],
  affricates: ['ch', 'jh'],
  fricatives: ['f', 'v', 'th', 'dh', 's', 'z', 'sh', 'zh', 'hh', 'hv', 'h'],
  silence: ['pau', 'sil', 'sp', 'h#', '#', 'epi', 'brth', 'ssil', '_', ''],
};

interface ClassRank {
  name: PhoneClassName;
  classIndex: number;
  rank: number;
}

const RANKS: ReadonlyMap<string, ClassRank> = (() => {
  const ranks = new Map<string, ClassRank>();
  CLASS_ORDER.forEach((name, classIndex) => {
    if (name === 'other') return;
    CLASS_PHONES[name].forEach((phone, rank) => {
      // A spelling shared by two sets (ARPAbet 'uh' is the vowel of "book", mrpa's that of
      // "cup") is listed once; the first rank wins if one is ever repeated.
      if (!ranks.has(phone)) ranks.set(phone, { name, classIndex, rank });
    });
  });
  return ranks;
})();

/** Lower case without ARPAbet stress digits ("AH0" -> "ah"); "h#" and "@@" are kept as they are. */
export function normalisePhone(phone: string): string {
  return phone
    .trim()
    .toLowerCase()
    .replace(/[0-2]$/, '');
}

/** The articulatory class of one phone of any of the sets above; unknown phones are 'other'. */
export function phoneClassOf(phone: string): PhoneClassName {
  return RANKS.get(normalisePhone(phone))?.name ?? 'other';
}

/**
 * Groups a model's phones into articulatory classes for display. Every phone appears exactly
 * once, spelt as given; classes without phones are left out; 'other' (phones of no known set)
 * comes last, sorted alphabetically.
 */
export function groupPhonesByClass(phones: readonly string[]): PhoneClassGroup[] {
  const unique = [...new Set(phones)];
  const byClass = new Map<PhoneClassName, { phone: string; rank: number }[]>();
  for (const phone of unique) {
    const found = RANKS.get(normalisePhone(phone));
    const name = found?.name ?? 'other';
    const list = byClass.get(name) ?? [];
    list.push({ phone, rank: found?.rank ?? 0 });
    byClass.set(name, list);
  }
  const groups: PhoneClassGroup[] = [];
  for (const name of CLASS_ORDER) {
    const members = byClass.get(name);
    if (!members) continue;
    members.sort((a, b) => a.rank - b.rank || a.phone.localeCompare(b.phone));
    groups.push({ name, phones: members.map((m) => m.phone) });
  }
  return groups;
}
