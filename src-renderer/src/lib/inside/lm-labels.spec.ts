import { describe, expect, it } from 'vitest';
import { NO_REFERENCE, type InsideOutputs, type InsideTrace } from '@api/inside';
import { lossTargetText, stepLabelOf, tokenText } from './inside-input';
import { stepLabels } from './unit-order';

const outputs: InsideOutputs = {
  activation: 'softmax',
  classes: Int32Array.from([0]),
  labels: ['the'],
  data: new Float32Array(4),
  steps: 4,
  totalClasses: 6,
};

/** A bidirectional LM's trace of `</s> the dog </s>`: both directions' references. */
const bilmTrace: InsideTrace = {
  experiment: 'bilm',
  task: 'lm',
  steps: 4,
  axis: { kind: 'tokens', tokens: ['</s>', 'the', 'dog', '</s>'] },
  features: null,
  predicted: ['the', 'dog', '</s>', 'the'],
  perStep: true,
  outputStep: null,
  layers: [],
  outputs,
  reference: ['the', 'dog', '</s>', NO_REFERENCE],
  backward: {
    predicted: ['</s>', '</s>', 'the', 'dog'],
    outputs,
    reference: [NO_REFERENCE, '</s>', 'the', 'dog'],
  },
  lossTarget: 'reference',
};

describe("a language model's step labels", () => {
  it('name the next (and previous) unit, leaving out the steps with none', () => {
    const labels = stepLabels(bilmTrace);
    const reference = labels.filter((l) => l.key.startsWith('reference:'));
    expect(reference.map((l) => l.text)).toEqual([
      'the next unit is “the” (1 step)',
      'the next unit is “dog” (1 step)',
      'the next unit is “</s>” (1 step)',
    ]);
    expect(Array.from(reference[2]?.indicator ?? [])).toEqual([0, 0, 1, 0]);
    const previous = labels.filter((l) => l.key.startsWith('previous:'));
    expect(previous.map((l) => l.key)).toEqual(['previous:</s>', 'previous:the', 'previous:dog']);
    expect(Array.from(previous[0]?.indicator ?? [])).toEqual([0, 1, 0, 0]);
    const keys = labels.map((l) => l.key);
    expect(keys).not.toContain(`reference:${NO_REFERENCE}`);
    expect(keys).not.toContain(`previous:${NO_REFERENCE}`);
  });

  it("call the reference the text's own next units in the gradient panel", () => {
    expect(lossTargetText('reference', 'lm')).toBe('the text’s own next units');
    expect(lossTargetText('reference', 'phones')).toBe('the reference labels');
    expect(lossTargetText('answer', 'lm')).toBe('the model’s own answer');
  });

  it("show a character LM's space as a visible ␣", () => {
    expect(tokenText(' ')).toBe('␣');
    expect(tokenText('a')).toBe('a');
    expect(tokenText('')).toBe('');
    const label = stepLabelOf({ kind: 'tokens', tokens: ['</s>', 'a', ' ', 'b'] });
    expect([0, 1, 2, 3].map(label)).toEqual(['</s>', 'a', '␣', 'b']);
  });
});
