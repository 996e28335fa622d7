import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestChannel, RequestParams, RequestResult } from '../../src-main/api/contract';
import type { TierOperation } from '../../src-main/api/corpus';
import type { JobInfo, JobSpecInput } from '../../src-main/api/jobs';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { CorpusSession } from '../../src-main/domain/corpus/index';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const FIXTURES = join(root, 'tests/fixtures/corpus');

let dataDir: string;
let sourceDir: string;
let app: UnfoldApp;

class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<C extends RequestChannel>(
  channel: C,
  params?: RequestParams<C>,
): Promise<RequestResult<C>> {
  const response = await app.dispatch(channel, params);
  if (!response.ok) throw new CallError(response.error.code, response.error.message);
  return response.result as RequestResult<C>;
}

async function runJob(spec: JobSpecInput): Promise<JobInfo> {
  const started = await call('jobs:start', spec);
  for (;;) {
    const job = await call('jobs:get', { id: started.id });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A tone whose length tells the take apart, so duration filters have something to find. */
function tone(seconds: number, hz: number): Uint8Array {
  const sampleRate = 16_000;
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++)
    samples[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return encodeWav({ sampleRate, samples }, { bitDepth: 16 });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-corpus-api-'));
  sourceDir = join(dataDir, 'source dir ü');
  await mkdir(sourceDir);
  for (const label of ['no', 'yes'])
    for (const speaker of ['alice', 'bob', 'carol'])
      for (let take = 0; take < 6; take++)
        await writeFile(
          join(sourceDir, `${label}_${speaker}_${take}.wav`),
          tone(0.1 + 0.05 * take, label === 'yes' ? 440 : 660),
        );
  app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
});

afterAll(async () => {
  await app?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the corpus API through the dispatcher', () => {
  it('imports a speech corpus as a job and lists it', async () => {
    const job = await runJob({
      kind: 'corpus-import',
      params: {
        format: 'pattern',
        source: sourceDir,
        out: 'digits',
        pattern: '{label}_{speaker}_{take}.wav',
        split: { by: 'convention', convention: 'fsdd' },
      },
    });
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ corpus: 'digits', kind: 'speech', items: 36 });

    const list = await call('corpus:list');
    expect(list.map((c) => c.name)).toEqual(['digits']);
    expect(list[0]).toMatchObject({ kind: 'speech', items: 36, speakers: 3 });
    expect(list[0]?.splits).toEqual({ test: 30, train: 6 });
    expect(list[0]?.validity.state).toBe('unchecked');
  });

  it('refuses to start an import of a folder that does not exist: a plain message, no job', async () => {
    const before = (await call('jobs:list')).length;
    const missing = join(dataDir, 'no such folder');
    const error = await call('jobs:start', {
      kind: 'corpus-import',
      params: { format: 'pattern', source: missing, out: 'nothing', pattern: '{label}.wav' },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'IMPORT_SOURCE_NOT_FOUND',
      message: `folder not found: ${missing}`,
    });
    expect(await call('jobs:list')).toHaveLength(before);
  });

  it('validates as a job and remembers the outcome for the list', async () => {
    const job = await runJob({ kind: 'corpus-validate', params: { corpus: 'digits' } });
    expect(job.result).toMatchObject({ corpus: 'digits', ok: true, problems: [] });
    const [summary] = await call('corpus:list');
    expect(summary?.validity).toMatchObject({ state: 'valid', problems: 0 });
  });

  it('pages and filters utterances on the server', async () => {
    const all = await call('corpus:utterances', { corpus: 'digits', offset: 10, limit: 5 });
    expect(all.total).toBe(36);
    expect(all.rows).toHaveLength(5);
    expect(all.offset).toBe(10);
    const yesAlice = await call('corpus:utterances', {
      corpus: 'digits',
      filter: { label: 'yes', speaker: 'alice' },
    });
    expect(yesAlice.total).toBe(6);
    expect(yesAlice.rows.every((r) => r.text === 'yes' && r.speaker === 'alice')).toBe(true);
    const long = await call('corpus:utterances', {
      corpus: 'digits',
      filter: { minDuration: 0.32, split: 'train' },
    });
    expect(long.total).toBe(6);
    expect(long.rows.every((r) => r.duration >= 0.32)).toBe(true);
    // The absolute audio path stays in main.
    expect(Object.keys(long.rows[0] ?? {})).not.toContain('audioPath');
  });

  it('edits a label with undo and redo', async () => {
    const before = await call('corpus:overview', { corpus: 'digits' });
    const first = (await call('corpus:utterances', { corpus: 'digits', limit: 1 })).rows[0];
    expect(first).toBeDefined();
    const edited = await call('corpus:edit', {
      corpus: 'digits',
      revision: before.summary.revision,
      edit: { type: 'set-utterance', id: first!.id, changes: { text: 'maybe' } },
    });
    expect(edited).toMatchObject({ revision: before.summary.revision + 1, canUndo: true });
    const maybe = await call('corpus:utterances', { corpus: 'digits', filter: { label: 'maybe' } });
    expect(maybe.rows.map((r) => r.id)).toEqual([first!.id]);
    expect((await call('corpus:overview', { corpus: 'digits' })).stats.perLabel.maybe).toBe(1);

    const undone = await call('corpus:undo', { corpus: 'digits' });
    expect(undone).toMatchObject({ changed: true, canRedo: true });
    expect(
      (await call('corpus:utterances', { corpus: 'digits', filter: { label: 'maybe' } })).total,
    ).toBe(0);
    await call('corpus:redo', { corpus: 'digits' });
    expect(
      (await call('corpus:utterances', { corpus: 'digits', filter: { label: 'maybe' } })).total,
    ).toBe(1);
    await call('corpus:undo', { corpus: 'digits' });
  });

  it('previews a split by speaker, then applies it', async () => {
    const request = { by: 'speaker' as const, fractions: { train: 0.67, test: 0.33 }, seed: 3 };
    const preview = await call('corpus:split', { corpus: 'digits', request, dryRun: true });
    expect(preview.applied).toBe(false);
    const speakers = Object.values(preview.counts).reduce((n, c) => n + c.speakers, 0);
    expect(speakers).toBe(3);
    expect(Object.values(preview.counts).reduce((n, c) => n + c.utterances, 0)).toBe(36);
    const unchanged = await call('corpus:overview', { corpus: 'digits' });
    expect(unchanged.stats.perSplit).toEqual({ test: 30, train: 6 });

    const applied = await call('corpus:split', { corpus: 'digits', request, dryRun: false });
    expect(applied.applied).toBe(true);
    const after = await call('corpus:overview', { corpus: 'digits' });
    expect(after.stats.perSplit).toEqual(
      Object.fromEntries(Object.entries(preview.counts).map(([s, c]) => [s, c.utterances])),
    );
    expect(after.splitMethod).toMatchObject({ method: 'speaker', seed: 3 });
  });

  it('refuses an edit of a corpus another process changed, until reloaded', async () => {
    const other = await CorpusSession.open(join(dataDir, 'corpora', 'digits'));
    const victim = other.listUtterances({}, { limit: 1 }).rows[0]!;
    await other.apply({ type: 'set-utterance', id: victim.id, changes: { text: 'elsewhere' } });

    await expect(
      call('corpus:edit', {
        corpus: 'digits',
        edit: { type: 'set-utterance', id: victim.id, changes: { text: 'mine' } },
      }),
    ).rejects.toMatchObject({ code: 'CORPUS_CHANGED' });

    const reloaded = await call('corpus:reload', { corpus: 'digits' });
    expect(reloaded.stats.perLabel.elsewhere).toBe(1);
    const edit = await call('corpus:edit', {
      corpus: 'digits',
      revision: reloaded.summary.revision,
      edit: { type: 'set-utterance', id: victim.id, changes: { text: 'mine' } },
    });
    expect(edit.revision).toBe(reloaded.summary.revision + 1);
    // A stale revision from a window that did not reload is refused too.
    await expect(
      call('corpus:edit', {
        corpus: 'digits',
        revision: reloaded.summary.revision,
        edit: { type: 'set-utterance', id: victim.id, changes: { text: 'again' } },
      }),
    ).rejects.toMatchObject({ code: 'CORPUS_CHANGED' });
  });

  it('opens an utterance with its audio', async () => {
    const row = (await call('corpus:utterances', { corpus: 'digits', limit: 1 })).rows[0]!;
    const detail = await call('corpus:utterance', { corpus: 'digits', id: row.id });
    expect(detail.utterance.id).toBe(row.id);
    expect(detail.wav).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(detail.wav.subarray(0, 4))).toBe('RIFF');
    expect(detail.alignment).toBeNull();
  });

  it('saves a prompted take, trimmed to its speech, as one undoable edit', async () => {
    await mkdir(join(dataDir, 'recordings'), { recursive: true });
    // 0.5 s silence, 0.4 s tone, 0.5 s silence, recorded at 48 kHz.
    const rate = 48_000;
    const samples = new Float32Array(Math.round(1.4 * rate));
    for (let i = Math.round(0.5 * rate); i < Math.round(0.9 * rate); i++)
      samples[i] = 0.4 * Math.sin((2 * Math.PI * 300 * i) / rate);
    await writeFile(
      join(dataDir, 'recordings', 'take.wav'),
      encodeWav({ sampleRate: rate, samples }, { bitDepth: 16 }),
    );
    const before = await call('corpus:overview', { corpus: 'digits' });
    const added = await call('corpus:add-recording', {
      corpus: 'digits',
      path: 'recordings/take.wav',
      speaker: 'dora',
      text: 'yes',
      split: 'train',
      trim: { start: 0.5, end: 0.9 },
    });
    expect(added.id).toMatch(/^dora-yes_/);
    expect(added.duration).toBeCloseTo(0.65, 2);
    const rows = await call('corpus:utterances', { corpus: 'digits', filter: { speaker: 'dora' } });
    expect(rows.rows.map((r) => [r.id, r.text, r.split])).toEqual([[added.id, 'yes', 'train']]);
    expect(rows.rows[0]?.duration).toBeCloseTo(0.65, 2);
    expect((await call('corpus:overview', { corpus: 'digits' })).stats.items).toBe(
      before.stats.items + 1,
    );
    await call('corpus:undo', { corpus: 'digits' });
    expect(
      (await call('corpus:utterances', { corpus: 'digits', filter: { speaker: 'dora' } })).total,
    ).toBe(0);
    await expect(
      call('corpus:add-recording', {
        corpus: 'digits',
        path: '../outside.wav',
        speaker: 'dora',
        text: 'yes',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('edits word regions as tier edits, each one undoable', async () => {
    const row = (await call('corpus:utterances', { corpus: 'digits', limit: 1 })).rows[0]!;
    const edit = async (operation: TierOperation): Promise<string[]> => {
      const result = await call('corpus:tier-edit', {
        corpus: 'digits',
        recordingId: row.recordingId,
        tier: 'words',
        operation,
      });
      const tier = result.alignment.tiers.find((t) => t.name === 'words');
      if (tier?.kind !== 'interval') throw new Error('no words tier');
      return tier.intervals.map((i) => `${i.xmin.toFixed(3)}-${i.xmax.toFixed(3)}:${i.text}`);
    };
    const end = row.duration.toFixed(3);
    expect(await edit({ op: 'create', start: 0.02, end: 0.08, text: 'ye' })).toEqual([
      '0.000-0.020:',
      '0.020-0.080:ye',
      `0.080-${end}:`,
    ]);
    expect(await edit({ op: 'rename', index: 1, text: 'yes' })).toContain('0.020-0.080:yes');
    expect(await edit({ op: 'split', index: 1, time: 0.05 })).toEqual([
      '0.000-0.020:',
      '0.020-0.050:yes',
      '0.050-0.080:yes',
      `0.080-${end}:`,
    ]);
    expect(await edit({ op: 'move', index: 1, time: 0.06 })).toContain('0.020-0.060:yes');
    expect(await edit({ op: 'merge', index: 1 })).toContain('0.020-0.080:yes yes');
    expect(await edit({ op: 'delete', index: 1 })).toEqual([`0.000-${end}:`]);
    await expect(edit({ op: 'split', index: 0, time: 99 })).rejects.toMatchObject({
      code: 'BAD_EDIT',
    });
    await expect(edit({ op: 'split', index: 0, time: -1 })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(edit({ op: 'merge', index: 0 })).rejects.toMatchObject({ code: 'BAD_EDIT' });
    // Each step was one commit: undo walks back to the merged region.
    await call('corpus:undo', { corpus: 'digits' });
    const detail = await call('corpus:utterance', { corpus: 'digits', id: row.id });
    const words = detail.alignment?.tiers.find((t) => t.name === 'words');
    expect(words?.kind === 'interval' && words.intervals.map((i) => i.text)).toEqual([
      '',
      'yes yes',
      '',
    ]);
    expect(row.hasAlignment).toBe(false);
    expect(
      (await call('corpus:utterances', { corpus: 'digits', filter: { hasAlignment: true } })).total,
    ).toBe(1);
  });

  it('tags text corpora and exports them', async () => {
    const job = await runJob({
      kind: 'corpus-import',
      params: { format: 'conllu', source: join(FIXTURES, 'ud-ewt'), out: 'ewt' },
    });
    expect(job.state).toBe('succeeded');
    const page = await call('corpus:sentences', { corpus: 'ewt', filter: { split: 'train' } });
    expect(page.total).toBeGreaterThan(0);
    const sentence = page.rows[0]!;
    const word = sentence.words![0]!;
    const newTag = word.upos === 'X' ? 'NOUN' : 'X';
    await call('corpus:edit', {
      corpus: 'ewt',
      edit: {
        type: 'set-token-tag',
        split: 'train',
        sentence: sentence.index,
        word: 0,
        upos: newTag,
      },
    });
    const again = await call('corpus:sentences', { corpus: 'ewt', filter: { split: 'train' } });
    expect(again.rows[0]?.words?.[0]?.upos).toBe(newTag);

    const exported = await runJob({
      kind: 'corpus-export',
      params: { corpus: 'ewt', format: 'conllu' },
    });
    expect(exported.result).toMatchObject({ corpus: 'ewt', folder: join('exports', 'ewt-conllu') });
    const files = await readdir(join(dataDir, 'exports', 'ewt-conllu'));
    expect(files.filter((f) => f.endsWith('.conllu')).length).toBe(2);
  });

  it.runIf(which.sync('flite', { nothrow: true }))(
    'synthesises words as a job, and a cancelled synthesis leaves no corpus',
    async () => {
      const small = await runJob({
        kind: 'corpus-synth-words',
        params: { out: 'said', words: ['yes', 'no'], voices: ['kal16'], rates: [1], pitches: [0] },
      });
      expect(small.error).toBeUndefined();
      expect(small.result).toMatchObject({ corpus: 'said', kind: 'speech', items: 2 });
      const said = await call('corpus:utterances', { corpus: 'said' });
      expect(said.rows.map((r) => r.text).sort()).toEqual(['no', 'yes']);

      const long = await call('jobs:start', {
        kind: 'corpus-synth-words',
        params: {
          out: 'never',
          words: Array.from(
            { length: 200 },
            (_, k) => `word${String.fromCharCode(97 + (k % 26))}${k}`,
          ),
          voices: ['kal16'],
        },
      });
      for (;;) {
        const job = await call('jobs:get', { id: long.id });
        if (job.state === 'running' && (job.progress.fraction ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await call('jobs:cancel', { id: long.id });
      for (;;) {
        const job = await call('jobs:get', { id: long.id });
        if (job.state !== 'running') {
          expect(job.state).toBe('cancelled');
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await call('corpus:list')).map((c) => c.name)).not.toContain('never');
    },
  );

  it('refuses names and paths that leave the data folder', async () => {
    await expect(call('corpus:overview', { corpus: '../etc' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(call('corpus:overview', { corpus: '.hidden' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
    });
    await expect(
      call('jobs:start', {
        kind: 'corpus-import',
        params: { format: 'folders', source: 'relative/x', out: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(call('corpus:overview', { corpus: 'missing' })).rejects.toMatchObject({
      code: 'CORPUS_NOT_FOUND',
    });
  });
});
