import { describe, expect, it } from 'vitest';
import type { RecordingEntry } from '@api/audio';
import type { InsideTrace } from '@api/inside';
import { lossTargetText, recordingChoices, recordingChoiceText, runsText } from './inside-input';
import { stepLabels } from './unit-order';

/** A phone transducer's trace of 6 frames: its answer and, for a corpus utterance, the reference. */
function speechTrace(reference: string[] | null): InsideTrace {
  return {
    experiment: 'phones',
    task: 'phones',
    steps: 6,
    axis: { kind: 'frames', frameShiftSeconds: 0.01 },
    features: null,
    predicted: ['pau', 'a', 'a', 'b', 'b', 'pau'],
    perStep: true,
    outputStep: null,
    layers: [],
    outputs: {
      activation: 'softmax',
      classes: Int32Array.from([0]),
      labels: ['a'],
      data: new Float32Array(6),
      steps: 6,
      totalClasses: 3,
    },
    reference,
    lossTarget: reference ? 'reference' : 'answer',
  };
}

describe('step labels with a reference', () => {
  it('offers the reference labels first, most frequent first, then the answers', () => {
    const labels = stepLabels(speechTrace(['pau', 'pau', 'a', 'a', 'a', 'zz']));
    expect(labels.map((l) => l.key)).toEqual([
      'reference:a',
      'reference:pau',
      'reference:zz',
      'answer:pau',
      'answer:a',
      'answer:b',
    ]);
    expect(labels[0]?.text).toBe('the reference is “a” (3 steps)');
    expect(labels[2]?.text).toBe('the reference is “zz” (1 step)');
    expect(Array.from(labels[1]?.indicator ?? [])).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('offers none without a reference, or with one label for the sequence', () => {
    expect(stepLabels(speechTrace(null)).every((l) => l.key.startsWith('answer:'))).toBe(true);
    // A words model's reference is one word for the whole sequence: not a label of the steps.
    expect(stepLabels(speechTrace(['yes'])).some((l) => l.key.startsWith('reference:'))).toBe(
      false,
    );
  });
});

describe('naming the inputs and targets', () => {
  const entry = (path: string, modifiedMs: number, seconds: number | null): RecordingEntry => ({
    path,
    name: path.split('/').pop() ?? path,
    folder: path.startsWith('imports/') ? 'imports' : 'recordings',
    sizeBytes: 1000,
    modifiedMs,
    durationSeconds: seconds,
    sampleRate: seconds === null ? null : 16_000,
  });

  it('lists the readable recordings newest first', () => {
    const choices = recordingChoices([
      entry('recordings/old.wav', 1, 2.04),
      entry('imports/broken.wav', 3, null),
      entry('imports/new.wav', 2, 0.5),
    ]);
    expect(choices.map(recordingChoiceText)).toEqual([
      'imports/new.wav (0.5 s)',
      'recordings/old.wav (2.0 s)',
    ]);
  });

  it('merges runs of a per-frame string and names the loss targets', () => {
    expect(runsText(['pau', 'pau', 'a', 'b', 'b', 'b'])).toBe('pau ×2 a b ×3');
    expect(runsText([])).toBe('');
    expect(lossTargetText('reference')).toBe('the reference labels');
    expect(lossTargetText('answer')).toBe('the model’s own answer');
  });
});
