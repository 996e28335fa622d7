/**
 * `unfold train`: trains an experiment of any task, new, resumed or started over; with
 * --folds, a cross-validation of it (one experiment per fold and a summary).
 */
import type { Command } from 'commander';
import type { Progress } from '../../domain/jobs/progress';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { EXPERIMENT_TASK_REGISTRY } from '../../domain/experiment-tasks';
import {
  CELL_KINDS,
  CMVN_CHOICES,
  EXPERIMENT_TASKS,
  FEATURE_KINDS,
  OPTIMIZER_CHOICES,
  POOLING_CHOICES,
  TAG_SETS,
} from '../../domain/experiments/config/index';
import type { CommonExperimentConfig } from '../../domain/experiments/config/index';
import { MAX_FOLDS } from '../../domain/experiments/config/index';
import {
  crossValidate,
  readCrossValidation,
  resumeCrossValidation,
} from '../../domain/experiments/cross-validation';
import type { CrossValidationResult } from '../../domain/experiments/cross-validation';
import {
  foldExperimentDir,
  inspectExperimentFolder,
  isCrossValidationFolder,
  recordedCorpusDir,
} from '../../domain/experiments/experiment-folder';
import { readCommonConfig } from '../../domain/experiments/experiment-records';
import { storedFilesOf } from '../../domain/experiments/experiment-task';
import { trainExperiment } from '../../domain/experiments/train-experiment';
import type { TrainExperimentResult } from '../../domain/experiments/train-experiment';
import {
  PRESET_NAMES,
  SENTIMENT_MODEL_PRESETS,
  SENTIMENT_MODELS,
  type SentimentModel,
} from '../../domain/experiments/presets';
import { reportCliError } from '../cli-errors';
import { corpusFolderArg, experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';
import { crossValidationLines } from './cross-validation-printer';
import { evaluationPrinterFor } from './evaluation-printers';
import { CONFIG_FLAG_NAMES, experimentConfigFromFlags } from './experiment-config-flags';
import type { TrainFlags } from './experiment-config-flags';
import { withExperimentProgress } from './experiment-progress';
import { choiceFlag, positiveFlag } from './flag-values';

interface TrainCommandFlags extends TrainFlags {
  /** How the folder is used. */
  resume?: boolean;
  force?: boolean;
  data?: string;
  json?: boolean;
  /** Cross-validate with this many folds. */
  folds?: string;
  /** The sentiment task's model: one of SENTIMENT_MODEL_PRESETS. */
  model?: string;
}

/** --model: the sentiment task's choice of model, as the preset it stands for. */
function withModelPreset(flags: TrainCommandFlags): TrainCommandFlags {
  if (flags.model === undefined) return flags;
  if (flags.task !== undefined && flags.task !== 'sentiment')
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--model chooses the sentiment task's model (${SENTIMENT_MODELS.join(' or ')}); --task ${flags.task} has no such choice: give its settings with --preset or --config.`,
    );
  const model = choiceFlag(flags.model, '--model', SENTIMENT_MODELS) as SentimentModel;
  const preset = SENTIMENT_MODEL_PRESETS[model];
  if (flags.preset !== undefined || flags.config !== undefined)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `Give --model or ${flags.preset !== undefined ? '--preset' : '--config'}, not both (--model ${model} is the ${preset} preset).`,
    );
  return { ...flags, preset };
}

function foldsFlag(value: string | undefined): number | undefined {
  const folds = positiveFlag(value, '--folds');
  if (folds !== undefined && (folds < 2 || folds > MAX_FOLDS))
    throw new UnfoldError('BAD_ARGUMENT', `--folds must be 2 to ${MAX_FOLDS} (got ${value}).`);
  return folds;
}

interface PlannedRun {
  config: CommonExperimentConfig;
  corpusDir: string;
}

const taskFiles = (): string[] => storedFilesOf(EXPERIMENT_TASK_REGISTRY);

/**
 * A new run: the config from the flags, into a folder that is new, empty, or (--force) an
 * experiment. (A cross-validation checks its folders itself: its own and every fold's.)
 */
async function newRun(
  flags: TrainCommandFlags,
  outDir: string,
  dataDir: string,
  { crossValidation }: { crossValidation: boolean },
): Promise<PlannedRun> {
  if (!flags.task || !flags.corpus)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      'unfold train needs --task and --corpus (or --resume to continue an experiment).',
    );
  const corpusDir = await corpusFolderArg(flags.corpus, dataDir);
  const config = await experimentConfigFromFlags(flags);
  const folder = await inspectExperimentFolder(outDir, taskFiles());
  if (folder.kind === 'experiment' && !crossValidation) {
    if (!flags.force)
      throw new UnfoldError(
        'EXPERIMENT_EXISTS',
        `${outDir} already holds an experiment. Continue it with --resume, or start it over with --force (deletes the ${folder.runFiles.length} files of its previous run).`,
      );
    const listed = folder.runFiles.slice(0, 20).map((file) => `  ${file}`);
    if (folder.runFiles.length > 20) listed.push(`  ... and ${folder.runFiles.length - 20} more`);
    process.stderr.write(
      `--force: deleting ${folder.runFiles.length} files of the previous run in ${outDir}:\n${listed.join('\n')}\n`,
    );
  }
  return { config, corpusDir };
}

