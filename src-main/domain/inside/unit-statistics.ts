/** Per-series statistics of the Inside view: gate saturation and units ordered by variance. */
import { SATURATION_HIGH, SATURATION_LOW, type Saturation } from '../../api/inside';

/** Fractions of the values below SATURATION_LOW and above SATURATION_HIGH. */
export function saturationOf(values: Float32Array): Saturation {
  let low = 0;
  let high = 0;
  for (const v of values) {
    if (v < SATURATION_LOW) low++;
    else if (v > SATURATION_HIGH) high++;
  }
  const count = Math.max(1, values.length);
  return { low: low / count, high: high / count };
}

/** Variance over time of each unit of a row-major [steps, units] series. */
export function unitVariances(data: Float32Array, steps: number, units: number): Float64Array {
  const variances = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < steps; t++) {
      const v = data[t * units + u] as number;
      sum += v;
      squares += v * v;
    }
    const mean = steps > 0 ? sum / steps : 0;
    variances[u] = steps > 0 ? Math.max(0, squares / steps - mean * mean) : 0;
  }
  return variances;
}

/** Unit indices by falling variance (ties: the lower index first). */
export function unitsByVariance(data: Float32Array, steps: number, units: number): Int32Array {
  const variances = unitVariances(data, steps, units);
  const order = Array.from({ length: units }, (_, u) => u);
  order.sort((a, b) => (variances[b] as number) - (variances[a] as number) || a - b);
  return Int32Array.from(order);
}
