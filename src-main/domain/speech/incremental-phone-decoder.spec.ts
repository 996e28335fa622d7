import { describe, expect, it } from 'vitest';
import { decodeFramePosteriors } from '../metrics/frame-decoding';
import { IncrementalPhoneDecoder } from './incremental-phone-decoder';

const PHONES = ['aa', 'b', 'pau', 'sil', 'iy'];

/** A deterministic pseudo-random generator (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Posteriors whose argmax follows runs of random labels, with some one-frame flickers. */
function posteriors(frames: number, rand: () => number): Float32Array {
  const out = new Float32Array(frames * PHONES.length);
  let label = 0;
  for (let t = 0; t < frames; t++) {
    if (rand() < 0.15) label = Math.floor(rand() * PHONES.length);
    const shown = rand() < 0.1 ? Math.floor(rand() * PHONES.length) : label;
    for (let k = 0; k < PHONES.length; k++) out[t * PHONES.length + k] = rand() * 0.1;
    out[t * PHONES.length + shown] = 0.9;
  }
  return out;
}

describe('IncrementalPhoneDecoder', () => {
  it('equals decoding every column so far in one go, after every chunk', () => {
    for (const window of [1, 3, 5, 11]) {
      const rand = random(window);
      const all = posteriors(400, rand);
      const decoder = new IncrementalPhoneDecoder(PHONES, {
        medianWindow: window,
        silence: ['pau', 'sil'],
      });
      let frames = 0;
      while (frames < 400) {
        const n = Math.min(400 - frames, 1 + Math.floor(rand() * 12));
        decoder.push(all.subarray(frames * PHONES.length, (frames + n) * PHONES.length));
        frames += n;
        const expected = decodeFramePosteriors(all.subarray(0, frames * PHONES.length), PHONES, {
          medianWindow: window,
          silence: ['pau', 'sil'],
        });
        expect(decoder.decoded(), `window ${window}, ${frames} frames`).toEqual(expected);
      }
      expect(decoder.frameCount).toBe(400);
    }
  });

  it('keeps phones on both sides of a pause apart and drops the pause', () => {
    const rows = ['aa', 'aa', 'aa', 'pau', 'pau', 'pau', 'aa', 'aa', 'aa', 'b', 'b', 'b'];
    const data = new Float32Array(rows.length * PHONES.length);
    rows.forEach((p, t) => (data[t * PHONES.length + PHONES.indexOf(p)] = 1));
    const decoder = new IncrementalPhoneDecoder(PHONES, { medianWindow: 3, silence: ['pau'] });
    decoder.push(data);
    expect(decoder.decoded()).toEqual(['aa', 'aa', 'b']);
  });

  it('returns only the last maxPhones phones', () => {
    const rows = ['aa', 'b', 'iy', 'aa', 'b', 'iy'];
    const data = new Float32Array(rows.length * PHONES.length);
    rows.forEach((p, t) => (data[t * PHONES.length + PHONES.indexOf(p)] = 1));
    const decoder = new IncrementalPhoneDecoder(PHONES, {
      medianWindow: 1,
      silence: [],
      maxPhones: 2,
    });
    for (let t = 0; t < rows.length; t++)
      decoder.push(data.subarray(t * PHONES.length, (t + 1) * PHONES.length));
    expect(decoder.decoded()).toEqual(['b', 'iy']);
  });
});
