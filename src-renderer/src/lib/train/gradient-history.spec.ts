import { describe, expect, it } from 'vitest';
import type { GradientReport } from '@api/jobs';
import {
  addGradientReport,
  clippedSummary,
  emptyGradientHistory,
  flowBars,
  gradientNormLines,
  groupLines,
  groupNorms,
  parameterGroup,
  type GradientHistory,
} from './gradient-history';

const PARAMETERS = [
  { name: 'embedding/embeddings', norm: 0.5 },
  { name: 'encoder/layer0/fw/kernel', norm: 3 },
  { name: 'encoder/layer0/bw/kernel', norm: 4 },
  { name: 'output/kernel', norm: 2 },
];

const report = (step: number, extra: Partial<GradientReport> = {}): GradientReport => ({
  step,
  globalNorm: step,
  clipNorm: 5,
  clipped: step > 5,
  ...extra,
});

const fed = (reports: GradientReport[]): GradientHistory =>
  reports.reduce(addGradientReport, emptyGradientHistory());

describe('gradient history', () => {
  it('groups parameters by layer, both directions together', () => {
    expect(
      [
        'encoder/layer1/bw/recurrent_kernel',
        'decoder/layer0/fw/bias',
        'encoder/conv2/kernel',
        'embedding/char_conv/kernel',
        'output/bias',
        'bridge/layer0/h/kernel',
      ].map(parameterGroup),
    ).toEqual([
      'encoder/layer1',
      'decoder/layer0',
      'encoder/conv2',
      'embedding',
      'output',
      'bridge/layer0',
    ]);
    expect(groupNorms(PARAMETERS)).toEqual([
      { group: 'embedding', norm: 0.5 },
      { group: 'encoder/layer0', norm: 5 },
      { group: 'output', norm: 2 },
    ]);
  });

  it('keeps every batch norm, counts clipped batches and the per-layer series', () => {
    const history = fed([
      report(1, { parameters: PARAMETERS }),
      report(2),
      report(2),
      report(6),
      report(7, { parameters: PARAMETERS.map((p) => ({ ...p, norm: p.norm * 2 })) }),
    ]);
    expect(history.norms).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 6, y: 6 },
      { x: 7, y: 7 },
    ]);
    expect(history.clippedBatches).toBe(2);
    expect(clippedSummary(history)).toBe('2 of 4 batches clipped (50%)');
    expect(history.latest?.step).toBe(7);
    expect(history.groups.map((g) => [g.group, g.points])).toEqual([
      [
        'embedding',
        [
          { x: 1, y: 0.5 },
          { x: 7, y: 1 },
        ],
      ],
      [
        'encoder/layer0',
        [
          { x: 1, y: 5 },
          { x: 7, y: 10 },
        ],
      ],
      [
        'output',
        [
          { x: 1, y: 2 },
          { x: 7, y: 4 },
        ],
      ],
    ]);
    expect(groupLines(history).map((l) => l.label)).toEqual([
      'embedding',
      'encoder/layer0',
      'output',
    ]);
  });

  it('starts over when the batch number goes back (a new run), and ignores a missing report', () => {
    const before = fed([report(3), report(4)]);
    expect(addGradientReport(before, undefined)).toBe(before);
    expect(addGradientReport(before, report(1)).norms).toEqual([{ x: 1, y: 1 }]);
  });

  it('draws the threshold across the batches, labelled, only with norm clipping', () => {
    const lines = gradientNormLines(fed([report(1), report(9)]));
    expect(lines.map((l) => l.label)).toEqual(['gradient norm', 'clip threshold (5)']);
    expect(lines[1]?.points).toEqual([
      { x: 1, y: 5 },
      { x: 9, y: 5 },
    ]);
    const single = gradientNormLines(fed([report(1)]));
    expect(single[1]?.points.map((p) => p.x)).toEqual([1, 2]);
    const unclipped = fed([report(1, { clipNorm: null, clipped: false })]);
    expect(gradientNormLines(unclipped)).toHaveLength(1);
    expect(clippedSummary(unclipped)).toBeNull();
  });

  it('gives the latest report as bars under their layer, input to output', () => {
    expect(flowBars(emptyGradientHistory())).toEqual([]);
    expect(flowBars(fed([report(1, { parameters: PARAMETERS })]))).toEqual([
      { group: 'embedding', label: 'embeddings', value: 0.5 },
      { group: 'encoder/layer0', label: 'fw/kernel', value: 3 },
      { group: 'encoder/layer0', label: 'bw/kernel', value: 4 },
      { group: 'output', label: 'kernel', value: 2 },
    ]);
  });
});
