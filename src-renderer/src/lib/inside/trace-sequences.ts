/**
 * The sequences a trace's layers run over: the input for every model, and for an
 * encoder-decoder also its target (the decoder's steps). Each has its own steps and its own
 * axis (the source's letters, the answer's symbols), and its layers are drawn under it.
 */
import type {
  InsideAxis,
  InsideLayer,
  InsideSequence,
  InsideTargetSequence,
  InsideTrace,
} from '@api/inside';

type SequenceParts = Pick<InsideTrace, 'steps' | 'axis'> & {
  target?: InsideTargetSequence | null | undefined;
};

/** The sequence a layer runs over ('source' when the trace names none). */
export function layerSequence(layer: Pick<InsideLayer, 'sequence'>): InsideSequence {
  return layer.sequence ?? 'source';
}

/** The steps of a sequence of the trace. */
export function sequenceSteps(trace: SequenceParts, sequence: InsideSequence): number {
  return sequence === 'target' && trace.target ? trace.target.steps : trace.steps;
}

/** The axis of a sequence of the trace. */
export function sequenceAxis(trace: SequenceParts, sequence: InsideSequence): InsideAxis {
  return sequence === 'target' && trace.target ? trace.target.axis : trace.axis;
}

/** The steps a layer's series and gradient norms run over. */
export function layerSteps(trace: SequenceParts, layer: Pick<InsideLayer, 'sequence'>): number {
  return sequenceSteps(trace, layerSequence(layer));
}

/** The steps the model's outputs (and an output step of the gradient) count. */
export function outputSequence(trace: Pick<InsideTrace, 'target'>): InsideSequence {
  return trace.target ? 'target' : 'source';
}

export interface TraceSequence {
  sequence: InsideSequence;
  /** "Source: the encoder reads 5 letters" style heading; empty for a single-sequence trace. */
  title: string;
  steps: number;
  axis: InsideAxis;
  layers: InsideLayer[];
}

/** The trace's layers grouped by sequence, the source first; one group for other models. */
export function traceSequences(
  trace: SequenceParts & Pick<InsideTrace, 'layers'>,
): TraceSequence[] {
  const groups: TraceSequence[] = [];
  for (const sequence of ['source', 'target'] as const) {
    const layers = trace.layers.filter((l) => layerSequence(l) === sequence);
    if (layers.length === 0) continue;
    const steps = sequenceSteps(trace, sequence);
    groups.push({
      sequence,
      title: !trace.target
        ? ''
        : sequence === 'source'
          ? `Encoder, over the source (${steps} symbols)`
          : `Decoder, over its answer (${steps} steps, teacher-forced on it)`,
      steps,
      axis: sequenceAxis(trace, sequence),
      layers,
    });
  }
  return groups;
}

/**
 * The trace as seen from one of its sequences, for the panels drawn per sequence (the token strip,
 * the unrolled network): that sequence's steps, axis and layers. The target's view answers per
 * step (its steps are the decoder's outputs); the source's of an encoder-decoder answers nothing
 * (its last state goes to the decoder) and keeps the input's features.
 */
export function sequenceView(trace: InsideTrace, sequence: InsideSequence): InsideTrace {
  if (!trace.target) return trace;
  const layers = trace.layers.filter((l) => layerSequence(l) === sequence);
  if (sequence === 'source')
    return { ...trace, perStep: false, predicted: [], layers, target: null };
  return {
    ...trace,
    steps: trace.target.steps,
    axis: trace.target.axis,
    features: null,
    layers,
    target: null,
  };
}

/**
 * What a decoder reads at each of its steps, given its output symbols: the begin symbol, then
 * the outputs but the last (teacher forcing on its own answer).
 */
export function decoderInputTokens(outputs: readonly string[]): string[] {
  return outputs.length === 0 ? [] : [DECODER_BEGIN, ...outputs.slice(0, -1)];
}

/** The begin symbol an encoder-decoder's decoder reads first (its target table's id 0). */
export const DECODER_BEGIN = '<s>';

/**
 * How an encoder-decoder's gradient chart reads: the source's steps, then the decoder's on the
 * same line, and the paths by which the loss reaches the encoder.
 */
export function gradientPartsText(
  trace: Pick<InsideTrace, 'steps' | 'outputStep' | 'target'>,
): string {
  const target = trace.target;
  if (!target) return '';
  const step =
    trace.outputStep === null
      ? ''
      : `; output step ${trace.outputStep} of the decoder is at ${trace.steps + trace.outputStep}`;
  const paths = target.attention
    ? 'through the decoder’s start state and through the attention, which reads every source step directly'
    : 'only through the decoder’s start state: back through every decoder step, then every source step';
  return `Steps 0–${trace.steps - 1}: the encoder over the source; ${trace.steps}–${trace.steps + target.steps - 1}: the decoder over its answer${step}. The gradient reaches the encoder ${paths}.`;
}
