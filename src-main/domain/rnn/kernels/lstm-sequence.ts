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
  matMulAT,
  projectAllSteps,
  sigmoidDerivative,
  splitMaskedGrad,
  stackSteps,
  tanhDerivative,
  unstackTime,
} from './step-helpers';

export interface LstmKernelOptions {
  /** Cell count nc. */
  units: number;
  /** Diagonal peephole weights Wic, Wfc, Woc (Gers & Schmidhuber 2000). */
  peephole: boolean;
  /** Recurrent projection size nr (Sak et al. 2014); null for a plain LSTM. */
  projection: number | null;
}

/**
 * The LSTM family over a whole sequence. Weight layout follows tf.layers/Keras so weights move
 * between the two unchanged: kernel [in, 4nc], recurrent_kernel [nr or nc, 4nc], bias [4nc],
 * gate order i, f, c(g), o, logistic sigmoid gates. Optional extras, in this order:
 * peephole [3, nc] (rows Wic, Wfc, Woc) and projection [nc, nr].
 *
 *   i = s(x Wi + r_{t-1} Ui + bi + wic * c_{t-1})     f likewise with Wf, Uf, wfc
 *   g = tanh(x Wg + r_{t-1} Ug + bg)                   c = f c_{t-1} + i g
 *   o = s(x Wo + r_{t-1} Uo + bo + woc * c_t)          m = o tanh(c)
 *   r = m P (LSTMP) or r = m                           output = r
 */
export function createLstmKernel(options: LstmKernelOptions): SequenceKernel {
  const nc = options.units;
  const outputSize = options.projection ?? nc;
  return {
    outputSize,
    cellSize: nc,
    forward: (inputs) => lstmForward(options, inputs),
    backward: (inputs, cache, dOutputs, dFinalCell) =>
      lstmBackward(options, inputs, cache, dOutputs, dFinalCell),
  };
}

interface LstmWeights {
  w: tf.Tensor;
  u: tf.Tensor;
  b: tf.Tensor;
  peep: tf.Tensor | null;
  proj: tf.Tensor | null;
}

function unpackWeights(options: LstmKernelOptions, weights: tf.Tensor[]): LstmWeights {
  const peep = options.peephole ? (weights[3] as tf.Tensor) : null;
  const proj =
    options.projection !== null ? (weights[options.peephole ? 4 : 3] as tf.Tensor) : null;
  return {
    w: weights[0] as tf.Tensor,
    u: weights[1] as tf.Tensor,
    b: weights[2] as tf.Tensor,
    peep,
    proj,
  };
}

/** Cache lists, in order. */
enum C {
  I,
  F,
  G,
  O,
  TanhC,
  CPrev,
  CNew,
  M,
  RPrev,
}

function lstmForward(options: LstmKernelOptions, inputs: SequenceInputs): SequenceForward {
  const nc = options.units;
  const { w, u, b, peep, proj } = unpackWeights(options, inputs.weights);
  const time = inputs.x.shape[0];
  const xp = unstackTime(projectAllSteps(inputs.x, w, b));
  const masks = maskSteps(inputs.mask, time);
  const [wic, wfc, woc] = peep ? (tf.unstack(peep, 0) as tf.Tensor[]) : [null, null, null];
  const cache: tf.Tensor[][] = [[], [], [], [], [], [], [], [], []];
  const outputs: tf.Tensor[] = [];
  let r = inputs.h0;
  let c = inputs.c0 ?? tf.zeros([inputs.x.shape[1], nc]);
  for (let t = 0; t < time; t++) {
    const z = tf.add(xp[t] as tf.Tensor, tf.matMul(r, u));
    const gates = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    let [zi, zf, , zo] = gates;
    const zg = gates[2];
    if (wic && wfc) {
      zi = tf.add(zi, tf.mul(wic, c));
      zf = tf.add(zf, tf.mul(wfc, c));
    }
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const g = tf.tanh(zg);
    const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
    if (woc) zo = tf.add(zo, tf.mul(woc, cNew));
    const o = tf.sigmoid(zo);
    const tanhC = tf.tanh(cNew);
    const m = tf.mul(o, tanhC);
    const rNew = proj ? tf.matMul(m, proj) : m;
    const mask = masks[t] ?? null;
    const rNext = blendMasked(r, rNew, mask);
    const cNext = blendMasked(c, cNew, mask);
    for (const [list, value] of [
      [C.I, i],
      [C.F, f],
      [C.G, g],
      [C.O, o],
      [C.TanhC, tanhC],
      [C.CPrev, c],
      [C.CNew, cNew],
      [C.M, m],
      [C.RPrev, r],
    ] as const) {
      (cache[list] as tf.Tensor[]).push(value);
    }
    outputs.push(rNext);
    r = rNext;
    c = cNext;
  }
  return {
    outputs,
    finalCell: c,
    cache,
    gates: {
      input: cache[C.I] as tf.Tensor[],
      forget: cache[C.F] as tf.Tensor[],
      output: cache[C.O] as tf.Tensor[],
      candidate: cache[C.G] as tf.Tensor[],
      cell: cache[C.CNew] as tf.Tensor[],
    },
  };
}

