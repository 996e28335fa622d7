/**
 * A panel saved as one PNG: its plots' canvases (those marked `data-png="caption"`) stacked top
 * to bottom under the panel's title, each under its caption, a heatmap's row labels
 * (`data-row-labels`, one per line) beside its rows and a chart's legend (`data-legend`, JSON
 * [{ label, colour }]) under it, on the panel's own background and text colours (a card's
 * `--surface` and `--text`: the plots are drawn for them). The layout is pure (tested); drawing
 * and the download need a DOM. Canvases keep their own pixel size (a device-pixel-ratio canvas
 * is saved at its full resolution).
 */
import { downloadBlob } from '../dom/download-text';

export const PANEL_PNG_STYLE = {
  padding: 12,
  titleHeight: 24,
  captionHeight: 18,
  legendRowHeight: 16,
  swatch: 12,
  gap: 10,
  labelGap: 6,
  /** Row labels are drawn only when a row is at least this many pixels tall. */
  minLabelRow: 8,
  /** When the panel's style gives none. */
  background: '#ffffff',
  text: '#1f2937',
  titleFont: 'bold 15px sans-serif',
  captionFont: '13px sans-serif',
  labelFont: '11px sans-serif',
} as const;

export interface PanelPngPart {
  width: number;
  height: number;
  caption: string;
  rowLabels: readonly string[];
  /** The widest row label's width in pixels (0 without labels). */
  labelWidth: number;
  legend: readonly LegendEntry[];
}

export interface LegendEntry {
  label: string;
  colour: string;
}

export interface PlacedPart {
  /** Where the canvas goes. */
  x: number;
  y: number;
  /** The caption's baseline. */
  captionY: number;
  /** Where the row labels start, and the height of one row band (0: no labels). */
  labelX: number;
  rowHeight: number;
  /** The first legend row's middle. */
  legendY: number;
}

export interface PanelPngLayout {
  width: number;
  height: number;
  /** The title's baseline. */
  titleY: number;
  parts: PlacedPart[];
}

export function panelPngLayout(parts: readonly PanelPngPart[]): PanelPngLayout {
  const s = PANEL_PNG_STYLE;
  let y = s.padding + s.titleHeight;
  let width = 0;
  const placed = parts.map((part) => {
    const captionY = y + s.captionHeight - 5;
    const top = y + (part.caption ? s.captionHeight : 0);
    const rowHeight =
      part.rowLabels.length > 0 && part.height / part.rowLabels.length >= s.minLabelRow
        ? part.height / part.rowLabels.length
        : 0;
    const labelled = rowHeight > 0 ? s.labelGap + part.labelWidth : 0;
    width = Math.max(width, part.width + labelled);
    const legendY = top + part.height + s.legendRowHeight / 2 + 2;
    y = top + part.height + part.legend.length * s.legendRowHeight + s.gap;
    return {
      x: s.padding,
      y: top,
      captionY,
      labelX: s.padding + part.width + s.labelGap,
      rowHeight,
      legendY,
    };
  });
  return {
    width: Math.ceil(2 * s.padding + Math.max(width, 1)),
    height: Math.ceil(y - (parts.length > 0 ? s.gap : 0) + s.padding),
    titleY: s.padding + s.titleHeight - 8,
    parts: placed,
  };
}

/** The canvases of `root` marked for the PNG, in document order (empty ones left out). */
export function pngCanvasesOf(root: ParentNode): HTMLCanvasElement[] {
  return [...root.querySelectorAll<HTMLCanvasElement>('canvas[data-png]')].filter(
    (canvas) => canvas.width > 0 && canvas.height > 0,
  );
}

