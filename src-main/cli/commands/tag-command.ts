/** `unfold tag`: tags text with a trained part-of-speech experiment. */
import type { Command } from 'commander';
import type { TaggedText, TaggedToken } from '../../api/text';
import { formatConllu } from '../../domain/corpus/formats/conllu';
import type { ConlluSentence } from '../../domain/corpus/formats/conllu';
import { readUtf8File } from '../../domain/corpus/import/text-import';
import { chooseDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { checkTextCharacters } from '../../domain/text/tokenize';
import { loadTagger, sentenceSpans } from '../../domain/text/pos/tagger';
import type { SentenceOptions } from '../../domain/text/pos/tagger';
import { reportCliError } from '../cli-errors';
import { experimentFolderArg } from '../data-names';
import { printLine as print } from '../progress-bar';
import { choiceFlag } from './flag-values';

const OUTPUT_FORMATS = ['text', 'conllu'] as const;

interface TagFlags {
  file?: string;
  format?: string;
  json?: boolean;
  data?: string;
}

/** Tagged tokens as CoNLL-U, the tag in the UPOS or XPOS column; TokenRange gives the offsets. */
export function taggedConllu(
  tagged: TaggedText,
  text: string,
  column: 'upos' | 'xpos',
  sentences: SentenceOptions,
): string {
  const conllu: ConlluSentence[] = sentenceSpans(tagged.tokens, sentences).map(([a, b], s) => {
    const tokens = tagged.tokens.slice(a, b);
    const first = tokens[0] as TaggedToken;
    const last = tokens[tokens.length - 1] as TaggedToken;
    return {
      comments: [
        `sent_id = ${s + 1}`,
        `text = ${text.slice(first.start, last.end).replace(/\s+/g, ' ')}`,
      ],
      line: 0,
      tokens: tokens.map((token, i) => {
        const next = tokens[i + 1];
        const misc = [`TokenRange=${token.start}:${token.end}`];
        if (next && next.start === token.end) misc.push('SpaceAfter=No');
        return {
          id: String(i + 1),
          form: token.text,
          lemma: '_',
          upos: column === 'upos' ? token.tag : '_',
          xpos: column === 'xpos' ? token.tag : '_',
          feats: '_',
          head: '_',
          deprel: '_',
          deps: '_',
          misc: misc.join('|'),
        };
      }),
    };
  });
  return formatConllu(conllu);
}

/** One line per sentence: word/TAG, the unseen words marked with a star. */
function taggedLines(tagged: TaggedText, sentences: SentenceOptions): string[] {
  return sentenceSpans(tagged.tokens, sentences).map(([a, b]) =>
    tagged.tokens
      .slice(a, b)
      .map((t) => `${t.text}/${t.tag}${t.unseen ? '*' : ''}`)
      .join(' '),
  );
}

export function registerTagCommand(program: Command): void {
  program
    .command('tag')
    .description('Tag the words of a text with a trained part-of-speech experiment')
    .argument('<exp>', 'experiment name (in the data folder) or path')
    .argument('[text]', 'the text to tag (or --file)')
    .option('--file <file>', 'a UTF-8 text file to tag, line by line')
    .option('--format <format>', `output: ${OUTPUT_FORMATS.join(' | ')} (default text)`)
    .option('--json', 'print tokens, offsets, tags and the top 3 with probabilities as JSON')
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .action(async (exp: string, textArg: string | undefined, flags: TagFlags) => {
      try {
        const format = choiceFlag(flags.format, '--format', OUTPUT_FORMATS) ?? 'text';
        if ((textArg === undefined) === (flags.file === undefined))
          throw new UnfoldError(
            'BAD_ARGUMENT',
            'Give the text to tag or --file FILE (one of them).',
          );
        const dataDir = chooseDataFolder(flags.data).dir;
        const dir = await experimentFolderArg(exp, dataDir);
        const tagger = await loadTagger(dir);
        const text = flags.file ? await readUtf8File(flags.file) : (textArg as string);
        // A file is tagged line by line: its control characters are named by file and line.
        if (flags.file) checkTextCharacters(text, flags.file);
        const sentences: SentenceOptions = flags.file ? { lineBreaksIn: text } : {};
        const tagged = tagger.tagText(text, sentences);
        if (tagged.tokens.length === 0 && !flags.json)
          process.stderr.write('unfold tag: the text has no words to tag.\n');
        if (flags.json) print(JSON.stringify(tagged));
        else if (format === 'conllu') {
          process.stdout.write(taggedConllu(tagged, text, tagger.column, sentences));
        } else for (const line of taggedLines(tagged, sentences)) print(line);
        tagger.dispose();
      } catch (error) {
        reportCliError(error, Boolean(flags.json));
      }
    });
}
