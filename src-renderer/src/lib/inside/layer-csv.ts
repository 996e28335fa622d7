/**
 * A layer's series as CSV, as the panel shows them: one row per unit of each series (in the
 * heatmap's row order), one column per step. Header: `series,unit,0,1,...`.
 */
import type { InsideLayer, InsideSeries } from '@api/inside';

export function layerCsv(
  layer: InsideLayer,
  steps: number,
  orderOf: (series: InsideSeries) => Int32Array | null,
): string {
  const header = ['series', 'unit', ...Array.from({ length: steps }, (_, t) => String(t))];
  const lines = [header.join(',')];
  for (const series of layer.series) {
    const order = orderOf(series);
    for (let row = 0; row < series.units; row++) {
      const unit = order ? (order[row] as number) : row;
      const values = Array.from({ length: steps }, (_, t) =>
        String(series.data[t * series.units + unit]),
      );
      lines.push([series.name, String(unit), ...values].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `encoder/layer0/fw` of `tiny` -> `tiny-encoder-layer0-fw.csv`. */
export function layerCsvName(experiment: string, layerKey: string): string {
  return `${experiment}-${layerKey.replaceAll('/', '-')}.csv`;
}
