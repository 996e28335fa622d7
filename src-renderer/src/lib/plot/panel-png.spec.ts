import { describe, expect, it } from 'vitest';
import {
  csvFileName,
  legendOf,
  PANEL_PNG_STYLE as S,
  panelPngLayout,
  pngFileName,
  type PanelPngPart,
} from './panel-png';

const part = (over: Partial<PanelPngPart>): PanelPngPart => ({
  width: 100,
  height: 40,
  caption: '',
  rowLabels: [],
  labelWidth: 0,
  legend: [],
  ...over,
});

describe('a panel saved as a PNG', () => {
  it('stacks the plots under the title, each under its caption', () => {
    const layout = panelPngLayout([
      part({ caption: 'forget gate f' }),
      part({ width: 300, height: 20 }),
    ]);
    const first = layout.parts[0]!;
    const second = layout.parts[1]!;
    expect(first.y).toBe(S.padding + S.titleHeight + S.captionHeight);
    expect(first.captionY).toBeLessThan(first.y);
    // No caption: the second plot starts right after the first and the gap.
    expect(second.y).toBe(first.y + 40 + S.gap);
    expect(layout.width).toBe(300 + 2 * S.padding);
    expect(layout.height).toBe(second.y + 20 + S.padding);
  });

  it('puts row labels beside a heatmap whose rows have room for them, and a legend under a chart', () => {
    const labelled = panelPngLayout([part({ height: 40, rowLabels: ['a', 'b'], labelWidth: 30 })]);
    expect(labelled.parts[0]?.rowHeight).toBe(20);
    expect(labelled.parts[0]?.labelX).toBe(S.padding + 100 + S.labelGap);
    expect(labelled.width).toBe(100 + S.labelGap + 30 + 2 * S.padding);
    // Rows 4 pixels tall: too small to label; the width is the plot's alone.
    const crowded = panelPngLayout([
      part({ height: 40, rowLabels: Array.from({ length: 10 }, String), labelWidth: 30 }),
    ]);
    expect(crowded.parts[0]?.rowHeight).toBe(0);
    expect(crowded.width).toBe(100 + 2 * S.padding);
    const legend = [
      { label: 'LSTM', colour: '#2d5bd0' },
      { label: 'GRU', colour: '#c2410c' },
    ];
    const charted = panelPngLayout([part({ legend })]);
    const top = S.padding + S.titleHeight;
    expect(charted.parts[0]?.legendY).toBeGreaterThan(top + 40);
    expect(charted.height).toBe(top + 40 + 2 * S.legendRowHeight + S.padding);
  });

  it('reads a chart’s legend from its canvas, ignoring a bad one', () => {
    const legend = [{ label: 'LSTM · tiny', colour: '#2d5bd0' }];
    expect(legendOf({ dataset: { legend: JSON.stringify(legend) } })).toEqual(legend);
    expect(legendOf({ dataset: { legend: '{not json' } })).toEqual([]);
    expect(legendOf({ dataset: { legend: '[{"label": 3}]' } })).toEqual([]);
    expect(legendOf({ dataset: {} })).toEqual([]);
  });

  it('names its files after the experiment and the panel', () => {
    expect(pngFileName('tiny', 'encoder/layer0/fw')).toBe('tiny-encoder-layer0-fw.png');
    expect(csvFileName('tiny', 'encoder/layer0/bw', 'dynamics')).toBe(
      'tiny-encoder-layer0-bw-dynamics.csv',
    );
  });
});
