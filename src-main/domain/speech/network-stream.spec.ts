import { beforeAll, describe, expect, it } from 'vitest';
import { loadRnnNative } from '../../native/rnn-native';
import { initTfBackend } from '../backend/tf-backend';
import { parseModelConfig } from '../rnn/model-config';
import { createRng } from '../rnn/random';
import { RnnModel } from '../rnn/rnn-model';
import { withKernel } from '../rnn/testing/with-kernel';
import { openNetworkStream } from './network-stream';
import type { NetworkStream } from './network-stream';

beforeAll(async () => {
  await initTfBackend();
});

const [INPUT, CLASSES, FRAMES] = [5, 4, 17];

function makeModel(): RnnModel {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: INPUT },
      layers: [
        { cell: 'lstm', units: 10 },
        { cell: 'gru', units: 8 },
      ],
      output: { size: CLASSES },
      seed: 4,
    }),
  );
  const rng = createRng(9);
  for (const [name, variable] of model.params)
    model.setParam(
      name,
      Float32Array.from({ length: variable.size }, () => rng.next() - 0.5),
    );
  return model;
}

/** The frames in chunks of 3, 1, 6, 7, then again after a reset. */
function run(stream: NetworkStream, x: Float32Array): Float32Array[] {
  const outputs: Float32Array[] = [];
  for (let pass = 0; pass < 2; pass++) {
    let frame = 0;
    for (const frames of [3, 1, 6, 7]) {
      const data = x.slice(frame * INPUT, (frame + frames) * INPUT);
      outputs.push(stream.step({ data, frames, dims: INPUT }));
      frame += frames;
    }
    stream.reset();
  }
  return outputs;
}

describe('the live network stream', () => {
  const x = Float32Array.from({ length: FRAMES * INPUT }, (_, i) => Math.sin(i * 0.7));

  it('runs on TF.js when the kernel choice says so, with the reason', () => {
    const model = makeModel();
    try {
      const stream = withKernel('tfjs', () => openNetworkStream(model));
      expect(stream.engine).toBe('tfjs');
      expect(stream.reason).toMatch(/UNFOLD_RNN_KERNEL=tfjs/);
      const outputs = run(stream, x);
      for (const probabilities of outputs) {
        for (let f = 0; f < probabilities.length / CLASSES; f++) {
          const row = probabilities.subarray(f * CLASSES, (f + 1) * CLASSES);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
      }
    } finally {
      model.dispose();
    }
  });

  it.runIf(loadRnnNative().addon)(
    'runs as a native session when the kernel loads, with the TF.js stream numbers',
    () => {
      const model = makeModel();
      try {
        const native = withKernel('native', () => openNetworkStream(model));
        expect(native.engine).toBe('native');
        const ours = run(native, x);
        const reference = run(
          withKernel('tfjs', () => openNetworkStream(model)),
          x,
        );
        expect(ours.length).toBe(reference.length);
        ours.forEach((chunk, k) => {
          const other = reference[k] as Float32Array;
          expect(chunk.length).toBe(other.length);
          chunk.forEach((v, i) => expect(Math.abs(v - (other[i] as number))).toBeLessThan(1e-5));
        });
      } finally {
        model.dispose();
      }
    },
  );
});
