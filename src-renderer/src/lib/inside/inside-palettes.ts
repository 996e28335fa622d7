/**
 * Colours of the Inside view's heatmaps: a gate (0..1) in the sequential map probabilities use,
 * a state or candidate (signed, around 0) in the diverging map with white at 0, on a range
 * symmetric about 0 so that the sign reads at a glance. Shared by the view and `unfold inspect`.
 */
import type { InsideSeriesName } from '@api/inside';
import { COLORMAPS, type Colormap } from '../plot/colormap';
import type { ValueRange } from '../plot/heatmap';

const GATES: ReadonlySet<InsideSeriesName> = new Set([
  'input',
  'forget',
  'output',
  'update',
  'reset',
]);

export function isGate(name: InsideSeriesName): boolean {
  return GATES.has(name);
}

export function seriesColormap(name: InsideSeriesName): Colormap {
  return isGate(name) ? COLORMAPS.viridis : COLORMAPS.blueWhiteRed;
}

/** Gates: 0..1. States: -m..m with m the largest magnitude (at least 1e-6). */
export function seriesRange(name: InsideSeriesName, data: Float32Array): ValueRange {
  if (isGate(name)) return { min: 0, max: 1 };
  let largest = 1e-6;
  for (const v of data) if (Math.abs(v) > largest) largest = Math.abs(v);
  return { min: -largest, max: largest };
}
