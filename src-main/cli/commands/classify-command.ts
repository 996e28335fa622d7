/** `unfold classify`: labels sentences with a trained sentiment (sentence classification) experiment. */
import type { Command } from 'commander';
import type { ClassifiedText } from '../../api/sentiment';
import { readUtf8File } from '../../domain/corpus/import/text-import';
import { splitLines } from '../../domain/corpus/formats/utf8';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { loadSentimentClassifier } from '../../domain/text/sentiment/classifier';
import { checkTextCharacters } from '../../domain/text/tokenize';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';

interface ClassifyFlags {
  file?: string;
  attributions?: boolean;
  json?: boolean;
  data?: string;
}

const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

/** `label probability<TAB>text`, and the tokens with their attributions when there are any. */
export function classifiedLines(result: ClassifiedText): string[] {
  if (result.label === null) return [`(no words)\t${result.text}`];
  const others = result.probabilities
    .filter((p) => p.label !== result.label)
    .map((p) => `${p.label} ${p.probability.toFixed(3)}`)
    .join(', ');
  const lines = [
    `${result.label} ${(result.probability ?? 0).toFixed(3)}${others ? ` (${others})` : ''}\t${result.text}`,
  ];
  if (result.tokens.length > 0)
    lines.push(
      `  leave-one-out: ${result.tokens.map((t) => `${t.text}(${signed(t.attribution)})`).join(' ')}`,
    );
  return lines;
}

export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('Label sentences with a trained sentiment experiment')
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .argument('[text]', 'the sentence to classify (or --file)')
    .option('--file <file>', 'a UTF-8 text file: one sentence per line, one result per line')
    .option(
      '--attributions',
      'with --file: per-token leave-one-out attributions too (one extra sentence per token)',
    )
    .option('--json', 'print label, probabilities and token attributions as JSON (one per line)')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, textArg: string | undefined, flags: ClassifyFlags) => {
      try {
        if ((textArg === undefined) === (flags.file === undefined))
          throw new UnfoldError(
            'BAD_ARGUMENT',
            'Give the sentence to classify or --file FILE (one of them).',
          );
        if (textArg !== undefined && textArg.trim() === '')
          throw new UnfoldError('SENTIMENT_EMPTY_TEXT', 'The text to classify is empty.');
        const lines = flags.file ? splitLines(await readUtf8File(flags.file)) : [textArg as string];
        checkTextCharacters(lines.join('\n'), flags.file ?? 'the text');
        const dataDir = chooseDataFolder(flags.data).dir;
        const classifier = await loadSentimentClassifier(await experimentFolderArg(exp, dataDir));
        try {
          const results =
            flags.file && !flags.attributions
              ? classifier.classifyMany(lines)
              : lines.map((line) => classifier.classify(line));
          for (const result of results)
            if (flags.json) print(JSON.stringify(result));
            else for (const line of classifiedLines(result)) print(line);
        } finally {
          classifier.dispose();
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
