import { describe, expect, it } from 'vitest';
import { LOG_BAR_AXIS_HEIGHT, LOG_BAR_ROW_HEIGHT, decadeLabel, logBarLayout } from './log-bars';

describe('logBarLayout', () => {
  it('puts a heading before each group and sizes bars by log10 between whole decades', () => {
    const layout = logBarLayout(
      [
        { group: 'a', label: 'x', value: 0.02 },
        { group: 'a', label: 'y', value: 2 },
        { group: 'b', label: 'z', value: 0 },
      ],
      300,
    );
    expect(layout.rows.map((r) => `${r.kind}:${r.label}`)).toEqual([
      'heading:a',
      'bar:x',
      'bar:y',
      'heading:b',
      'bar:z',
    ]);
    expect(layout.rows.map((r) => r.y)).toEqual([0, 1, 2, 3, 4].map((i) => i * LOG_BAR_ROW_HEIGHT));
    expect(layout.height).toBe(5 * LOG_BAR_ROW_HEIGHT + LOG_BAR_AXIS_HEIGHT);
    // 0.02 and 2 lie in 10^-2 .. 10^1: three decades over 300 px.
    expect([layout.low, layout.high]).toEqual([-2, 1]);
    const [, x, y, , z] = layout.rows;
    expect(x?.length).toBeCloseTo(100 * Math.log10(2), 9);
    expect(y?.length).toBeCloseTo(200 + 100 * Math.log10(2), 9);
    expect(z?.length).toBe(0);
    expect(layout.ticks.map((t) => [t.label, t.x])).toEqual([
      ['0.01', 0],
      ['0.1', 100],
      ['1', 200],
      ['10', 300],
    ]);
  });

  it('keeps a bar at an exact power of ten visible and thins crowded ticks', () => {
    const layout = logBarLayout(
      [
        { group: 'g', label: 'small', value: 1e-9 },
        { group: 'g', label: 'big', value: 1e3 },
      ],
      120,
      4,
    );
    expect(layout.low).toBe(-10);
    expect(layout.rows[1]?.length).toBeGreaterThan(0);
    expect(layout.ticks.length).toBeLessThanOrEqual(5);
    expect(layout.ticks[0]?.label).toBe('1e-10');
  });

  it('labels decades briefly', () => {
    expect([-5, -2, -1, 0, 2, 5].map(decadeLabel)).toEqual([
      '1e-5',
      '0.01',
      '0.1',
      '1',
      '100',
      '1e5',
    ]);
  });
});
