/**
 * How one edit of the Train form carries over to the settings that depend on it, and how a
 * form is fitted to a corpus. Pure, so the rules are unit-tested rather than buried in the view.
 */

import { FEATURE_KINDS, HELD_OUT_SPLITS } from '@api/experiment-config';
import type { FormField } from './form-validation';
import {
  fieldsUnsetByConfig,
  requiresTruncatedBptt,
  supportsBidirectional,
  supportsTruncatedBptt,
  type TrainForm,
} from './key-settings';
import { featureDefaults } from './speech-settings';
import { offersHeldOutParts } from './held-out-default';

/**
 * The form after setting `key`: choosing a task without truncated BPTT (words) turns it off, one
 * that takes nothing else (a language model) turns it on and makes the layers unidirectional
 * where the task's schema refuses bidirectional ones, a cell other than the LSTM drops
 * peepholes and projection, and a new feature kind starts from
 * that kind's defaults (40 log-mel bands for fbank, 23 bands x 13 coefficients with deltas for
 * MFCC). The held-out test part comes with the held-out dev part (or none), a split of the corpus
 * without it.
 */
export function applyChange(
  form: TrainForm,
  key: FormField,
  value: string | number | boolean,
): TrainForm {
  const next = { ...form, [key]: value } as TrainForm;
  if (key === 'task' && !supportsTruncatedBptt(next.task)) next.bptt = 'full';
  if (key === 'task' && requiresTruncatedBptt(next.task)) next.bptt = 'truncated';
  if (key === 'task' && !supportsBidirectional(next.task)) next.bidirectional = false;
  if (key === 'cell' && value !== 'lstm') {
    next.peepholes = false;
    next.projection = 0;
  }
  if (key === 'testSplit' && next.devSplit !== '') {
    if (value === HELD_OUT_SPLITS.test) next.devSplit = HELD_OUT_SPLITS.dev;
    else if (next.devSplit === HELD_OUT_SPLITS.dev) next.devSplit = '';
  }
  if (key === 'featureKind' && (FEATURE_KINDS as readonly unknown[]).includes(value)) {
    Object.assign(next, featureDefaults(value as TrainForm['featureKind']));
  }
  return next;
}

export interface CorpusSplits {
  splits: readonly string[];
  speakers: readonly string[];
  /** A text corpus lacking a test split is tested on a held-out part of its training split. */
  kind?: 'speech' | 'text' | null;
}

function pick(current: string, splits: readonly string[], preferred: string[]): string {
  if (splits.includes(current)) return current;
  return preferred.find((s) => splits.includes(s)) ?? '';
}

/**
 * The form with its splits and held-out speaker made valid for a corpus: a split the corpus
 * lacks becomes the conventional one (train / dev / test) if present, the first or last split
 * otherwise, and no dev set when the corpus has no third split. A text corpus without a test
 * split is tested on the held-out test part of its training split (held-out-default.ts), and
 * tuned on the held-out dev part when the form has a dev set.
 */
export function fitToCorpus(form: TrainForm, corpus: CorpusSplits): TrainForm {
  const { splits } = corpus;
  const parts = offersHeldOutParts(corpus);
  const trainSplit = pick(form.trainSplit, splits, ['train', splits[0] ?? '']);
  const testSplit = pick(form.testSplit, parts ? [...splits, HELD_OUT_SPLITS.test] : splits, [
    'test',
    ...(parts ? [HELD_OUT_SPLITS.test] : []),
    ...[...splits].reverse().filter((s) => s !== trainSplit),
  ]);
  const devSplit =
    form.devSplit === ''
      ? ''
      : testSplit === HELD_OUT_SPLITS.test
        ? HELD_OUT_SPLITS.dev
        : pick(form.devSplit, splits, ['dev', 'valid', 'validation']);
  const heldOutSpeaker = corpus.speakers.includes(form.heldOutSpeaker) ? form.heldOutSpeaker : '';
  if (
    trainSplit === form.trainSplit &&
    testSplit === form.testSplit &&
    devSplit === form.devSplit &&
    heldOutSpeaker === form.heldOutSpeaker
  )
    return form;
  return { ...form, trainSplit, devSplit, testSplit, heldOutSpeaker };
}

/**
 * A form read from a config (a preset, a past run), keeping from the form before it the fields
 * that config did not set, as long as both are of the same task: switching from a BiLSTM preset
 * to the CNN one and back keeps the recurrent settings typed meanwhile.
 */
export function keepUnsetFields(next: TrainForm, previous: TrainForm | null): TrainForm {
  if (previous === null || previous.task !== next.task) return next;
  const kept = Object.fromEntries(fieldsUnsetByConfig(next).map((key) => [key, previous[key]]));
  return { ...next, ...kept };
}
