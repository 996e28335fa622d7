import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { RecorderService } from '../../domain/audio/recorder';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import type { Progress } from '../../domain/jobs/progress';
import { CELL_KINDS } from '../../domain/rnn/cell-spec';
import type { CellKind } from '../../domain/rnn/cell-spec';
import {
  PRESET_NAMES,
  defaultPresetFor,
  evaluateExperiment,
  loadRecognizer,
  parseExperimentConfig,
  presetConfig,
  trainExperiment,
} from '../../domain/speech';
import type {
  ExperimentConfig,
  ExperimentConfigInput,
  PhoneEvaluation,
  PresetName,
  WordEvaluation,
} from '../../domain/speech';
import type { FileWordsResult } from '../../domain/speech/file-recognition';
import { recognizePhonesInFile, recognizeWordsInFile } from '../../domain/speech/file-recognition';
import { recognizeWordsFromRecorder, streamPhonesFromRecorder } from '../../domain/speech/live';
import { describeWord } from './word-result-line';
import { corpusFolderArg, experimentFolderArg, looksLikePath } from '../data-names';
import {
  inspectExperimentFolder,
  readExperimentConfig,
  recordedCorpusDir,
} from '../../domain/speech/experiment-store';
import { reportCliError } from '../cli-errors';
import { printLine as print, withProgressBar } from '../progress-bar';

/** Training figures beside the bar: loss and accuracy as they come. */
function describeTraining(progress: Progress): string {
  const m = progress.metrics;
  const figures =
    m && m.loss !== undefined
      ? ` loss ${m.loss.toFixed(3)} acc ${((m.accuracy ?? 0) * 100).toFixed(1)}%`
      : '';
  return `${progress.message ?? ''}${figures}`;
}

function withProgress<T>(
  json: boolean | undefined,
  run: Parameters<typeof withProgressBar<T>>[1],
): Promise<T> {
  return withProgressBar(json, run, {
    format: '{bar} {percentage}% | ETA {eta_formatted} | {message}',
    describe: describeTraining,
  });
}

function positive(value: string | undefined, flag: string, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `${flag} must be a positive ${integer ? 'integer' : 'number'} (got ${value}).`,
    );
  return n;
}

export interface TrainFlags {
  task: string;
  corpus: string;
  out: string;
  config?: string;
  preset?: string;
  epochs?: string;
  batch?: string;
  lr?: string;
  cell?: string;
  units?: string;
  layers?: string;
  bidirectional?: boolean;
  seed?: string;
  trainSplit?: string;
  devSplit?: string;
  testSplit?: string;
}

