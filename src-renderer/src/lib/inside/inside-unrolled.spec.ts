import { describe, expect, it } from 'vitest';
import type { InsideLayer, InsideSeries, InsideTrace } from '@api/inside';
import { colourCss, colourIndex, COLORMAPS } from '../plot/colormap';
import { layerCsv, layerCsvName } from './layer-csv';
import { togglePick, unitLinesSpec, MAX_UNIT_PICKS } from './unit-lines';
import { stepLabels, unitCorrelations, unitOrder, unitsByCorrelation } from './unit-order';
import {
  clampFirstStep,
  drawUnrolled,
  layoutUnrolled,
  unrolledCellAt,
  unrolledRows,
  UNROLLED,
  type UnrolledCanvas,
} from './unrolled-network';

function series(name: InsideSeries['name'], data: number[], units: number): InsideSeries {
  return {
    name,
    title: `${name} title`,
    data: Float32Array.from(data),
    units,
    saturation: null,
    varianceOrder: Int32Array.from({ length: units }, (_, u) => units - 1 - u),
  };
}

/** 3 steps, 2 hidden units: unit u at step t is t + 10 u (fw) and -(t + 10 u) (bw). */
function layer(key: string, sign: number): InsideLayer {
  return {
    key,
    cell: 'rnn',
    series: [
      series(
        'hidden',
        [0, 10, 1, 11, 2, 12].map((v) => sign * v),
        2,
      ),
    ],
    gradNorm: new Float32Array(3),
  };
}

function textTrace(steps = 3, perStep = false): InsideTrace {
  const tokens = ['the', 'film', 'was', 'good', 'and', 'long', 'and', 'fun', 'to', 'see'].slice(
    0,
    steps,
  );
  return {
    experiment: 'tiny',
    task: 'sentiment',
    steps,
    axis: { kind: 'tokens', tokens },
    features: null,
    predicted: perStep ? tokens.map((t) => (t === 'and' ? 'CC' : 'X')) : ['positive'],
    perStep,
    outputStep: null,
    layers: [layer('encoder/layer0/fw', 1), layer('encoder/layer0/bw', -1)].map((l) => ({
      ...l,
      series: l.series.map((s) => ({
        ...s,
        data: Float32Array.from({ length: steps * 2 }, (_, i) => s.data[i % 6] as number),
      })),
    })),
    outputs: {
      activation: 'softmax',
      classes: Int32Array.from([0, 1]),
      labels: ['positive', 'negative'],
      data: Float32Array.from([0.75, 0.25]),
      steps: 1,
      totalClasses: 2,
    },
  };
}

