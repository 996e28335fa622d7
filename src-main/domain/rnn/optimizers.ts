import * as tf from '@tensorflow/tfjs';
import { denseOf, sumOfSquares, updateInPlace } from './sparse-rows';
import type { SparseRows } from './sparse-rows';
import type { SparseEmbeddingMode } from './train-config';

/**
 * How the word-embedding table is trained. Absent: a dense gradient and update, as always.
 * 'exact': the gradient comes as rows (no dense gradient from autodiff, clipping reads only the
 * rows) and is made dense for the update, which is therefore exactly the dense one. 'lazy':
 * only the rows present in the batch are updated, weights and slots alike (TF's LazyAdam,
 * PyTorch's SparseAdam); weight decay then applies to those rows only.
 */
export type { SparseEmbeddingMode };

export type OptimizerConfig = (
  | { kind: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean }
  | { kind: 'rmsprop'; learningRate: number; decay?: number; epsilon?: number }
  | { kind: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number }
) & { sparseEmbeddings?: SparseEmbeddingMode };

/**
 * SGD with momentum, RMSProp and Adam over named variables, written here rather than taken
 * from tf.train because training needs (a) a learning rate changed by schedules between steps,
 * (b) slot variables under stable names that checkpoints save and resume restores exactly.
 */
export class Optimizer {
  readonly config: OptimizerConfig;
  learningRate: number;
  step = 0;
  readonly slots = new Map<string, tf.Variable>();

  constructor(config: OptimizerConfig) {
    this.config = config;
    this.learningRate = config.learningRate;
  }

  /** Applies one update. `weightDecay` adds wd * w to every gradient (L2 regularisation). */
  apply(
    variables: Map<string, tf.Variable>,
    grads: Map<string, tf.Tensor>,
    weightDecay = 0,
    sparseGrads: Map<string, SparseRows> = new Map(),
  ): void {
    this.step += 1;
    const lr = this.learningRate;
    const lazy = this.config.sparseEmbeddings === 'lazy';
    tf.tidy(() => {
      for (const [name, variable] of variables) {
        const rows = sparseGrads.get(name);
        if (rows && lazy) {
          this.updateRows(name, variable, rows, lr, weightDecay);
          continue;
        }
        const raw = rows ? denseOf(rows, variable.shape[0] as number) : grads.get(name);
        if (!raw) continue;
        const g = weightDecay > 0 ? tf.add(raw, tf.mul(variable, weightDecay)) : raw;
        variable.assign(tf.sub(variable, this.update(name, variable, g, lr)));
      }
    });
  }

  /** The update of `update` on the given rows only, in place (lazy sparse mode). */
  private updateRows(
    name: string,
    variable: tf.Variable,
    rows: SparseRows,
    lr: number,
    weightDecay: number,
  ): void {
    const c = this.config;
    const { ids, values, dim } = rows;
    const gradAt = (w: Float32Array, r: number, d: number): number =>
      (values[r * dim + d] as number) + weightDecay * (w[(ids[r] as number) * dim + d] as number);
    switch (c.kind) {
      case 'sgd': {
        const mu = c.momentum ?? 0;
        const slots = mu === 0 ? [] : [this.slot(`${name}/momentum`, variable)];
        updateInPlace([variable, ...slots], ([w, v]) => {
          if (!w) return;
          for (let r = 0; r < ids.length; r++) {
            const base = (ids[r] as number) * dim;
            for (let d = 0; d < dim; d++) {
              const g = gradAt(w, r, d);
              if (!v) {
                w[base + d] = (w[base + d] as number) - lr * g;
                continue;
              }
              const vel = mu * (v[base + d] as number) + g;
              v[base + d] = vel;
              w[base + d] = (w[base + d] as number) - lr * (c.nesterov ? g + mu * vel : vel);
            }
          }
        });
        return;
      }
      case 'rmsprop': {
        const rho = c.decay ?? 0.9;
        const eps = c.epsilon ?? 1e-7;
        const ms = this.slot(`${name}/ms`, variable);
        updateInPlace([variable, ms], ([w, s]) => {
          if (!w || !s) return;
          for (let r = 0; r < ids.length; r++) {
            const base = (ids[r] as number) * dim;
            for (let d = 0; d < dim; d++) {
              const g = gradAt(w, r, d);
              const mean = rho * (s[base + d] as number) + (1 - rho) * g * g;
              s[base + d] = mean;
              w[base + d] = (w[base + d] as number) - (lr * g) / (Math.sqrt(mean) + eps);
            }
          }
        });
        return;
      }
      case 'adam': {
        const b1 = c.beta1 ?? 0.9;
        const b2 = c.beta2 ?? 0.999;
        const eps = c.epsilon ?? 1e-7;
        const mSlot = this.slot(`${name}/m`, variable);
        const vSlot = this.slot(`${name}/v`, variable);
        const stepLr = (lr * Math.sqrt(1 - b2 ** this.step)) / (1 - b1 ** this.step);
        updateInPlace([variable, mSlot, vSlot], ([w, m, v]) => {
          if (!w || !m || !v) return;
          for (let r = 0; r < ids.length; r++) {
            const base = (ids[r] as number) * dim;
            for (let d = 0; d < dim; d++) {
              const g = gradAt(w, r, d);
              const m1 = b1 * (m[base + d] as number) + (1 - b1) * g;
              const v1 = b2 * (v[base + d] as number) + (1 - b2) * g * g;
              m[base + d] = m1;
              v[base + d] = v1;
              w[base + d] = (w[base + d] as number) - (stepLr * m1) / (Math.sqrt(v1) + eps);
            }
          }
        });
        return;
      }
    }
  }

