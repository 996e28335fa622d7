import { describe, expect, it } from 'vitest';
import { EXPERIMENT_TASKS } from '@api/experiment-config';
import type { EvaluationPrediction } from '@api/experiments';
import type { TaggedSentencePrediction } from '@api/text';
import { headlineMetrics } from '../evaluate/headline';
import { TASK_VIEWS, taskColumns, taskView } from './task-views';

/** Word predictions as words-task evaluation writes them to predictions.json (scoreWordPredictions). */
const WORD_PREDICTIONS: EvaluationPrediction[] = [
  {
    utteranceId: '3_jackson_12',
    speaker: 'jackson',
    audioPath: '/data/corpora/fsdd/audio/3_jackson_12.wav',
    reference: 'three',
    predicted: 'three',
    probability: 0.94,
    top: [
      { label: 'three', probability: 0.94 },
      { label: 'two', probability: 0.04 },
    ],
    notSure: false,
    correct: true,
  },
  {
    utteranceId: '8_nicolas_3',
    speaker: 'nicolas',
    audioPath: '/data/corpora/fsdd/audio/8_nicolas_3.wav',
    reference: 'eight',
    predicted: 'six',
    probability: 0.71,
    top: [
      { label: 'six', probability: 0.71 },
      { label: 'eight', probability: 0.22 },
    ],
    notSure: false,
    correct: false,
  },
  {
    utteranceId: '5_theo_40',
    speaker: 'theo',
    audioPath: '/data/corpora/fsdd/audio/5_theo_40.wav',
    reference: 'five',
    predicted: 'nine',
    probability: 0.38,
    top: [
      { label: 'nine', probability: 0.38 },
      { label: 'five', probability: 0.35 },
    ],
    notSure: true,
    correct: false,
  },
];

/** Phone predictions as phones-task evaluation writes them (scorePhonePredictions). */
function phonePrediction(utteranceId: string, frameAccuracy: number): EvaluationPrediction {
  return {
    utteranceId,
    speaker: utteranceId.split('-')[0] as string,
    audioPath: `/data/corpora/synth/audio/${utteranceId}.wav`,
    text: 'she had',
    reference: ['sh', 'iy', 'hh', 'ae', 'd'],
    decoded: ['sh', 'iy', 'ae', 'd'],
    decodedFull: ['sh', 'iy', 'ae', 'dcl', 'd'],
    frames: 87,
    frameAccuracy,
    phoneErrors: 1,
  };
}

const PHONE_PREDICTIONS = [
  phonePrediction('kal-sa1', 0.82),
  phonePrediction('slt-sa1', 0.47),
  phonePrediction('awb-sa1', 0.63),
];

