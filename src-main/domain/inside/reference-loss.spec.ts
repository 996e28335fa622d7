/** The gradient's loss scoring given targets (a corpus utterance's reference) instead of the answer. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../backend/tf-backend';
import type { SequenceExample } from '../rnn/batching';
import { parseModelConfig } from '../rnn/model-config';
import { RnnModel } from '../rnn/rnn-model';
import { traceExample } from './layer-traces';

beforeAll(async () => {
  await initTfBackend();
});

function modelOf(pattern: 'transducer' | 'encoder'): RnnModel {
  return new RnnModel(
    parseModelConfig({
      pattern,
      input: { kind: 'features', size: 2 },
      layers: [{ cell: 'lstm', units: 4 }],
      output: { size: 3 },
      seed: 7,
    }),
  );
}

const STEPS = 6;
const example: SequenceExample = {
  inputs: Float32Array.from({ length: STEPS * 2 }, (_, i) => Math.sin(i * 1.3)),
  length: STEPS,
  target: 0,
};

const norms = (traced: ReturnType<typeof traceExample>): number[] =>
  traced.layers.flatMap((layer) => Array.from(layer.gradNorm));

describe('the loss target of a trace', () => {
  it('gives the answer’s gradient when the targets are the answer, another one otherwise', () => {
    const model = modelOf('transducer');
    const answer = traceExample(model, example, null);
    const same = traceExample(model, example, null, { targets: answer.predicted });
    expect(norms(same)).toEqual(norms(answer));
    const other = Int32Array.from(answer.predicted, (k) => (k + 1) % 3);
    const reference = traceExample(model, example, null, { targets: other });
    expect(norms(reference)).not.toEqual(norms(answer));
    expect(norms(reference).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    // The answer and the outputs do not depend on what the loss scores.
    expect(reference.predicted).toEqual(answer.predicted);
    model.dispose();
  });

  it('leaves a step with target -1 out of the loss', () => {
    const model = modelOf('transducer');
    const answer = traceExample(model, example, STEPS - 1);
    const onlyLast = Int32Array.from(answer.predicted, (k, t) => (t === STEPS - 1 ? k : -1));
    const masked = traceExample(model, example, null, { targets: onlyLast });
    norms(masked).forEach((v, t) => expect(v).toBeCloseTo(norms(answer)[t] as number, 6));
    // With an output step, only that step counts: a -1 there leaves no loss at all.
    const none = traceExample(model, example, 2, { targets: onlyLast });
    expect(norms(none).every((v) => v === 0)).toBe(true);
    model.dispose();
  });

  it('scores a sequence classifier’s one target', () => {
    const model = modelOf('encoder');
    const answer = traceExample(model, example, null);
    const same = traceExample(model, example, null, { targets: answer.predicted });
    expect(norms(same)).toEqual(norms(answer));
    const other = Int32Array.from([((answer.predicted[0] as number) + 1) % 3]);
    expect(norms(traceExample(model, example, null, { targets: other }))).not.toEqual(
      norms(answer),
    );
    model.dispose();
  });
});
