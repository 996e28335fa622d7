/**
 * `unfold eval`: evaluates a trained experiment of any task on a split of its own corpus or of
 * another. Each corpus and split keeps its own evaluation, so evaluating elsewhere never
 * replaces the experiment's own results. A cross-validation shows its per-fold table and
 * mean ± sd (each fold is an experiment of its own to evaluate elsewhere).
 */
import type { Command } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { EXPERIMENT_TASK_REGISTRY } from '../../domain/experiment-tasks';
import type { EvaluationRef } from '../../domain/experiments/evaluation-ref';
import { UnfoldError } from '../../domain/errors';
import { readCrossValidation } from '../../domain/experiments/cross-validation';
import { evaluateExperiment } from '../../domain/experiments/evaluate-experiment';
import {
  isCrossValidationFolder,
  recordedCorpusDir,
} from '../../domain/experiments/experiment-folder';
import { readCommonConfig } from '../../domain/experiments/experiment-records';
import { reportCliError } from '../cli-errors';
import { corpusFolderArg, experimentFolderArg, looksLikePath } from '../data-names';
import { printLine as print } from '../progress-bar';
import { crossValidationLines } from './cross-validation-printer';
import { evaluationPrinterFor } from './evaluation-printers';
import { withExperimentProgress } from './experiment-progress';
import { positiveFlag } from './flag-values';

interface EvalFlags {
  corpus?: string;
  split?: string;
  medianWindow?: string;
  data?: string;
  json?: boolean;
}

/** Which corpus and split were evaluated, in words: the experiment's own corpus is named too. */
function describeRef(ref: EvaluationRef, ownCorpus: string): string {
  return ref.corpus === null
    ? `evaluated on corpus ${ownCorpus} (the experiment's own), split ${ref.split}`
    : `evaluated on corpus ${ref.corpus}, split ${ref.split}`;
}

/** A cross-validation's summary as it stands (all folds, or those finished before it stopped). */
async function showCrossValidation(exp: string, dir: string, flags: EvalFlags): Promise<void> {
  const given = [
    flags.corpus !== undefined ? '--corpus' : '',
    flags.split !== undefined ? '--split' : '',
    flags.medianWindow !== undefined ? '--median-window' : '',
  ].filter(Boolean);
  const { plan, summary } = await readCrossValidation(dir);
  if (given.length > 0)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${exp} is a cross-validation: ${given.join(', ')} evaluate one experiment. Give one of its folds instead (${plan.experiments[0] ?? ''} ... ${plan.experiments[plan.experiments.length - 1] ?? ''}).`,
    );
  const finished = summary?.results.length ?? 0;
  const unfinished =
    finished < plan.folds
      ? `${plan.folds - finished} of ${plan.folds} folds are not finished: continue with \`unfold train --out ${exp} --resume\`.`
      : null;
  if (flags.json) {
    print(
      JSON.stringify({
        crossValidation: dir,
        folds: plan.folds,
        experiments: plan.experiments,
        summary,
        unfinished,
      }),
    );
    return;
  }
  print(`cross-validation ${dir}: ${plan.task} on corpus ${plan.corpus}, ${plan.folds} folds`);
  if (summary) for (const line of crossValidationLines(summary)) print(line);
  if (unfinished) print(unfinished);
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'Evaluate a trained experiment on a split of its corpus or of another; each corpus and split keeps its own evaluation in the experiment',
    )
    .argument('<exp>', 'experiment or cross-validation name (in the data folder) or path')
    .option('--corpus <name>', "another corpus to evaluate on (default: the experiment's)")
    .option('--split <name>', "split to evaluate (default: the experiment's test selection)")
    .option(
      '--median-window <frames>',
      "phones: odd window of the decoding median filter (default: the experiment's)",
    )
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the metrics as JSON')
    .action(async (exp: string, flags: EvalFlags) => {
      try {
        const dataDir = chooseDataFolder(flags.data).dir;
        const dir = await experimentFolderArg(exp, dataDir);
        if (await isCrossValidationFolder(dir)) {
          await showCrossValidation(exp, dir, flags);
          return;
        }
        const config = await readCommonConfig(dir);
        const printer = evaluationPrinterFor(config.task);
        const medianWindow = positiveFlag(flags.medianWindow, '--median-window');
        // --corpus, else --data, else (an experiment given by path) where it was trained.
        const corpusDir = flags.corpus
          ? await corpusFolderArg(flags.corpus, dataDir)
          : !flags.data && looksLikePath(exp)
            ? await recordedCorpusDir(dir)
            : null;
        const evaluated = await withExperimentProgress(flags.json, (progress) =>
          evaluateExperiment(dir, {
            ...progress,
            dataDir,
            tasks: EXPERIMENT_TASK_REGISTRY,
            ...(flags.corpus ? { corpus: flags.corpus } : {}),
            ...(corpusDir ? { corpusDir } : {}),
            ...(flags.split ? { split: flags.split } : {}),
            ...(medianWindow !== undefined ? { configOverrides: { medianWindow } } : {}),
          }),
        );
        if (flags.json)
          print(JSON.stringify({ ...printer.json(evaluated.result), ref: evaluated.ref }));
        else {
          print(describeRef(evaluated.ref, config.corpus));
          for (const line of printer.lines(evaluated.result)) print(line);
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