/** The experiment config `unfold train` runs: a preset or --config file, then the flags on top. */
export async function experimentConfigFromFlags(flags: TrainFlags): Promise<ExperimentConfig> {
  if (flags.task !== 'words' && flags.task !== 'phones')
    throw new UnfoldError('BAD_ARGUMENT', `--task must be words or phones (got ${flags.task}).`);
  const name = basename(flags.out);
  let config: ExperimentConfigInput;
  if (flags.config) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(flags.config, 'utf8'));
    } catch (error) {
      throw new UnfoldError(
        'BAD_ARGUMENT',
        `Cannot read --config ${flags.config}: ${(error as Error).message}`,
      );
    }
    config = { ...(parsed as ExperimentConfigInput), name, corpus: flags.corpus, task: flags.task };
  } else {
    const preset = (flags.preset ?? defaultPresetFor(flags.task)) as PresetName;
    if (!PRESET_NAMES.includes(preset))
      throw new UnfoldError('BAD_ARGUMENT', `--preset must be one of ${PRESET_NAMES.join(', ')}.`);
    config = { ...presetConfig(preset, flags.corpus, name), task: flags.task };
  }
  const training = { ...config.training };
  const epochs = positive(flags.epochs, '--epochs');
  const batch = positive(flags.batch, '--batch');
  const lr = positive(flags.lr, '--lr', false);
  if (epochs) training.epochs = epochs;
  if (batch) training.batchSize = batch;
  if (lr) training.optimizer = { ...training.optimizer, learningRate: lr };
  let layers = config.model.layers;
  if (flags.cell && !(CELL_KINDS as readonly string[]).includes(flags.cell))
    throw new UnfoldError('BAD_ARGUMENT', `--cell must be one of ${CELL_KINDS.join(', ')}.`);
  const count = positive(flags.layers, '--layers') ?? layers.length;
  const template = layers[0];
  layers = Array.from({ length: count }, (_, i) => {
    const base = layers[i] ?? template ?? { cell: 'lstm' as CellKind, units: 64 };
    const cell = (flags.cell as CellKind | undefined) ?? base.cell;
    const { projection, bidirectional, ...rest } = base;
    return {
      ...rest,
      cell,
      units: positive(flags.units, '--units') ?? base.units,
      ...(cell === 'lstmp'
        ? { projection: projection ?? Math.max(1, Math.floor(base.units / 2)) }
        : {}),
      ...((flags.bidirectional ?? Boolean(bidirectional))
        ? { bidirectional: bidirectional ?? 'concat' }
        : {}),
    };
  });
  if (flags.bidirectional === false) layers = layers.map(({ bidirectional: _b, ...l }) => l);
  // A bidirectional model needs whole sequences: no truncated BPTT.
  if (layers.some((l) => l.bidirectional) && training.bptt?.kind === 'truncated')
    training.bptt = { kind: 'full' };
  const data = { ...config.data };
  if (flags.trainSplit) data.train = { splits: flags.trainSplit.split(',') };
  if (flags.devSplit !== undefined)
    data.dev =
      flags.devSplit === '' || flags.devSplit === 'none'
        ? null
        : { splits: flags.devSplit.split(',') };
  if (flags.testSplit) data.test = { splits: flags.testSplit.split(',') };
  return parseExperimentConfig({
    ...config,
    data,
    model: { ...config.model, layers },
    training,
    ...(flags.seed !== undefined ? { seed: Number(flags.seed) } : {}),
  });
}

function summariseEvaluation(
  evaluation: WordEvaluation | PhoneEvaluation,
): Record<string, unknown> {
  if (evaluation.task === 'words') {
    return {
      task: 'words',
      utterances: evaluation.utterances,
      accuracy: evaluation.accuracy,
      macroF1: evaluation.report.macroF1,
      perSpeaker: evaluation.perSpeaker,
      perClass: evaluation.report.perClass,
      confusion: evaluation.confusion,
      misrecognised: evaluation.predictions
        .filter((p) => !p.correct)
        .map((p) => ({
          id: p.utteranceId,
          path: p.audioPath,
          reference: p.reference,
          predicted: p.predicted,
          probability: p.probability,
        })),
    };
  }
  return {
    task: 'phones',
    utterances: evaluation.utterances,
    frames: evaluation.frames,
    frameAccuracy: evaluation.frameAccuracy,
    frameAccuracy39: evaluation.frameAccuracy39,
    phoneErrorRate: evaluation.phoneErrorRate,
  };
}

function printEvaluation(evaluation: WordEvaluation | PhoneEvaluation): void {
  if (evaluation.task === 'words') {
    print(
      `accuracy ${(evaluation.accuracy * 100).toFixed(2)}% on ${evaluation.utterances} utterances, macro F1 ${evaluation.report.macroF1.toFixed(3)}`,
    );
    for (const s of evaluation.perSpeaker)
      print(`  ${s.group}: ${(s.accuracy * 100).toFixed(1)}% (${s.correct}/${s.total})`);
    const wrong = evaluation.predictions.filter((p) => !p.correct);
    if (wrong.length > 0) print(`misrecognised (${wrong.length}):`);
    for (const p of wrong.slice(0, 20))
      print(
        `  ${p.utteranceId}: "${p.reference}" -> "${p.predicted}" (${p.probability.toFixed(2)})  ${p.audioPath}`,
      );
    if (wrong.length > 20)
      print(`  ... ${wrong.length - 20} more in eval/<split>/predictions.json`);
  } else {
    print(
      `frame accuracy ${(evaluation.frameAccuracy * 100).toFixed(2)}% (39 phones: ${(evaluation.frameAccuracy39 * 100).toFixed(2)}%), phone error rate ${(evaluation.phoneErrorRate.rate * 100).toFixed(2)}% on ${evaluation.utterances} utterances`,
    );
  }
}

