import * as tf from '@tensorflow/tfjs';
import type {
  SequenceForward,
  SequenceGradients,
  SequenceInputs,
  SequenceKernel,
} from './sequence-types';
import {
  blendMasked,
  inputAndRecurrentWeightGradients,
  inputGradient,
  maskSteps,
  projectAllSteps,
  sigmoidDerivative,
  splitMaskedGrad,
  stackSteps,
  tanhDerivative,
  unstackTime,
} from './step-helpers';

export type ElmanActivation = 'tanh' | 'sigmoid';

/**
 * Elman RNN over a whole sequence: h_t = act(x_t W + h_{t-1} U + b), with tf.layers' SimpleRNN
 * weight layout: kernel [in, n], recurrent_kernel [n, n], bias [n].
 */
export function createElmanKernel(units: number, activation: ElmanActivation): SequenceKernel {
  return {
    outputSize: units,
    cellSize: 0,
    forward: (inputs) => elmanForward(activation, inputs),
    backward: (inputs, cache, dOutputs) =>
      elmanBackward(units, activation, inputs, cache, dOutputs),
  };
}

function elmanForward(activation: ElmanActivation, inputs: SequenceInputs): SequenceForward {
  const [w, u, b] = inputs.weights as [tf.Tensor, tf.Tensor, tf.Tensor];
  const time = inputs.x.shape[0];
  const xp = unstackTime(projectAllSteps(inputs.x, w, b));
  const masks = maskSteps(inputs.mask, time);
  const act = activation === 'tanh' ? tf.tanh : tf.sigmoid;
  const hNewSteps: tf.Tensor[] = [];
  const hPrevSteps: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];
  let h = inputs.h0;
  for (let t = 0; t < time; t++) {
    const hNew = act(tf.add(xp[t] as tf.Tensor, tf.matMul(h, u)));
    hNewSteps.push(hNew);
    hPrevSteps.push(h);
    h = blendMasked(h, hNew, masks[t] ?? null);
    outputs.push(h);
  }
  return { outputs, finalCell: null, cache: [hNewSteps, hPrevSteps], gates: {} };
}

function elmanBackward(
  units: number,
  activation: ElmanActivation,
  inputs: SequenceInputs,
  cache: tf.Tensor[][],
  dOutputs: tf.Tensor[],
): SequenceGradients {
  const [w, u] = inputs.weights as [tf.Tensor, tf.Tensor];
  const [hNewSteps, hPrevSteps] = cache as [tf.Tensor[], tf.Tensor[]];
  const [time, batch] = inputs.x.shape;
  const masks = maskSteps(inputs.mask, time);
  const derivative = activation === 'tanh' ? tanhDerivative : sigmoidDerivative;
  const uT = tf.transpose(u);
  const dPre: tf.Tensor[] = new Array<tf.Tensor>(time);
  const dhPerStep: tf.Tensor[] = new Array<tf.Tensor>(time);
  let dhNext: tf.Tensor = tf.zeros([batch, units]);
  for (let t = time - 1; t >= 0; t--) {
    const mask = masks[t] ?? null;
    const dh = tf.add(dOutputs[t] as tf.Tensor, dhNext);
    dhPerStep[t] = dh;
    const [dhNew, dhCarry] = splitMaskedGrad(dh, mask, mask ? tf.sub(1, mask) : null);
    const dp = tf.mul(dhNew, derivative(hNewSteps[t] as tf.Tensor));
    dPre[t] = dp;
    const dhPrev = tf.matMul(dp, uT);
    dhNext = dhCarry ? tf.add(dhPrev, dhCarry) : dhPrev;
  }
  const dzAll = stackSteps(dPre);
  const xFlat = tf.reshape(inputs.x, [time * batch, inputs.x.shape[2]]) as tf.Tensor;
  return {
    dx: inputGradient(dzAll, w, time, batch),
    dWeights: [
      ...inputAndRecurrentWeightGradients(xFlat, stackSteps(hPrevSteps), dzAll),
      tf.sum(dzAll, 0),
    ],
    dh0: dhNext,
    dc0: null,
    dhPerStep,
  };
}
