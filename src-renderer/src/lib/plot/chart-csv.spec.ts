import { describe, expect, it } from 'vitest';
import { csvField, lineChartCsv } from './chart-csv';

describe('a line chart as CSV', () => {
  it('has one row per x and one column per line, empty where a line has no point', () => {
    const csv = lineChartCsv({
      xLabel: 'step t',
      lines: [
        {
          label: 'LSTM, fw',
          colour: '#000',
          points: [
            { x: 0, y: 0 },
            { x: 1, y: 0.5 },
          ],
        },
        {
          label: 'GRU',
          colour: '#111',
          points: [
            { x: 1, y: 2 },
            { x: 2, y: 1e-7 },
          ],
        },
      ],
    });
    // A log chart's zero is data: it stays 0 here.
    expect(csv).toBe('step t,"LSTM, fw",GRU\n0,0,\n1,0.5,2\n2,,1e-7\n');
  });

  it('quotes a field with a comma, a quote or a line break', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});
