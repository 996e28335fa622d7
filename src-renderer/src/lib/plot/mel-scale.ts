/** The mel scale of the feature extractor (Kaldi/HTK: 1127 ln(1 + f/700)), for axis labels. */
export function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

export interface FrequencyTick {
  hz: number;
  label: string;
  /** Distance from the top of the plot, in pixels. */
  y: number;
}

const TICK_HZ = [100, 250, 500, 1000, 2000, 4000, 8000, 16_000];

/**
 * Where frequencies land on a plot of `bands` mel bands spanning lowHz..highHz, drawn
 * `height` px tall with the lowest band at the bottom. Band b's centre is at mel
 * low + (b + 1) * (high - low) / (bands + 1) (the centres of Kaldi's triangular filters);
 * rows are equal in band index, so the axis is linear in mel.
 */
export function melTicks(
  bands: number,
  lowHz: number,
  highHz: number,
  height: number,
): FrequencyTick[] {
  const low = hzToMel(lowHz);
  const step = (hzToMel(highHz) - low) / (bands + 1);
  const ticks: FrequencyTick[] = [];
  for (const hz of TICK_HZ) {
    const band = (hzToMel(hz) - low) / step - 1;
    if (band < 0 || band > bands - 1) continue;
    const y = height - ((band + 0.5) / bands) * height;
    ticks.push({ hz, label: hz >= 1000 ? `${hz / 1000}k` : String(hz), y });
  }
  return ticks;
}
