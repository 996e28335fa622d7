import { describe, expect, it } from 'vitest';
import type { LiveWordPayload } from '@api/live';
import {
  addToHistory,
  formatLatency,
  formatProbability,
  formatSessionTime,
  headlineText,
  topBars,
} from './word-results';

function payload(index: number, over: Partial<LiveWordPayload> = {}): LiveWordPayload {
  return {
    index,
    kind: 'word',
    label: 'yes',
    probability: 0.9,
    top: [
      { label: 'yes', probability: 0.9 },
      { label: 'no', probability: 0.07 },
      { label: 'stop', probability: 0.03 },
    ],
    startSeconds: 0.5,
    endSeconds: 0.9,
    latencyMs: 42.4,
    ...over,
  };
}

describe('word results', () => {
  it('says what kind of result it is', () => {
    expect(headlineText({ kind: 'word', label: 'seven' })).toBe('seven');
    expect(headlineText({ kind: 'not-sure', label: 'not sure' })).toBe('not sure');
    expect(headlineText({ kind: 'silence', label: '_sil_' })).toBe('silence');
    expect(headlineText({ kind: 'unknown', label: '<unk>' })).toBe('unknown');
  });

  it('ranks the top words for the bars, at most three', () => {
    const bars = topBars([
      { label: 'a', probability: 0.1 },
      { label: 'b', probability: 0.6 },
      { label: 'c', probability: 0.2 },
      { label: 'd', probability: 0.1 },
    ]);
    expect(bars.map((bar) => bar.label)).toEqual(['b', 'c', 'a']);
  });

  it('keeps the history newest first, replacing a repeated index and capping its length', () => {
    let history = addToHistory([], payload(0));
    history = addToHistory(history, payload(1, { kind: 'not-sure', label: 'not sure' }));
    expect(history.map((entry) => [entry.index, entry.text, entry.guess])).toEqual([
      [1, 'not sure', 'yes'],
      [0, 'yes', 'yes'],
    ]);
    history = addToHistory(history, payload(1, { label: 'no' }));
    expect(history.map((entry) => entry.text)).toEqual(['no', 'yes']);
    for (let i = 2; i < 10; i++) history = addToHistory(history, payload(i), 5);
    expect(history.map((entry) => entry.index)).toEqual([9, 8, 7, 6, 5]);
  });

  it('formats times, probabilities and latencies', () => {
    expect(formatSessionTime(0.5)).toBe('0:00.50');
    expect(formatSessionTime(61.234)).toBe('1:01.23');
    expect(formatProbability(0.874)).toBe('87%');
    expect(formatProbability(0.004)).toBe('<1%');
    expect(formatProbability(0)).toBe('0%');
    expect(formatLatency(42.4)).toBe('42 ms');
  });
});
