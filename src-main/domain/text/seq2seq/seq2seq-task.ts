/**
 * Sequence to sequence (the encoder-decoder pattern) over sequence pairs: spelling -> phones
 * from CMUdict, or any pairs a user imports. Trained with teacher forcing by the engine; decoded
 * by beam search; scored by word and phone error rates (g2p) or BLEU and chrF (translation),
 * every item with the edit-distance alignment of its output against its closest reference.
 */
import { parseConfigWith } from '../../experiments/config/experiment-config';
import type { Seq2seqConfig } from '../../experiments/config/seq2seq-config';
import { Seq2seqConfigSchema } from '../../experiments/config/seq2seq-config';
import type { ExperimentTask } from '../../experiments/experiment-task';
import { UnfoldError, throwIfAborted } from '../../errors';
import type { SequenceExample } from '../../rnn/batching';
import type { ModelConfig } from '../../rnn/model-config';
import { parseModelConfig } from '../../rnn/model-config';
import { scoreSeq2seq } from './score-seq2seq';
import type { Seq2seqEvaluation } from './score-seq2seq';
import { checkPairsCorpus, pairLevelsOf, referenceItemsOf, symbolPairsOf } from './sequence-pairs';
import type { SymbolPair } from './sequence-pairs';
import { SOURCE_UNKNOWN_ID, SymbolCoder, symbolTablesOf } from './symbol-tables';
import type { Seq2seqLabels } from './symbol-tables';
import { decodeSources } from './translate-sources';

function examplesOf(
  coder: SymbolCoder,
  pairs: readonly SymbolPair[],
): { examples: SequenceExample[]; skipped: number } {
  const examples: SequenceExample[] = [];
  let skipped = 0;
  for (const pair of pairs) {
    const target = coder.encodeTarget(pair.target);
    // A dev target with a symbol training never had cannot be predicted: left out and counted.
    if (target === null || pair.source.length === 0) {
      skipped += 1;
      continue;
    }
    examples.push({ inputs: coder.encodeSource(pair.source), length: pair.source.length, target });
  }
  return { examples, skipped };
}

/** The engine's encoder-decoder for the config and the symbol tables. */
export function seq2seqModelConfig(
  config: Pick<Seq2seqConfig, 'name' | 'model' | 'seed'>,
  labels: Pick<Seq2seqLabels, 'labels' | 'sourceSymbols'>,
): ModelConfig {
  return parseModelConfig({
    name: config.name,
    pattern: 'encoder-decoder',
    input: {
      kind: 'tokens',
      vocabSize: labels.sourceSymbols.length,
      embeddingSize: config.model.sourceEmbeddingSize,
      unknownId: SOURCE_UNKNOWN_ID,
    },
    layers: config.model.layers,
    decoder: {
      vocabSize: labels.labels.length,
      embeddingSize: config.model.targetEmbeddingSize,
      // The encoder's cells and sizes, one direction: the decoder generates step by step.
      layers: config.model.layers.map(({ bidirectional: _, ...layer }) => layer),
      attention: config.model.attention,
    },
    dropout: config.model.dropout,
    residual: config.model.residual,
    output: { size: labels.labels.length, activation: 'softmax' },
    seed: config.seed,
  });
}

export const seq2seqTask: ExperimentTask<Seq2seqConfig, Seq2seqLabels, Seq2seqEvaluation> = {
  name: 'seq2seq',
  storedFiles: [],
  parseConfig: (value) => parseConfigWith(Seq2seqConfigSchema, value),
  checkCorpus: (corpus) => checkPairsCorpus(corpus),
  prepareTraining(corpus, config, options) {
    const trainPairs = symbolPairsOf(corpus, config.data.train);
    if (trainPairs.length === 0)
      throw new UnfoldError(
        'SEQ2SEQ_NO_PAIRS',
        `${corpus.manifest.name} has no pairs in its training splits (${config.data.train.splits.join(', ')}).`,
      );
    const tables = symbolTablesOf(trainPairs, pairLevelsOf(corpus));
    const labels: Seq2seqLabels = { task: 'seq2seq', ...tables };
    const coder = new SymbolCoder(labels);
    throwIfAborted(options.signal);
    const train = examplesOf(coder, trainPairs);
    const dev = config.data.dev ? examplesOf(coder, symbolPairsOf(corpus, config.data.dev)) : null;
    return Promise.resolve({
      labels,
      files: {},
      model: seq2seqModelConfig(config, labels),
      train: train.examples,
      dev: dev ? dev.examples : null,
      summary: {
        trainPairs: train.examples.length,
        devPairs: dev?.examples.length ?? 0,
        sourceSymbols: labels.sourceSymbols.length - 2,
        targetSymbols: labels.labels.length - 2,
        maxSourceLength: labels.maxSourceLength,
        maxTargetLength: labels.maxTargetLength,
        ...(dev && dev.skipped > 0 ? { devPairsWithSymbolsNotInTraining: dev.skipped } : {}),
      },
    });
  },
  evaluate(input) {
    const items = referenceItemsOf(input.corpus, input.selection);
    throwIfAborted(input.signal);
    const decoded = decodeSources(
      input.model,
      input.labels,
      items.map((item) => item.source),
      input.config.decoding,
      input,
    );
    const evaluation = scoreSeq2seq(items, decoded, input.labels, input.config.scoring);
    const headline =
      evaluation.scoring === 'g2p' ? 1 - evaluation.rates.wordErrorRate : evaluation.bleu / 100;
    return Promise.resolve({
      result: evaluation,
      headline,
      summary: evaluation.summary,
      details: { worst: evaluation.worst, phoneConfusions: evaluation.topConfusions },
      skipped: [],
      predictions: evaluation.predictions,
      confusion: evaluation.confusion,
    });
  },
};