/** The flags a resumed run refuses (they would change what it runs), as typed. */
function changingFlags(flags: TrainCommandFlags, { epochs }: { epochs: boolean }): string[] {
  return [
    ...Object.entries(CONFIG_FLAG_NAMES)
      .filter(
        ([key]) => (epochs || key !== 'epochs') && flags[key as keyof TrainFlags] !== undefined,
      )
      .map(([, flag]) => flag),
    ...(flags.model !== undefined ? ['--model'] : []),
    ...(flags.folds !== undefined ? ['--folds'] : []),
  ];
}

/** A resumed run: the experiment's own config and, unless given, the corpus it was trained on. */
async function resumedRun(
  flags: TrainCommandFlags,
  outDir: string,
  dataDir: string,
): Promise<PlannedRun> {
  if (flags.force) throw new UnfoldError('BAD_ARGUMENT', 'Give --resume or --force, not both.');
  const changed = changingFlags(flags, { epochs: false });
  if (changed.length > 0)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--resume continues with the experiment's config.json; ${changed.join(', ')} would change it (only --epochs may). Start a new experiment instead.`,
    );
  const folder = await inspectExperimentFolder(outDir, taskFiles());
  if (folder.kind !== 'experiment')
    throw new UnfoldError(
      'EXPERIMENT_NOT_FOUND',
      `There is no experiment to resume in ${outDir}. Start one without --resume.`,
    );
  const stored = await readCommonConfig(outDir);
  const epochs = positiveFlag(flags.epochs, '--epochs');
  const config = epochs ? { ...stored, training: { ...stored.training, epochs } } : stored;
  const corpusDir = flags.corpus
    ? await corpusFolderArg(flags.corpus, dataDir)
    : ((!flags.data ? await recordedCorpusDir(outDir) : null) ??
      (await corpusFolderArg(stored.corpus, dataDir)));
  return { config, corpusDir };
}

interface RunProgress {
  onProgress: (p: Progress) => void;
  signal: AbortSignal;
}

