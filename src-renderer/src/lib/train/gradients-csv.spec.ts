import { describe, expect, it } from 'vitest';
import type { GradientReport } from '@api/jobs';
import { addGradientReport, emptyGradientHistory } from './gradient-history';
import { gradientsCsv } from './gradients-csv';

const PARAMETERS = [
  { name: 'encoder/layer0/fw/kernel', norm: 3 },
  { name: 'encoder/layer0/bw/kernel', norm: 4 },
  { name: 'output/kernel', norm: 2 },
];

const fed = (reports: GradientReport[]) =>
  reports.reduce(addGradientReport, emptyGradientHistory());

describe('the Gradients panel as CSV', () => {
  it('has every batch’s norm and threshold, the layers at the reports, the latest parameters', () => {
    const history = fed([
      { step: 1, globalNorm: 6, clipNorm: 5, clipped: true, parameters: PARAMETERS },
      { step: 2, globalNorm: 0.5, clipNorm: 5, clipped: false },
      {
        step: 3,
        globalNorm: 2,
        clipNorm: 5,
        clipped: false,
        parameters: PARAMETERS.map((p) => ({ ...p, norm: p.norm / 2 })),
      },
    ]);
    expect(gradientsCsv(history).split('\n')).toEqual([
      'batch,global norm,clip threshold,layer encoder/layer0,layer output,parameter encoder/layer0/fw/kernel,parameter encoder/layer0/bw/kernel,parameter output/kernel',
      '1,6,5,5,2,,,',
      '2,0.5,5,,,,,',
      '3,2,5,2.5,1,1.5,2,1',
      '',
    ]);
  });

  it('has no threshold column without clipping, and no parameter columns before a report', () => {
    const history = fed([{ step: 4, globalNorm: 1.25, clipNorm: null, clipped: false }]);
    expect(gradientsCsv(history)).toBe('batch,global norm\n4,1.25\n');
  });
});
