import { conlluWords, parseConllu } from '../formats/conllu';
import { problemFromError } from '../formats/parse-error';
import { parsePairs } from '../formats/pairs';
import { parsePlainText, parseTsv } from '../formats/tsv';
import type { CorpusManifest } from '../manifest';
import { MANIFEST_FILE } from '../manifest';
import { textSplitPath } from '../store/layout';
import type { ProblemList, ValidationReport } from './problems';
import { readText } from './problems';

/** CoNLL-U, TSV or plain-text splits of a text corpus. */
export async function validateText(
  dir: string,
  manifest: CorpusManifest,
  problems: ProblemList,
  counts: ValidationReport['counts'],
): Promise<void> {
  const format = manifest.textFormat;
  if (!format) {
    problems.add(MANIFEST_FILE, 0, 'a text corpus needs "textFormat" (conllu, tsv or plain)');
    return;
  }
  const labels = new Set(manifest.labels);
  for (const split of manifest.splits) {
    const path = textSplitPath(split, format);
    const content = await readText(dir, path, problems);
    if (content === null) continue;
    try {
      if (format === 'conllu') {
        const sentences = parseConllu(content, path);
        counts.sentences += sentences.length;
        const unknown = sentences
          .flatMap(conlluWords)
          .find((w) => w.upos !== '_' && !labels.has(w.upos));
        if (unknown) problems.add(path, 0, `UPOS ${unknown.upos} is not in the corpus label set`);
      } else if (format === 'tsv') {
        const items = parseTsv(content, path);
        counts.sentences += items.length;
        const index = items.findIndex((item) => !labels.has(item.label));
        if (index >= 0)
          problems.add(
            path,
            index + 1,
            `label "${items[index]?.label}" is not in the corpus label set`,
          );
      } else if (format === 'pairs') {
        counts.sentences += parsePairs(content, path).length;
      } else {
        counts.sentences += parsePlainText(content).length;
      }
    } catch (error) {
      problems.items.push(problemFromError(error, path));
    }
  }
}
