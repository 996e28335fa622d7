/**
 * What training reports about its gradients (plain types, no TF.js: the API and the renderer
 * read them too). Every batch: the global norm before clipping; every `gradientReportEvery`
 * batches: the norm of each parameter's gradient, named as `model.params` names them.
 */

/** Per-parameter norms come with the first batch, every this many batches after it, and the last. */
export const DEFAULT_GRADIENT_REPORT_EVERY = 20;

export interface ParameterGradientNorm {
  /** The parameter's name in model.params, e.g. `encoder/layer0/fw/recurrent_kernel`. */
  name: string;
  /** The L2 norm of its gradient before clipping (a sparse table's rows included). */
  norm: number;
}

export interface GradientReport {
  /** The batch's number in the run, from 1 (a resumed run counts on from its checkpoint). */
  step: number;
  /**
   * The L2 norm over every parameter's gradient before any clipping. With truncated BPTT a
   * batch is several updates: the largest of their norms.
   */
  globalNorm: number;
  /** The clipping threshold (config.clipNorm), null without norm clipping. */
  clipNorm: number | null;
  /** Whether global-norm clipping scaled this batch's gradient (any of its updates). */
  clipped: boolean;
  /** Each parameter's gradient norm, in model.params order (input to output); on report batches only. */
  parameters?: ParameterGradientNorm[];
}

/** Whether batch `step` (from 1) reports per-parameter norms: the first and every `every`-th after. */
export function reportsParameters(step: number, every: number): boolean {
  return (step - 1) % Math.max(1, Math.floor(every)) === 0;
}
