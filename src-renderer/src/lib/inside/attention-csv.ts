/**
 * An encoder-decoder's attention as CSV: one line per decoder step (its output symbol first),
 * one column per source symbol (`step,output,s0:a,s1:b,...`), each cell the weight that step gave
 * that source symbol.
 */
import type { AttentionMatrix } from '@api/seq2seq';
import { csvField } from '../plot/chart-csv';

export function attentionCsv(
  matrix: AttentionMatrix,
  outputLabels: readonly string[],
  sourceUnits: readonly string[],
): string {
  const header = [
    'step',
    'output',
    ...Array.from({ length: matrix.cols }, (_, s) => `s${s}:${sourceUnits[s] ?? ''}`),
  ];
  const lines = [header.map(csvField).join(',')];
  for (let t = 0; t < matrix.rows; t++) {
    const row = matrix.data.subarray(t * matrix.cols, (t + 1) * matrix.cols);
    lines.push([String(t), csvField(outputLabels[t] ?? ''), ...Array.from(row, String)].join(','));
  }
  return `${lines.join('\n')}\n`;
}
