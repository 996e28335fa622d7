/**
 * The job that builds a biLM's token index (the polysemy view's neighbours) over a split of a
 * text corpus: the experiment and corpus are names resolved inside the data folder.
 */
import type { LmTokenIndexResult } from '../api/jobs';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { readCorpus } from '../domain/corpus/store/read-corpus';
import { resolveInDataFolder } from '../domain/data-folder';
import { EXPERIMENTS_DIR } from '../domain/experiments/experiment-folder';
import { readExperimentConfig } from '../domain/experiments/experiment-records';
import { loadBidirectionalLm } from '../domain/text/contextual-embeddings';
import { buildTokenIndex } from '../domain/text/token-index';
import type { JobEnvironment } from './job-environment';

export async function runLmTokenIndex(
  params: { experiment: string; corpus: string; split: string },
  environment: JobEnvironment,
): Promise<LmTokenIndexResult> {
  const dir = await resolveInDataFolder(environment.dataDir, EXPERIMENTS_DIR, params.experiment);
  const corpusDir = await resolveInDataFolder(environment.dataDir, CORPORA_DIR, params.corpus);
  const lm = await loadBidirectionalLm(dir);
  try {
    const config = await readExperimentConfig(dir);
    const tokenizer = config.task === 'lm' ? config.words.tokenizer : 'text';
    const corpus = await readCorpus(corpusDir);
    const record = await buildTokenIndex(
      dir,
      lm,
      corpus,
      params.split,
      { level: 'word', tokenizer },
      {
        ...(environment.signal ? { signal: environment.signal } : {}),
        ...(environment.onProgress ? { onProgress: environment.onProgress } : {}),
      },
    );
    return {
      dir,
      corpus: record.corpus,
      split: record.split,
      tokens: record.tokens,
      sentencesLeftOut: record.sentencesLeftOut,
    };
  } finally {
    lm.dispose();
  }
}
