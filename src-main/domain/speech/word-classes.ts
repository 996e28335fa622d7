/**
 * Word corpora often carry a "silence" class (clips of room tone, so the recogniser has an
 * answer when the voice-activity detector fires on a cough or a door) and an "unknown" class
 * (other words, so an out-of-vocabulary word is not forced onto the nearest known one). They
 * are classes the model outputs like any other, but the Live view shows them as what they are
 * rather than as words. These are the spellings in common use: Speech Commands (`_silence_`,
 * `_unknown_`, `_background_noise_`), Kaldi/HTK lexicons (`sil`, `<sil>`, `<unk>`, `_noise_`)
 * and plain words. Matching ignores case and surrounding spaces.
 */
export type WordLabelKind = 'word' | 'silence' | 'unknown';

export const SILENCE_LABELS: readonly string[] = [
  '_silence_',
  'sil',
  '<sil>',
  'silence',
  '_noise_',
  '_background_noise_',
];

export const UNKNOWN_LABELS: readonly string[] = ['_unknown_', '<unk>', 'unknown'];

/** The label `unfold corpus synth words --silence` gives its room-tone clips. */
export const SYNTH_SILENCE_LABEL = '_silence_';
/** The label `unfold corpus synth words --unknown-words` gives its other words. */
export const SYNTH_UNKNOWN_LABEL = '_unknown_';

const silence = new Set(SILENCE_LABELS);
const unknown = new Set(UNKNOWN_LABELS);

/** Whether a class label means silence, an unknown word, or is an ordinary word. */
export function wordLabelKind(label: string): WordLabelKind {
  const key = label.trim().toLowerCase();
  if (silence.has(key)) return 'silence';
  if (unknown.has(key)) return 'unknown';
  return 'word';
}

/** The labels of a word model that are its silence and unknown classes, in label order. */
export function specialWordLabels(labels: readonly string[]): {
  silence: string[];
  unknown: string[];
} {
  return {
    silence: labels.filter((l) => wordLabelKind(l) === 'silence'),
    unknown: labels.filter((l) => wordLabelKind(l) === 'unknown'),
  };
}
