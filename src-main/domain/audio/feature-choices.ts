/**
 * The feature kinds and their per-kind defaults, with no Node import: the experiment config
 * schema (and through it the renderer's Train form) reads them from here, feature-config.ts
 * resolves full settings from them.
 */

export const FEATURE_KINDS = ['spectrogram', 'fbank', 'mfcc'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** What a feature kind gets when a config leaves these out (Kaldi's MFCC defaults; 40 mel bands for fbank). */
export const FEATURE_KIND_DEFAULTS: Record<
  FeatureKind,
  { melBands: number; useEnergy: boolean; deltaOrder: 0 | 1 | 2 }
> = {
  spectrogram: { melBands: 40, useEnergy: false, deltaOrder: 0 },
  fbank: { melBands: 40, useEnergy: false, deltaOrder: 0 },
  mfcc: { melBands: 23, useEnergy: true, deltaOrder: 2 },
};

/** MFCC: cepstra kept (Kaldi's default). */
export const DEFAULT_NUM_CEPS = 13;
