import { copyFile, mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { dataNameProblem } from '../../../api/names';
import { UnfoldError, throwIfAborted } from '../../errors';
import { writeFileAtomically } from '../../fs/atomic-write';
import type { LongOperationOptions } from '../../jobs/progress';
import { conlluWords, formatConllu } from '../formats/conllu';
import { formatKaldiTable } from '../formats/kaldi-table';
import type { TextGrid } from '../formats/textgrid';
import { formatTextGrid, tierFromSpans } from '../formats/textgrid';
import { formatPlainText, formatTsv } from '../formats/tsv';
import type { Corpus, SpeechCorpusData, TextCorpusData } from '../model';
import { splitDataDir } from '../store/layout';
import { serializeCorpus } from '../store/serialize';

function speechData(corpus: Corpus): SpeechCorpusData {
  if (corpus.data.kind !== 'speech')
    throw new UnfoldError(
      'EXPORT_FORMAT',
      `${corpus.manifest.name} is a text corpus: export it as conllu, tsv or text.`,
    );
  return corpus.data;
}

function textData(corpus: Corpus): TextCorpusData {
  if (corpus.data.kind !== 'text')
    throw new UnfoldError(
      'EXPORT_FORMAT',
      `${corpus.manifest.name} is a speech corpus: export it as kaldi or textgrid.`,
    );
  return corpus.data;
}

/**
 * A Kaldi data directory per split (`<out>/<split>/wav.scp ...`), with absolute paths to the
 * corpus's WAV files so the directory works from any recipe folder.
 */
export async function exportKaldi(
  corpus: Corpus,
  outDir: string,
  options: LongOperationOptions = {},
): Promise<string[]> {
  const data = speechData(corpus);
  const files = serializeCorpus(corpus.manifest, data);
  const written: string[] = [];
  const absolute = formatKaldiTable(
    data.recordings.map((r) => [r.id, resolve(corpus.dir, r.path)]),
  );
  const absoluteById = new Map(
    absolute
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf(' ')), line]),
  );
  for (const split of corpus.manifest.splits) {
    throwIfAborted(options.signal);
    const prefix = `${splitDataDir(split)}/`;
    for (const [path, content] of files) {
      if (!path.startsWith(prefix)) continue;
      const name = path.slice(prefix.length);
      const body =
        name === 'wav.scp'
          ? content
              .split('\n')
              .filter(Boolean)
              .map((line) => absoluteById.get(line.slice(0, line.indexOf(' '))) + '\n')
              .join('')
          : content;
      const target = join(outDir, exportSegment('split', split), name);
      await mkdir(join(outDir, split), { recursive: true });
      await writeFileAtomically(target, body);
      written.push(target);
    }
  }
  return written;
}

/**
 * A split, speaker or recording id that becomes a folder or file name of an export. A corpus
 * read from someone else's files may hold any text there; `../../x` must not write outside
 * the export folder, so such an id stops the export, named.
 */
function exportSegment(what: string, value: string): string {
  const problem = dataNameProblem(value);
  if (problem !== null)
    throw new UnfoldError(
      'EXPORT_UNSAFE_NAME',
      `cannot export: the ${what} "${value.slice(0, 80)}" cannot be a file name (${problem}); rename it in the corpus first`,
    );
  return value;
}

/** The recording's audio, which must lie inside the corpus folder. */
function recordingSource(corpus: Corpus, path: string): string {
  const source = resolve(corpus.dir, path);
  const inside = relative(corpus.dir, source);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new UnfoldError(
      'EXPORT_UNSAFE_NAME',
      `cannot export: the recording ${path} lies outside the corpus folder ${corpus.dir}`,
    );
  return source;
}

/** The alignment of a recording, or one built from its utterances' texts (a words tier only). */
function gridFor(data: SpeechCorpusData, recordingId: string, duration: number): TextGrid {
  const existing = data.alignments.get(recordingId);
  if (existing) return existing;
  const spans = data.utterances
    .filter((u) => u.recordingId === recordingId)
    .map((u) => ({ xmin: u.segment?.start ?? 0, xmax: u.segment?.end ?? duration, text: u.text }));
  return { xmin: 0, xmax: duration, tiers: [tierFromSpans('words', 0, duration, spans)] };
}

/**
 * WAV + TextGrid pairs laid out as `<out>/<split>/<speaker>/<recording>.{wav,TextGrid}`, which
 * `import --format textgrid` reads back with the same splits and speakers.
 */
export async function exportTextGrids(
  corpus: Corpus,
  outDir: string,
  options: LongOperationOptions = {},
): Promise<string[]> {
  const data = speechData(corpus);
  const written: string[] = [];
  for (const [index, recording] of data.recordings.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.({ fraction: index / data.recordings.length, message: recording.id });
    const first = data.utterances.find((u) => u.recordingId === recording.id);
    if (!first) continue;
    const folder = join(
      outDir,
      exportSegment('split', first.split),
      exportSegment('speaker', first.speaker),
    );
    const stem = exportSegment('recording id', recording.id);
    await mkdir(folder, { recursive: true });
    await copyFile(recordingSource(corpus, recording.path), join(folder, `${stem}.wav`));
    const target = join(folder, `${stem}.TextGrid`);
    await writeFileAtomically(
      target,
      formatTextGrid(gridFor(data, recording.id, recording.duration)),
    );
    written.push(target);
  }
  return written;
}

/** One `<name>-<split>.<ext>` file per split, in the corpus's text format or the one asked for. */
export async function exportText(
  corpus: Corpus,
  outDir: string,
  format: 'conllu' | 'tsv' | 'plain',
): Promise<string[]> {
  const data = textData(corpus);
  const written: string[] = [];
  await mkdir(outDir, { recursive: true });
  const stem = corpus.manifest.name.replace(/[^\p{L}\p{N}_.-]/gu, '_');
  for (const [split, content] of data.splits) {
    let body: string;
    if (format === 'conllu') {
      if (content.format !== 'conllu')
        throw new UnfoldError('EXPORT_FORMAT', 'only tagged (CoNLL-U) corpora export as CoNLL-U');
      body = formatConllu(content.sentences);
    } else if (format === 'tsv') {
      if (content.format !== 'tsv')
        throw new UnfoldError('EXPORT_FORMAT', 'only labelled-sentence corpora export as TSV');
      body = formatTsv(content.items);
    } else {
      const lines =
        content.format === 'plain'
          ? content.lines
          : content.format === 'pairs'
            ? content.pairs.map((pair) => `${pair.source}\t${pair.target}`)
            : content.format === 'tsv'
              ? content.items.map((item) => item.text)
              : content.sentences.map(
                  (s) =>
                    s.comments.find((c) => c.startsWith('text = '))?.slice(7) ??
                    conlluWords(s)
                      .map((t) => t.form)
                      .join(' '),
                );
      body = formatPlainText(lines);
    }
    const extension = format === 'plain' ? 'txt' : format;
    const target = join(outDir, `${stem}-${exportSegment('split', split)}.${extension}`);
    await writeFileAtomically(target, body);
    written.push(target);
  }
  return written;
}
