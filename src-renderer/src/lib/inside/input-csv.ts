/**
 * The input strip's numbers as CSV, one line per step: a speech model's features as the model
 * reads them (`step,time_s,f0,f1,...`; the strip draws them standardised, the file keeps the
 * values), or a text model's tokens (`step,token`).
 */
import type { InsideTrace } from '@api/inside';
import { csvField } from '../plot/chart-csv';

/** Seconds are rounded to this many decimals (a frame shift of 0.01 s times t is not exact). */
const TIME_DECIMALS = 6;

export function inputCsv(trace: Pick<InsideTrace, 'steps' | 'axis' | 'features'>): string {
  const lines: string[] = [];
  const { features, axis } = trace;
  if (features) {
    const shift = axis.kind === 'frames' ? axis.frameShiftSeconds : null;
    lines.push(
      ['step', 'time_s', ...Array.from({ length: features.dims }, (_, d) => `f${d}`)].join(','),
    );
    for (let t = 0; t < trace.steps; t++) {
      const row = features.data.subarray(t * features.dims, (t + 1) * features.dims);
      const time = shift === null ? '' : String(Number((t * shift).toFixed(TIME_DECIMALS)));
      lines.push([String(t), time, ...Array.from(row, String)].join(','));
    }
  } else {
    const tokens = axis.kind === 'tokens' ? axis.tokens : [];
    lines.push('step,token');
    for (let t = 0; t < trace.steps; t++) lines.push(`${t},${csvField(tokens[t] ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}
