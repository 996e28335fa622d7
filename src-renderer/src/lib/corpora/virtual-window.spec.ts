import { describe, expect, it } from 'vitest';
import { pagesFor, rowWindow, scrollToReveal } from './virtual-window';

describe('rowWindow', () => {
  it('renders only the rows in view plus the overscan', () => {
    const w = rowWindow(28 * 1000, 560, 28, 100_000, 5);
    expect(w.start).toBe(995);
    expect(w.end).toBe(1000 + 21 + 5);
    expect(w.offsetTop).toBe(995 * 28);
    expect(w.totalHeight).toBe(2_800_000);
  });

  it('clamps at both ends of the list', () => {
    expect(rowWindow(0, 560, 28, 100, 8)).toMatchObject({ start: 0, end: 29 });
    const end = rowWindow(28 * 95, 560, 28, 100, 8);
    expect(end.end).toBe(100);
    expect(rowWindow(5000, 560, 28, 0)).toMatchObject({ start: 0, end: 0, totalHeight: 0 });
  });
});

describe('pagesFor', () => {
  it('lists every page that the window touches', () => {
    expect(pagesFor(95, 130, 100)).toEqual([0, 1]);
    expect(pagesFor(200, 300, 100)).toEqual([2]);
    expect(pagesFor(10, 10, 100)).toEqual([]);
  });
});

describe('scrollToReveal', () => {
  it('scrolls just enough to show a row', () => {
    expect(scrollToReveal(10, 0, 280, 28)).toBe(28 * 11 - 280);
    expect(scrollToReveal(2, 280, 280, 28)).toBe(56);
    expect(scrollToReveal(3, 0, 280, 28)).toBeNull();
  });
});
