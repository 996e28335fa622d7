import * as tf from '@tensorflow/tfjs';
import { chooseRnnKernel } from './kernels/native-sequence';
import { denseOf, sumOfSquares, updateInPlace, valuesView } from './sparse-rows';
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

/** An optimizer's update rule with every default filled in: declared once, read by every path. */
type UpdateRule =
  | { kind: 'sgd'; momentum: number; nesterov: boolean; slots: readonly string[] }
  | { kind: 'rmsprop'; decay: number; epsilon: number; slots: readonly string[] }
  | { kind: 'adam'; beta1: number; beta2: number; epsilon: number; slots: readonly string[] };

/** The defaults of tf.train and Keras (epsilon 1e-7, RMSProp's decay 0.9, Adam's 0.9 / 0.999). */
function updateRule(c: OptimizerConfig): UpdateRule {
  switch (c.kind) {
    case 'sgd': {
      const momentum = c.momentum ?? 0;
      const slots = momentum === 0 ? [] : ['momentum'];
      return { kind: 'sgd', momentum, nesterov: c.nesterov ?? false, slots };
    }
    case 'rmsprop':
      return { kind: 'rmsprop', decay: c.decay ?? 0.9, epsilon: c.epsilon ?? 1e-7, slots: ['ms'] };
    case 'adam':
      return {
        kind: 'adam',
        beta1: c.beta1 ?? 0.9,
        beta2: c.beta2 ?? 0.999,
        epsilon: c.epsilon ?? 1e-7,
        slots: ['m', 'v'],
      };
  }
}

/** Adam's step size at step `step` (1-based), both moments' bias corrections folded in. */
function adamStepRate(rule: { beta1: number; beta2: number }, lr: number, step: number): number {
  return (lr * Math.sqrt(1 - rule.beta2 ** step)) / (1 - rule.beta1 ** step);
}

/**
 * SGD with momentum, RMSProp and Adam over named variables, written here rather than taken
 * from tf.train because training needs (a) a learning rate changed by schedules between steps,
 * (b) slot variables under stable names that checkpoints save and resume restores exactly.
 */
export class Optimizer {
  readonly config: OptimizerConfig;
  private readonly rule: UpdateRule;
  learningRate: number;
  step = 0;
  readonly slots = new Map<string, tf.Variable>();

