/**
 * Kaldi's DeltaFeatures (feature-functions.cc): the order-1 filter is
 * j / sum(j^2) for j in -W..W; the order-2 filter is the order-1 filter convolved with itself
 * (9 taps for W = 2), applied to the static features directly. Frames past either end are
 * replaced by the first / last frame. (Applying a delta twice, as torchaudio.functional
 * compute_deltas users often do, differs from this only in the first and last 2W frames.)
 */
export function deltaFilters(order: number, window: number): Float64Array[] {
  const filters: Float64Array[] = [Float64Array.of(1)];
  let normaliser = 0;
  for (let j = -window; j <= window; j++) normaliser += j * j;
  for (let i = 1; i <= order; i++) {
    const previous = filters[i - 1] as Float64Array;
    const previousOffset = (previous.length - 1) / 2;
    const current = new Float64Array(previous.length + 2 * window);
    const currentOffset = previousOffset + window;
    for (let j = -window; j <= window; j++) {
      for (let k = -previousOffset; k <= previousOffset; k++) {
        current[j + k + currentOffset] =
          (current[j + k + currentOffset] as number) +
          (j * (previous[k + previousOffset] as number)) / normaliser;
      }
    }
    filters.push(current);
  }
  return filters;
}

/** Frames of look-ahead the deltas need before frame t can be finished. */
export function deltaContext(order: number, window: number): number {
  return order * window;
}

/**
 * Writes frame t of the full feature row (statics then each delta order) into out.
 * `staticAt(i)` gives the offset of static frame i in `statics`, for i clamped to
 * [firstAvailable, lastAvailable] by the caller's convention: here 0 .. frames - 1.
 * Each output is summed in float64 over the filter taps in order (zero taps skipped) and
 * rounded once; writeDeltaRows does the same, so the streaming and batch paths agree bit for bit.
 */
export function writeDeltaRow(
  statics: Float32Array,
  staticOffsetOf: (frame: number) => number,
  frames: number,
  t: number,
  staticDims: number,
  filters: readonly Float64Array[],
  out: Float32Array,
  outOffset: number,
): void {
  const own = staticOffsetOf(t);
  for (let d = 0; d < staticDims; d++) out[outOffset + d] = statics[own + d] as number;
  for (let order = 1; order < filters.length; order++) {
    const filter = filters[order] as Float64Array;
    const half = (filter.length - 1) / 2;
    const base = outOffset + order * staticDims;
    for (let d = 0; d < staticDims; d++) {
      let sum = 0;
      for (let j = 0; j < filter.length; j++) {
        const weight = filter[j] as number;
        if (weight === 0) continue;
        const source = Math.min(frames - 1, Math.max(0, t + j - half));
        sum += weight * (statics[staticOffsetOf(source) + d] as number);
      }
      out[base + d] = sum;
    }
  }
}

/**
 * Every row of a whole utterance at once: statics [frames, staticDims] into out
 * [frames, staticDims * filters.length]. The frames whose filters reach past either end go
 * through writeDeltaRow; the others index the statics directly (no clamping, no callback).
 */
export function writeDeltaRows(
  statics: Float32Array,
  frames: number,
  staticDims: number,
  filters: readonly Float64Array[],
  out: Float32Array,
): void {
  const dims = staticDims * filters.length;
  const reach = (((filters[filters.length - 1] as Float64Array).length - 1) / 2) | 0;
  const offsetOf = (frame: number): number => frame * staticDims;
  const interiorEnd = frames - reach;
  for (let t = 0; t < frames; t++) {
    if (t >= reach && t < interiorEnd) continue;
    writeDeltaRow(statics, offsetOf, frames, t, staticDims, filters, out, t * dims);
  }
  for (let t = reach; t < interiorEnd; t++) {
    const row = t * dims;
    const own = t * staticDims;
    for (let d = 0; d < staticDims; d++) out[row + d] = statics[own + d] as number;
    for (let order = 1; order < filters.length; order++) {
      const filter = filters[order] as Float64Array;
      const taps = filter.length;
      const first = (t - (taps - 1) / 2) * staticDims;
      const base = row + order * staticDims;
      for (let d = 0; d < staticDims; d++) {
        let sum = 0;
        for (let j = 0, source = first + d; j < taps; j++, source += staticDims) {
          const weight = filter[j] as number;
          if (weight === 0) continue;
          sum += weight * (statics[source] as number);
        }
        out[base + d] = sum;
      }
    }
  }
}
