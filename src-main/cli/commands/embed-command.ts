/** `unfold embed`: contextual embeddings of a text from a trained bidirectional LM experiment. */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { readUtf8File } from '../../domain/corpus/import/text-import';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { loadBidirectionalLm } from '../../domain/text/contextual-embeddings';
import {
  EMBED_LAYER_CHOICES,
  embedText,
  parseEmbedLayer,
  writeEmbeddingFiles,
} from '../../domain/text/embed-text';
import { checkTextCharacters } from '../../domain/text/tokenize';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';

interface EmbedFlags {
  file?: string;
  layer?: string;
  json?: boolean;
  out?: string;
  data?: string;
}

export function registerEmbedCommand(program: Command): void {
  program
    .command('embed')
    .description(
      'Contextual embeddings (ELMo-style) of the words of a text from a trained bidirectional language model',
    )
    .argument(
      '<exp>',
      'a bidirectional language-model experiment: name (in the data folder) or path',
    )
    .argument('[text]', 'the text to embed (or --file)')
    .option('--file <file>', 'a UTF-8 text file, embedded line by line')
    .option(
      '--layer <layer>',
      `${EMBED_LAYER_CHOICES.join(' | ')} | N: every layer (0 = the words' character-based representation, 1.. the LSTM layers, forward ++ backward), their average, or layer N (default all)`,
    )
    .option('--json', 'print the tokens, their offsets and vectors as JSON')
    .option(
      '--out <file.npy>',
      'write the vectors as a float32 .npy [tokens, layers + 1 (the mix last), dims] (one vector with --layer mix or N), and the tokens with their offsets beside it as FILE.tokens.json',
    )
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, textArg: string | undefined, flags: EmbedFlags) => {
      try {
        if ((textArg === undefined) === (flags.file === undefined))
          throw new UnfoldError(
            'BAD_ARGUMENT',
            'Give the text to embed or --file FILE (one of them).',
          );
        const dataDir = chooseDataFolder(flags.data).dir;
        const dir = await experimentFolderArg(exp, dataDir);
        const lm = await loadBidirectionalLm(dir);
        try {
          const choice = parseEmbedLayer(flags.layer, lm.layers);
          const text = flags.file ? await readUtf8File(flags.file) : (textArg as string);
          if (flags.file) checkTextCharacters(text, flags.file);
          const embedded = embedText(
            lm,
            basename(dir),
            text,
            choice,
            flags.file ? { lineBreaksIn: text } : {},
          );
          if (embedded.tokens.length === 0 && !flags.json)
            process.stderr.write('unfold embed: the text has no words to embed.\n');
          if (flags.out !== undefined) {
            const written = await writeEmbeddingFiles(embedded, flags.out);
            const summary = { npy: written.npy, tokens: written.tokens, shape: written.shape };
            if (flags.json) print(JSON.stringify(summary));
            else
              print(
                `[${written.shape.join(' x ')}] (tokens x vectors x dims) -> ${written.npy}; tokens and offsets -> ${written.tokens}`,
              );
          } else if (flags.json) print(JSON.stringify(embedded));
          else
            for (const token of embedded.tokens)
              token.vectors.forEach((vector, k) =>
                print(
                  `${token.text}\t${String(embedded.layers[k])}\t${vector.map((v) => v.toFixed(4)).join(' ')}`,
                ),
              );
        } finally {
          lm.dispose();
        }
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