interface CommonFlags {
  data?: string;
  json?: boolean;
}

/** `unfold train`'s flags that choose how the folder is used. */
interface TrainRunFlags {
  resume?: boolean;
  force?: boolean;
}

/** Flags that change the config: a resumed run keeps its config.json (only --epochs may change). */
const CONFIG_FLAGS = [
  ['task', '--task'],
  ['config', '--config'],
  ['preset', '--preset'],
  ['batch', '--batch'],
  ['lr', '--lr'],
  ['cell', '--cell'],
  ['units', '--units'],
  ['layers', '--layers'],
  ['bidirectional', '--bidirectional'],
  ['seed', '--seed'],
  ['trainSplit', '--train-split'],
  ['devSplit', '--dev-split'],
  ['testSplit', '--test-split'],
] as const;

interface PlannedRun {
  config: ExperimentConfig;
  corpusDir: string;
}

/** A new run: the config from the flags, into a folder that is new, empty, or (--force) an experiment. */
async function newRun(
  flags: TrainFlags & CommonFlags & TrainRunFlags,
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
  const folder = await inspectExperimentFolder(outDir);
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
  flags: TrainFlags & CommonFlags & TrainRunFlags,
  outDir: string,
  dataDir: string,
): Promise<PlannedRun> {
  if (flags.force) throw new UnfoldError('BAD_ARGUMENT', 'Give --resume or --force, not both.');
  const changed = CONFIG_FLAGS.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
  if (changed.length > 0)
    throw new UnfoldError(
      'BAD_ARGUMENT',
      `--resume continues with the experiment's config.json; ${changed.join(', ')} would change it (only --epochs may). Start a new experiment instead.`,
    );
  const folder = await inspectExperimentFolder(outDir);
  if (folder.kind !== 'experiment')
    throw new UnfoldError(
      'EXPERIMENT_NOT_FOUND',
      `There is no experiment to resume in ${outDir}. Start one without --resume.`,
    );
  const stored = await readExperimentConfig(outDir);
  const epochs = positive(flags.epochs, '--epochs');
  const config = epochs ? { ...stored, training: { ...stored.training, epochs } } : stored;
  const corpusDir = flags.corpus
    ? await corpusFolderArg(flags.corpus, dataDir)
    : ((!flags.data ? await recordedCorpusDir(outDir) : null) ??
      (await corpusFolderArg(stored.corpus, dataDir)));
  return { config: parseExperimentConfig(config), corpusDir };
}

