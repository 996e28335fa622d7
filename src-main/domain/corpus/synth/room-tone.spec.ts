import { describe, expect, it } from 'vitest';
import { roomTone, roomToneSpecs } from './room-tone';

function rmsDbfs(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return 10 * Math.log10(sum / samples.length);
}

/** Energy above 2 kHz over total energy, from first differences (a crude high-pass). */
function highShare(samples: Float32Array): number {
  let total = 0;
  let diff = 0;
  for (let i = 1; i < samples.length; i++) {
    total += (samples[i] as number) ** 2;
    diff += ((samples[i] as number) - (samples[i - 1] as number)) ** 2;
  }
  return diff / total;
}

describe('room tone', () => {
  it('has the asked level, and white noise is brighter than pink, pink than brown', () => {
    const make = (colour: 'white' | 'pink' | 'brown'): Float32Array =>
      roomTone({ seconds: 1, levelDbfs: -50, colour, hum: 0, seed: 4 }, 16_000);
    const [white, pink, brown] = [make('white'), make('pink'), make('brown')];
    for (const clip of [white, pink, brown]) {
      expect(clip).toHaveLength(16_000);
      expect(rmsDbfs(clip)).toBeCloseTo(-50, 3);
    }
    expect(highShare(white)).toBeGreaterThan(highShare(pink));
    expect(highShare(pink)).toBeGreaterThan(highShare(brown));
  });

  it('is deterministic from the seed and varies level, length and colour between clips', () => {
    const specs = roomToneSpecs(6, 9);
    expect(roomToneSpecs(6, 9)).toEqual(specs);
    expect(roomToneSpecs(6, 10)).not.toEqual(specs);
    expect(new Set(specs.map((s) => s.colour))).toEqual(new Set(['white', 'pink', 'brown']));
    for (const s of specs) {
      expect(s.seconds).toBeGreaterThanOrEqual(0.4);
      expect(s.seconds).toBeLessThanOrEqual(1);
      expect(s.levelDbfs).toBeGreaterThanOrEqual(-65);
      expect(s.levelDbfs).toBeLessThanOrEqual(-35);
    }
    expect(new Set(specs.map((s) => Math.round(s.levelDbfs))).size).toBeGreaterThan(1);
    const spec = specs[2]!;
    expect(spec.hum).toBeGreaterThan(0);
    expect(roomTone(spec, 16_000)).toEqual(roomTone(spec, 16_000));
  });
});
