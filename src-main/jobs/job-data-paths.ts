/**
 * The places of the data folder a job names (corpora, experiments, a word-vector file), resolved
 * in main before the job is queued: a name that leads out of the data folder, through a link or
 * a link to nowhere, is refused at once with no process started. The job resolves each again
 * when it runs, since the folder may change while it waits in the queue.
 */
import type { JobSpec } from '../api/jobs';
import { CORPORA_DIR } from '../domain/corpus/corpus-paths';
import { resolveInDataFolder } from '../domain/data-folder';
import { EXPERIMENTS_DIR } from '../domain/experiments/experiment-folder';

/** Each named place as path segments below the data folder. */
export function namedDataPlaces(spec: JobSpec): string[][] {
  switch (spec.kind) {
    case 'selftest':
      return [];
    case 'corpus-import':
    case 'corpus-synth-words':
      return [[CORPORA_DIR, spec.params.out]];
    case 'corpus-synth-sentences': {
      const g2p = spec.params.g2p;
      return [[CORPORA_DIR, spec.params.out], ...(g2p ? [[EXPERIMENTS_DIR, g2p.experiment]] : [])];
    }
    case 'corpus-validate':
    case 'corpus-export':
      return [[CORPORA_DIR, spec.params.corpus]];
    case 'experiment-train':
    case 'experiment-cross-validate': {
      const { config } = spec.params;
      const vectors = config.words?.pretrained?.file;
      const bilm = config.model?.contextualEmbeddings?.experiment;
      return [
        [EXPERIMENTS_DIR, config.name],
        [CORPORA_DIR, config.corpus],
        ...(vectors ? [[vectors]] : []),
        ...(bilm ? [[EXPERIMENTS_DIR, bilm]] : []),
      ];
    }
    case 'experiment-evaluate':
      return [
        [EXPERIMENTS_DIR, spec.params.experiment],
        ...(spec.params.corpus ? [[CORPORA_DIR, spec.params.corpus]] : []),
      ];
    case 'lm-token-index':
      return [
        [EXPERIMENTS_DIR, spec.params.experiment],
        [CORPORA_DIR, spec.params.corpus],
      ];
  }
}

/** Throws PATH_OUTSIDE_DATA for the first named place that would lead out of the data folder. */
export async function checkJobDataPlaces(spec: JobSpec, dataDir: string): Promise<void> {
  for (const segments of namedDataPlaces(spec)) await resolveInDataFolder(dataDir, ...segments);
}
