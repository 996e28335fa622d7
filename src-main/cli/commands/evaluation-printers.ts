/**
 * How `unfold train` and `unfold eval` show a task's evaluation: one printer per task, chosen
 * by the task's name. A task without a printer cannot be trained or evaluated from here.
 */
import { UnfoldError } from '../../domain/errors';
import type { ExperimentTaskName } from '../../domain/experiments/config/index';
import type { EvaluationPrinter } from './evaluation-printer';
import { lmEvaluationPrinter } from './lm-evaluation-printer';
import { seq2seqEvaluationPrinter } from './seq2seq-evaluation-printer';
import { phoneEvaluationPrinter, wordEvaluationPrinter } from './speech-evaluation-printers';
import { sentimentEvaluationPrinter, taggingEvaluationPrinter } from './text-evaluation-printers';

// EvaluationPrinter's methods are checked bivariantly: a printer of one task's result stands in
// for a printer of `unknown`, and the task's name says which result it gets.
const EVALUATION_PRINTERS: Record<ExperimentTaskName, EvaluationPrinter> = {
  words: wordEvaluationPrinter,
  phones: phoneEvaluationPrinter,
  pos: taggingEvaluationPrinter,
  sentiment: sentimentEvaluationPrinter,
  lm: lmEvaluationPrinter,
  seq2seq: seq2seqEvaluationPrinter,
};

export function evaluationPrinterFor(task: string): EvaluationPrinter {
  if (!Object.hasOwn(EVALUATION_PRINTERS, task))
    throw new UnfoldError(
      'UNKNOWN_TASK',
      `The command line cannot show evaluations of task "${task}": it shows ${Object.keys(EVALUATION_PRINTERS).join(', ')}.`,
    );
  return EVALUATION_PRINTERS[task as ExperimentTaskName];
}
