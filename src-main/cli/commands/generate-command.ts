/**
 * `unfold generate`: text from a trained language model, printed unit by unit as it is picked
 * (greedy at temperature 0, else sampled with temperature, top-k and top-p from a seed).
 */
import type { Command } from 'commander';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { loadLanguageModel } from '../../domain/text/lm/language-model';
import { EOS_TOKEN } from '../../domain/text/lm/lm-vocabulary';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';
import { positiveFlag } from './flag-values';

interface GenerateFlags {
  prompt?: string;
  tokens?: string;
  temperature?: string;
  topK?: string;
  topP?: string;
  seed?: string;
  json?: boolean;
  data?: string;
}

/** Units generated when --tokens is not given. */
export const DEFAULT_GENERATED_UNITS = 50;

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UnfoldError('BAD_ARGUMENT', `${flag} must be a number (got ${value}).`);
  return n;
}

function integerFlag(value: string | undefined, flag: string): number | undefined {
  const n = numberFlag(value, flag);
  if (n !== undefined && !Number.isInteger(n))
    throw new UnfoldError('BAD_ARGUMENT', `${flag} must be a whole number (got ${value}).`);
  return n;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Generate text with a trained language model (task lm), printed as it is sampled')
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .option('--prompt <text>', 'text to continue (default: the start of a sentence)')
    .option(
      '--tokens <n>',
      `units to generate (words or characters; default ${DEFAULT_GENERATED_UNITS})`,
    )
    .option('--temperature <t>', '0 for greedy, else the sampling temperature (default 1)')
    .option('--top-k <k>', 'sample among the k most probable units only')
    .option(
      '--top-p <p>',
      'sample among the most probable units up to this total probability (0-1]',
    )
    .option('--seed <n>', 'seed of the sampling (default 1): the same seed gives the same text')
    .option('--json', 'print the prompt, each unit with its probability, and the text as JSON')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, flags: GenerateFlags) => {
      try {
        const units = positiveFlag(flags.tokens, '--tokens') ?? DEFAULT_GENERATED_UNITS;
        const temperature = numberFlag(flags.temperature, '--temperature');
        const topK = integerFlag(flags.topK, '--top-k');
        const topP = numberFlag(flags.topP, '--top-p');
        const seed = integerFlag(flags.seed, '--seed');
        const dataDir = chooseDataFolder(flags.data).dir;
        const lm = await loadLanguageModel(await experimentFolderArg(exp, dataDir));
        try {
          const prompt = flags.prompt ?? '';
          let atLineStart = prompt === '' || prompt.endsWith('\n');
          if (!flags.json && prompt !== '') process.stdout.write(prompt);
          const generation = lm.generate({
            prompt,
            units,
            ...(temperature !== undefined ? { temperature } : {}),
            ...(topK !== undefined ? { topK } : {}),
            ...(topP !== undefined ? { topP } : {}),
            ...(seed !== undefined ? { seed } : {}),
            onUnit: flags.json
              ? undefined
              : (unit) => {
                  if (unit.text === EOS_TOKEN) {
                    process.stdout.write('\n');
                    atLineStart = true;
                    return;
                  }
                  const space = lm.level === 'word' && !atLineStart ? ' ' : '';
                  process.stdout.write(space + unit.text);
                  atLineStart = false;
                },
          });
          for (const note of generation.notes) process.stderr.write(`note: ${note}\n`);
          if (generation.unknownPromptUnits.length > 0)
            process.stderr.write(
              `note: the prompt's ${generation.unknownPromptUnits.map((u) => JSON.stringify(u)).join(', ')} ${generation.unknownPromptUnits.length === 1 ? 'is' : 'are'} not in the vocabulary: read as <unk>\n`,
            );
          if (flags.json) print(JSON.stringify(generation));
          else if (!atLineStart) process.stdout.write('\n');
        } finally {
          lm.dispose();
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
