import { describe, expect, it } from 'vitest';
import { renderCurves, scaleCurves, type CurveCanvas, type CurveSpec } from './curves';

const spec: CurveSpec = { width: 120, height: 70, padding: 10 };

function recordingCanvas(): CurveCanvas & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    font: '',
    clearRect: () => calls.push('clear'),
    beginPath: () => calls.push('begin'),
    moveTo: (x, y) => calls.push(`move ${x} ${y}`),
    lineTo: (x, y) => calls.push(`line ${x} ${y}`),
    stroke: () => calls.push('stroke'),
    fillText: (text) => calls.push(`text ${text}`),
    setLineDash: () => undefined,
  };
}

describe('scaleCurves', () => {
  it('maps the data range onto the plot area, y growing downwards', () => {
    const scaled = scaleCurves(
      [
        {
          label: 'loss',
          colour: 'red',
          points: [
            { x: 1, y: 2 },
            { x: 2, y: 1 },
          ],
        },
      ],
      spec,
    );
    expect(scaled.xRange).toEqual({ min: 0, max: 2 });
    expect(scaled.yRange).toEqual({ min: 1, max: 2 });
    expect(scaled.lines[0]?.pixels).toEqual([
      { x: 60, y: 10 },
      { x: 110, y: 60 },
    ]);
  });

  it('uses a fixed y range and the planned epochs when given, and drops non-finite points', () => {
    const scaled = scaleCurves(
      [
        {
          label: 'acc',
          colour: 'blue',
          points: [
            { x: 1, y: 0.5 },
            { x: 2, y: Number.NaN },
          ],
        },
      ],
      { ...spec, yRange: { min: 0, max: 1 }, minXMax: 4 },
    );
    expect(scaled.xRange.max).toBe(4);
    expect(scaled.lines[0]?.pixels).toEqual([{ x: 35, y: 35 }]);
  });

  it('gives a flat curve a range instead of dividing by zero', () => {
    const scaled = scaleCurves([{ label: 'flat', colour: 'red', points: [{ x: 1, y: 3 }] }], spec);
    expect(scaled.yRange).toEqual({ min: 2.5, max: 3.5 });
    expect(scaled.lines[0]?.pixels[0]?.y).toBe(35);
  });
});

describe('renderCurves', () => {
  it('draws each non-empty series as a path through its scaled points', () => {
    const canvas = recordingCanvas();
    renderCurves(
      canvas,
      [
        {
          label: 'loss',
          colour: 'red',
          points: [
            { x: 1, y: 2 },
            { x: 2, y: 1 },
          ],
        },
        { label: 'empty', colour: 'blue', points: [] },
      ],
      spec,
    );
    expect(canvas.calls[0]).toBe('clear');
    expect(canvas.calls).toContain('move 60 10');
    expect(canvas.calls).toContain('line 110 60');
    // Axes and one series: two strokes.
    expect(canvas.calls.filter((c) => c === 'stroke')).toHaveLength(2);
  });
});
