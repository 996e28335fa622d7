/**
 * The items of a sequence-to-sequence task: the pairs of a `pairs` corpus's selected splits,
 * each side cut into symbols at the level the corpus manifest gives (pairLevels). For scoring,
 * the pairs of one source are one item whose targets are all references.
 */
import type { DataSelection } from '../../experiments/config/common-config';
import { DEFAULT_PAIR_LEVELS, symbolsOf } from '../../corpus/formats/pairs';
import type { PairLevels } from '../../corpus/formats/pairs';
import type { Corpus } from '../../corpus/model';
import { UnfoldError } from '../../errors';

export interface SymbolPair {
  source: string[];
  target: string[];
}

/** One source with every target the corpus gives it (several pronunciations of a word). */
export interface ReferenceItem {
  /** `<split>:<index of the source's first line>`. */
  id: string;
  sourceText: string;
  source: string[];
  references: string[][];
}

/** Refuses a corpus that is not sequence pairs, naming the formats that work. */
export function checkPairsCorpus(corpus: Corpus): void {
  if (corpus.manifest.kind !== 'text' || corpus.manifest.textFormat !== 'pairs')
    throw new UnfoldError(
      'SEQ2SEQ_NOT_PAIRS',
      `${corpus.manifest.name} is a ${corpus.manifest.kind === 'text' ? `${corpus.manifest.textFormat ?? 'text'} text` : 'speech'} corpus: the seq2seq task reads sequence pairs. Import source<TAB>target lines with \`unfold corpus import --format pairs\`, or the CMU dictionary with \`--format cmudict\`.`,
    );
}

export function pairLevelsOf(corpus: Corpus): PairLevels {
  return corpus.manifest.pairLevels ?? DEFAULT_PAIR_LEVELS;
}

/** The pairs of the selected splits as symbols, with the source's id. */
function selectedPairs(
  corpus: Corpus,
  selection: DataSelection,
): { id: string; sourceText: string; pair: SymbolPair }[] {
  checkPairsCorpus(corpus);
  const levels = pairLevelsOf(corpus);
  const out: { id: string; sourceText: string; pair: SymbolPair }[] = [];
  if (corpus.data.kind !== 'text') return out;
  for (const split of selection.splits) {
    const content = corpus.data.splits.get(split);
    if (content?.format !== 'pairs') continue;
    content.pairs.forEach((pair, index) => {
      out.push({
        id: `${split}:${index + 1}`,
        sourceText: pair.source,
        pair: {
          source: symbolsOf(pair.source, levels.source),
          target: symbolsOf(pair.target, levels.target),
        },
      });
    });
  }
  return out;
}

/** Every pair of the selection, one per line (training examples). */
export function symbolPairsOf(corpus: Corpus, selection: DataSelection): SymbolPair[] {
  return selectedPairs(corpus, selection).map((item) => item.pair);
}

/** The selection's sources, each once, with all its targets as references (scoring). */
export function referenceItemsOf(corpus: Corpus, selection: DataSelection): ReferenceItem[] {
  const bySource = new Map<string, ReferenceItem>();
  for (const { id, sourceText, pair } of selectedPairs(corpus, selection)) {
    const key = pair.source.join('\u0000');
    const item = bySource.get(key);
    if (item) item.references.push(pair.target);
    else bySource.set(key, { id, sourceText, source: pair.source, references: [pair.target] });
  }
  return [...bySource.values()];
}
