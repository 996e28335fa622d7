/**
 * The files `unfold inspect` writes for a trace: per layer and series a `.npy` of the numbers
 * and a `.png` of the plot, drawn in Node by the Inside view's own render functions; the model's
 * outputs (the classes the trace carries) as `outputs.npy` and, per step, `outputs.png`. An
 * encoder-decoder's layers are named by their part (`encoder-...` over the source's steps,
 * `decoder-...` over the target's), and its attention is `attention-target-by-source.npy/.png`;
 * a bidirectional LM's backward LM's outputs are `backward-outputs.npy/.png`.
 */
import type {
  InsideDynamics,
  InsideOutputs,
  InsidePanel,
  InsideSeries,
  InsideTrace,
} from '../../api/inside';
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
import { outputRange } from '../../../src-renderer/src/lib/inside/output-range';
import { layerSteps } from '../../../src-renderer/src/lib/inside/trace-sequences';
import { renderUnitHeatmap } from '../../../src-renderer/src/lib/inside/unit-heatmap';
import { COLORMAPS } from '../../../src-renderer/src/lib/plot/colormap';
import { renderAttention } from '../../../src-renderer/src/lib/text/attention-heatmap';

export interface InspectFile {
  name: string;
  bytes: Uint8Array;
}

/** Heatmap pixels per step and per unit, within these bounds. */
const HEATMAP_CELL = 4;
/** Attention pixels per source and target step: a word's symbols are few. */
const ATTENTION_CELL = 16;
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
    const steps = layerSteps(trace, layer);
    for (const series of layer.series) {
      const panel: InsidePanel = isGate(series.name) ? 'gates' : 'states';
      if (panels.includes(panel))
        files.push(...seriesFiles(stem, series, steps, options.sortByVariance));
    }
    if (panels.includes('gradnorm')) {
      const image = blankImage(GRADNORM_PNG.width, GRADNORM_PNG.height);
      // The output step marks a step of the decoder's own sequence only.
      const marked = trace.target && layer.sequence !== 'target' ? null : trace.outputStep;
      renderLogLine(layer.gradNorm, marked, image);
      files.push(
        { name: `${stem}-gradnorm.npy`, bytes: npyOf(layer.gradNorm, steps, 1) },
        { name: `${stem}-gradnorm.png`, bytes: encodePng(image) },
      );
    }
  }
  if (panels.includes('outputs')) {
    files.push(...outputFiles(trace.outputs, 'outputs'));
    // A bidirectional LM's backward LM: the previous unit's distribution, on the same steps.
    if (trace.backward) files.push(...outputFiles(trace.backward.outputs, 'backward-outputs'));
    if (trace.target?.attention) files.push(...attentionFiles(trace.target.attention, trace));
  }
  return files;
}

/** An encoder-decoder's attention, [target steps, source steps], and its heatmap (rows: target). */
function attentionFiles(attention: Float32Array, trace: InsideTrace): InspectFile[] {
  const rows = trace.target?.steps ?? 0;
  const cols = trace.steps;
  const image = blankImage(
    clamp(cols * ATTENTION_CELL, HEATMAP_WIDTH),
    clamp(rows * ATTENTION_CELL, HEATMAP_HEIGHT),
  );
  renderAttention({ data: attention, rows, cols }, image);
  return [
    { name: 'attention-target-by-source.npy', bytes: npyOf(attention, rows, cols) },
    { name: 'attention-target-by-source.png', bytes: encodePng(image) },
  ];
}

/**
 * `outputs.npy` [output steps, classes carried] (their labels are in inside.json) and, for a
 * per-step model, `outputs.png`: classes (highest peak at the top) against time (`stem`:
 * `outputs`, or a bidirectional LM's `backward-outputs`).
 */
function outputFiles(outputs: InsideOutputs, stem: string): InspectFile[] {
  const classes = outputs.classes.length;
  const files = [{ name: `${stem}.npy`, bytes: npyOf(outputs.data, outputs.steps, classes) }];
  if (outputs.steps < 2 || classes === 0) return files;
  const image = blankImage(
    clamp(outputs.steps * HEATMAP_CELL, HEATMAP_WIDTH),
    clamp(classes * HEATMAP_CELL, HEATMAP_HEIGHT),
  );
  renderUnitHeatmap(
    { data: outputs.data, steps: outputs.steps, units: classes },
    null,
    outputRange(outputs),
    COLORMAPS.viridis,
    image,
  );
  return [...files, { name: `${stem}.png`, bytes: encodePng(image) }];
}

/**
 * A free run's files: its path in the two principal components, the norms and the states
 * themselves ([states, output + cell], the units named in inside.json's stateSizes), and the plot.
 */
export function dynamicsFiles(dynamics: InsideDynamics): InspectFile[] {
  const stem = `${layerFileStem(dynamics.layer)}-dynamics`;
  const rows = dynamics.points.length / 2;
  const { output, cell } = dynamics.stateSizes;
  const image = blankImage(DYNAMICS_PNG.width, DYNAMICS_PNG.height);
  renderTrajectory(dynamics.points, image);
  return [
    { name: `${stem}-pca.npy`, bytes: npyOf(dynamics.points, rows, 2) },
    { name: `${stem}-norms.npy`, bytes: npyOf(dynamics.norms, dynamics.norms.length, 1) },
    {
      name: `${stem}-states.npy`,
      bytes: npyOf(dynamics.states, dynamics.norms.length, output + cell),
    },
    { name: `${stem}.png`, bytes: encodePng(image) },
  ];
}
