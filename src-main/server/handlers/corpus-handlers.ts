import { readFile } from 'node:fs/promises';
import { readAudioFile } from '../../domain/audio/wav';
import { relative, resolve, sep } from 'node:path';
import type { corpusRequests } from '../../api/channels/corpus-channels';
import type { EditOutcome, TextGridData } from '../../api/corpus';
import { UnfoldError } from '../../domain/errors';
import type { CorpusSession } from '../../domain/corpus/index';
import { availableVoices, splitCorpus } from '../../domain/corpus/index';
import { readManifest } from '../../domain/corpus/manifest';
import type { AreaHandlers, HandlerContext } from './handler-context';
import { CorpusSessions } from './corpus-sessions';
import { applyTierOperation, emptyGrid } from './tier-operation';
import { resolveExistingDataPath } from '../recording/data-paths';

const CORPUS_JOB_KINDS = new Set([
  'corpus-import',
  'corpus-synth-words',
  'corpus-synth-sentences',
  'corpus-validate',
  'corpus-export',
]);

function outcome(session: CorpusSession, changed = true): EditOutcome {
  return {
    revision: session.manifest.revision,
    canUndo: session.canUndo,
    canRedo: session.canRedo,
    changed,
  };
}

function corpusChanged(): UnfoldError {
  return new UnfoldError(
    'CORPUS_CHANGED',
    'This corpus was changed in another window or program since you opened it. Reload it to see the current version, then make your change again.',
  );
}

/** Refuses a path that leaves its folder (a crafted wav.scp or request must not read other files). */
function insideFolder(dir: string, path: string): string {
  const absolute = resolve(dir, path);
  const rel = relative(dir, absolute);
  if (rel.startsWith('..') || rel.startsWith(sep) || rel === '')
    throw new UnfoldError('PATH_OUTSIDE_CORPUS', `${path} is outside the folder Unfold may read.`);
  return absolute;
}

