/**
 * Tick placement for every axis of the plot kit: round values ("nice" steps of 1, 2 or 5 times
 * a power of ten) and never two labels closer than a minimum number of pixels, so labels do not
 * pile up however short the axis is.
 */

/** A labelled tick, `y` pixels from the top of a vertical axis (or from the left of a horizontal one). */
export interface AxisTick {
  value: number;
  label: string;
  y: number;
}

/** The smallest step of 1, 2 or 5 times a power of ten that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const multiple of [1, 2, 5, 10]) {
    // The tolerance absorbs rounding in `raw / power` (e.g. 0.3 / 0.1 = 2.9999999999999996).
    if (multiple * power >= raw * (1 - 1e-9)) return multiple * power;
  }
  return 10 * power;
}

/** Decimals that show a multiple of `step` exactly (0.25 -> 2, 5 -> 0). */
export function stepDecimals(step: number): number {
  for (let decimals = 0; decimals < 10; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return decimals;
  }
  return 10;
}

/** A number as an axis label: fixed decimals and a true minus sign. */
export function formatTickValue(value: number, decimals: number): string {
  const text = Math.abs(value).toFixed(decimals);
  return value < 0 && Number(text) !== 0 ? `\u2212${text}` : text;
}

/**
 * Ticks, lowest value first, at multiples of the smallest nice step that keeps them `minSpacingPx` apart on an axis
 * `lengthPx` long showing min (at the bottom, y = lengthPx) to max (at the top, y = 0).
 */
export function linearTicks(
  min: number,
  max: number,
  lengthPx: number,
  minSpacingPx = 18,
): AxisTick[] {
  if (!(max > min) || !(lengthPx > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const step = niceStep(((max - min) * minSpacingPx) / lengthPx);
  const decimals = stepDecimals(step);
  const ticks: AxisTick[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let i = first; i <= last; i++) {
    // Multiply, do not accumulate: 0.1 added 3 times is not 0.3.
    const value = Number((i * step).toFixed(decimals));
    ticks.push({
      value,
      label: formatTickValue(value, decimals),
      y: ((max - value) / (max - min)) * lengthPx,
    });
  }
  return ticks;
}

/**
 * Keeps candidate ticks in priority order (most important first), dropping each one that would
 * sit closer than `minSpacingPx` to one already kept; returns the kept ticks from top to bottom.
 */
export function spaceTicks<T extends { y: number }>(
  candidates: readonly T[],
  minSpacingPx: number,
): T[] {
  const kept: T[] = [];
  for (const tick of candidates) {
    if (kept.every((other) => Math.abs(other.y - tick.y) >= minSpacingPx)) kept.push(tick);
  }
  return kept.sort((a, b) => a.y - b.y);
}