export function registerSpeechCommands(program: Command): void {
  program
    .command('train')
    .description(
      'Train a speech experiment (isolated words or per-frame phones) into <data>/experiments/EXP',
    )
    .option('--task <task>', 'words | phones (required unless --resume)')
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
    .option('--lr <rate>', 'learning rate')
    .option('--cell <kind>', `cell: ${CELL_KINDS.join(' | ')}`)
    .option('--units <n>', 'units per layer')
    .option('--layers <n>', 'number of recurrent layers')
    .option('--bidirectional', 'run every layer in both directions')
    .option('--no-bidirectional', 'unidirectional layers (needed for live phones)')
    .option('--seed <n>', 'seed of initialisation, shuffling and dropout')
    .option('--train-split <names>', 'train splits, comma-separated')
    .option('--dev-split <names>', 'dev splits, comma-separated ("none" for no dev set)')
    .option('--test-split <names>', 'test splits, comma-separated')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TrainFlags & CommonFlags & TrainRunFlags) => {
      try {
        const dataDir = chooseDataFolder(flags.data).dir;
        const outDir = await experimentFolderArg(flags.out, dataDir);
        const { config, corpusDir } = flags.resume
          ? await resumedRun(flags, outDir, dataDir)
          : await newRun(flags, outDir, dataDir);
        const result = await withProgress(flags.json, (progress) =>
          trainExperiment(config, {
            ...progress,
            dataDir,
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
              evaluation: summariseEvaluation(result.evaluation),
            }),
          );
        } else {
          const last = result.training.history[result.training.history.length - 1];
          print(`experiment ${result.dir}`);
          print(
            `trained ${result.training.history.length} epochs (best ${result.training.bestEpoch}); last train loss ${last?.loss.toFixed(4)}`,
          );
          printEvaluation(result.evaluation);
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });

  program
    .command('eval')
    .description(
      'Evaluate a trained speech experiment on a split; writes eval/<split>/ in the experiment',
    )
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .option('--corpus <name>', "another corpus to evaluate on (default: the experiment's)")
    .option('--split <name>', "split to evaluate (default: the experiment's test selection)")
    .option('--median-window <frames>', 'phones: odd window of the decoding median filter')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the metrics as JSON')
    .action(
      async (
        exp: string,
        flags: CommonFlags & { corpus?: string; split?: string; medianWindow?: string },
      ) => {
        try {
          const dataDir = chooseDataFolder(flags.data).dir;
          const dir = await experimentFolderArg(exp, dataDir);
          // --corpus, else --data, else (an experiment given by path) where it was trained.
          const corpusDir = flags.corpus
            ? await corpusFolderArg(flags.corpus, dataDir)
            : !flags.data && looksLikePath(exp)
              ? await recordedCorpusDir(dir)
              : null;
          const evaluation = await withProgress(flags.json, (progress) =>
            evaluateExperiment(dir, {
              ...progress,
              dataDir,
              ...(flags.corpus ? { corpus: flags.corpus } : {}),
              ...(corpusDir ? { corpusDir } : {}),
              ...(flags.split ? { split: flags.split } : {}),
              ...(flags.medianWindow
                ? { medianWindow: positive(flags.medianWindow, '--median-window') }
                : {}),
            }),
          );
          if (flags.json) print(JSON.stringify(summariseEvaluation(evaluation)));
          else printEvaluation(evaluation);
        } catch (error) {
          reportCliError(error, Boolean(flags.json));
        }
      },
    );

  program
    .command('recognize')
    .description(
      'Recognise a WAV file (or the microphone with --live) with a trained speech experiment',
    )
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .argument('[file]', 'WAV file')
    .option(
      '--live',
      'listen to the microphone (words: one word, cut by the voice-activity detector; phones: until Ctrl-C)',
    )
    .option('--device <id>', 'capture device for --live (see `unfold audio devices`)')
    .option('--seconds <n>', 'phones --live: stop after this many seconds')
    .option('--npy <file>', 'phones: where to write the posteriors (default FILE.posteriors.npy)')
    .option('--top <k>', 'words: how many candidates to show', '3')
    .option(
      '--repair-nonfinite',
      'set NaN/infinite samples of a float WAV to 0 (default: refuse the file with AUDIO_NONFINITE)',
    )
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        exp: string,
        file: string | undefined,
        flags: CommonFlags & {
          live?: boolean;
          device?: string;
          seconds?: string;
          npy?: string;
          top: string;
          repairNonfinite?: boolean;
        },
      ) => {
        try {
          const dataDir = chooseDataFolder(flags.data).dir;
          const recognizer = await loadRecognizer(await experimentFolderArg(exp, dataDir));
          try {
            if (flags.live) {
              await recognizeLive(recognizer, flags);
              return;
            }
            if (!file)
              throw new UnfoldError(
                'BAD_ARGUMENT',
                'Give a WAV file, or --live to use the microphone.',
              );
            const nonFinite = flags.repairNonfinite ? 'repair' : 'refuse';
            const topK = positive(flags.top, '--top') ?? 3;
            if (recognizer.task === 'words') {
              const result = await withProgressBar(flags.json, (progress) =>
                recognizeWordsInFile(file, recognizer, { ...progress, nonFinite, topK }),
              );
              warnRepaired(file, result.repairedNonFinite, flags.json);
              if (flags.json) print(JSON.stringify(result));
              else printFileWords(result);
            } else {
              const npy =
                flags.npy ?? `${file.slice(0, file.length - extname(file).length)}.posteriors.npy`;
              const result = await withProgressBar(flags.json, (progress) =>
                recognizePhonesInFile(file, recognizer, npy, { ...progress, nonFinite }),
              );
              warnRepaired(file, result.repairedNonFinite, flags.json);
              if (flags.json)
                print(
                  JSON.stringify({
                    decoded: result.decoded,
                    frames: result.frames,
                    phones: result.phones,
                    npy,
                    durationSeconds: result.durationSeconds,
                    streamed: result.streamed,
                    repairedNonFinite: result.repairedNonFinite,
                  }),
                );
              else {
                print(result.decoded.join(' '));
                print(
                  `posteriors [${result.frames} frames x ${result.phones.length} phones] -> ${npy}`,
                );
              }
            }
          } finally {
            recognizer.dispose();
          }
        } catch (error) {
          reportCliError(error, Boolean(flags.json));
        }
      },
    );
}

