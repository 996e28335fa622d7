/** The tasks Unfold offers: every command, job and view that trains or evaluates uses this registry. */
import { taskRegistry } from './experiments/experiment-task';
import { phonesTask } from './speech/phones-task';
import { wordsTask } from './speech/words-task';
import { posTask } from './text/pos/pos-task';
import { sentimentTask } from './text/sentiment/sentiment-task';
import { lmTask } from './text/lm/lm-task';
import { seq2seqTask } from './text/seq2seq/seq2seq-task';

export const EXPERIMENT_TASK_REGISTRY = taskRegistry([
  wordsTask,
  phonesTask,
  posTask,
  sentimentTask,
  lmTask,
  seq2seqTask,
]);