  constructor(config: OptimizerConfig) {
    this.config = config;
    this.rule = updateRule(config);
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
          this.updateRowsInPlace(name, variable, rows, lr, weightDecay);
          continue;
        }
        const raw = rows ? denseOf(rows, variable.shape[0] as number) : grads.get(name);
        if (!raw) continue;
        if (this.updateDense(name, variable, raw, lr, weightDecay)) continue;
        const g = weightDecay > 0 ? tf.add(raw, tf.mul(variable, weightDecay)) : raw;
        variable.assign(tf.sub(variable, this.update(name, variable, g, lr)));
      }
    });
  }

  /**
   * The dense update as one native pass (optimizer_step.h) over the backend's memory, instead of
   * a chain of TF.js ops that each read and write every element (a 16,814 x 100 word table under
   * Adam: about ten passes and allocations per step). The slots change in place and the weights
   * go into a fresh copy: the native kernels and the wasm backend's packed matrix products keep
   * a weight's values by its data id, so the weights must never change under an id. False
   * (nothing done) without the addon (the kernel choice of chooseRnnKernel) or where the
   * backend's memory cannot be read in place.
   */
  private updateDense(
    name: string,
    variable: tf.Variable,
    grad: tf.Tensor,
    lr: number,
    weightDecay: number,
  ): boolean {
    const { addon } = chooseRnnKernel();
    if (!addon || !valuesView(grad)) return false;
    const slots = this.slotsFor(name, variable);
    const next = tf.tidy(() => tf.add(variable, 0));
    let done = false;
    // The slots' views are taken after any copy updateInPlace makes, the others after that.
    updateInPlace(slots, ([s1, s2]) => {
      const w = valuesView(next);
      const g = valuesView(grad);
      if (!w || !g) return;
      const [kind, hyper] = this.nativeStep(lr, weightDecay);
      addon.optimizerStep(kind, hyper, w, s1 ?? null, s2 ?? null, g);
      done = true;
    });
    if (done) variable.assign(next);
    next.dispose();
    return done;
  }

  /** The kind and hyper-parameters of optimizerStep for this step. */
  private nativeStep(lr: number, weightDecay: number): [number, Float64Array] {
    const r = this.rule;
    switch (r.kind) {
      case 'sgd':
        return [
          r.momentum === 0 ? 0 : r.nesterov ? 2 : 1,
          Float64Array.of(lr, r.momentum, 0, 0, weightDecay),
        ];
      case 'rmsprop':
        return [3, Float64Array.of(lr, r.decay, 0, r.epsilon, weightDecay)];
      case 'adam': {
        const stepLr = adamStepRate(r, lr, this.step);
        return [4, Float64Array.of(stepLr, r.beta1, r.beta2, r.epsilon, weightDecay)];
      }
    }
  }

  /** The update on the given rows only, weights and slots in place (lazy sparse mode). */
  private updateRowsInPlace(
    name: string,
    variable: tf.Variable,
    rows: SparseRows,
    lr: number,
    weightDecay: number,
  ): void {
    const { ids, values } = rows;
    const { addon } = chooseRnnKernel();
    updateInPlace([variable, ...this.slotsFor(name, variable)], ([w, s1, s2]) => {
      if (!w) return;
      // The rows' ids are distinct (sumRowsById): each row is updated once.
      if (addon) {
        const [kind, hyper] = this.nativeStep(lr, weightDecay);
        addon.optimizerStep(kind, hyper, w, s1 ?? null, s2 ?? null, values, ids);
        return;
      }
      this.stepRows(w, s1, s2, rows, lr, weightDecay);
    });
  }

  /** The kind's slots of a variable, in the order the steps read them. */
  private slotsFor(name: string, variable: tf.Tensor): tf.Variable[] {
    return this.rule.slots.map((slot) => this.slot(`${name}/${slot}`, variable));
  }

  /** The update of `update` on the given rows of plain arrays, without the addon. */
  private stepRows(
    w: Float32Array,
    s1: Float32Array | undefined,
    s2: Float32Array | undefined,
    rows: SparseRows,
    lr: number,
    weightDecay: number,
  ): void {
    const rule = this.rule;
    const { ids, values, dim } = rows;
    // Calls `step(i, g)` for each element i of the rows with its gradient g (weight decay added).
    const eachElement = (step: (i: number, g: number) => void): void => {
      for (let r = 0; r < ids.length; r++) {
        const at = (ids[r] as number) * dim;
        for (let d = 0; d < dim; d++)
          step(at + d, (values[r * dim + d] as number) + weightDecay * (w[at + d] as number));
      }
    };
    switch (rule.kind) {
      case 'sgd': {
        const mu = rule.momentum;
        eachElement((i, g) => {
          if (!s1) {
            w[i] = (w[i] as number) - lr * g;
            return;
          }
          const vel = mu * (s1[i] as number) + g;
          s1[i] = vel;
          w[i] = (w[i] as number) - lr * (rule.nesterov ? g + mu * vel : vel);
        });
        return;
      }
      case 'rmsprop': {
        const { decay: rho, epsilon: eps } = rule;
        if (!s1) return;
        eachElement((i, g) => {
          const mean = rho * (s1[i] as number) + (1 - rho) * g * g;
          s1[i] = mean;
          w[i] = (w[i] as number) - (lr * g) / (Math.sqrt(mean) + eps);
        });
        return;
      }
      case 'adam': {
        const { beta1: b1, beta2: b2, epsilon: eps } = rule;
        const stepLr = adamStepRate(rule, lr, this.step);
        if (!s1 || !s2) return;
        eachElement((i, g) => {
          const m1 = b1 * (s1[i] as number) + (1 - b1) * g;
          const v1 = b2 * (s2[i] as number) + (1 - b2) * g * g;
          s1[i] = m1;
          s2[i] = v1;
          w[i] = (w[i] as number) - (stepLr * m1) / (Math.sqrt(v1) + eps);
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
    const r = this.rule;
    switch (r.kind) {
      case 'sgd': {
        const [v] = this.slotsFor(name, w);
        if (!v) return tf.mul(g, lr);
        v.assign(tf.add(tf.mul(v, r.momentum), g));
        return tf.mul(r.nesterov ? tf.add(g, tf.mul(v, r.momentum)) : v, lr);
      }
      case 'rmsprop': {
        const [ms] = this.slotsFor(name, w) as [tf.Variable];
        ms.assign(tf.add(tf.mul(ms, r.decay), tf.mul(tf.square(g), 1 - r.decay)));
        return tf.div(tf.mul(g, lr), tf.add(tf.sqrt(ms), r.epsilon));
      }
      case 'adam': {
        const [m, v] = this.slotsFor(name, w) as [tf.Variable, tf.Variable];
        m.assign(tf.add(tf.mul(m, r.beta1), tf.mul(g, 1 - r.beta1)));
        v.assign(tf.add(tf.mul(v, r.beta2), tf.mul(tf.square(g), 1 - r.beta2)));
        const stepLr = adamStepRate(r, lr, this.step);
        return tf.div(tf.mul(m, stepLr), tf.add(tf.sqrt(v), r.epsilon));
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
