import { describe, expect, it } from 'vitest';
import { PosteriorFeed, type PosteriorBatch } from './posterior-feed';

/** A batch of 2-phone columns whose first value is the absolute frame number. */
function batch(startFrame: number, frames: number, sentAt = 0): PosteriorBatch {
  const posteriors = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) posteriors.set([startFrame + i, 0.5], i * 2);
  return { posteriors, frames, startFrame, latencyMs: 5, sentAt };
}

describe('PosteriorFeed', () => {
  it('hands pending batches to the drawing loop once, in order, and counts them', () => {
    const feed = new PosteriorFeed(2, 16);
    feed.push(batch(0, 3, 1));
    feed.push(batch(3, 2, 2));
    expect(feed.pending).toBe(5);
    expect(feed.take().map((b) => b.sentAt)).toEqual([1, 2]);
    expect(feed.take()).toEqual([]);
    expect([feed.received, feed.drawn, feed.pending, feed.dropped]).toEqual([5, 5, 0, 0]);
    expect(feed.endFrame).toBe(5);
  });

  it('keeps the last `capacity` columns by absolute frame for redrawing', () => {
    const feed = new PosteriorFeed(2, 4);
    feed.push(batch(0, 3));
    feed.push(batch(3, 3));
    expect(feed.firstKeptFrame).toBe(2);
    const kept = feed.columns(0, 10);
    expect(kept.startFrame).toBe(2);
    expect(kept.frames).toBe(4);
    expect(Array.from(kept.posteriors.filter((_, i) => i % 2 === 0))).toEqual([2, 3, 4, 5]);
    expect(feed.columns(4, 5).posteriors[0]).toBe(4);
  });

  it('clears a gap in the frame numbers instead of showing stale columns', () => {
    const feed = new PosteriorFeed(2, 4);
    feed.push(batch(0, 2));
    feed.push(batch(4, 1));
    const kept = feed.columns(1, 5);
    expect(Array.from(kept.posteriors)).toEqual([1, 0.5, 0, 0, 0, 0, 4, 0.5]);
  });

  it('drops the oldest undrawn batches beyond its capacity, and counts them', () => {
    const feed = new PosteriorFeed(2, 4);
    feed.push(batch(0, 3));
    feed.push(batch(3, 3));
    expect(feed.dropped).toBe(3);
    expect(feed.take().map((b) => b.startFrame)).toEqual([3]);
    expect(feed.received).toBe(feed.drawn + feed.dropped + feed.pending);
  });

  it('refuses a batch shorter than its shape', () => {
    const feed = new PosteriorFeed(3, 4);
    expect(() => feed.push(batch(0, 2))).toThrow(/shorter/);
  });

  it('hands out one kept column for the hover readout, and null outside what is kept', () => {
    const feed = new PosteriorFeed(2, 4);
    feed.push(batch(0, 6));
    expect(Array.from(feed.column(5) ?? [])).toEqual([5, 0.5]);
    expect(Array.from(feed.column(2) ?? [])).toEqual([2, 0.5]);
    expect(feed.column(1)).toBeNull();
    expect(feed.column(6)).toBeNull();
    expect(feed.column(2.5)).toBeNull();
    // A copy: the ring reusing the slot later does not change what the readout shows.
    const shown = feed.column(3)!;
    feed.push(batch(6, 2));
    expect(Array.from(shown)).toEqual([3, 0.5]);
  });
});
