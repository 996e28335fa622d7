import { formatConllu } from '../formats/conllu';
import { formatKaldiTable } from '../formats/kaldi-table';
import { formatTextGrid } from '../formats/textgrid';
import { formatPairs } from '../formats/pairs';
import { formatPlainText, formatTsv } from '../formats/tsv';
import { compareCodePoints } from '../formats/utf8';
import type { CorpusManifest } from '../manifest';
import { MANIFEST_FILE } from '../manifest';
import type { CorpusData, SpeechCorpusData, TextCorpusData } from '../model';
import { alignmentPath, splitDataDir, textSplitPath } from './layout';

/** Seconds as written in `segments` and `reco2dur`: milliseconds are finer than any label edge. */
export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 100000) / 100000);
}

function speechFiles(data: SpeechCorpusData, splits: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const recordings = new Map(data.recordings.map((r) => [r.id, r]));
  for (const split of splits) {
    const utterances = data.utterances.filter((u) => u.split === split);
    const dir = splitDataDir(split);
    // segments are needed once any utterance is not exactly one whole recording with its id.
    const needsSegments = utterances.some((u) => u.segment !== undefined || u.id !== u.recordingId);
    const recordingIds = new Set(utterances.map((u) => u.recordingId));
    const used = [...recordingIds].map((id) => recordings.get(id)).filter((r) => r !== undefined);
    files.set(`${dir}/wav.scp`, formatKaldiTable(used.map((r) => [r.id, r.path])));
    files.set(
      `${dir}/reco2dur`,
      formatKaldiTable(used.map((r) => [r.id, formatSeconds(r.duration)])),
    );
    files.set(`${dir}/text`, formatKaldiTable(utterances.map((u) => [u.id, u.text])));
    files.set(`${dir}/utt2spk`, formatKaldiTable(utterances.map((u) => [u.id, u.speaker])));
    const bySpeaker = new Map<string, string[]>();
    for (const u of utterances)
      bySpeaker.set(u.speaker, [...(bySpeaker.get(u.speaker) ?? []), u.id]);
    files.set(
      `${dir}/spk2utt`,
      formatKaldiTable(
        [...bySpeaker].map(([speaker, ids]) => [speaker, ids.sort(compareCodePoints).join(' ')]),
      ),
    );
    if (needsSegments) {
      files.set(
        `${dir}/segments`,
        formatKaldiTable(
          utterances.map((u) => {
            const start = u.segment?.start ?? 0;
            const end = u.segment?.end ?? recordings.get(u.recordingId)?.duration ?? -1;
            return [u.id, `${u.recordingId} ${formatSeconds(start)} ${formatSeconds(end)}`];
          }),
        ),
      );
    }
  }
  for (const [recordingId, grid] of data.alignments)
    files.set(alignmentPath(recordingId), formatTextGrid(grid));
  return files;
}

function textFiles(data: TextCorpusData): Map<string, string> {
  const files = new Map<string, string>();
  for (const [split, content] of data.splits) {
    const path = textSplitPath(split, content.format);
    if (content.format === 'conllu') files.set(path, formatConllu(content.sentences));
    else if (content.format === 'tsv') files.set(path, formatTsv(content.items));
    else if (content.format === 'pairs') files.set(path, formatPairs(content.pairs));
    else files.set(path, formatPlainText(content.lines));
  }
  return files;
}

/**
 * Every text file of a corpus (manifest included, audio excluded), keyed by relative path.
 * Writers compare this map with the previous one so an edit rewrites only what changed.
 */
export function serializeCorpus(manifest: CorpusManifest, data: CorpusData): Map<string, string> {
  const files = data.kind === 'speech' ? speechFiles(data, manifest.splits) : textFiles(data);
  files.set(MANIFEST_FILE, JSON.stringify(manifest, null, 2) + '\n');
  return files;
}
