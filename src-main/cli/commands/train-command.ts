/** `unfold train`: trains an experiment of any task, new, resumed or started over. */
import type { Command } from 'commander';
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
import {
  inspectExperimentFolder,
  recordedCorpusDir,
} from '../../domain/experiments/experiment-folder';
import { readCommonConfig } from '../../domain/experiments/experiment-records';
import { storedFilesOf } from '../../domain/experiments/experiment-task';
import { trainExperiment } from '../../domain/experiments/train-experiment';
import { PRESET_NAMES } from '../../domain/experiments/presets';
import { reportCliError } from '../cli-errors';
import { corpusFolderArg, experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';
import { evaluationPrinterFor } from './evaluation-printers';
import { CONFIG_FLAG_NAMES, experimentConfigFromFlags } from './experiment-config-flags';
import type { TrainFlags } from './experiment-config-flags';
import { withExperimentProgress } from './experiment-progress';
import { positiveFlag } from './flag-values';

interface TrainCommandFlags extends TrainFlags {
  /** How the folder is used. */
  resume?: boolean;
  force?: boolean;
  data?: string;
  json?: boolean;
}

interface PlannedRun {
  config: CommonExperimentConfig;
  corpusDir: string;
}

const taskFiles = (): string[] => storedFilesOf(EXPERIMENT_TASK_REGISTRY);

/** A new run: the config from the flags, into a folder that is new, empty, or (--force) an experiment. */
async function newRun(
  flags: TrainCommandFlags,
  outDir: string,
  dataDir: string,
): Promise<PlannedRun> {
  if (!flags.task || !flags.corpus)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      'unfold train needs --task and --corpus (or --resume to continue an experiment).',
    );
  const corpusDir = await corpusFolderArg(flags.corpus, dataDir);
  const config = await experimentConfigFromFlags(flags);
  const folder = await inspectExperimentFolder(outDir, taskFiles());
  if (folder.kind === 'experiment') {
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

/** A resumed run: the experiment's own config and, unless given, the corpus it was trained on. */
async function resumedRun(
  flags: TrainCommandFlags,
  outDir: string,
  dataDir: string,
): Promise<PlannedRun> {
  if (flags.force) throw new UnfoldError('BAD_ARGUMENT', 'Give --resume or --force, not both.');
  const changed = Object.entries(CONFIG_FLAG_NAMES)
    .filter(([key]) => key !== 'epochs' && flags[key as keyof TrainFlags] !== undefined)
    .map(([, flag]) => flag);
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
      'continue an interrupted experiment from its last checkpoint, with its config.json (--epochs may change)',
    )
    .option(
      '--force',
      'start an existing experiment over: deletes the files of its previous run (it lists them first)',
    )
    .option('--config <file>', 'experiment config JSON (see config.json of an experiment)')
    .option('--preset <name>', `preset: ${PRESET_NAMES.join(' | ')} (default by task)`)
    .option('--epochs <n>', 'training epochs')
    .option('--batch <n>', 'batch size')
    .option('--optimizer <kind>', `optimizer: ${OPTIMIZER_CHOICES.join(' | ')}`)
    .option('--lr <rate>', 'learning rate')
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
        const { config, corpusDir } = flags.resume
          ? await resumedRun(flags, outDir, dataDir)
          : await newRun(flags, outDir, dataDir);
        const printer = evaluationPrinterFor(config.task);
        const result = await withExperimentProgress(flags.json, (progress) =>
          trainExperiment(config, {
            ...progress,
            dataDir,
            tasks: EXPERIMENT_TASK_REGISTRY,
            outDir,
            corpusDir,
            resume: Boolean(flags.resume),
            replace: Boolean(flags.force),
          }),
        );
        if (flags.json) {
          print(
            JSON.stringify({
              dir: result.dir,
              training: result.training,
              evaluation: printer.json(result.evaluation),
            }),
          );
        } else {
          const last = result.training.history[result.training.history.length - 1];
          print(`experiment ${result.dir}`);
          print(
            `trained ${result.training.history.length} epochs (best ${result.training.bestEpoch}); last train loss ${last?.loss.toFixed(4)}`,
          );
          for (const line of printer.lines(result.evaluation)) print(line);
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