/** Says on stderr that (and how many) non-finite samples were replaced, as the user asked. */
function warnRepaired(file: string, count: number, json: boolean | undefined): void {
  if (count > 0 && !json)
    process.stderr.write(`${file}: ${count} non-finite sample(s) set to 0 (--repair-nonfinite)\n`);
}

/** One line per word, `start-end s  word (p)`, and the candidates when there is one word. */
function printFileWords(result: FileWordsResult): void {
  if (result.words.length === 0) {
    process.stderr.write(
      `${result.file}: no speech found in ${result.durationSeconds.toFixed(1)} s ` +
        "(nothing louder than the voice-activity detector's start level).\n",
    );
    return;
  }
  for (const word of result.words)
    print(`${word.startSeconds.toFixed(2)}-${word.endSeconds.toFixed(2)} s\t${describeWord(word)}`);
  const only = result.words.length === 1 ? result.words[0] : undefined;
  if (only) for (const t of only.top) print(`  ${t.label}\t${t.probability.toFixed(3)}`);
}

async function recognizeLive(
  recognizer: Awaited<ReturnType<typeof loadRecognizer>>,
  flags: CommonFlags & { device?: string; seconds?: string; top: string },
): Promise<void> {
  const recorder = new RecorderService();
  const sampleRate = recognizer.features.sampleRate;
  const stop = (): void => void recorder.stop().catch(() => undefined);
  process.once('SIGINT', stop);
  try {
    if (recognizer.task === 'words') {
      // The word is cut when the take stops: wait for its recognition before returning.
      const pending: Promise<unknown>[] = [];
      const tracked = {
        recognizeWord: (audio: Parameters<typeof recognizer.recognizeWord>[0]) => {
          const result = recognizer.recognizeWord(audio);
          pending.push(result);
          return result;
        },
      };
      const detach = recognizeWordsFromRecorder(
        recorder,
        tracked,
        (result) => {
          if (flags.json) print(JSON.stringify(result));
          else print(`${describeWord(result)} in ${result.latencyMs.toFixed(0)} ms`);
        },
        {
          onError: (error) => reportCliError(error, Boolean(flags.json)),
        },
      );
      if (!flags.json) process.stderr.write('listening: say one word\n');
      await recorder.start({
        sampleRate,
        stopAfterSpeech: true,
        ...(flags.device ? { device: flags.device } : {}),
        maxSeconds: 30,
      });
      await new Promise<void>((resolve) => recorder.once('stopped', () => resolve()));
      await Promise.allSettled(pending);
      detach();
    } else {
      const live = recognizer.createStreamingPhoneRecognizer();
      const detach = streamPhonesFromRecorder(recorder, live, () => undefined);
      if (!flags.json) process.stderr.write('listening: Ctrl-C to stop\n');
      await recorder.start({
        sampleRate,
        vad: false,
        ...(flags.device ? { device: flags.device } : {}),
        maxSeconds: positive(flags.seconds, '--seconds', false) ?? 600,
      });
      await new Promise<void>((resolve) => recorder.once('stopped', () => resolve()));
      detach();
      const posteriors = live.posteriors();
      const { decodeFramePosteriors } = await import('../../domain/metrics/frame-decoding');
      const decoded = decodeFramePosteriors(posteriors, recognizer.labels, {
        silence: ['pau', 'sil', 'h#'],
      });
      if (flags.json)
        print(JSON.stringify({ decoded, frames: posteriors.length / recognizer.labels.length }));
      else print(decoded.join(' '));
    }
  } finally {
    process.off('SIGINT', stop);
  }
}
