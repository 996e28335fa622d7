import { describe, expect, it } from 'vitest';
import { drawLogBars, type LogBarsCanvas } from './log-bars-canvas';
import { LOG_BAR_ROW_HEIGHT, logBarLayout } from './log-bars';

describe('drawLogBars', () => {
  it('paints the background, one bar per value at its length, the labels, values and ticks', () => {
    const fills: { style: string; rect: number[] }[] = [];
    const texts: { text: string; x: number; style: string }[] = [];
    let lines = 0;
    const context = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      font: '',
      textAlign: 'left',
      textBaseline: 'alphabetic',
      fillRect(this: { fillStyle: string }, x: number, y: number, w: number, h: number) {
        fills.push({ style: this.fillStyle, rect: [x, y, w, h] });
      },
      beginPath: () => undefined,
      moveTo: () => undefined,
      lineTo: () => undefined,
      stroke: () => {
        lines++;
      },
      fillText(this: { fillStyle: string }, text: string, x: number) {
        texts.push({ text, x, style: this.fillStyle });
      },
    } as unknown as LogBarsCanvas;
    const layout = logBarLayout(
      [
        { group: 'encoder/layer0', label: 'fw/kernel', value: 0.1 },
        { group: 'encoder/layer0', label: 'fw/bias', value: 10 },
      ],
      200,
    );
    const colours = { background: '#fff', text: '#111', muted: '#666', grid: '#ccc', bar: '#00f' };
    drawLogBars(context, layout, 150, 414, colours);
    expect(fills[0]).toEqual({ style: '#fff', rect: [0, 0, 414, layout.height] });
    // 0.1 and 10 span 10^-2 .. 10^1: one and three decades of three over 200 px.
    const bars = fills.filter((f) => f.style === '#00f').map((f) => f.rect);
    expect(bars).toHaveLength(2);
    expect(bars[0]?.[0]).toBe(150);
    expect(bars[0]?.[1]).toBe(LOG_BAR_ROW_HEIGHT + 3);
    expect(bars[0]?.[2]).toBeCloseTo(200 / 3, 9);
    expect(bars[1]?.[2]).toBeCloseTo(200, 9);
    expect(texts.map((t) => t.text)).toEqual([
      '0.01',
      '0.1',
      '1',
      '10',
      'encoder/layer0',
      'fw/kernel',
      '0.1',
      'fw/bias',
      '10',
    ]);
    expect(lines).toBe(layout.ticks.length);
  });
});