  private slot(name: string, like: tf.Tensor): tf.Variable {
    let value = this.slots.get(name);
    if (!value) {
      value = tf.variable(tf.zerosLike(like), false);
      this.slots.set(name, value);
    }
    return value;
  }

  private update(name: string, w: tf.Tensor, g: tf.Tensor, lr: number): tf.Tensor {
    const c = this.config;
    switch (c.kind) {
      case 'sgd': {
        const mu = c.momentum ?? 0;
        if (mu === 0) return tf.mul(g, lr);
        const v = this.slot(`${name}/momentum`, w);
        v.assign(tf.add(tf.mul(v, mu), g));
        return tf.mul(c.nesterov ? tf.add(g, tf.mul(v, mu)) : v, lr);
      }
      case 'rmsprop': {
        const rho = c.decay ?? 0.9;
        const ms = this.slot(`${name}/ms`, w);
        ms.assign(tf.add(tf.mul(ms, rho), tf.mul(tf.square(g), 1 - rho)));
        return tf.div(tf.mul(g, lr), tf.add(tf.sqrt(ms), c.epsilon ?? 1e-7));
      }
      case 'adam': {
        const b1 = c.beta1 ?? 0.9;
        const b2 = c.beta2 ?? 0.999;
        const m = this.slot(`${name}/m`, w);
        const v = this.slot(`${name}/v`, w);
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const stepLr = (lr * Math.sqrt(1 - b2 ** this.step)) / (1 - b1 ** this.step);
        return tf.div(tf.mul(m, stepLr), tf.add(tf.sqrt(v), c.epsilon ?? 1e-7));
      }
    }
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }
}

/** Scales all gradients so their global L2 norm is at most maxNorm (Pascanu et al. 2013); returns the norm before clipping. */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  maxNorm: number,
  sparseGrads: Map<string, SparseRows> = new Map(),
  /** The gradients' norm when the caller already measured it (train.ts does): not read back twice. */
  knownNorm?: number,
): number {
  const norm = knownNorm ?? globalNormOf(grads, sparseGrads);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const scale = maxNorm / norm;
    for (const [name, g] of grads) {
      grads.set(name, tf.mul(g, scale));
      g.dispose();
    }
    for (const rows of sparseGrads.values())
      for (let n = 0; n < rows.values.length; n++)
        rows.values[n] = (rows.values[n] as number) * scale;
  }
  return norm;
}

function globalNormOf(grads: Map<string, tf.Tensor>, sparseGrads: Map<string, SparseRows>): number {
  const dense =
    grads.size === 0
      ? 0
      : tf.tidy(
          () =>
            tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))).dataSync()[0] as number,
        );
  let sparse = 0;
  for (const rows of sparseGrads.values()) sparse += sumOfSquares(rows);
  return Math.sqrt(dense + sparse);
}

export function clipByValue(
  grads: Map<string, tf.Tensor>,
  limit: number,
  sparseGrads: Map<string, SparseRows> = new Map(),
): void {
  for (const [name, g] of grads) {
    grads.set(name, tf.clipByValue(g, -limit, limit));
    g.dispose();
  }
  for (const rows of sparseGrads.values())
    for (let n = 0; n < rows.values.length; n++)
      rows.values[n] = Math.min(limit, Math.max(-limit, rows.values[n] as number));
}
