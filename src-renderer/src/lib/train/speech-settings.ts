/**
 * The speech form's own settings: the acoustic features and the training-set augmentation
 * (config keys `features` and `augmentation`). Feature keys the form does not edit pass through;
 * augmentation is the form's (typed factor lists, absent when both are empty).
 */

import {
  DEFAULT_CMVN,
  DEFAULT_NUM_CEPS,
  FEATURE_KIND_DEFAULTS,
  FEATURE_KINDS,
  type Cmvn,
  type ExperimentConfig,
  type FeatureKind,
} from '@api/experiment-config';
import { factorListIssue, formatFactorList, parseFactorList } from './augmentation-factors';
import type { FormField, FormIssue } from './form-validation';
import type { TrainForm } from './key-settings';
import { objectAt, type Json } from './json-object';
import type { TaskSettings } from './task-settings';

export interface SpeechForm {
  featureKind: FeatureKind;
  /** Mel bands of fbank and MFCC (unused for the linear spectrogram). */
  melBands: number;
  /** MFCC only. */
  numCeps: number;
  /** 0 static, 1 + deltas, 2 + delta-deltas. */
  deltaOrder: number;
  useEnergy: boolean;
  cmvn: Cmvn;
  /** Speed-perturbation factors as typed ("0.9, 1.1"; '' for none): see augmentation-factors.ts. */
  speeds: string;
  /** Frequency-warp factors as typed, same format. */
  warps: string;
}

/** The feature settings a kind starts from: what a config without these keys gets. */
export function featureDefaults(
  kind: FeatureKind,
): Pick<SpeechForm, 'melBands' | 'numCeps' | 'deltaOrder' | 'useEnergy'> {
  return { ...FEATURE_KIND_DEFAULTS[kind], numCeps: DEFAULT_NUM_CEPS };
}

/** The feature keys the form owns; the rest of a config's `features` passes through. */
const FORM_FEATURE_KEYS = ['kind', 'cmvn', 'melBands', 'numCeps', 'deltaOrder', 'useEnergy'];

function numberAt(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function speechFormOf(config: Extract<ExperimentConfig, { features: unknown }>): SpeechForm {
  const { features } = config;
  const kindDefaults = featureDefaults(features.kind);
  return {
    featureKind: features.kind,
    melBands: numberAt(features.melBands, kindDefaults.melBands),
    numCeps: numberAt(features.numCeps, kindDefaults.numCeps),
    deltaOrder: numberAt(features.deltaOrder, kindDefaults.deltaOrder),
    useEnergy:
      typeof features.useEnergy === 'boolean' ? features.useEnergy : kindDefaults.useEnergy,
    cmvn: features.cmvn,
    speeds: formatFactorList(config.augmentation?.speeds),
    warps: formatFactorList(config.augmentation?.warps),
  };
}

/** What a form started from another task's config offers when switched to a speech task. */
const SPEECH_DEFAULTS: SpeechForm = {
  featureKind: FEATURE_KINDS[0],
  ...featureDefaults(FEATURE_KINDS[0]),
  cmvn: DEFAULT_CMVN,
  speeds: '',
  warps: '',
};

function featuresOf(form: TrainForm, base: Json): Json {
  const carried = Object.fromEntries(
    Object.entries(base).filter(([key]) => !FORM_FEATURE_KEYS.includes(key)),
  );
  return {
    ...carried,
    kind: form.featureKind,
    cmvn: form.cmvn,
    ...(form.featureKind === 'spectrogram' ? {} : { melBands: form.melBands }),
    ...(form.featureKind === 'mfcc' ? { numCeps: form.numCeps } : {}),
    deltaOrder: form.deltaOrder,
    useEnergy: form.useEnergy,
  };
}

/**
 * The config's augmentation, or null for none (the key is then left out: absent means none).
 * Only the usable factors are written; the form's validation names the rest.
 */
function augmentationOf(form: TrainForm): Json | null {
  const speeds = parseFactorList(form.speeds).factors;
  const warps = parseFactorList(form.warps).factors;
  return speeds.length === 0 && warps.length === 0 ? null : { speeds, warps };
}

function integerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

const FEATURE_FIELDS: Readonly<Record<string, FormField>> = {
  kind: 'featureKind',
  cmvn: 'cmvn',
  melBands: 'melBands',
  numCeps: 'numCeps',
  deltaOrder: 'deltaOrder',
  useEnergy: 'useEnergy',
};

export const SPEECH_SETTINGS: TaskSettings<SpeechForm> = {
  read: (config: ExperimentConfig) =>
    'features' in config ? speechFormOf(config) : { ...SPEECH_DEFAULTS },
  configKeys: ['features', 'augmentation'],
  write(form: TrainForm, base: Json): Json {
    const augmentation = augmentationOf(form);
    return {
      features: featuresOf(form, objectAt(base.features)),
      ...(augmentation ? { augmentation } : {}),
    };
  },
  validate(form: TrainForm): FormIssue[] {
    const issues: FormIssue[] = [];
    const error = (field: FormField, message: string): void => {
      issues.push({ field, message, severity: 'error' });
    };
    if (!integerIn(form.deltaOrder, 0, 2))
      error('deltaOrder', 'Delta order must be a whole number from 0 to 2.');
    if (form.featureKind !== 'spectrogram' && !integerIn(form.melBands, 1, 128))
      error('melBands', 'Mel bands must be a whole number from 1 to 128.');
    if (form.featureKind === 'mfcc' && !integerIn(form.numCeps, 1, Math.max(1, form.melBands)))
      error('numCeps', `Cepstral coefficients must be from 1 to the mel bands (${form.melBands}).`);
    for (const field of ['speeds', 'warps'] as const) {
      const issue = factorListIssue(parseFactorList(form[field]));
      if (issue) issues.push({ field, ...issue });
    }
    return issues;
  },
  fieldAt(path: readonly PropertyKey[]): FormField | null {
    const [key, inner] = path.map(String);
    if (key === 'augmentation') return inner === 'warps' ? 'warps' : 'speeds';
    if (key !== 'features') return null;
    return (inner && FEATURE_FIELDS[inner]) || 'featureKind';
  },
};
