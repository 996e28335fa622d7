/**
 * A free-running layer's path as CSV, one line per state: its two principal components, its
 * norm and its units, `state,pc1,pc2,norm,h0,...,c0,...` (the output h, an LSTMP's projection
 * r, then an LSTM's cell state c).
 */
import type { InsideDynamics } from '@api/inside';

export function dynamicsCsv(dynamics: InsideDynamics): string {
  const { output, cell } = dynamics.stateSizes;
  const size = output + cell;
  const units = [
    ...Array.from({ length: output }, (_, u) => `h${u}`),
    ...Array.from({ length: cell }, (_, u) => `c${u}`),
  ];
  const lines = [['state', 'pc1', 'pc2', 'norm', ...units].join(',')];
  for (let k = 0; k < dynamics.norms.length; k++)
    lines.push(
      [
        k,
        dynamics.points[2 * k] ?? '',
        dynamics.points[2 * k + 1] ?? '',
        dynamics.norms[k] as number,
        ...dynamics.states.subarray(k * size, (k + 1) * size),
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}
