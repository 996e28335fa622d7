/** The row and class labels of a posteriorgram at the sizes of the phone sets Unfold ships. */
import { describe, expect, it } from 'vitest';
import type { PhoneClassGroup } from '@api/experiments';
import {
  classBandGeometry,
  laneRowLabels,
  placeClassNames,
  posteriorRowLayout,
} from './posteriorgram-render';

// CMUdict's 39 ARPAbet phones + ax + pau (what flite and festival print), grouped as the
// server's phone-classes.ts groups them.
const CLASSES: PhoneClassGroup[] = [
  { name: 'vowels', phones: ['iy', 'ih', 'eh', 'ae', 'ax', 'ah', 'uh', 'er', 'uw', 'ao', 'aa'] },
  { name: 'diphthongs', phones: ['ey', 'ay', 'oy', 'aw', 'ow'] },
  { name: 'semivowels', phones: ['w', 'y'] },
  { name: 'liquids', phones: ['l', 'r'] },
  { name: 'nasals', phones: ['m', 'n', 'ng'] },
  { name: 'stops', phones: ['p', 'b', 't', 'd', 'k', 'g'] },
  { name: 'affricates', phones: ['ch', 'jh'] },
  { name: 'fricatives', phones: ['f', 'v', 'th', 'dh', 's', 'z', 'sh', 'zh', 'hh'] },
  { name: 'silence', phones: ['pau'] },
];
const ARPABET = CLASSES.flatMap((group) => group.phones);

describe('laneRowLabels', () => {
  it('labels every one of 41 phones at 6 px a row with two lanes, 12 px apart within a lane', () => {
    expect(ARPABET).toHaveLength(41);
    const layout = posteriorRowLayout(ARPABET, CLASSES);
    const height = 41 * 6;
    const { lanes, labels } = laneRowLabels(layout, height, 10, 2);
    expect(lanes).toBe(2);
    expect(labels.map((label) => label.label).sort()).toEqual([...ARPABET].sort());
    for (let lane = 0; lane < lanes; lane++) {
      const middles = labels.filter((label) => label.lane === lane).map((label) => label.middle);
      for (let i = 1; i < middles.length; i++)
        expect(middles[i]! - middles[i - 1]!).toBeGreaterThanOrEqual(10);
    }
    // Neighbouring rows alternate lanes; the first row sits next to the heatmap (lane 1).
    expect(labels.slice(0, 3).map((label) => label.lane)).toEqual([1, 0, 1]);
  });

  it('uses one lane when rows are tall enough', () => {
    const layout = posteriorRowLayout(ARPABET.slice(0, 10), CLASSES);
    const { lanes, labels } = laneRowLabels(layout, 120, 10, 2);
    expect(lanes).toBe(1);
    expect(labels).toHaveLength(10);
    expect(new Set(labels.map((label) => label.lane))).toEqual(new Set([0]));
  });

  it('labels every n-th row when even the lanes cannot hold them all, never closer than allowed', () => {
    const labels61 = Array.from({ length: 61 }, (_, i) => `p${i}`);
    const layout = posteriorRowLayout(labels61, []);
    const { lanes, labels } = laneRowLabels(layout, 122, 10, 2);
    expect(lanes).toBe(2);
    // 2 px rows need 5 lanes; with 2 lanes every 3rd row is labelled, 12 px apart per lane.
    expect(labels.map((label) => label.row).slice(0, 4)).toEqual([0, 3, 6, 9]);
    for (let lane = 0; lane < 2; lane++) {
      const middles = labels.filter((label) => label.lane === lane).map((label) => label.middle);
      for (let i = 1; i < middles.length; i++)
        expect(middles[i]! - middles[i - 1]!).toBeGreaterThanOrEqual(10);
    }
  });

  it('returns nothing without rows', () => {
    expect(laneRowLabels(posteriorRowLayout([], []), 100).labels).toEqual([]);
  });
});

describe('placeClassNames', () => {
  it('gives every class of the 41-phone set its own line, in band order, inside the canvas', () => {
    const layout = posteriorRowLayout(ARPABET, CLASSES);
    const height = 41 * 6;
    const bands = classBandGeometry(layout, height);
    const placed = placeClassNames(bands, height, 12);
    expect(placed.map((name) => name.name)).toEqual(CLASSES.map((group) => group.name));
    for (let i = 1; i < placed.length; i++)
      expect(placed[i]!.y - placed[i - 1]!.y).toBeGreaterThanOrEqual(12 - 1e-9);
    expect(placed[0]!.y).toBeGreaterThanOrEqual(6);
    expect(placed.at(-1)!.y).toBeLessThanOrEqual(height - 6);
    // A band tall enough keeps its name centred on it.
    const vowels = bands[0]!;
    expect(placed[0]!.y).toBe(vowels.middle);
    // Each name stays near its band: within a couple of lines of it.
    for (const name of placed) {
      expect(name.y).toBeGreaterThan(name.top - 24);
      expect(name.y).toBeLessThan(name.bottom + 24);
    }
  });

  it('pushes the names of thin neighbouring bands apart and pulls them off the bottom edge', () => {
    const band = (name: string, top: number, bottom: number) => ({
      name,
      top,
      bottom,
      middle: (top + bottom) / 2,
      firstRow: 0,
      rowCount: 1,
    });
    const placed = placeClassNames(
      [band('a', 0, 40), band('b', 40, 44), band('c', 44, 48), band('d', 48, 50)],
      50,
      10,
    );
    expect(placed.map((name) => name.y)).toEqual([15, 25, 35, 45]);
  });
});
