/** Zoom slider positions 0..100 map to pixels per second on a log scale, from "fit" up. */
export const MAX_PX_PER_SECOND = 2000;

export function sliderToPxPerSecond(position: number, fitPxPerSecond: number): number {
  const low = Math.min(fitPxPerSecond, MAX_PX_PER_SECOND);
  const fraction = Math.min(1, Math.max(0, position / 100));
  return low * (MAX_PX_PER_SECOND / low) ** fraction;
}

/** wavesurfer peaks from main's interleaved [max, min, ...]: two rows drawn up and down. */
export function splitPeaks(interleaved: Float32Array): [Float32Array, Float32Array] {
  const count = interleaved.length >> 1;
  const max = new Float32Array(count);
  const min = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    max[i] = interleaved[2 * i] as number;
    min[i] = interleaved[2 * i + 1] as number;
  }
  return [max, min];
}
