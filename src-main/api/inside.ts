/**
 * What the Inside view and `unfold inspect` show of a trained recurrent network run on one
 * input: per layer and direction, the gate and state series over time, their saturation and
 * unit order, the gradient norm through time, and the layer's dynamics without input.
 * Plain types (no Node imports): the renderer reads them too. Arrays are typed arrays.
 */
import type { CellKind } from '../domain/rnn/cell-kinds';

/** The longest typed sentence the Inside view sends. */
export const MAX_INSIDE_TEXT_LENGTH = 2000;

/** What the network reads: a typed sentence (text tasks), a corpus utterance or a WAV (speech). */
export type InsideInput =
  | { kind: 'text'; text: string }
  /** An utterance of a corpus (the experiment's own when `corpus` is absent). */
  | { kind: 'utterance'; corpus?: string | undefined; utterance: string }
  /** A WAV file: in the data folder for the API, any path for the CLI. */
  | { kind: 'wav'; path: string };

/** Fractions of a gate's values near its ends. */
export interface Saturation {
  /** Share of values below SATURATION_LOW. */
  low: number;
  /** Share of values above SATURATION_HIGH. */
  high: number;
}

/** A gate value below this counts as closed, above SATURATION_HIGH as open. */
export const SATURATION_LOW = 0.05;
export const SATURATION_HIGH = 0.95;

/** The series names, per cell family; `hidden` is the projection r for an LSTMP. */
export type InsideSeriesName =
  'input' | 'forget' | 'output' | 'candidate' | 'cell' | 'update' | 'reset' | 'hidden';

export interface InsideSeries {
  name: InsideSeriesName;
  /** What the series is, for a heading ("forget gate f", "projection output r"). */
  title: string;
  /** Row-major [steps, units]. */
  data: Float32Array;
  units: number;
  /** Gates only (values in 0..1); null for states. */
  saturation: Saturation | null;
  /** Unit indices by falling variance over time. */
  varianceOrder: Int32Array;
}

/**
 * The sequence a layer runs over: the input (every model; an encoder-decoder's source, read by
 * its encoder) or an encoder-decoder's target (its decoder's steps, InsideTrace.target).
 */
export type InsideSequence = 'source' | 'target';

export interface InsideLayer {
  /** `encoder/layer0/fw` ... */
  key: string;
  cell: CellKind;
  /** The sequence whose steps its series run over; absent: 'source' (the trace's `axis`). */
  sequence?: InsideSequence | undefined;
  series: InsideSeries[];
  /** ||dLoss/dh_t|| for every step t of its sequence, [steps]. */
  gradNorm: Float32Array;
}

/**
 * An encoder-decoder's second sequence: its decoder's steps, teacher-forced on the model's own
 * greedy answer (step t reads the answer's symbol t - 1, the begin symbol first, and writes
 * symbol t; the end symbol is the last step's when the answer ended).
 */
export interface InsideTargetSequence {
  steps: number;
  /** The decoder's output symbols, one per step. */
  axis: { kind: 'tokens'; tokens: string[] };
  /**
   * With decoder attention: its weights, row-major [target steps, source steps], each row
   * summing to 1 over the source; null for a model without attention.
   */
  attention: Float32Array | null;
}

/** The time axis: feature frames (speech) or tokens (text). */
export type InsideAxis =
  { kind: 'frames'; frameShiftSeconds: number } | { kind: 'tokens'; tokens: string[] };

/** The most output classes a trace carries: those with the highest peak over the steps. */
export const MAX_INSIDE_OUTPUT_CLASSES = 48;

/**
 * The model's outputs over time: its softmax (or sigmoid) per step for a per-step model (phone
 * posteriors, tags, the next-token distribution), its one answer's for a sequence classifier.
 */
export interface InsideOutputs {
  /** 'softmax': a distribution per step; 'sigmoid': each class on its own; 'linear': raw values. */
  activation: 'softmax' | 'sigmoid' | 'linear';
  /** The class ids carried, by falling peak value over the steps (ties: the lower id first). */
  classes: Int32Array;
  /** Their labels, in the same order. */
  labels: string[];
  /** Row-major [steps, classes.length]: `steps` rows (the trace's steps, or 1 for one answer). */
  data: Float32Array;
  steps: number;
  /** How many classes the model has (more than carried when over MAX_INSIDE_OUTPUT_CLASSES). */
  totalClasses: number;
}

