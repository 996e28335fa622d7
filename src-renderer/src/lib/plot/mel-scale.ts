import { spaceTicks } from './ticks';

/** The mel scale of the feature extractor (Kaldi/HTK: 1127 ln(1 + f/700)), for axis labels. */
export function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/**
 * The centre frequency of mel band `band` (0 = lowest) of `bands` spanning lowHz..highHz: the
 * peak of Kaldi's triangular filter, at mel low + (band + 1) * (high - low) / (bands + 1).
 */
export function melBandCentreHz(
  band: number,
  bands: number,
  lowHz: number,
  highHz: number,
): number {
  const low = hzToMel(lowHz);
  return melToHz(low + ((band + 1) * (hzToMel(highHz) - low)) / (bands + 1));
}

export interface FrequencyTick {
  hz: number;
  label: string;
  /** Distance from the top of the plot, in pixels. */
  y: number;
}

/**
 * Round frequencies in the order they earn a label: powers of ten first, then 2 and 5 times
 * them, then the other whole multiples. The mel axis squeezes high frequencies together, so
 * which of them fit depends on the height; spacing decides, not a fixed list.
 */
function candidateHz(highHz: number): number[] {
  const decades: number[] = [];
  for (let decade = 10; decade <= highHz; decade *= 10) decades.push(decade);
  const tiers = [[1], [2, 5], [3, 4, 6, 8]];
  return tiers.flatMap((multiples) =>
    decades.flatMap((decade) => multiples.map((multiple) => multiple * decade)),
  );
}

function hzLabel(hz: number): string {
  return hz >= 1000 ? `${hz / 1000}k` : String(hz);
}

/**
 * Where round frequencies land on a plot of `bands` mel bands spanning lowHz..highHz, drawn
 * `height` px tall with the lowest band at the bottom, each band's row at its centre
 * frequency (melBandCentreHz, inverted here); rows are equal in band index, so the axis is linear in mel. Labels are kept at least
 * `minSpacingPx` apart and `edgePx` inside the plot, so none overlap or hang off its ends.
 */
export function melTicks(
  bands: number,
  lowHz: number,
  highHz: number,
  height: number,
  minSpacingPx = 14,
  edgePx = 4,
): FrequencyTick[] {
  if (bands <= 0 || height <= 0 || !(highHz > lowHz)) return [];
  const low = hzToMel(lowHz);
  const step = (hzToMel(highHz) - low) / (bands + 1);
  const candidates: FrequencyTick[] = [];
  for (const hz of candidateHz(highHz)) {
    const band = (hzToMel(hz) - low) / step - 1;
    if (band < 0 || band > bands - 1) continue;
    const y = height - ((band + 0.5) / bands) * height;
    if (y < edgePx || y > height - edgePx) continue;
    candidates.push({ hz, label: hzLabel(hz), y });
  }
  return spaceTicks(candidates, minSpacingPx);
}