describe('task views', () => {
  it('has a view for every task of the config union, under its own name', () => {
    for (const task of EXPERIMENT_TASKS) {
      expect(TASK_VIEWS[task].task).toBe(task);
      expect(taskView(task)).toBe(TASK_VIEWS[task]);
    }
    expect(Object.keys(TASK_VIEWS).sort()).toEqual([...EXPERIMENT_TASKS].sort());
  });

  it('has no view for a task this build does not know', () => {
    expect(taskView('summarisation')).toBeNull();
    expect(taskView('toString')).toBeNull();
  });

  it('lists the misrecognised word utterances, least confident first', () => {
    const review = TASK_VIEWS.words.evaluate.review;
    const listed = review.select(WORD_PREDICTIONS);
    expect(listed.map((p) => p.utteranceId)).toEqual(['5_theo_40', '8_nicolas_3']);
    expect(review.heading(listed.length)).toBe('Misrecognised: 2 utterances');
    expect(review.testid).toBe('misrecognised-utterance');
    const allRight = WORD_PREDICTIONS.slice(0, 1);
    expect(review.select(allRight)).toEqual([]);
    expect(review.allClear?.text).toBe('Every utterance was recognised.');
  });

  it('lists the phone utterances worst by frame accuracy first, at most 20', () => {
    const review = TASK_VIEWS.phones.evaluate.review;
    const listed = review.select(PHONE_PREDICTIONS);
    expect(listed.map((p) => p.utteranceId)).toEqual(['slt-sa1', 'awb-sa1', 'kal-sa1']);
    expect(review.heading(listed.length)).toBe('Worst 3 utterances by frame accuracy');
    expect(review.testid).toBe('worst-utterance');
    expect(review.allClear).toBeNull();
    const many = Array.from({ length: 25 }, (_, i) => phonePrediction(`kal-si${i}`, i / 25));
    const worst = review.select(many);
    expect(worst).toHaveLength(20);
    expect(worst.at(-1)?.utteranceId).toBe('kal-si19');
  });

  it("shows each task's own headline figures from the summary its evaluation stores", () => {
    const words = {
      accuracy: 1 / 3,
      macroF1: 0.25,
      utterances: 3,
      rejected: 1,
      acceptedAccuracy: 0.5,
    };
    expect(headlineMetrics(words, TASK_VIEWS.words.evaluate.headline)).toEqual([
      { label: 'Accuracy', value: '33.3%' },
      { label: 'Rejected (not sure)', value: '33.3%' },
      { label: 'Accuracy among accepted', value: '50.0%' },
      { label: 'Utterances', value: '3' },
    ]);
    const phones = {
      frameAccuracy: 0.64,
      frameAccuracy39: 0.7,
      phoneErrorRate: 0.2,
      utterances: 3,
      frames: 261,
    };
    expect(headlineMetrics(phones, TASK_VIEWS.phones.evaluate.headline)).toEqual([
      { label: 'Frame accuracy', value: '64.0%' },
      { label: 'Frame accuracy (39 phones)', value: '70.0%' },
      { label: 'PER', value: '20.0%' },
      { label: 'Utterances', value: '3' },
    ]);
  });

  it('opens a phone utterance with its posteriorgram and runs data-folder files, words neither', () => {
    expect(TASK_VIEWS.phones.evaluate.inspector?.posteriorgram).toBe(true);
    expect(TASK_VIEWS.phones.evaluate.runFile).toBe('Posteriorgram');
    expect(TASK_VIEWS.words.evaluate.inspector?.posteriorgram).toBe(false);
    expect(TASK_VIEWS.words.evaluate.runFile).toBeNull();
  });

  it('adds the PER column only when a phones run is listed', () => {
    expect([...taskColumns(['words', 'words'])]).toEqual([]);
    expect([...taskColumns(['words', 'phones', 'phones'])]).toEqual(['per']);
    expect([...taskColumns(['pos'])]).toEqual([]);
    expect([...taskColumns(['sentiment'])]).toEqual([]);
  });

  it("gives the form's task rules and each task's live mode", () => {
    expect(TASK_VIEWS.words.train.usesPooling).toBe(true);
    expect(TASK_VIEWS.phones.train.usesPooling).toBe(false);
    expect(EXPERIMENT_TASKS.filter((t) => TASK_VIEWS[t].train.needsPhoneAlignments)).toEqual([
      'phones',
    ]);
    expect(TASK_VIEWS.words.live?.mode).toBe('words');
    expect(TASK_VIEWS.phones.live?.mode).toBe('phones');
  });

  it('edits speech tasks with the speech form on speech corpora, the text tasks with theirs on text', () => {
    expect(EXPERIMENT_TASKS.map((t) => TASK_VIEWS[t].train.form)).toEqual([
      'speech',
      'speech',
      'tagging',
      'classification',
      'language-model',
      'seq2seq',
    ]);
    expect(TASK_VIEWS.words.train.corpora).toEqual({ kind: 'speech' });
    expect(TASK_VIEWS.pos.train.corpora).toEqual({ kind: 'text', formats: ['conllu'] });
    expect(TASK_VIEWS.sentiment.train.corpora).toEqual({ kind: 'text', formats: ['tsv'] });
  });

  it('opens a sentiment confusion cell on its sentences and reviews the wrong ones, least confident first', () => {
    const sentence = (id: string, reference: string, predicted: string, probability: number) => ({
      utteranceId: id,
      text: `text ${id}`,
      tokens: ['text', id],
      reference,
      predicted,
      probability,
      top: [],
      correct: reference === predicted,
      inTraining: false,
    });
    const predictions: EvaluationPrediction[] = [
      sentence('a', 'positive', 'negative', 0.9),
      sentence('b', 'positive', 'positive', 0.8),
      sentence('c', 'positive', 'negative', 0.6),
    ];
    const view = TASK_VIEWS.sentiment.evaluate;
    expect(view.cellItems(predictions, 'positive', 'negative').map((p) => p.utteranceId)).toEqual([
      'a',
      'c',
    ]);
    expect(view.review.select(predictions).map((p) => p.utteranceId)).toEqual(['c', 'a']);
  });
});