describe('the unrolled network', () => {
  const trace = textTrace();
  const rows = unrolledRows(trace);
  const layout = layoutUnrolled(rows, trace.steps, 0, (t) => trace.predicted[t] ?? '');

  it('has the input at the bottom, the directions of layer 0, and the output on top', () => {
    expect(rows.map((r) => [r.kind, r.label])).toEqual([
      ['input', 'input x (word)'],
      ['hidden', 'layer 0 fw h'],
      ['hidden', 'layer 0 bw h'],
      ['output', 'output y (the answer)'],
    ]);
    const yOf = (row: number): number => layout.boxes.find((b) => b.row === row)?.y ?? -1;
    expect(yOf(3)).toBe(UNROLLED.topMargin);
    expect(yOf(2)).toBeLessThan(yOf(1));
    expect(yOf(1)).toBeLessThan(yOf(0));
  });

  it('draws one column per step, the words at the input and one answer at the end', () => {
    expect(layout.steps).toEqual([0, 1, 2]);
    const inputs = layout.boxes.filter((b) => b.row === 0);
    expect(inputs.map((b) => b.text)).toEqual(['the', 'film', 'was']);
    const centres = inputs.map((b) => b.x + b.width / 2);
    expect(centres).toEqual([0, 1, 2].map((i) => UNROLLED.leftMargin + (i + 0.5) * 100));
    // A sequence classifier answers once: one output box, at the last step.
    expect(layout.boxes.filter((b) => b.row === 3).map((b) => [b.step, b.text])).toEqual([
      [2, 'positive'],
    ]);
  });

  it('puts each unit of a step’s hidden vector in its own cell, coloured by value', () => {
    const box = layout.boxes.find((b) => b.row === 1 && b.step === 2);
    expect(box?.cells.map((c) => [c.unit, c.value])).toEqual([
      [0, 2],
      [1, 12],
    ]);
    const [top, bottom] = box?.cells ?? [];
    expect(top?.y).toBe(box?.y);
    expect((top?.y ?? 0) + (top?.height ?? 0)).toBe(bottom?.y);
    expect((bottom?.y ?? 0) + (bottom?.height ?? 0)).toBe((box?.y ?? 0) + (box?.height ?? 0));
    // States in the diverging map, on a range symmetric about 0 (largest |value| 12).
    expect(bottom?.fill).toBe(colourCss(COLORMAPS.blueWhiteRed, colourIndex(12, -12, 12)));
    expect(top?.fill).toBe(colourCss(COLORMAPS.blueWhiteRed, colourIndex(2, -12, 12)));
    expect(unrolledCellAt(layout, (top?.x ?? 0) + 1, (bottom?.y ?? 0) + 1)?.cell?.unit).toBe(1);
    expect(unrolledCellAt(layout, 1, 1)).toBeNull();
  });

  it('draws the recurrence forwards for fw and backwards for bw, labelled as shared', () => {
    const recurrent = layout.arrows.filter((a) => a.kind === 'recurrent');
    expect(recurrent).toHaveLength(4);
    expect(recurrent.every((a) => a.label === 'W_hh')).toBe(true);
    const fwY = (layout.boxes.find((b) => b.row === 1)?.y ?? 0) + UNROLLED.vectorHeight / 2;
    const fw = recurrent.filter((a) => a.y0 === fwY);
    expect(fw.every((a) => a.x1 > a.x0)).toBe(true);
    const bw = recurrent.filter((a) => a.y0 !== fwY);
    expect(bw).toHaveLength(2);
    expect(bw.every((a) => a.x1 < a.x0)).toBe(true);
    const feed = layout.arrows.filter((a) => a.kind === 'feed');
    // Input -> both directions of layer 0 at every step (the backward one's arrow beside the
    // forward box, unlabelled); layer 0 -> output only where there is an answer.
    expect(feed.map((a) => a.label)).toEqual(['W_xh', 'W_xh', 'W_xh', '', '', '', 'W_hy']);
    const intoFw = feed[0];
    const intoBw = feed[3];
    expect(intoBw?.x0).toBe((intoFw?.x0 ?? 0) + UNROLLED.besideOffset);
    expect(intoBw?.y0).toBe(intoFw?.y0);
    expect(intoBw?.y1).toBeLessThan(intoFw?.y1 ?? 0);
    expect(UNROLLED.besideOffset).toBeGreaterThan(UNROLLED.stripWidth / 2);
    expect(layout.texts.some((t) => /the same matrices at every step/.test(t.text))).toBe(true);
  });

  it('scrolls along time: a window of steps, clamped to the input, with the state coming in', () => {
    const long = textTrace(10, true);
    const longRows = unrolledRows(long);
    expect(clampFirstStep(99, 10, 8)).toBe(2);
    expect(clampFirstStep(-3, 10, 8)).toBe(0);
    const scrolled = layoutUnrolled(longRows, 10, 5, () => '');
    expect(scrolled.firstStep).toBe(2);
    expect(scrolled.steps).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    // Per-step answers: one output box per step shown.
    expect(scrolled.boxes.filter((b) => b.row === 3).map((b) => b.text)).toEqual(
      ['was', 'good', 'and', 'long', 'and', 'fun', 'to', 'see'].map((t) =>
        t === 'and' ? 'CC' : 'X',
      ),
    );
    // The forward state enters from the left (steps 0-1 are not shown); the backward one starts
    // at the last step, which is shown: 7 + 1 forward and 7 backward arrows.
    expect(scrolled.arrows.filter((a) => a.kind === 'recurrent')).toHaveLength(15);
    const fromStart = layoutUnrolled(longRows, 10, 0, () => '');
    expect(fromStart.arrows.filter((a) => a.kind === 'recurrent')).toHaveLength(15);
    expect(fromStart.texts.find((t) => t.text.startsWith('t = 0'))?.text).toBe('t = 0');
  });

  it('draws speech features as strips too, standardised, lowest feature at the top', () => {
    const speech: InsideTrace = {
      ...textTrace(),
      axis: { kind: 'frames', frameShiftSeconds: 0.01 },
      features: { data: Float32Array.from([0, 5, 2, 5, 4, 5]), dims: 2 },
    };
    const input = unrolledRows(speech)[0];
    expect(input?.vectors?.size).toBe(2);
    const box = layoutUnrolled(unrolledRows(speech), 3, 0, () => '').boxes.find(
      (b) => b.row === 0 && b.step === 2,
    );
    // Feature 0 is 0, 2, 4 over time: standardised, step 2 is above the mean; feature 1 constant.
    expect(box?.cells[0]?.value).toBeGreaterThan(1);
    expect(box?.cells[1]?.value).toBe(0);
  });

  it('paints every cell with its colour, box outlines, arrows and labels on the context', () => {
    const fills: { style: string; rect: number[] }[] = [];
    const texts: string[] = [];
    let strokes = 0;
    const context = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      font: '',
      textAlign: 'left',
      textBaseline: 'alphabetic',
      clearRect: () => undefined,
      fillRect(this: { fillStyle: string }, x: number, y: number, w: number, h: number) {
        fills.push({ style: this.fillStyle, rect: [x, y, w, h] });
      },
      strokeRect: () => undefined,
      beginPath: () => undefined,
      moveTo: () => undefined,
      lineTo: () => undefined,
      closePath: () => undefined,
      stroke: () => void strokes++,
      fill: () => undefined,
      fillText: (text: string) => void texts.push(text),
    } as unknown as UnrolledCanvas;
    drawUnrolled(context, layout, { text: '#000', muted: '#666', line: '#333', box: '#999' });
    const cells = layout.boxes.flatMap((b) => b.cells);
    expect(fills).toEqual(
      cells.map((c) => ({ style: c.fill, rect: [c.x, c.y, c.width, c.height] })),
    );
    expect(strokes).toBe(layout.arrows.length);
    expect(texts).toContain('the');
    expect(texts).toContain('positive');
    expect(texts.filter((t) => t === 'W_hh')).toHaveLength(4);
  });
});

