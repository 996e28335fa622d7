/**
 * A recurrent cell's step written in plain TF.js ops from the engine's equations (rnn/README.md),
 * for tests that check the introspection's gradients against TF.js autodiff of a forward pass
 * built from it (nothing of the engine's hand-written BPTT is used).
 */
import * as tf from '@tensorflow/tfjs';
import type { CellKind } from '../../rnn/cell-kinds';
import type { RnnModel } from '../../rnn/rnn-model';

export interface LayerWeights {
  kernel: tf.Tensor;
  recurrent: tf.Tensor;
  bias: tf.Tensor;
  /** [3, n] rows wic, wfc, woc. */
  peephole: tf.Tensor | null;
  /** [n, nr]. */
  projection: tf.Tensor | null;
}

/** The weights of the layer direction `prefix` (`encoder/layer0/fw`). */
export function weightsOf(model: RnnModel, prefix: string): LayerWeights {
  const param = (name: string): tf.Tensor | null =>
    model.params.has(`${prefix}/${name}`) ? model.param(`${prefix}/${name}`) : null;
  return {
    kernel: model.param(`${prefix}/kernel`),
    recurrent: model.param(`${prefix}/recurrent_kernel`),
    bias: model.param(`${prefix}/bias`),
    peephole: param('peephole'),
    projection: param('projection'),
  };
}

/** x W + h U + b, or the columns [from, from + width) of it. */
function preActivation(
  w: LayerWeights,
  x: tf.Tensor,
  h: tf.Tensor,
  from = 0,
  width = w.bias.shape[0] as number,
): tf.Tensor {
  const columns = (m: tf.Tensor): tf.Tensor => tf.slice(m, [0, from], [-1, width]);
  return tf.add(
    tf.add(tf.matMul(x, columns(w.kernel)), tf.matMul(h, columns(w.recurrent))),
    tf.slice(w.bias, [from], [width]),
  );
}

/** One step of the cell (rnn/README.md's equations), rows in parallel. */
export function cellStep(
  cell: CellKind,
  w: LayerWeights,
  x: tf.Tensor,
  h: tf.Tensor,
  c: tf.Tensor,
): { h: tf.Tensor; c: tf.Tensor } {
  if (cell === 'rnn') return { h: tf.tanh(preActivation(w, x, h)), c };
  if (cell === 'gru') {
    // Reset before the product: hh = tanh(x Wh + (r * h) Uh + bh), h' = z h + (1 - z) hh.
    const n = (w.bias.shape[0] as number) / 3;
    const [z, r] = tf.split(tf.sigmoid(preActivation(w, x, h, 0, 2 * n)), 2, 1) as [
      tf.Tensor,
      tf.Tensor,
    ];
    const xh = tf.matMul(x, tf.slice(w.kernel, [0, 2 * n], [-1, n]));
    const rh = tf.matMul(tf.mul(r, h), tf.slice(w.recurrent, [0, 2 * n], [-1, n]));
    const hh = tf.tanh(tf.add(tf.add(xh, rh), tf.slice(w.bias, [2 * n], [n])));
    return { h: tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)), c };
  }
  // The LSTM family: gates i, f, g, o; with peepholes i and f see c_{t-1}, o sees c_t.
  const [zi, zf, zg, zo] = tf.split(preActivation(w, x, h), 4, 1) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const [wic, wfc, woc] = w.peephole ? tf.unstack(w.peephole, 0) : [];
  const peep = (z: tf.Tensor, weight: tf.Tensor | undefined, state: tf.Tensor): tf.Tensor =>
    weight ? tf.add(z, tf.mul(weight, state)) : z;
  const i = tf.sigmoid(peep(zi, wic, c));
  const f = tf.sigmoid(peep(zf, wfc, c));
  const cNew = tf.add(tf.mul(f, c), tf.mul(i, tf.tanh(zg)));
  const o = tf.sigmoid(peep(zo, woc, cNew));
  const m = tf.mul(o, tf.tanh(cNew));
  return { h: w.projection ? tf.matMul(m, w.projection) : m, c: cNew };
}
