import type { Rng } from './random';

/**
 * Weight initialisers computed in JS with the seeded generator. Hand-written because tf.layers'
 * orthogonal initialiser took ~10 s (wasm) to minutes (cpu) for a 2x256 LSTM (PITFALLS.md);
 * modified Gram-Schmidt on a Gaussian matrix takes milliseconds at these sizes.
 */
export function glorotUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.next() - 1) * limit;
  return out;
}

/**
 * A [rows, cols] matrix with orthonormal rows (rows <= cols) or columns (rows > cols), as
 * Keras' Orthogonal initialiser produces, scaled by `gain`.
 */
export function orthogonal(rows: number, cols: number, rng: Rng, gain = 1): Float32Array {
  // Orthonormalise k vectors of length n (k <= n), stored as rows of a Float64Array.
  const k = Math.min(rows, cols);
  const n = Math.max(rows, cols);
  const v = new Float64Array(k * n);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < k; i++) {
    const vi = v.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < i; j++) {
      const vj = v.subarray(j * n, (j + 1) * n);
      let dot = 0;
      for (let x = 0; x < n; x++) dot += (vi[x] as number) * (vj[x] as number);
      for (let x = 0; x < n; x++) vi[x] = (vi[x] as number) - dot * (vj[x] as number);
    }
    let norm = 0;
    for (let x = 0; x < n; x++) norm += (vi[x] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let x = 0; x < n; x++) vi[x] = (vi[x] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows <= cols: row r is vector r; otherwise column c is vector c.
      out[r * cols + c] =
        gain * (rows <= cols ? (v[r * n + c] as number) : (v[c * n + r] as number));
    }
  }
  return out;
}

export function filled(length: number, value: number): Float32Array {
  return new Float32Array(length).fill(value);
}