/** A stopped cross-validation, continued with its own plan: its finished folds are kept. */
async function resumedCrossValidation(
  flags: TrainCommandFlags,
  outDir: string,
  dataDir: string,
  progress: RunProgress,
): Promise<CrossValidationResult> {
  if (flags.force) throw new UnfoldError('BAD_ARGUMENT', 'Give --resume or --force, not both.');
  const changed = changingFlags(flags, { epochs: true });
  if (changed.length > 0)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--resume continues the cross-validation with its own plan (its finished folds were trained with it); ${changed.join(', ')} would change it. Start it over with --force instead.`,
    );
  const { plan } = await readCrossValidation(outDir);
  const corpusDir = flags.corpus
    ? await corpusFolderArg(flags.corpus, dataDir)
    : ((!flags.data ? await recordedCorpusDir(foldExperimentDir(outDir, 1, plan.folds)) : null) ??
      (await corpusFolderArg(plan.corpus, dataDir)));
  return resumeCrossValidation(outDir, {
    ...progress,
    dataDir,
    tasks: EXPERIMENT_TASK_REGISTRY,
    outDir,
    corpusDir,
  });
}

function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) print(`warning: ${warning}`);
}

function printCrossValidation(result: CrossValidationResult, json: boolean | undefined): void {
  if (json) {
    print(
      JSON.stringify({
        dir: result.dir,
        folds: result.plan.folds,
        experiments: result.plan.experiments,
        warnings: result.warnings,
        summary: result.summary,
      }),
    );
    return;
  }
  print(`cross-validation ${result.dir}`);
  printWarnings(result.warnings);
  for (const line of crossValidationLines(result.summary)) print(line);
}

function printTraining(result: TrainExperimentResult, json: boolean | undefined): void {
  const printer = evaluationPrinterFor(result.config.task);
  if (json) {
    print(
      JSON.stringify({
        dir: result.dir,
        training: result.training,
        evaluation: printer.json(result.evaluation),
        warnings: result.warnings,
      }),
    );
    return;
  }
  const last = result.training.history[result.training.history.length - 1];
  print(`experiment ${result.dir}`);
  printWarnings(result.warnings);
  print(
    `trained ${result.training.history.length} epochs (best ${result.training.bestEpoch}); last train loss ${last?.loss.toFixed(4)}`,
  );
  for (const line of printer.lines(result.evaluation)) print(line);
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train an experiment of any task into <data>/experiments/EXP')
    .option('--task <task>', `${EXPERIMENT_TASKS.join(' | ')} (required unless --resume)`)
    .option(
      '--corpus <name>',
      'corpus name in the data folder, or a path (required unless --resume)',
    )
    .requiredOption('--out <exp>', 'experiment name (in the data folder) or path')
    .option(
      '--resume',
      'continue an interrupted experiment from its last checkpoint, with its config.json (--epochs may change); or a stopped cross-validation, keeping its finished folds',
    )
    .option(
      '--force',
      "start an existing experiment over: deletes the files of its previous run (it lists them first); with --folds, a cross-validation and its folds' experiments",
    )
    .option('--config <file>', 'experiment config JSON (see config.json of an experiment)')
    .option('--preset <name>', `preset: ${PRESET_NAMES.join(' | ')} (default by task)`)
    .option(
      '--model <kind>',
      `sentiment: ${SENTIMENT_MODELS.map((m) => `${m} (${SENTIMENT_MODEL_PRESETS[m]})`).join(' | ')}`,
    )
    .option(
      '--folds <k>',
      `cross-validate: k experiments <out>-fold-1..k, each tested on its fold of the training splits (dev carved from the other folds), summarised in <out> (2-${MAX_FOLDS})`,
    )
    .option('--epochs <n>', 'training epochs')
    .option('--batch <n>', 'batch size')
    .option('--optimizer <kind>', `optimizer: ${OPTIMIZER_CHOICES.join(' | ')}`)
    .option('--lr <rate>', 'learning rate')
    .option(
      '--average-decay <d>',
      'average the weights (Polyak averaging: dev, checkpoints and the model use the moving average) with this decay per update, e.g. 0.999; 0 for none',
    )
    .option('--features <kind>', `features: ${FEATURE_KINDS.join(' | ')}`)
    .option('--cmvn <how>', `mean and variance normalisation: ${CMVN_CHOICES.join(' | ')}`)
    .option('--cell <kind>', `cell: ${CELL_KINDS.join(' | ')}`)
    .option('--units <n>', 'units per layer')
    .option('--layers <n>', 'number of recurrent layers')
    .option('--bidirectional', 'run every layer in both directions')
    .option('--no-bidirectional', 'unidirectional layers (needed for live phones)')
    .option(
      '--pooling <how>',
      `how a model with one label per item pools its steps: ${POOLING_CHOICES.join(' | ')}`,
    )
    .option('--seed <n>', 'seed of initialisation, shuffling and dropout')
    .option('--tag-set <column>', `pos: the tags to learn: ${TAG_SETS.join(' | ')} (default upos)`)
    .option(
      '--embeddings <file>',
      'text tasks: initialise word vectors from a word2vec or GloVe text file',
    )
    .option('--freeze-embeddings', 'text tasks: keep the word vectors of --embeddings fixed')
    .option('--lowercase', 'text tasks: lower-case words (the case stays in the case features)')
    .option('--no-lowercase', 'text tasks: keep words as cased as the text has them')
    .option('--chars', 'text tasks: a character CNN per word (the default)')
    .option('--no-chars', 'text tasks: no character CNN (unseen words get the unknown vector)')
    .option('--train-split <names>', 'train splits, comma-separated')
    .option('--dev-split <names>', 'dev splits, comma-separated ("none" for no dev set)')
    .option('--test-split <names>', 'test splits, comma-separated')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TrainCommandFlags) => {
      try {
        const dataDir = chooseDataFolder(flags.data).dir;
        const outDir = await experimentFolderArg(flags.out, dataDir);
        const folds = foldsFlag(flags.folds);
        if (flags.resume && (await isCrossValidationFolder(outDir))) {
          const resumed = await withExperimentProgress(flags.json, (progress) =>
            resumedCrossValidation(flags, outDir, dataDir, progress),
          );
          printCrossValidation(resumed, flags.json);
          return;
        }
        const { config, corpusDir } = flags.resume
          ? await resumedRun(flags, outDir, dataDir)
          : await newRun(withModelPreset(flags), outDir, dataDir, {
              crossValidation: folds !== undefined,
            });
        // Before anything runs: a task the command line cannot show is refused up front.
        evaluationPrinterFor(config.task);
        const common = {
          dataDir,
          tasks: EXPERIMENT_TASK_REGISTRY,
          outDir,
          corpusDir,
          replace: Boolean(flags.force),
        };
        if (folds !== undefined) {
          const validated = await withExperimentProgress(flags.json, (progress) =>
            crossValidate(config, { ...progress, ...common, folds }),
          );
          printCrossValidation(validated, flags.json);
          return;
        }
        const result = await withExperimentProgress(flags.json, (progress) =>
          trainExperiment(config, { ...progress, ...common, resume: Boolean(flags.resume) }),
        );
        printTraining(result, flags.json);
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
