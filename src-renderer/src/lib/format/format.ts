/** Number, size and time formatting for the UI. Pure functions: unit-tested beside this file. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** "0 B", "512 B", "1.5 KiB", "12.3 GiB": binary units, as `df -h` counts free space. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** "850 ms", "12.3 s", "4 min 05 s", "1 h 02 min": precise when short, coarse when long. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.floor(seconds)} s`;
  const totalSeconds = Math.floor(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  if (hours === 0) return `${minutes} min ${String(secs).padStart(2, '0')} s`;
  return `${hours} h ${String(minutes).padStart(2, '0')} min`;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A measured value for display: integers grouped ("12,345"), other values with about three
 * significant digits ("123", "12.3", "1.23", "0.0123"), tiny or huge ones in exponent form.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return grouped.format(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(2);
  if (magnitude >= 100) return grouped.format(Math.round(value));
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** 0.4213 -> "42%"; values outside 0..1 are clamped. */
export function formatPercent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  return `${Math.floor(clamped * 100)}%`;
}

/** Metric keys whose short label is a unit rather than words. */
const METRIC_LABELS: Record<string, string> = {
  stepsPerSecond: 'steps/s',
  framesPerSecond: 'frames/s',
  tokensPerSecond: 'tokens/s',
  samplesPerSecond: 'samples/s',
  etaSeconds: 'ETA',
};

/** "stepsPerSecond" -> "steps/s"; other camelCase or snake_case keys -> "learning rate". */
export function metricLabel(key: string): string {
  const known = METRIC_LABELS[key];
  if (known) return known;
  return key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}

/** A metric value for display; `etaSeconds` reads as a duration. */
export function formatMetricValue(key: string, value: number): string {
  if (key === 'etaSeconds') return formatDuration(value * 1000);
  return formatNumber(value);
}

/** Milliseconds between two ISO times (or until `nowMs` when not ended); null without a start. */
export function elapsedMs(
  startIso: string | undefined,
  endIso: string | undefined,
  nowMs: number,
): number | null {
  if (!startIso) return null;
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : nowMs;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
