import * as tf from '@tensorflow/tfjs';

export type OptimizerConfig =
  | { kind: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean }
  | { kind: 'rmsprop'; learningRate: number; decay?: number; epsilon?: number }
  | { kind: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number };

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
  apply(variables: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, weightDecay = 0): void {
    this.step += 1;
    const lr = this.learningRate;
    tf.tidy(() => {
      for (const [name, variable] of variables) {
        const raw = grads.get(name);
        if (!raw) continue;
        const g = weightDecay > 0 ? tf.add(raw, tf.mul(variable, weightDecay)) : raw;
        variable.assign(tf.sub(variable, this.update(name, variable, g, lr)));
      }
    });
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
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): number {
  const norm = tf.tidy(() =>
    Math.sqrt(
      tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))).dataSync()[0] as number,
    ),
  );
  if (norm > maxNorm && Number.isFinite(norm)) {
    const scale = maxNorm / norm;
    for (const [name, g] of grads) {
      grads.set(name, tf.mul(g, scale));
      g.dispose();
    }
  }
  return norm;
}

export function clipByValue(grads: Map<string, tf.Tensor>, limit: number): void {
  for (const [name, g] of grads) {
    grads.set(name, tf.clipByValue(g, -limit, limit));
    g.dispose();
  }
}
