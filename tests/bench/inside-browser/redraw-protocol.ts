/**
 * What the heatmap bench page (RedrawBench.svelte, in Chromium) offers its Node driver
 * (heatmap-redraw.ts) through `page.evaluate`. Types only: the driver is typed for Node, the page
 * for the DOM.
 */

/** The global the page sets once mounted (UnitHeatmap marks its canvas data-drawn when drawn). */
export const REDRAW_BENCH_GLOBAL = 'unfoldRedrawBench';

/** One change made at the start of a frame, timed to the end of that frame's rendering. */
export interface FrameTiming {
  /** From the change to the end of the frame: the Svelte flush, then style, layout and paint. */
  totalMs: number;
  /** The Svelte flush alone: for a redraw, the component's effect (render and canvas write). */
  flushMs: number;
}

/** A redraw's work outside the component, on a canvas of the same size, split in two. */
export interface SplitTiming {
  /** seriesRange: the component's colour range, computed again on a change of series. */
  rangeMs: number;
  /** createImageData and renderUnitHeatmap. */
  renderMs: number;
  /** Resizing the canvas (as the effect does, which clears it) and putImageData. */
  canvasWriteMs: number;
}

export interface HoverTiming extends FrameTiming {
  /** The read-out's text after the move ("step 12 (frame 12)\nunit 40: 0.123"). */
  text: string;
}

export interface RedrawBenchApi {
  steps: number;
  units: number;
  /** The canvas's pixel size: heatmapWidth(steps) x heatmapHeight(units). */
  width: number;
  height: number;
  /** What each input shows ("cell state c, by falling variance"); consecutive inputs differ. */
  inputs: string[];
  /** Shows input `index` in the mounted UnitHeatmap (a full redraw). */
  redraw(index: number): Promise<FrameTiming>;
  /** Draws input `index` as the effect does, on a canvas of its own, timing the two halves. */
  split(index: number): SplitTiming;
  /** Moves the pointer to canvas pixel (x, y) of the mounted heatmap (its hover read-out). */
  hover(x: number, y: number): Promise<HoverTiming>;
  /** Whether the mounted canvas holds exactly what renderUnitHeatmap draws for the input shown. */
  canvasMatchesRender(): boolean;
}