/** Tagged sentences as pos-task evaluation writes them (scoreTagging). */
function taggedSentence(
  utteranceId: string,
  tokens: string[],
  reference: string[],
  decoded: string[],
): TaggedSentencePrediction {
  const errors = reference.filter((tag, i) => decoded[i] !== tag).length;
  const unseen = tokens.map(() => false);
  return { utteranceId, tokens, reference, decoded, unseen, errors, correct: errors === 0 };
}

const TAGGED: EvaluationPrediction[] = [
  { ...taggedSentence('dev-1', ['the', 'dog'], ['DET', 'NOUN'], ['DET', 'NOUN']) },
  { ...taggedSentence('dev-2', ['dogs', 'bark'], ['NOUN', 'VERB'], ['VERB', 'VERB']) },
  {
    ...taggedSentence(
      'dev-3',
      ['fish', 'swim', 'fast'],
      ['NOUN', 'VERB', 'ADV'],
      ['VERB', 'NOUN', 'ADJ'],
    ),
  },
];

describe('the pos task view', () => {
  const view = TASK_VIEWS.pos;

  it('lists the sentences with errors, most errors first, as whole sentences with no audio', () => {
    const listed = view.evaluate.review.select(TAGGED);
    expect(listed.map((p) => p.utteranceId)).toEqual(['dev-3', 'dev-2']);
    expect(view.evaluate.review.heading(2)).toBe('Sentences with errors, most errors first: 2');
    expect(view.evaluate.review.select(TAGGED.slice(0, 1))).toEqual([]);
    expect(view.evaluate.review.allClear?.text).toBe('Every sentence was tagged right.');
    expect(view.evaluate.inspector).toBeNull();
    expect(view.evaluate.runFile).toBeNull();
    expect(view.evaluate.itemNoun).toBe('sentences');
  });

  it('opens a confusion cell on the sentences with that confusion at one token', () => {
    const ids = (reference: string, predicted: string): string[] =>
      view.evaluate.cellItems(TAGGED, reference, predicted).map((p) => p.utteranceId);
    expect(ids('NOUN', 'VERB')).toEqual(['dev-2', 'dev-3']);
    expect(ids('ADV', 'ADJ')).toEqual(['dev-3']);
    // dev-1 has a DET and a NOUN, both right: no DET-as-NOUN token.
    expect(ids('DET', 'NOUN')).toEqual([]);
    // The speech rule (the labels anywhere in the sentence) would have listed dev-1 here.
    expect(
      TASK_VIEWS.phones.evaluate.cellItems(TAGGED, 'DET', 'NOUN').map((p) => p.utteranceId),
    ).toEqual(['dev-1']);
  });

  it('shows token, unseen-word and sentence accuracy, tags in the Text view, and has no live mode', () => {
    expect(view.evaluate.headline).toEqual([
      'tokenAccuracy',
      'unseenAccuracy',
      'sentenceAccuracy',
      'sentences',
    ]);
    expect(view.text).toBe('tagging');
    expect(TASK_VIEWS.sentiment.text).toBe('classification');
    expect(TASK_VIEWS.words.text).toBeNull();
    expect(view.live).toBeNull();
    expect(view.train.needsPhoneAlignments).toBe(false);
  });
});
