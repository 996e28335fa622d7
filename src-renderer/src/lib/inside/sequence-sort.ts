/** The unit order of an encoder-decoder's layers, which run over two sequences of their own lengths. */
import type { UnitSort } from './unit-order';

/**
 * The unit order for a sequence's layers: a label of the steps correlates only with layers over
 * as many steps (the input's labels with the encoder's); others fall back to variance.
 */
export function sortForSteps(sort: UnitSort, steps: number): UnitSort {
  return sort.kind === 'correlation' && sort.label.indicator.length !== steps
    ? { kind: 'variance' }
    : sort;
}
