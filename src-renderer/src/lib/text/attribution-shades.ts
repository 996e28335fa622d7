/**
 * What the Text view draws of a classified text: each token shaded by its leave-one-out
 * attribution (how many points the predicted label's probability loses when the token becomes
 * the unknown word) on the plot kit's diverging scale, with the same in words for its tooltip
 * and the legend, and every label's probability as a bar.
 */
import type { AttributedToken, ClassifiedText, LabelProbability } from '@api/sentiment';
import { colourIndex } from '../plot/colormap';
import { contrastRatio, PALETTES } from '../plot/palettes';

/** The colours of attributions (purple for the label, orange against it, white for neither). */
export const ATTRIBUTION_PALETTE = PALETTES.probabilityChange;

/**
 * The ends of the shading scale, in points: the smallest of these that holds the text's
 * largest attribution. A fixed few, so that a shade means about the same from one edit to the
 * next, while a sentence whose words all move the label by a point or two still shows them.
 */
export const SCALE_ENDS = [5, 10, 20, 50, 100] as const;

/** Below this many points a token is said to make no difference (the tooltip's 0.0). */
const NO_DIFFERENCE = 0.05;

/** A probability difference (0..1 scale) in percentage points. */
export function points(attribution: number): number {
  return attribution * 100;
}

/** The scale's end (points) for these tokens: symmetric, -end..end. */
export function attributionScale(tokens: readonly Pick<AttributedToken, 'attribution'>[]): number {
  const largest = Math.max(0, ...tokens.map((t) => Math.abs(points(t.attribution))));
  // A probability moves at most 100 points: the last end holds every attribution.
  return SCALE_ENDS.find((end) => largest <= end) ?? 100;
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/** The background of an attribution on a -end..end scale, as '#rrggbb'. */
export function shadeColour(attribution: number, end: number): string {
  const entry = colourIndex(points(attribution), -end, end) * 4;
  const map = ATTRIBUTION_PALETTE.colormap;
  return `#${hex(map[entry] ?? 0)}${hex(map[entry + 1] ?? 0)}${hex(map[entry + 2] ?? 0)}`;
}

/**
 * Black or white, whichever reads better on the shade (one of the two always reaches 4.5:1;
 * the near-black of the tag chips falls short on the scale's middle tones).
 */
export function textOnShade(background: string): string {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff')
    ? '#000000'
    : '#ffffff';
}

/** "12.3": a number of points as the tooltips and the legend write it (no sign). */
export function formatPoints(value: number): string {
  return Math.abs(value).toFixed(1);
}

/** What a token does to the label, in words: "pushes toward positive by 12.3 points". */
export function attributionWords(attribution: number, label: string): string {
  const value = points(attribution);
  if (Math.abs(value) < NO_DIFFERENCE) return `makes no difference to ${label}`;
  return `${value > 0 ? 'pushes toward' : 'pushes against'} ${label} by ${formatPoints(value)} points`;
}

export interface ShadedToken {
  /** The token's place in the text (a stable key while the text is edited elsewhere). */
  key: string;
  token: AttributedToken;
  /** The shade, '#rrggbb'. */
  background: string;
  /** Background and text colour, as an inline style. */
  style: string;
  /** Signed points, for the tooltip: "+12.3", "−4.0". */
  signedPoints: string;
  /** The token's part in words, and whether training saw it (tooltip, accessible name). */
  description: string;
}

/** "+12.3" or "−4.0" (a true minus sign), "0.0" for no difference. */
export function signedPoints(attribution: number): string {
  const value = points(attribution);
  if (Math.abs(value) < NO_DIFFERENCE) return '0.0';
  return `${value > 0 ? '+' : '−'}${formatPoints(value)}`;
}

export function shadedTokens(classified: ClassifiedText): ShadedToken[] {
  const label = classified.label ?? '';
  const end = attributionScale(classified.tokens);
  return classified.tokens.map((token) => {
    const background = shadeColour(token.attribution, end);
    const seen = token.unseen ? 'Not seen in training.' : 'Seen in training.';
    return {
      key: `${token.start}:${token.end}:${token.text}`,
      token,
      background,
      style: `--chip-bg: ${background}; --chip-text: ${textOnShade(background)}`,
      signedPoints: signedPoints(token.attribution),
      description: `${token.text} ${attributionWords(token.attribution, label)}. ${seen}`,
    };
  });
}

/** The legend's sentences: what the shades mean for this label, and how they were measured. */
export function attributionLegend(label: string, end: number): string[] {
  return [
    `Purple: the word pushes toward ${label}; orange: it pushes against ${label}; white: no difference. The deeper the shade, the more points, up to ${end} at the ends of the scale.`,
    `A word's points are ${label}'s probability minus its probability with that word replaced by the unknown word (leave one out).`,
  ];
}

export interface LabelBar {
  label: string;
  probability: number;
  /** The model's answer. */
  predicted: boolean;
  /** "87.3%". */
  percent: string;
}

/** Every label's probability, in the model's order, the answer marked. */
export function labelBars(
  probabilities: readonly LabelProbability[],
  predicted: string | null,
): LabelBar[] {
  return probabilities.map(({ label, probability }) => ({
    label,
    probability,
    predicted: label === predicted,
    percent: `${(probability * 100).toFixed(1)}%`,
  }));
}