export interface InsideTrace {
  experiment: string;
  task: string;
  /** The input's steps (an encoder-decoder's source). */
  steps: number;
  axis: InsideAxis;
  /** The model's input features, row-major [steps, dims] (speech); null for token input. */
  features: { data: Float32Array; dims: number } | null;
  /** The model's answer: one label (sentence or word models) or one per step. */
  predicted: string[];
  /** Whether the model answers per step (an output step can be chosen for the gradient). */
  perStep: boolean;
  /** The step the gradient's loss is taken at; null: the whole sequence's loss. */
  outputStep: number | null;
  layers: InsideLayer[];
  /**
   * The model's output probabilities over time (under the gates, on the same time axis; an
   * encoder-decoder's over its target's steps).
   */
  outputs: InsideOutputs;
  /**
   * An encoder-decoder's target sequence (its decoder layers run over it; `predicted`,
   * `outputs` and `outputStep` count its steps); absent or null for a single-sequence model.
   */
  target?: InsideTargetSequence | null | undefined;
  /**
   * The reference (gold) labels when the input is a corpus utterance: the phone of every frame
   * (phones: from the corpus's alignment, as training labels frames) or the utterance's word
   * (words: one label); for a language model, the typed text itself: at each step the unit that
   * comes next (NO_REFERENCE at a step with none). Absent or null for a typed sentence (other
   * text tasks) or a recording.
   */
  reference?: string[] | null | undefined;
  /**
   * A bidirectional language model's backward direction: its outputs (the previous unit's
   * distribution at each step, on the same time axis as the forward's `outputs`), its answers
   * and its reference (the unit before each step's). Absent or null for other models.
   */
  backward?: InsideBackwardOutputs | null | undefined;
  /** What the gradient's loss scores: the model's own answer, or the reference. */
  lossTarget?: InsideLossTarget | undefined;
}

/** A reference label at a step that has none (a bidirectional LM's last forward step, first backward one). */
export const NO_REFERENCE = '';

/**
 * A bidirectional LM's backward LM, read over the same axis as its forward one: at step t it has
 * read the text from its end back to unit t and predicts unit t - 1.
 */
export interface InsideBackwardOutputs {
  /** Its answer (argmax) at each step. */
  predicted: string[];
  outputs: InsideOutputs;
  /** The unit before each step's (NO_REFERENCE at the first step); null with no reference. */
  reference: string[] | null;
}

/** The target of the loss whose gradient the trace follows back. */
export type InsideLossTarget = 'answer' | 'reference';

export interface InsideTraceOptions {
  /** Per-step models: the loss of this output step only; absent or null: the sequence loss. */
  outputStep?: number | null | undefined;
  /** Absent: the reference when the input has one, else the answer. */
  lossTarget?: InsideLossTarget | undefined;
}

/** What `unfold inspect --what` can write (and the Inside view's panels). */
export const INSIDE_PANELS = ['gates', 'states', 'gradnorm', 'dynamics', 'outputs'] as const;
export type InsidePanel = (typeof INSIDE_PANELS)[number];

/** The dynamics panel's defaults: steps run, recurrent-weight factor and the slider's range. */
export const DYNAMICS_DEFAULT_STEPS = 300;
export const DYNAMICS_SCALE_RANGE = { min: 0, max: 3, step: 0.05, default: 1 } as const;
/** The most steps one dynamics request may run. */
export const MAX_DYNAMICS_STEPS = 5000;

/** What drives a layer with no input: zeros, or the same value on every input feature. */
export type DynamicsDrive = { kind: 'zero' } | { kind: 'constant'; value: number };

export interface DynamicsOptions {
  /** Layer key as in InsideLayer.key. */
  layer: string;
  /** Start from the layer's state after this step of the input; null: from zeros. */
  startStep: number | null;
  drive: DynamicsDrive;
  /** Factor on the recurrent weights (1: as trained). */
  scale: number;
  steps: number;
}

/** How a free-running layer behaves. */
export type DynamicsBehaviour =
  | { kind: 'fixed-point'; settledAt: number }
  | { kind: 'cycle'; period: number }
  | { kind: 'diverges'; at: number }
  | { kind: 'wanders'; lyapunov: number };

export interface InsideDynamics {
  layer: string;
  scale: number;
  /**
   * The state trajectory projected on its two first principal components, [states, 2]: steps + 1
   * states, fewer when it diverged (it stops at the first state past the divergence bound).
   */
  points: Float32Array;
  /** Share of the trajectory's variance each component explains. */
  explained: [number, number];
  /** ||state_t|| for every state of the trajectory. */
  norms: Float32Array;
  /**
   * The states themselves, row-major [states, output + cell]: each state's output (h, or an
   * LSTMP's projection r), then its cell state (an LSTM's c; none for an Elman RNN or a GRU).
   */
  states: Float32Array;
  stateSizes: { output: number; cell: number };
  behaviour: DynamicsBehaviour;
}
