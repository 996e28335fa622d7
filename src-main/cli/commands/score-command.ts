/**
 * `unfold score`: the log-probability a trained language model gives each unit of each line of
 * a file (every line read from the start of a sentence, its end of sentence scored too), as JSON.
 */
import type { Command } from 'commander';
import { splitLines } from '../../domain/corpus/formats/utf8';
import { readUtf8File } from '../../domain/corpus/import/text-import';
import { chooseDataFolder } from '../../domain/data-folder';
import { loadLanguageModel } from '../../domain/text/lm/language-model';
import type { ScoredLine } from '../../domain/text/lm/language-model';
import { checkTextCharacters } from '../../domain/text/tokenize';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';

interface ScoreFlags {
  file: string;
  data?: string;
}

export interface ScoredFile {
  experiment: string;
  file: string;
  level: string;
  /** Non-blank lines, numbered as in the file. */
  lines: (ScoredLine & { line: number })[];
  /** Units scored in all (sentence ends included) and their perplexity. */
  units: number;
  perplexity: number;
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description(
      'Per-unit log-probabilities (natural log) of each line of a UTF-8 file under a trained language model, as JSON',
    )
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .requiredOption('--file <file>', 'UTF-8 text, one sentence per line (blank lines are skipped)')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, flags: ScoreFlags) => {
      try {
        const text = await readUtf8File(flags.file);
        checkTextCharacters(text, flags.file);
        const dataDir = chooseDataFolder(flags.data).dir;
        const lm = await loadLanguageModel(await experimentFolderArg(exp, dataDir));
        try {
          const lines = splitLines(text)
            .map((line, i) => ({ line, number: i + 1 }))
            .filter(({ line }) => line.trim() !== '')
            .map(({ line, number }) => ({ line: number, ...lm.scoreLine(line) }));
          const units = lines.reduce((n, l) => n + l.units.length, 0);
          const logProb = lines.reduce((sum, l) => sum + l.logProb, 0);
          const scored: ScoredFile = {
            experiment: lm.dir,
            file: flags.file,
            level: lm.level,
            lines,
            units,
            perplexity: units > 0 ? Math.exp(-logProb / units) : 1,
          };
          print(JSON.stringify(scored));
        } finally {
          lm.dispose();
        }
      } catch (error) {
        reportCliError(error, false);
      }
    });
}
