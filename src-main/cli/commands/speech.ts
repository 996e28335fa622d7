import { extname } from 'node:path';
import type { Command } from 'commander';
import { RecorderService } from '../../domain/audio/recorder';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { loadRecognizer } from '../../domain/speech';
import type { FileWordsResult } from '../../domain/speech/file-recognition';
import { recognizePhonesInFile, recognizeWordsInFile } from '../../domain/speech/file-recognition';
import { recognizeWordsFromRecorder, streamPhonesFromRecorder } from '../../domain/speech/live';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print, withProgressBar } from '../progress-bar';
import { registerClassifyCommand } from './classify-command';
import { registerEmbedCommand } from './embed-command';
import { registerEvalCommand } from './eval-command';
import { registerGenerateCommand } from './generate-command';
import { registerScoreCommand } from './score-command';
import { positiveFlag } from './flag-values';
import { registerTagCommand } from './tag-command';
import { registerTranslateCommand } from './translate-command';
import { registerTrainCommand } from './train-command';
import { describeWord } from './word-result-line';

interface CommonFlags {
  data?: string;
  json?: boolean;
}

/** `unfold train` and `unfold eval` (any task) and `unfold recognize` (a speech experiment). */
export function registerSpeechCommands(program: Command): void {
  registerTrainCommand(program);
  registerEvalCommand(program);
  registerTagCommand(program);
  registerClassifyCommand(program);
  registerEmbedCommand(program);
  registerGenerateCommand(program);
  registerScoreCommand(program);
  registerTranslateCommand(program);
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
            const topK = positiveFlag(flags.top, '--top') ?? 3;
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
        maxSeconds: positiveFlag(flags.seconds, '--seconds', false) ?? 600,
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
