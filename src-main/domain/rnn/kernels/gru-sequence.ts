import * as tf from '@tensorflow/tfjs';
import type {
  SequenceForward,
  SequenceGradients,
  SequenceInputs,
  SequenceKernel,
} from './sequence-types';
import {
  blendMasked,
  inputGradient,
  maskSteps,
  matMulAT,
  projectAllSteps,
  sigmoidDerivative,
  splitMaskedGrad,
  stackSteps,
  tanhDerivative,
  unstackTime,
} from './step-helpers';

/**
 * GRU over a whole sequence, with the convention of tf.layers' GRUCell (which only supports
 * reset_after = false, i.e. Cho et al. 2014: the reset gate applies to h before the product):
 *
 *   z = s(x Wz + h Uz + bz)      r = s(x Wr + h Ur + br)
 *   hh = tanh(x Wh + (r * h) Uh + bh)
 *   h' = z * h + (1 - z) * hh
 *
 * Weights: kernel [in, 3n], recurrent_kernel [n, 3n], bias [3n], gate order z, r, h. Note
 * PyTorch/cuDNN use reset_after (r applied to h Uh + bhh) and h' = (1 - z) hh + z h: weights do not
 * transfer to those without conversion.
 */
export function createGruKernel(units: number): SequenceKernel {
  return {
    outputSize: units,
    cellSize: 0,
    forward: (inputs) => gruForward(units, inputs),
    backward: (inputs, cache, dOutputs) => gruBackward(units, inputs, cache, dOutputs),
  };
}

enum C {
  Z,
  R,
  HH,
  A,
  HPrev,
}

function gruForward(units: number, inputs: SequenceInputs): SequenceForward {
  const [w, u, b] = inputs.weights as [tf.Tensor, tf.Tensor, tf.Tensor];
  const time = inputs.x.shape[0];
  const [xpZr, xpH] = tf.split(projectAllSteps(inputs.x, w, b), [2 * units, units], 2) as [
    tf.Tensor3D,
    tf.Tensor3D,
  ];
  const xzr = unstackTime(xpZr);
  const xh = unstackTime(xpH);
  // The wasm backend (XNNPACK) caches packed weights per weight tensor: products with fresh
  // slices of U re-pack it on every call (~0.5 ms for 256x512). Over a long sequence the split
  // copies pay off; for one or two steps (streaming) multiply by the whole U and slice the
  // result instead (measured: 6.9 -> see bench, per frame for 2x GRU 256).
  const fewSteps = time <= 2;
  const [uZr, uH] = fewSteps
    ? [u, u]
    : (tf.split(u, [2 * units, units], 1) as [tf.Tensor, tf.Tensor]);
  const recurrentZr = (h: tf.Tensor): tf.Tensor =>
    fewSteps ? tf.slice(tf.matMul(h, u), [0, 0], [-1, 2 * units]) : tf.matMul(h, uZr);
  const recurrentH = (a: tf.Tensor): tf.Tensor =>
    fewSteps ? tf.slice(tf.matMul(a, u), [0, 2 * units], [-1, units]) : tf.matMul(a, uH);
  const masks = maskSteps(inputs.mask, time);
  const cache: tf.Tensor[][] = [[], [], [], [], []];
  const outputs: tf.Tensor[] = [];
  let h = inputs.h0;
  for (let t = 0; t < time; t++) {
    const zr = tf.sigmoid(tf.add(xzr[t] as tf.Tensor, recurrentZr(h)));
    const [z, r] = tf.split(zr, 2, 1) as [tf.Tensor, tf.Tensor];
    const a = tf.mul(r, h);
    const hh = tf.tanh(tf.add(xh[t] as tf.Tensor, recurrentH(a)));
    const hNew = tf.add(hh, tf.mul(z, tf.sub(h, hh)));
    const hNext = blendMasked(h, hNew, masks[t] ?? null);
    (cache[C.Z] as tf.Tensor[]).push(z);
    (cache[C.R] as tf.Tensor[]).push(r);
    (cache[C.HH] as tf.Tensor[]).push(hh);
    (cache[C.A] as tf.Tensor[]).push(a);
    (cache[C.HPrev] as tf.Tensor[]).push(h);
    outputs.push(hNext);
    h = hNext;
  }
  return {
    outputs,
    finalCell: null,
    cache,
    gates: {
      update: cache[C.Z] as tf.Tensor[],
      reset: cache[C.R] as tf.Tensor[],
      candidate: cache[C.HH] as tf.Tensor[],
    },
  };
}

function gruBackward(
  units: number,
  inputs: SequenceInputs,
  cacheLists: tf.Tensor[][],
  dOutputs: tf.Tensor[],
): SequenceGradients {
  const [w, u] = inputs.weights as [tf.Tensor, tf.Tensor];
  const cache = cacheLists as tf.Tensor[][];
  const at = (list: C, t: number): tf.Tensor => (cache[list] as tf.Tensor[])[t] as tf.Tensor;
  const [time, batch] = inputs.x.shape;
  const masks = maskSteps(inputs.mask, time);
  const [uZr, uH] = tf.split(u, [2 * units, units], 1) as [tf.Tensor, tf.Tensor];
  const uZrT = tf.transpose(uZr);
  const uHT = tf.transpose(uH);
  const dzr: tf.Tensor[] = new Array<tf.Tensor>(time);
  const dph: tf.Tensor[] = new Array<tf.Tensor>(time);
  const dhPerStep: tf.Tensor[] = new Array<tf.Tensor>(time);
  let dhNext: tf.Tensor = tf.zeros([batch, units]);
  for (let t = time - 1; t >= 0; t--) {
    const mask = masks[t] ?? null;
    const dh = tf.add(dOutputs[t] as tf.Tensor, dhNext);
    dhPerStep[t] = dh;
    const [dhNew, dhCarry] = splitMaskedGrad(dh, mask, mask ? tf.sub(1, mask) : null);
    const z = at(C.Z, t);
    const r = at(C.R, t);
    const hh = at(C.HH, t);
    const hPrev = at(C.HPrev, t);
    const dz = tf.mul(dhNew, tf.sub(hPrev, hh));
    const dPreH = tf.mul(tf.mul(dhNew, tf.sub(1, z)), tanhDerivative(hh));
    const da = tf.matMul(dPreH, uHT);
    const dr = tf.mul(da, hPrev);
    const dPreZr = tf.concat(
      [tf.mul(dz, sigmoidDerivative(z)), tf.mul(dr, sigmoidDerivative(r))],
      1,
    );
    let dhPrev = tf.add(tf.add(tf.mul(dhNew, z), tf.mul(da, r)), tf.matMul(dPreZr, uZrT));
    if (dhCarry) dhPrev = tf.add(dhPrev, dhCarry);
    dzr[t] = dPreZr;
    dph[t] = dPreH;
    dhNext = dhPrev;
  }
  const dzrAll = stackSteps(dzr);
  const dphAll = stackSteps(dph);
  const dzAll = tf.concat([dzrAll, dphAll], 1);
  const xFlat = tf.reshape(inputs.x, [time * batch, inputs.x.shape[2]]) as tf.Tensor;
  const dU = tf.concat(
    [
      matMulAT(stackSteps(cache[C.HPrev] as tf.Tensor[]), dzrAll),
      matMulAT(stackSteps(cache[C.A] as tf.Tensor[]), dphAll),
    ],
    1,
  );
  return {
    dx: inputGradient(dzAll, w, time, batch),
    dWeights: [matMulAT(xFlat, dzAll), dU, tf.sum(dzAll, 0)],
    dh0: dhNext,
    dc0: null,
    dhPerStep,
  };
}
