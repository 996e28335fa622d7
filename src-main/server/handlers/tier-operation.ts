import type { TierOperation } from '../../api/corpus';
import { UnfoldError } from '../../domain/errors';
import { tierEdits } from '../../domain/corpus/index';
import type { IntervalTier, TextGrid } from '../../domain/corpus/formats/textgrid';
import { tierFromSpans } from '../../domain/corpus/formats/textgrid';

/** An empty grid for a recording without alignments: `words` (and `phones`) cover it, unlabelled. */
export function emptyGrid(duration: number, withPhones: boolean): TextGrid {
  const tiers = ['words', ...(withPhones ? ['phones'] : [])].map((name) =>
    tierFromSpans(name, 0, duration, []),
  );
  return { xmin: 0, xmax: duration, tiers };
}

function applyToTier(tier: IntervalTier, operation: TierOperation): IntervalTier {
  switch (operation.op) {
    case 'create':
      return tierEdits.createInterval(tier, operation.start, operation.end, operation.text);
    case 'rename':
      return tierEdits.renameInterval(tier, operation.index, operation.text);
    case 'split':
      return tierEdits.splitInterval(tier, operation.index, operation.time);
    case 'merge':
      return tierEdits.mergeWithNext(tier, operation.index);
    case 'move':
      return tierEdits.moveBoundary(tier, operation.index, operation.time);
    case 'delete':
      return tierEdits.deleteInterval(tier, operation.index);
  }
}

/** The grid with one tier edited; a missing tier is created empty first. */
export function applyTierOperation(
  grid: TextGrid,
  tierName: string,
  operation: TierOperation,
): TextGrid {
  const tier = grid.tiers.find((t) => t.name === tierName);
  if (tier && tier.kind !== 'interval')
    throw new UnfoldError('BAD_EDIT', `tier "${tierName}" is a point tier`);
  const current =
    (tier as IntervalTier | undefined) ?? tierFromSpans(tierName, grid.xmin, grid.xmax, []);
  const next = applyToTier(current, operation);
  const tiers = tier ? grid.tiers.map((t) => (t === tier ? next : t)) : [...grid.tiers, next];
  return { ...grid, tiers };
}
