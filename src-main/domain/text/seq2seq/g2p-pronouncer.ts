/**
 * A trained grapheme-to-phoneme experiment as a pronouncer for the rest of Unfold (the
 * phone-aligned sentence synthesis asks it for the words the dictionary lacks): loaded once,
 * every word decoded in one batch with the beam of the experiment's config, the best output kept.
 *
 * Only a seq2seq experiment scored as G2P (`scoring: 'g2p'`) that reads characters and writes
 * tokens is accepted; anything else is refused with the reason. Which phone set its tokens are
 * is the consumer's to check (`outputSymbols`).
 */
import { basename } from 'node:path';
import { initTfBackend } from '../../backend/tf-backend';
import { symbolsOf } from '../../corpus/formats/pairs';
import { UnfoldError } from '../../errors';
import type { ExperimentConfig } from '../../experiments/config/experiment-config';
import type { Seq2seqConfig } from '../../experiments/config/seq2seq-config';
import { experimentModelFile } from '../../experiments/experiment-folder';
import { readExperimentConfig, readExperimentLabels } from '../../experiments/experiment-records';
import type { LongOperationOptions } from '../../jobs/progress';
import { loadModel } from '../../rnn/model-io';
import type { Seq2seqLabels } from './symbol-tables';
import { TARGET_BOS, TARGET_EOS } from './symbol-tables';
import { decodeSources } from './translate-sources';

export interface WordPronunciation {
  /** The best output, as the model writes its symbols (empty when it ended at once). */
  symbols: string[];
  /** Letters of the word the model never saw in training (read as the unknown symbol). */
  unknownLetters: string[];
}

export interface G2pPronouncer {
  /** The experiment's name (its folder's), for notes. */
  experiment: string;
  /** Every symbol the model can write (its target vocabulary, without begin and end). */
  outputSymbols: readonly string[];
  /** One pronunciation per word, in order. */
  pronounce(words: readonly string[], options?: LongOperationOptions): WordPronunciation[];
  dispose(): void;
}

/** Refuses an experiment that is not a G2P model: a seq2seq task scored as G2P, characters to tokens. */
export function checkG2pExperiment(
  name: string,
  config: ExperimentConfig,
  labels: Pick<Seq2seqLabels, 'levels'> | null,
): asserts config is Seq2seqConfig {
  const refuse = (why: string): never => {
    throw new UnfoldError(
      'G2P_NOT_G2P',
      `${name} is not a grapheme-to-phoneme experiment: ${why}. Train one with \`unfold train --task seq2seq\` on a CMUdict corpus (\`unfold corpus import --format cmudict\`, scoring "g2p").`,
    );
  };
  if (config.task !== 'seq2seq') refuse(`it is a ${config.task} experiment`);
  if (config.task === 'seq2seq' && config.scoring !== 'g2p')
    refuse(`it is scored as "${config.scoring}", not "g2p"`);
  if (labels && (labels.levels.source !== 'characters' || labels.levels.target !== 'tokens'))
    refuse(
      `it reads ${labels.levels.source} and writes ${labels.levels.target} (spelling as characters to phones as tokens expected)`,
    );
}

export async function loadG2pPronouncer(dir: string): Promise<G2pPronouncer> {
  const name = basename(dir);
  const config = await readExperimentConfig(dir);
  checkG2pExperiment(name, config, null);
  const labels = await readExperimentLabels<Seq2seqLabels>(dir);
  checkG2pExperiment(name, config, labels);
  await initTfBackend();
  const model = await loadModel(experimentModelFile(dir));
  return {
    experiment: name,
    outputSymbols: labels.labels.filter((s) => s !== TARGET_BOS && s !== TARGET_EOS),
    pronounce(words, options = {}) {
      const decoded = decodeSources(
        model,
        labels,
        words.map((word) => symbolsOf(word, 'characters')),
        config.decoding,
        options,
      );
      return decoded.map((d) => ({
        symbols: d.nBest[0]?.symbols ?? [],
        unknownLetters: d.unknownSymbols,
      }));
    },
    dispose: () => model.dispose(),
  };
}

/** Runs `use` with the G2P experiment of `dir` loaded (none when `dir` is null), then frees it. */
export async function withG2pPronouncer<T>(
  dir: string | null,
  use: (pronouncer: G2pPronouncer | undefined) => Promise<T>,
): Promise<T> {
  if (dir === null) return use(undefined);
  const pronouncer = await loadG2pPronouncer(dir);
  try {
    return await use(pronouncer);
  } finally {
    pronouncer.dispose();
  }
}
