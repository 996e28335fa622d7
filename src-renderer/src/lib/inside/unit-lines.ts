/**
 * The units picked in a layer's heatmaps (a click on a row), drawn as lines over time with the
 * plot kit's line chart, on the heatmaps' step axis.
 */
import type { InsideLayer, InsideSeriesName } from '@api/inside';
import { seriesColour, type LineChartSpec } from '../plot/line-chart';

export interface UnitPick {
  series: InsideSeriesName;
  unit: number;
}

/** The most lines one chart shows: a new pick beyond it drops the oldest. */
export const MAX_UNIT_PICKS = 8;

/** Adds the pick, or removes it when it is there already. */
export function togglePick(picks: readonly UnitPick[], pick: UnitPick): UnitPick[] {
  const kept = picks.filter((p) => p.series !== pick.series || p.unit !== pick.unit);
  if (kept.length < picks.length) return kept;
  return [...picks, pick].slice(-MAX_UNIT_PICKS);
}

/** The picks this layer has (a pick of another model's layer may name a missing series or unit). */
export function validPicks(layer: InsideLayer, picks: readonly UnitPick[]): UnitPick[] {
  return picks.filter((p) => {
    const series = layer.series.find((s) => s.name === p.series);
    return series !== undefined && p.unit >= 0 && p.unit < series.units;
  });
}

export function unitLinesSpec(
  layer: InsideLayer,
  picks: readonly UnitPick[],
  steps: number,
): LineChartSpec {
  return {
    xLabel: 'step t',
    xWhole: true,
    yLabel: 'value',
    xExtent: { min: 0, max: Math.max(0, steps - 1) },
    lines: validPicks(layer, picks).map((pick, i) => {
      const series = layer.series.find((s) => s.name === pick.series);
      const units = series?.units ?? 1;
      return {
        label: `${series?.title ?? pick.series}, unit ${pick.unit}`,
        colour: seriesColour(i),
        markers: steps <= 60,
        points: Array.from({ length: steps }, (_, t) => ({
          x: t,
          y: series?.data[t * units + pick.unit] ?? Number.NaN,
        })),
      };
    }),
  };
}