export function createCorpusHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof corpusRequests> {
  const corpora = new CorpusSessions(context.dataDir);

  // A corpus job that finished changed the folder behind any open session.
  context.events.subscribe((event, payload) => {
    if (event !== 'jobs:updated') return;
    const job = payload as { kind: string; state: string; result?: { corpus?: string } };
    if (!CORPUS_JOB_KINDS.has(job.kind) || job.state !== 'succeeded') return;
    const name = job.result?.corpus;
    if (!name) return;
    if (job.kind !== 'corpus-export' && job.kind !== 'corpus-validate') corpora.forget(name);
    void corpora
      .summary(name)
      .then((summary) =>
        context.events.emit('corpus:changed', { corpus: name, revision: summary.revision }),
      );
  });

  const mutate = (
    name: string,
    work: (session: CorpusSession) => Promise<EditOutcome>,
  ): Promise<EditOutcome> =>
    corpora.exclusive(name, async () => {
      const session = await corpora.session(name);
      const result = await work(session);
      if (result.changed)
        context.events.emit('corpus:changed', { corpus: name, revision: result.revision });
      return result;
    });

  return {
    'corpus:list': () => corpora.list(),
    'corpus:overview': ({ corpus }) => corpora.overview(corpus),
    'corpus:utterances': async ({ corpus, filter, offset, limit }) => {
      const session = await corpora.session(corpus);
      const page = session.listUtterances(filter, { offset, limit });
      return {
        total: page.total,
        offset,
        revision: session.manifest.revision,
        // The absolute audio path stays in main: the renderer asks for an utterance's audio.
        rows: page.rows.map(({ audioPath: _audioPath, ...row }) => row),
      };
    },
    'corpus:sentences': async ({ corpus, filter, offset, limit }) => {
      const session = await corpora.session(corpus);
      const page = session.listSentences(filter, { offset, limit });
      return { ...page, offset, revision: session.manifest.revision };
    },
    'corpus:utterance': async ({ corpus, id }) => {
      const session = await corpora.session(corpus);
      const data = session.data;
      if (data.kind !== 'speech')
        throw new UnfoldError('BAD_REQUEST', `${corpus} is a text corpus.`);
      const row = session.listUtterances({ search: id }).rows.find((u) => u.id === id);
      const recording = row && data.recordings.find((r) => r.id === row.recordingId);
      if (!row || !recording)
        throw new UnfoldError('UTTERANCE_NOT_FOUND', `${corpus} has no utterance ${id}.`);
      const wav = new Uint8Array(await readFile(insideFolder(session.dir, recording.path)));
      const { audioPath: _audioPath, ...utterance } = row;
      return {
        utterance,
        wav,
        offset: row.segment?.start ?? 0,
        alignment: (data.alignments.get(recording.id) as TextGridData | undefined) ?? null,
        revision: session.manifest.revision,
      };
    },
    'corpus:edit': ({ corpus, edit, revision }) =>
      mutate(corpus, async (session) => {
        if (revision !== undefined && revision !== session.manifest.revision) throw corpusChanged();
        await session.apply(edit);
        return outcome(session);
      }),
    'corpus:tier-edit': async ({ corpus, recordingId, tier, operation, revision }) => {
      let alignment: TextGridData | null = null;
      const result = await mutate(corpus, async (session) => {
        if (revision !== undefined && revision !== session.manifest.revision) throw corpusChanged();
        const data = session.data;
        if (data.kind !== 'speech')
          throw new UnfoldError('BAD_EDIT', `${corpus} is a text corpus.`);
        const recording = data.recordings.find((r) => r.id === recordingId);
        if (!recording)
          throw new UnfoldError('BAD_EDIT', `${corpus} has no recording ${recordingId}.`);
        const grid =
          data.alignments.get(recordingId) ??
          emptyGrid(recording.duration, session.manifest.phoneSet !== null);
        const next = applyTierOperation(grid, tier, operation);
        await session.apply({ type: 'set-alignment', recordingId, grid: next });
        alignment = next as TextGridData;
        return outcome(session);
      });
      if (!alignment) throw new UnfoldError('BAD_EDIT', 'the tier edit did not apply');
      return { ...result, alignment };
    },
    'corpus:add-recording': async ({ corpus, path, speaker, text, split, trim }) => {
      const audio = await readAudioFile(await resolveExistingDataPath(context.dataDir, path));
      let samples = audio.samples;
      if (trim) {
        // A little margin around the detected speech keeps soft onsets and releases.
        const from = Math.max(0, Math.floor((trim.start - 0.1) * audio.sampleRate));
        const to = Math.min(samples.length, Math.ceil((trim.end + 0.15) * audio.sampleRate));
        if (to > from) samples = samples.subarray(from, to);
      }
      let added = { id: '', duration: samples.length / audio.sampleRate };
      const result = await mutate(corpus, async (session) => {
        const utterance = await session.addRecording({
          audio: { sampleRate: audio.sampleRate, samples },
          speaker,
          text,
          ...(split ? { split } : {}),
        });
        added = { ...added, id: utterance.id };
        return outcome(session);
      });
      return { ...result, ...added };
    },
    'corpus:undo': ({ corpus }) =>
      mutate(corpus, async (session) => outcome(session, await session.undo())),
    'corpus:redo': ({ corpus }) =>
      mutate(corpus, async (session) => outcome(session, await session.redo())),
    'corpus:reload': ({ corpus }) =>
      corpora.exclusive(corpus, async () => {
        const session = await corpora.session(corpus);
        const onDisk = await readManifest(session.dir).catch(() => null);
        if (!onDisk || onDisk.revision !== session.manifest.revision) corpora.forget(corpus);
        return corpora.overview(corpus);
      }),
    'corpus:split': ({ corpus, request, dryRun }) =>
      corpora.exclusive(corpus, async () => {
        const session = await corpora.session(corpus);
        const result = await splitCorpus(session.dir, request, { dryRun, session });
        if (result.applied)
          context.events.emit('corpus:changed', {
            corpus,
            revision: session.manifest.revision,
          });
        return { ...result, revision: session.manifest.revision };
      }),
    'corpus:voices': async () =>
      (await availableVoices()).map((v) => ({
        engine: v.engine,
        name: v.name,
        speaker: v.speaker,
      })),
  };
}
