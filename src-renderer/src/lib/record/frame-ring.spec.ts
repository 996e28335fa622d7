import { describe, expect, it } from 'vitest';
import { FrameRing } from './frame-ring';

function batch(start: number, frames: number, dims: number): Float32Array {
  return Float32Array.from({ length: frames * dims }, (_, i) => start + Math.floor(i / dims));
}

describe('FrameRing', () => {
  it('delivers every frame once, in order, across wrap-arounds', () => {
    const ring = new FrameRing(5, 3);
    const seen: number[] = [];
    let next = 0;
    for (const size of [2, 3, 1, 4, 4, 2]) {
      ring.push(batch(next, size, 3), size);
      next += size;
      ring.drain((row, index) => {
        expect(Array.from(row)).toEqual([index, index, index]);
        seen.push(index);
      });
    }
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(ring.received).toBe(next);
    expect(ring.drawn).toBe(next);
    expect(ring.dropped).toBe(0);
  });

  it('counts frames overwritten before they were drawn as dropped', () => {
    const ring = new FrameRing(4, 1);
    ring.push(batch(0, 6, 1), 6);
    const seen: number[] = [];
    ring.drain((row) => seen.push(row[0]!));
    expect(seen).toEqual([2, 3, 4, 5]);
    expect(ring.dropped).toBe(2);
    expect(ring.received).toBe(6);
    expect(ring.drawn).toBe(6);
  });

  it('rejects a batch shorter than it claims and resets', () => {
    const ring = new FrameRing(4, 2);
    expect(() => ring.push(new Float32Array(3), 2)).toThrow(/shorter/);
    ring.push(batch(0, 2, 2), 2);
    ring.reset();
    expect([ring.received, ring.drawn, ring.pending]).toEqual([0, 0, 0]);
  });

  it('grows to hold a burst instead of dropping, up to its maximum', () => {
    const ring = new FrameRing(4, 2, 64);
    ring.push(batch(0, 3, 2), 3);
    const first: number[] = [];
    ring.drain((row) => first.push(row[0]!));
    ring.push(batch(3, 2, 2), 2); // wraps in the small ring
    ring.push(batch(5, 20, 2), 20); // a burst: grows to 32, keeping pending frames in order
    expect(ring.capacity).toBe(32);
    const seen: number[] = [];
    ring.drain((row, index) => {
      expect(row[1]).toBe(index);
      seen.push(row[0]!);
    });
    expect([...first, ...seen]).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(ring.dropped).toBe(0);
    ring.push(batch(25, 100, 2), 100);
    expect(ring.capacity).toBe(64);
    expect(ring.dropped).toBe(36);
  });
});