/** A canvas's legend from its `data-legend` attribute (JSON [{ label, colour }]); none when absent or bad. */
export function legendOf(canvas: { dataset: DOMStringMap }): LegendEntry[] {
  const text = canvas.dataset.legend;
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter(
          (e): e is LegendEntry =>
            typeof e === 'object' &&
            e !== null &&
            typeof (e as LegendEntry).label === 'string' &&
            typeof (e as LegendEntry).colour === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

export interface PanelColours {
  background: string;
  text: string;
}

/** The panel's card colours (`--surface`, `--text`), else white and dark grey. */
export function panelColoursOf(element: Element): PanelColours {
  const style = getComputedStyle(element);
  return {
    background: style.getPropertyValue('--surface').trim() || PANEL_PNG_STYLE.background,
    text: style.getPropertyValue('--text').trim() || PANEL_PNG_STYLE.text,
  };
}

/** Draws the title and the canvases into a new canvas. */
export function composePanelPng(
  title: string,
  canvases: readonly HTMLCanvasElement[],
  colours: PanelColours = { background: PANEL_PNG_STYLE.background, text: PANEL_PNG_STYLE.text },
): HTMLCanvasElement {
  const s = PANEL_PNG_STYLE;
  const out = document.createElement('canvas');
  const measure = out.getContext('2d');
  if (!measure) throw new Error('No 2-D canvas context to draw the PNG with.');
  measure.font = s.labelFont;
  const parts: PanelPngPart[] = canvases.map((canvas) => {
    const rowLabels = canvas.dataset.rowLabels ? canvas.dataset.rowLabels.split('\n') : [];
    return {
      width: canvas.width,
      height: canvas.height,
      caption: canvas.dataset.png ?? '',
      rowLabels,
      labelWidth: Math.max(0, ...rowLabels.map((label) => measure.measureText(label).width)),
      legend: legendOf(canvas),
    };
  });
  const layout = panelPngLayout(parts);
  out.width = layout.width;
  out.height = layout.height;
  const context = out.getContext('2d') as CanvasRenderingContext2D;
  context.fillStyle = colours.background;
  context.fillRect(0, 0, out.width, out.height);
  context.fillStyle = colours.text;
  context.font = s.titleFont;
  context.fillText(title, s.padding, layout.titleY);
  layout.parts.forEach((place, k) => {
    const part = parts[k] as PanelPngPart;
    if (part.caption) {
      context.font = s.captionFont;
      context.fillText(part.caption, place.x, place.captionY);
    }
    context.drawImage(canvases[k] as HTMLCanvasElement, place.x, place.y);
    if (place.rowHeight > 0) {
      context.font = s.labelFont;
      context.textBaseline = 'middle';
      part.rowLabels.forEach((label, row) =>
        context.fillText(label, place.labelX, place.y + (row + 0.5) * place.rowHeight),
      );
      context.textBaseline = 'alphabetic';
    }
    part.legend.forEach((entry, row) => {
      const middle = place.legendY + row * s.legendRowHeight;
      context.fillStyle = entry.colour;
      context.fillRect(place.x, middle - s.swatch / 2, s.swatch, s.swatch);
      context.fillStyle = colours.text;
      context.font = s.labelFont;
      context.textBaseline = 'middle';
      context.fillText(entry.label, place.x + s.swatch + s.labelGap, middle);
      context.textBaseline = 'alphabetic';
    });
  });
  return out;
}

/** Saves the marked canvases of `root` as `fileName` (a PNG) through the browser's download. */
export async function savePanelPng(
  root: HTMLElement,
  title: string,
  fileName: string,
): Promise<void> {
  const composed = composePanelPng(title, pngCanvasesOf(root), panelColoursOf(root));
  const blob = await new Promise<Blob>((resolve, reject) =>
    composed.toBlob(
      (made) => (made ? resolve(made) : reject(new Error('The browser could not encode the PNG.'))),
      'image/png',
    ),
  );
  downloadBlob(fileName, blob);
}

/** A file name from an experiment and a panel: `tiny`, `encoder/layer0/fw` -> `tiny-encoder-layer0-fw`. */
export function panelFileStem(...parts: string[]): string {
  return parts.map((p) => p.replaceAll(/[/\\\s]+/g, '-')).join('-');
}

export const pngFileName = (...parts: string[]): string => `${panelFileStem(...parts)}.png`;
export const csvFileName = (...parts: string[]): string => `${panelFileStem(...parts)}.csv`;
