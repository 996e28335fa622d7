import type { Corpus } from '../corpus/model';
import { UnfoldError } from '../errors';
import type { CommonExperimentConfig } from './config/common-config';

/**
 * Checks, before any feature is computed or anything trained, that the corpus has every split
 * the config's train, dev and test selections name (the test split is read only at the very
 * end of training), and says how to make the missing ones.
 */
export function checkConfigSplits(corpus: Corpus, config: CommonExperimentConfig): void {
  const roles = [
    ['train', config.data.train],
    ['dev', config.data.dev],
    ['test', config.data.test],
  ] as const;
  const has = corpus.manifest.splits;
  for (const [role, selection] of roles) {
    for (const split of selection?.splits ?? []) {
      if (has.includes(split)) continue;
      const name = corpus.manifest.name;
      // Speech corpora can be split by speaker here; a text corpus brings its splits as files.
      const splitFirst =
        corpus.manifest.kind === 'speech'
          ? `Split the corpus first, by speaker (train, dev and test; no speaker in two of them): \`unfold corpus split ${name} --by speaker\` or Split in the Corpora view; or choose`
          : 'Choose';
      throw new UnfoldError(
        'SPEECH_NO_SUCH_SPLIT',
        `${name} has no split "${split}", which the experiment's ${role} data needs (it has ${has.length > 0 ? has.join(', ') : 'no splits'}). ` +
          `${splitFirst} splits it has with \`unfold train --train-split ... --dev-split ... --test-split ...\` (data.train/dev/test in a config). Nothing was trained.`,
      );
    }
  }
}
