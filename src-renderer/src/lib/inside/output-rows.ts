/**
 * The Inside view's output panel, pure: the model's top classes as rows of a classes x time
 * heatmap on the gates' time axis (values 0..1 for probabilities), the choice of how many rows,
 * and the outputs as CSV.
 */
import type { InsideOutputs } from '@api/inside';
import { csvField } from '../plot/chart-csv';
import type { UnitSeries } from './unit-heatmap';

export { outputRange } from './output-range';

/** How many of the carried classes the panel shows; 0 = all. */
export const OUTPUT_ROW_CHOICES = [10, 20, 0] as const;
export type OutputRowChoice = (typeof OUTPUT_ROW_CHOICES)[number];
export const DEFAULT_OUTPUT_ROWS: OutputRowChoice = 10;
/** CSS pixels per class row: room for its label beside it. */
export const OUTPUT_ROW_HEIGHT = 14;

export function shownClassCount(outputs: InsideOutputs, choice: OutputRowChoice): number {
  const carried = outputs.classes.length;
  return choice === 0 ? carried : Math.min(choice, carried);
}

/** The first `rows` classes (the highest peaks) as a [steps, rows] series for renderUnitHeatmap. */
export function outputSeries(outputs: InsideOutputs, rows: number): UnitSeries {
  const carried = outputs.classes.length;
  const data = new Float32Array(outputs.steps * rows);
  for (let t = 0; t < outputs.steps; t++)
    data.set(outputs.data.subarray(t * carried, t * carried + rows), t * rows);
  return { data, steps: outputs.steps, units: rows };
}

/** "probability" for a softmax or sigmoid, "output" for raw values. */
export function outputValueName(outputs: InsideOutputs): string {
  return outputs.activation === 'linear' ? 'output' : 'probability';
}

/** One row per step, one column per carried class: `step,<label>,<label>...`. */
export function outputsCsv(outputs: InsideOutputs): string {
  const carried = outputs.classes.length;
  const lines = [['step', ...outputs.labels.map(csvField)].join(',')];
  for (let t = 0; t < outputs.steps; t++)
    lines.push(
      [
        String(t),
        ...Array.from(outputs.data.subarray(t * carried, (t + 1) * carried), String),
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}
