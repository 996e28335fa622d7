/** The part of a canvas used here; tests hand in a plain object. */
export interface DeviceCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): CanvasRenderingContext2D | null;
}

/** The screen's device pixels per CSS pixel; 1 where there is no screen (tests). */
export function devicePixelRatio(): number {
  return (globalThis as { devicePixelRatio?: number }).devicePixelRatio || 1;
}

/** The backing-store length for `cssLength` CSS pixels at `ratio`: whole pixels, at least one. */
export function backingSize(cssLength: number, ratio: number): number {
  return Math.max(1, Math.round(cssLength * ratio));
}

/**
 * Sizes a canvas's backing store to `cssWidth` x `cssHeight` CSS pixels at the device pixel
 * ratio, so that drawings stay sharp on high-density screens, and returns its 2-D context with
 * that size in device pixels (at least 1 x 1), or null where there is no context. Setting the
 * size also clears the canvas.
 */
export function deviceCanvasContext(
  canvas: DeviceCanvas,
  cssWidth: number,
  cssHeight: number,
  ratio: number = devicePixelRatio(),
): { context: CanvasRenderingContext2D; width: number; height: number } | null {
  const width = backingSize(cssWidth, ratio);
  const height = backingSize(cssHeight, ratio);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  return context ? { context, width, height } : null;
}
