/**
 * The files `unfold inspect` writes for a trace: per layer and series a `.npy` of the numbers
 * and a `.png` of the plot, drawn in Node by the Inside view's own render functions.
 */
import type { InsideDynamics, InsidePanel, InsideSeries, InsideTrace } from '../../api/inside';
import { encodeNpy } from '../../domain/audio/npy';
import { encodePng } from '../../domain/inside/png-encoder';
import type { PixelImage } from '../../../src-renderer/src/lib/plot/heatmap';
import {
  isGate,
  seriesColormap,
  seriesRange,
} from '../../../src-renderer/src/lib/inside/inside-palettes';
import { renderLogLine } from '../../../src-renderer/src/lib/inside/log-line-plot';
import { renderTrajectory } from '../../../src-renderer/src/lib/inside/trajectory-plot';
import { renderUnitHeatmap } from '../../../src-renderer/src/lib/inside/unit-heatmap';

export interface InspectFile {
  name: string;
  bytes: Uint8Array;
}

/** Heatmap pixels per step and per unit, within these bounds. */
const HEATMAP_CELL = 4;
const HEATMAP_WIDTH = { min: 200, max: 1600 };
const HEATMAP_HEIGHT = { min: 60, max: 1024 };
export const GRADNORM_PNG = { width: 640, height: 240 };
export const DYNAMICS_PNG = { width: 400, height: 400 };

const clamp = (v: number, range: { min: number; max: number }): number =>
  Math.max(range.min, Math.min(range.max, v));

function blankImage(width: number, height: number): PixelImage {
  return { data: new Uint8ClampedArray(width * height * 4), width, height };
}

/** `encoder/layer0/fw` -> `encoder-layer0-fw`. */
export function layerFileStem(key: string): string {
  return key.replaceAll('/', '-');
}

function npyOf(data: Float32Array, rows: number, cols: number): Uint8Array {
  return encodeNpy({ data, frames: rows, dims: cols });
}

function seriesFiles(
  stem: string,
  series: InsideSeries,
  steps: number,
  sorted: boolean,
): InspectFile[] {
  const image = blankImage(
    clamp(steps * HEATMAP_CELL, HEATMAP_WIDTH),
    clamp(series.units * HEATMAP_CELL, HEATMAP_HEIGHT),
  );
  renderUnitHeatmap(
    { data: series.data, steps, units: series.units },
    sorted ? series.varianceOrder : null,
    seriesRange(series.name, series.data),
    seriesColormap(series.name),
    image,
  );
  return [
    { name: `${stem}-${series.name}.npy`, bytes: npyOf(series.data, steps, series.units) },
    { name: `${stem}-${series.name}.png`, bytes: encodePng(image) },
  ];
}

/** The `.npy` and `.png` files of the panels asked for. */
export function traceFiles(
  trace: InsideTrace,
  panels: readonly InsidePanel[],
  options: { sortByVariance: boolean },
): InspectFile[] {
  const files: InspectFile[] = [];
  if (trace.features)
    files.push({
      name: 'input-features.npy',
      bytes: npyOf(trace.features.data, trace.steps, trace.features.dims),
    });
  for (const layer of trace.layers) {
    const stem = layerFileStem(layer.key);
    for (const series of layer.series) {
      const panel: InsidePanel = isGate(series.name) ? 'gates' : 'states';
      if (panels.includes(panel))
        files.push(...seriesFiles(stem, series, trace.steps, options.sortByVariance));
    }
    if (panels.includes('gradnorm')) {
      const image = blankImage(GRADNORM_PNG.width, GRADNORM_PNG.height);
      renderLogLine(layer.gradNorm, trace.outputStep, image);
      files.push(
        { name: `${stem}-gradnorm.npy`, bytes: npyOf(layer.gradNorm, trace.steps, 1) },
        { name: `${stem}-gradnorm.png`, bytes: encodePng(image) },
      );
    }
  }
  return files;
}

export function dynamicsFiles(dynamics: InsideDynamics): InspectFile[] {
  const stem = `${layerFileStem(dynamics.layer)}-dynamics`;
  const rows = dynamics.points.length / 2;
  const image = blankImage(DYNAMICS_PNG.width, DYNAMICS_PNG.height);
  renderTrajectory(dynamics.points, image);
  return [
    { name: `${stem}-pca.npy`, bytes: npyOf(dynamics.points, rows, 2) },
    { name: `${stem}-norms.npy`, bytes: npyOf(dynamics.norms, dynamics.norms.length, 1) },
    { name: `${stem}.png`, bytes: encodePng(image) },
  ];
}
