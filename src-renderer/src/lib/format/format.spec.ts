import { describe, expect, it } from 'vitest';
import {
  elapsedMs,
  formatBytes,
  formatDuration,
  formatMetricValue,
  formatNumber,
  formatPercent,
  metricLabel,
} from './format';

describe('formatBytes', () => {
  it('uses binary units with one decimal below 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12.34 * 1024 ** 3)).toBe('12.3 GiB');
    expect(formatBytes(250 * 1024 ** 2)).toBe('250 MiB');
  });

  it('says unknown for impossible sizes', () => {
    expect(formatBytes(-1)).toBe('unknown');
    expect(formatBytes(Number.NaN)).toBe('unknown');
  });
});

describe('formatDuration', () => {
  it('is precise for short and coarse for long durations', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(849.6)).toBe('850 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_900)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });

  it('says unknown for negative or infinite durations', () => {
    expect(formatDuration(-5)).toBe('unknown');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('unknown');
  });
});

describe('formatNumber', () => {
  it('groups integers and keeps about three significant digits otherwise', () => {
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(123.456)).toBe('123');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(-0.5)).toBe('-0.500');
  });

  it('switches to exponent form for tiny and huge values', () => {
    expect(formatNumber(0.00001234)).toBe('1.23e-5');
    expect(formatNumber(2.5e7 + 0.5)).toBe('2.50e+7');
  });

  it('shows non-finite values as such instead of hiding them', () => {
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−∞');
  });
});

describe('formatPercent', () => {
  it('floors so that 100% means done, and clamps', () => {
    expect(formatPercent(0.4213)).toBe('42%');
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(-1)).toBe('0%');
  });
});

describe('metric labels and values', () => {
  it('turns rates into units and other keys into words', () => {
    expect(metricLabel('stepsPerSecond')).toBe('steps/s');
    expect(metricLabel('loss')).toBe('loss');
    expect(metricLabel('learningRate')).toBe('learning rate');
    expect(metricLabel('dev_accuracy')).toBe('dev accuracy');
  });

  it('shows an ETA as a duration', () => {
    expect(formatMetricValue('etaSeconds', 65)).toBe('1 min 05 s');
    expect(formatMetricValue('loss', 0.69314)).toBe('0.693');
  });
});

describe('elapsedMs', () => {
  it('measures to the end, or to now while running', () => {
    const start = '2026-01-01T00:00:00.000Z';
    expect(elapsedMs(start, '2026-01-01T00:00:02.500Z', 0)).toBe(2500);
    expect(elapsedMs(start, undefined, Date.parse(start) + 750)).toBe(750);
  });

  it('is null without a start or with an unreadable time', () => {
    expect(elapsedMs(undefined, undefined, 0)).toBeNull();
    expect(elapsedMs('not a time', undefined, 0)).toBeNull();
  });
});
