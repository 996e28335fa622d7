/**
 * The first two principal components of a set of state vectors, by power iteration on the
 * centred data (v <- X^T X v, never forming the covariance: a 1,000-step trajectory of a
 * 512-unit state costs two products per iteration), the second deflated against the first.
 */
const ITERATIONS = 200;
const CONVERGED = 1e-12;

export interface Projection2d {
  /** Row-major [rows, 2]. */
  points: Float32Array;
  /** Share of the total variance along each component (0 when there is none). */
  explained: [number, number];
}

function normalise(v: Float64Array): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  const size = Math.sqrt(sum);
  if (size > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / size;
  return size;
}

/** X^T X v for X row-major [rows, dims]. */
function gramTimes(x: Float64Array, rows: number, dims: number, v: Float64Array): Float64Array {
  const out = new Float64Array(dims);
  for (let r = 0; r < rows; r++) {
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += (x[r * dims + d] as number) * (v[d] as number);
    for (let d = 0; d < dims; d++) out[d] = (out[d] as number) + dot * (x[r * dims + d] as number);
  }
  return out;
}

function removeAlong(v: Float64Array, along: Float64Array | null): void {
  if (!along) return;
  let dot = 0;
  for (let d = 0; d < v.length; d++) dot += (v[d] as number) * (along[d] as number);
  for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) - dot * (along[d] as number);
}

function leadingComponent(
  x: Float64Array,
  rows: number,
  dims: number,
  orthogonalTo: Float64Array | null,
): { vector: Float64Array; variance: number } {
  // A fixed start that is not orthogonal to a typical component: all ones, then tilted.
  let v: Float64Array = Float64Array.from({ length: dims }, (_, d) => 1 + d / dims);
  removeAlong(v, orthogonalTo);
  normalise(v);
  let variance = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const next = gramTimes(x, rows, dims, v);
    removeAlong(next, orthogonalTo);
    const previous = variance;
    variance = normalise(next) / Math.max(1, rows);
    if (variance === 0) break;
    v = next;
    // Converged: the Rayleigh quotient no longer moves (to float64 noise).
    if (Math.abs(variance - previous) <= CONVERGED * variance) break;
  }
  return { vector: v, variance };
}

/** Projects `states` (each `dims` long) on their two first principal components. */
export function project2d(states: readonly Float32Array[]): Projection2d {
  const rows = states.length;
  const dims = states[0]?.length ?? 0;
  const x = new Float64Array(rows * dims);
  const mean = new Float64Array(dims);
  states.forEach((s) => s.forEach((v, d) => (mean[d] = (mean[d] as number) + v / rows)));
  let total = 0;
  states.forEach((s, r) =>
    s.forEach((v, d) => {
      const centred = v - (mean[d] as number);
      x[r * dims + d] = centred;
      total += centred * centred;
    }),
  );
  total /= Math.max(1, rows);
  const first = leadingComponent(x, rows, dims, null);
  const second = leadingComponent(x, rows, dims, first.vector);
  const points = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    let a = 0;
    let b = 0;
    for (let d = 0; d < dims; d++) {
      a += (x[r * dims + d] as number) * (first.vector[d] as number);
      b += (x[r * dims + d] as number) * (second.vector[d] as number);
    }
    points[r * 2] = a;
    points[r * 2 + 1] = b;
  }
  const share = (variance: number): number => (total > 0 ? Math.min(1, variance / total) : 0);
  return { points, explained: [share(first.variance), share(second.variance)] };
}
