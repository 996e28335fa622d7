/** `unfold translate`: decodes text with a trained seq2seq experiment (spelling -> phones, ...). */
import type { Command } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import type { Translation } from '../../domain/text/seq2seq/translator';
import { checkBeam, loadSeq2seqTranslator } from '../../domain/text/seq2seq/translator';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';

interface TranslateFlags {
  beam?: string;
  json?: boolean;
  data?: string;
}

/** The end symbol's row label in a printed alignment. */
const END_LABEL = '</s>';

/**
 * The best output's attention weights as a table: the source symbols across, one row per output
 * step (its symbol, then the end symbol when it ended), each weight in percent.
 */
export function alignmentLines(
  sourceSymbols: readonly string[],
  output: Translation['nBest'][number],
): string[] {
  if (!output.alignment) return [];
  const labels = [...output.symbols, ...(output.finished ? [END_LABEL] : [])];
  const rowWidth = Math.max(...labels.map((label) => label.length));
  const cellWidth = Math.max(3, ...sourceSymbols.map((symbol) => symbol.length));
  const cell = (text: string) => text.padStart(cellWidth + 1);
  return [
    'attention (percent; source across, output down):',
    `${''.padEnd(rowWidth)}${sourceSymbols.map(cell).join('')}`,
    ...output.alignment.map(
      (row, i) =>
        `${(labels[i] ?? '').padEnd(rowWidth)}${row.map((w) => cell(Math.round(100 * w).toString())).join('')}`,
    ),
  ];
}

/** One line per n-best output: rank, score, log-probability, the output. */
export function translationLines(result: Translation): string[] {
  const lines = result.nBest.map(
    (output, i) =>
      `${i + 1}. ${output.score.toFixed(3)} (log P ${output.logProb.toFixed(3)})\t${output.text}${output.finished ? '' : '  [stopped at the length limit]'}`,
  );
  if (result.unknownSymbols.length > 0)
    lines.push(
      `note: training never saw ${result.unknownSymbols.map((s) => `"${s}"`).join(', ')}: read as the unknown symbol`,
    );
  if (result.longerThanTraining) lines.push('note: the text is longer than every training source');
  const best = result.nBest[0];
  if (best) lines.push(...alignmentLines(result.sourceSymbols, best));
  return lines;
}

/** --beam as a whole number; 0, negatives and fractions are refused with the allowed range. */
function beamFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const beam = Number(value);
  checkBeam(beam);
  return beam;
}

export function registerTranslateCommand(program: Command): void {
  program
    .command('translate')
    .description(
      'Decode a text with a trained seq2seq experiment: the n-best outputs with their scores',
    )
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .argument('<text>', 'the text (a word for G2P, a sentence for sentence pairs)')
    .option('--beam <k>', "beam width, 1 = greedy (default: the experiment's)")
    .option(
      '--json',
      'print the source, its symbols and the n-best outputs (with attention: their alignment matrices) as JSON',
    )
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, text: string, flags: TranslateFlags) => {
      try {
        const beam = beamFlag(flags.beam);
        if (text.trim() === '')
          throw new UnfoldError('SEQ2SEQ_EMPTY_SOURCE', 'The text to translate is empty.');
        const dataDir = chooseDataFolder(flags.data).dir;
        const translator = await loadSeq2seqTranslator(await experimentFolderArg(exp, dataDir));
        try {
          const result = translator.translate(text, beam === undefined ? {} : { beam });
          if (flags.json) print(JSON.stringify(result));
          else for (const line of translationLines(result)) print(line);
        } finally {
          translator.dispose();
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
