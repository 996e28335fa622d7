/** The level meter's scale: -60..0 dBFS, the usual range of a recording meter. */
export const METER_FLOOR_DBFS = -60;

/** Fraction of the meter filled for a dBFS reading (0 for silence or below the floor). */
export function meterFraction(dbfs: number, floor = METER_FLOOR_DBFS): number {
  if (!(dbfs > floor)) return 0;
  return Math.min(1, (dbfs - floor) / -floor);
}

export function formatDbfs(dbfs: number): string {
  return Number.isFinite(dbfs) ? `${dbfs.toFixed(1)} dBFS` : '−∞ dBFS';
}

/** Elapsed time as m:ss.t. */
export function formatElapsed(seconds: number): string {
  const tenths = Math.max(0, Math.floor(seconds * 10));
  const minutes = Math.floor(tenths / 600);
  const rest = (tenths % 600) / 10;
  return `${minutes}:${rest.toFixed(1).padStart(4, '0')}`;
}