function lstmBackward(
  options: LstmKernelOptions,
  inputs: SequenceInputs,
  cacheLists: tf.Tensor[][],
  dOutputs: tf.Tensor[],
  dFinalCell: tf.Tensor | null,
): SequenceGradients {
  const nc = options.units;
  const { w, u, peep, proj } = unpackWeights(options, inputs.weights);
  const cache = cacheLists as tf.Tensor[][];
  const at = (list: C, t: number): tf.Tensor => (cache[list] as tf.Tensor[])[t] as tf.Tensor;
  const [time, batch] = inputs.x.shape;
  const masks = maskSteps(inputs.mask, time);
  const [wic, wfc, woc] = peep ? (tf.unstack(peep, 0) as tf.Tensor[]) : [null, null, null];
  // Transposed copies made once per pass: the per-step products then need no transposed operand.
  const uT = tf.transpose(u);
  const projT = proj ? tf.transpose(proj) : null;
  const dz: tf.Tensor[] = new Array<tf.Tensor>(time);
  const drNewSteps: tf.Tensor[] = new Array<tf.Tensor>(time);
  const dhPerStep: tf.Tensor[] = new Array<tf.Tensor>(time);
  let drNext: tf.Tensor = tf.zeros([batch, u.shape[0]]);
  let dcNext: tf.Tensor = dFinalCell ?? tf.zeros([batch, nc]);
  for (let t = time - 1; t >= 0; t--) {
    const mask = masks[t] ?? null;
    const oneMinusMask = mask ? tf.sub(1, mask) : null;
    const dr = tf.add(dOutputs[t] as tf.Tensor, drNext);
    dhPerStep[t] = dr;
    const [drNew, drCarry] = splitMaskedGrad(dr, mask, oneMinusMask);
    const [dcNew, dcCarry] = splitMaskedGrad(dcNext, mask, oneMinusMask);
    drNewSteps[t] = drNew;
    const dm = projT ? tf.matMul(drNew, projT) : drNew;
    const o = at(C.O, t);
    const tanhC = at(C.TanhC, t);
    const dzo = tf.mul(tf.mul(dm, tanhC), sigmoidDerivative(o));
    let dc = tf.add(dcNew, tf.mul(tf.mul(dm, o), tanhDerivative(tanhC)));
    if (woc) dc = tf.add(dc, tf.mul(dzo, woc));
    const i = at(C.I, t);
    const f = at(C.F, t);
    const g = at(C.G, t);
    const cPrev = at(C.CPrev, t);
    const dzi = tf.mul(tf.mul(dc, g), sigmoidDerivative(i));
    const dzf = tf.mul(tf.mul(dc, cPrev), sigmoidDerivative(f));
    const dzg = tf.mul(tf.mul(dc, i), tanhDerivative(g));
    let dcPrev = tf.mul(dc, f);
    if (wic && wfc) dcPrev = tf.add(dcPrev, tf.add(tf.mul(dzi, wic), tf.mul(dzf, wfc)));
    const dzt = tf.concat([dzi, dzf, dzg, dzo], 1);
    dz[t] = dzt;
    let drPrev = tf.matMul(dzt, uT);
    if (drCarry) drPrev = tf.add(drPrev, drCarry);
    if (dcCarry) dcPrev = tf.add(dcPrev, dcCarry);
    drNext = drPrev;
    dcNext = dcPrev;
  }
  // Weight gradients summed over time: one product each over all [time * batch] rows.
  const dzAll = stackSteps(dz);
  const xFlat = tf.reshape(inputs.x, [time * batch, inputs.x.shape[2]]) as tf.Tensor;
  const [dW, dU] = inputAndRecurrentWeightGradients(
    xFlat,
    stackSteps(cache[C.RPrev] as tf.Tensor[]),
    dzAll,
  );
  const dB = tf.sum(dzAll, 0);
  const dWeights: tf.Tensor[] = [dW, dU, dB];
  if (peep) {
    const [dzi, dzf, , dzo] = tf.split(dzAll, 4, 1);
    const cPrevAll = stackSteps(cache[C.CPrev] as tf.Tensor[]);
    const cNewAll = stackSteps(cache[C.CNew] as tf.Tensor[]);
    dWeights.push(
      tf.stack([
        tf.sum(tf.mul(dzi as tf.Tensor, cPrevAll), 0),
        tf.sum(tf.mul(dzf as tf.Tensor, cPrevAll), 0),
        tf.sum(tf.mul(dzo as tf.Tensor, cNewAll), 0),
      ]),
    );
  }
  if (proj) dWeights.push(matMulAT(stackSteps(cache[C.M] as tf.Tensor[]), stackSteps(drNewSteps)));
  return {
    dx: inputGradient(dzAll, w, time, batch),
    dWeights,
    dh0: drNext,
    dc0: dcNext,
    dhPerStep,
  };
}