describe('unit order by correlation with a label', () => {
  // 4 steps, 3 units: unit 0 follows the label, unit 1 is its opposite at half size, unit 2 noise.
  const target = Float32Array.from([1, 0, 1, 0]);
  const data = Float32Array.from([2, -1, 0.3, 0, 0, 0.1, 2, -1, -0.2, 0, 0, 0.2]);

  it('is Pearson’s r of each unit with the label’s indicator, 0 for a constant', () => {
    const r = unitCorrelations(data, 4, 3, target);
    expect(r[0]).toBeCloseTo(1, 6);
    expect(r[1]).toBeCloseTo(-1, 6);
    expect(Math.abs(r[2] as number)).toBeLessThan(0.9);
    expect(Array.from(unitCorrelations(data, 4, 3, new Float32Array(4)))).toEqual([0, 0, 0]);
  });

  it('orders by falling |r|, the lower unit first on ties', () => {
    expect(Array.from(unitsByCorrelation(data, 4, 3, target))).toEqual([0, 1, 2]);
    const flipped = Float32Array.from([0.3, -1, 2, 0.1, 0, 0, -0.2, -1, 2, 0.2, 0, 0]);
    expect(Array.from(unitsByCorrelation(flipped, 4, 3, target))).toEqual([1, 2, 0]);
  });

  it('offers the per-step answers and the words as labels, most frequent first', () => {
    const labels = stepLabels(textTrace(10, true));
    expect(labels[0]?.key).toBe('answer:X');
    expect(labels[1]?.text).toBe('the model answers “CC” (2 steps)');
    expect(Array.from(labels[1]?.indicator ?? [])).toEqual([0, 0, 0, 0, 1, 0, 1, 0, 0, 0]);
    expect(labels.filter((l) => l.key.startsWith('word:'))[0]?.key).toBe('word:and');
    // A sentence classifier has one answer: only the words.
    expect(stepLabels(textTrace(3)).map((l) => l.key)).toEqual([
      'word:the',
      'word:film',
      'word:was',
    ]);
  });

  it('gives the heatmap rows for each sort', () => {
    const s = series('hidden', Array.from(data), 3);
    expect(unitOrder(s, 4, { kind: 'number' })).toBeNull();
    expect(Array.from(unitOrder(s, 4, { kind: 'variance' }) ?? [])).toEqual([2, 1, 0]);
    const label = { key: 'x', text: 'x', indicator: target };
    expect(Array.from(unitOrder(s, 4, { kind: 'correlation', label }) ?? [])).toEqual([0, 1, 2]);
  });
});

