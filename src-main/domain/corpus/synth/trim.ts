/**
 * Cuts leading and trailing silence. Hand-written rather than `sox silence` because the
 * samples are already in memory and both ends need trimming (sox needs a reverse pass for
 * the end): frames of 10 ms whose RMS is within `thresholdDb` of the loudest frame count as
 * sound, and `marginSeconds` of context is kept on each side.
 */
export function trimSilence(
  samples: Float32Array,
  sampleRate: number,
  options: { thresholdDb?: number; marginSeconds?: number } = {},
): { samples: Float32Array; start: number; end: number } {
  const frame = Math.max(1, Math.round(sampleRate * 0.01));
  const frames = Math.ceil(samples.length / frame);
  const energies = new Float64Array(frames);
  let loudest = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const end = Math.min(samples.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += (samples[i] as number) ** 2;
    energies[f] = sum / Math.max(1, end - f * frame);
    if ((energies[f] as number) > loudest) loudest = energies[f] as number;
  }
  if (loudest === 0) return { samples, start: 0, end: samples.length };
  const threshold = loudest * 10 ** ((options.thresholdDb ?? -40) / 10);
  let first = 0;
  while (first < frames && (energies[first] as number) < threshold) first++;
  let last = frames - 1;
  while (last > first && (energies[last] as number) < threshold) last--;
  const margin = Math.round((options.marginSeconds ?? 0.05) * sampleRate);
  const start = Math.max(0, first * frame - margin);
  const end = Math.min(samples.length, (last + 1) * frame + margin);
  return { samples: samples.slice(start, end), start, end };
}
