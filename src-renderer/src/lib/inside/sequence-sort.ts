/**
 * Labels and unit order for an encoder-decoder, whose layers run over two sequences of their own
 * lengths: a label of the source's steps (a letter) correlates with the encoder's layers, one of
 * the answer's steps (a phone it says, the symbol it reads) with the decoder's.
 */
import type { InsideSequence, InsideTrace } from '@api/inside';
import { decoderInputTokens, sequenceView, traceSequences } from './trace-sequences';
import { stepLabels, type StepLabel, type UnitSort } from './unit-order';

/** A label of the steps of one of the trace's sequences. */
export interface SequenceStepLabel extends StepLabel {
  sequence: InsideSequence;
}

/**
 * The step labels of every sequence of the trace, the source's first; an encoder-decoder's are
 * named by their part ("encoder: …", "decoder: …").
 */
export function sequenceStepLabels(trace: InsideTrace): SequenceStepLabel[] {
  const groups = traceSequences(trace);
  return groups.flatMap(({ sequence }) =>
    stepLabels(labelledView(trace, sequence)).map((label) =>
      trace.target
        ? {
            ...label,
            key: `${sequence}:${label.key}`,
            text: `${sequence === 'source' ? 'encoder' : 'decoder'}: ${label.text}`,
            sequence,
          }
        : { ...label, sequence },
    ),
  );
}

/**
 * A sequence's view whose axis is what its layers read at each step: the decoder reads the begin
 * symbol, then its own answer (its axis is the answer, which its predicted labels carry already).
 */
function labelledView(trace: InsideTrace, sequence: InsideSequence): InsideTrace {
  const view = sequenceView(trace, sequence);
  if (!trace.target || sequence !== 'target') return view;
  return { ...view, axis: { kind: 'tokens', tokens: decoderInputTokens(view.predicted) } };
}

/**
 * The unit order for a sequence's layers: a correlation label of another sequence does not apply
 * to them (they fall back to variance).
 */
export function sortForSequence(sort: UnitSort, sequence: InsideSequence): UnitSort {
  if (sort.kind !== 'correlation') return sort;
  const labelSequence = (sort.label as Partial<SequenceStepLabel>).sequence ?? 'source';
  return labelSequence === sequence ? sort : { kind: 'variance' };
}