describe('chosen units and CSV export', () => {
  const l: InsideLayer = {
    key: 'encoder/layer0/fw',
    cell: 'gru',
    series: [series('update', [0.1, 0.2, 0.3, 0.4], 2), series('hidden', [1, 2, 3, 4, 5, 6], 3)],
    gradNorm: new Float32Array(2),
  };

  it('toggles picks, keeping the newest few', () => {
    let picks = togglePick([], { series: 'hidden', unit: 1 });
    picks = togglePick(picks, { series: 'update', unit: 0 });
    expect(togglePick(picks, { series: 'hidden', unit: 1 })).toEqual([
      { series: 'update', unit: 0 },
    ]);
    for (let u = 0; u < MAX_UNIT_PICKS + 2; u++)
      picks = togglePick(picks, { series: 'hidden', unit: u + 10 });
    expect(picks).toHaveLength(MAX_UNIT_PICKS);
    expect(picks.at(-1)).toEqual({ series: 'hidden', unit: MAX_UNIT_PICKS + 11 });
  });

  it('plots each chosen unit over the steps, dropping picks the layer lacks', () => {
    const spec = unitLinesSpec(
      l,
      [
        { series: 'hidden', unit: 2 },
        { series: 'update', unit: 1 },
        { series: 'cell', unit: 0 },
        { series: 'hidden', unit: 7 },
      ],
      2,
    );
    expect(spec.lines.map((line) => line.label)).toEqual([
      'hidden title, unit 2',
      'update title, unit 1',
    ]);
    expect(spec.lines[0]?.points).toEqual([
      { x: 0, y: 3 },
      { x: 1, y: 6 },
    ]);
    expect(spec.lines[1]?.points.map((p) => p.y)).toEqual([Math.fround(0.2), Math.fround(0.4)]);
    expect(spec.xExtent).toEqual({ min: 0, max: 1 });
  });

  it('writes units x steps with a header, in the rows’ order', () => {
    const csv = layerCsv(l, 2, (s) => (s.name === 'hidden' ? Int32Array.from([2, 0, 1]) : null));
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('series,unit,0,1');
    expect(lines).toHaveLength(1 + 2 + 3);
    expect(lines[1]).toBe(`update,0,${Math.fround(0.1)},${Math.fround(0.3)}`);
    expect(lines.slice(3)).toEqual(['hidden,2,3,6', 'hidden,0,1,4', 'hidden,1,2,5']);
    expect(layerCsvName('tiny', 'encoder/layer0/fw')).toBe('tiny-encoder-layer0-fw.csv');
  });
});
