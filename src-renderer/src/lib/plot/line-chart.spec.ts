import { describe, expect, it } from 'vitest';
import {
  alignLines,
  chartShapeKey,
  drawnLineCount,
  drawnPointCount,
  formatChartValue,
  lineChartOptions,
  type ChartLine,
  type LineChartSpec,
} from './line-chart';

const train: ChartLine = {
  label: 'train',
  colour: '#111',
  points: [
    { x: 1, y: 2 },
    { x: 2, y: 1 },
    { x: 3, y: 0.5 },
  ],
};
const dev: ChartLine = {
  label: 'dev',
  colour: '#222',
  points: [
    { x: 1, y: 2.5 },
    { x: 3, y: Number.NaN },
  ],
};

describe('alignLines', () => {
  it('gives one ascending x column and one y column per line, undefined where a line has no point', () => {
    const batch: ChartLine = { label: 'batch', colour: '#333', points: [{ x: 0.5, y: 3 }] };
    expect(alignLines([train, batch])).toEqual([
      [0.5, 1, 2, 3],
      [undefined, 2, 1, 0.5],
      [3, undefined, undefined, undefined],
    ]);
  });

  it('turns a point that cannot be drawn into null, a gap in the line', () => {
    expect(alignLines([dev])).toEqual([
      [1, 3],
      [2.5, null],
    ]);
  });

  it('on a log scale makes values <= 0 gaps on the main scale only', () => {
    const loss: ChartLine = {
      label: 'loss',
      colour: '#111',
      points: [
        { x: 1, y: 0 },
        { x: 2, y: 0.1 },
      ],
    };
    const rate: ChartLine = { ...loss, label: 'lr', scale: 'lr' };
    expect(alignLines([loss, rate], { logScale: true })).toEqual([
      [1, 2],
      [null, 0.1],
      [0, 0.1],
    ]);
    expect(alignLines([loss], { logScale: false })[1]).toEqual([0, 0.1]);
  });

  it('adds the extent ends (no values) so the x axis spans the planned epochs', () => {
    expect(alignLines([train], { xExtent: { min: 0, max: 5 } })).toEqual([
      [0, 1, 2, 3, 5],
      [undefined, 2, 1, 0.5, undefined],
    ]);
    // Data beyond the extent widens it instead.
    expect(alignLines([train], { xExtent: { min: 0, max: 2 } })[0]).toEqual([0, 1, 2, 3]);
  });

  it('counts the drawable points', () => {
    expect(drawnPointCount(alignLines([train, dev]))).toBe(4);
  });

  it('counts the lines that draw a segment: a lone point or points split by gaps draw none', () => {
    expect(drawnLineCount(alignLines([train, dev]))).toBe(1);
    const joined: ChartLine = {
      ...train,
      label: 'joined',
      points: [
        { x: 0, y: 1 },
        { x: 5, y: 2 },
      ],
    };
    const split: ChartLine = {
      ...train,
      label: 'split',
      points: [
        { x: 1, y: 1 },
        { x: 2, y: 0 },
        { x: 3, y: 1 },
      ],
    };
    // `joined` has no point at split's x 1..3 and spans them; `split` has a gap (0 on a log scale).
    expect(drawnLineCount(alignLines([joined, split], { logScale: true }))).toBe(1);
    expect(drawnLineCount(alignLines([joined, split]))).toBe(2);
  });
});

describe('lineChartOptions', () => {
  const spec: LineChartSpec = { xLabel: 'epoch', yLabel: 'loss', lines: [train, dev] };

  it('labels both axes, one series per line with its colour and dash, x not a time scale', () => {
    const options = lineChartOptions(
      { ...spec, lines: [train, { ...dev, dash: [6, 4] }] },
      { width: 640.7, height: 240 },
    );
    expect(options.width).toBe(640);
    expect(options.scales?.x).toMatchObject({ time: false });
    expect(options.axes?.map((a) => a.label)).toEqual(['epoch', 'loss']);
    expect(options.series.map((s) => [s.label, s.stroke, s.dash])).toEqual([
      ['epoch', undefined, undefined],
      ['train', '#111', undefined],
      ['dev', '#222', [6, 4]],
    ]);
    expect(options.cursor?.drag).toMatchObject({ x: true, y: false, setScale: true });
  });

  it('puts ticks at whole numbers only on an axis of whole things', () => {
    expect(lineChartOptions(spec, { width: 1, height: 1 }).axes?.[0]?.incrs).toBeUndefined();
    const whole = lineChartOptions({ ...spec, xWhole: true }, { width: 1, height: 1 });
    const spacings = whole.axes?.[0]?.incrs as number[];
    expect(spacings.slice(0, 7)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(spacings.every((d) => Number.isInteger(d))).toBe(true);
  });

  it('uses a base-10 log distribution for the main scale when asked', () => {
    expect(lineChartOptions(spec, { width: 1, height: 1 }).scales?.y?.distr).toBeUndefined();
    const log = lineChartOptions({ ...spec, logScale: true }, { width: 1, height: 1 });
    expect(log.scales?.y).toMatchObject({ distr: 3, log: 10 });
  });

  it('puts the learning rate on its own scale and right-hand axis, ranged from 0', () => {
    const rate: ChartLine = {
      label: 'learning rate',
      colour: '#444',
      scale: 'lr',
      points: [{ x: 1, y: 0.01 }],
    };
    const options = lineChartOptions(
      { ...spec, lines: [train, rate], lrLabel: 'lr' },
      { width: 1, height: 1 },
    );
    expect(options.series[2]?.scale).toBe('lr');
    expect(options.series[1]?.scale).toBe('y');
    expect(options.axes?.[2]).toMatchObject({ scale: 'lr', side: 1, label: 'lr' });
    const range = options.scales?.lr?.range;
    expect(typeof range).toBe('function');
    if (typeof range === 'function') {
      const [min, max] = range(undefined as never, 0.001, 0.01, 'lr');
      expect(min).toBe(0);
      expect(max).toBeCloseTo(0.011, 12);
    }
    // Without a learning-rate line there is no third axis.
    expect(lineChartOptions(spec, { width: 1, height: 1 }).axes).toHaveLength(2);
  });

  it('fixes the main range when given one (accuracy 0..1)', () => {
    const options = lineChartOptions(
      { ...spec, yRange: { min: 0, max: 1 } },
      { width: 1, height: 1 },
    );
    expect(options.scales?.y).toMatchObject({ auto: false, range: [0, 1] });
  });
});

describe('chartShapeKey', () => {
  it('ignores the points and changes with anything that shapes the options', () => {
    const spec: LineChartSpec = { xLabel: 'epoch', yLabel: 'loss', lines: [train] };
    const more = { ...spec, lines: [{ ...train, points: [...train.points, { x: 4, y: 0.2 }] }] };
    expect(chartShapeKey(more)).toBe(chartShapeKey(spec));
    expect(chartShapeKey({ ...spec, logScale: true })).not.toBe(chartShapeKey(spec));
    expect(chartShapeKey({ ...spec, lines: [train, dev] })).not.toBe(chartShapeKey(spec));
  });
});

describe('formatChartValue', () => {
  it('keeps four significant digits and uses exponents only for tiny or huge values', () => {
    expect(formatChartValue(0.123456)).toBe('0.1235');
    expect(formatChartValue(2)).toBe('2');
    expect(formatChartValue(0.0001)).toBe('1.00e-4');
    expect(formatChartValue(0)).toBe('0');
  });
});
