/**
 * The unrolled network's numbers as CSV, for every step of the input (not only the steps in
 * view): one line per step; per row of the picture, bottom to top, the values it colours (one
 * column per unit: `input x[0]`, `encoder/layer0/fw h[3]`; the input's features standardised,
 * as drawn) and the texts it writes (`input x` for a token, `output y` for the answer, empty at
 * a step without one).
 */
import { csvField } from '../plot/chart-csv';
import type { UnrolledRow } from './unrolled-network';

export function unrolledCsv(rows: readonly UnrolledRow[], steps: number): string {
  const header = ['step'];
  for (const row of rows) {
    if (row.texts) header.push(row.key);
    if (row.vectors)
      for (let unit = 0; unit < row.vectors.size; unit++) header.push(`${row.key}[${unit}]`);
  }
  const lines = [header.map(csvField).join(',')];
  for (let step = 0; step < steps; step++) {
    const fields = [String(step)];
    for (const row of rows) {
      if (row.texts) fields.push(csvField(row.texts[step] ?? ''));
      const vectors = row.vectors;
      if (vectors)
        for (let unit = 0; unit < vectors.size; unit++)
          fields.push(String(vectors.data[step * vectors.size + unit]));
    }
    lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}
