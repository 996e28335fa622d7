/**
 * Corpus API on a 100,000-utterance corpus (Kaldi files written directly, one shared WAV):
 * how long the dispatcher takes to open, page, filter, edit and undo. Prints one JSON line per
 * measurement. Run: npx tsx tests/bench/corpus-api.ts
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { createUnfoldApp } from '../../src-main/server/unfold-app';

const dataDir = await mkdtemp(join(tmpdir(), 'cbench-'));
const dir = join(dataDir, 'corpora', 'big');
await mkdir(join(dir, 'audio'), { recursive: true });
await mkdir(join(dir, 'data', 'train'), { recursive: true });
await writeFile(
  join(dir, 'audio', 'x.wav'),
  encodeWav({ sampleRate: 16000, samples: new Float32Array(8000) }, { bitDepth: 16 }),
);
const N = 100_000;
const ids: string[] = [];
for (let i = 0; i < N; i++)
  ids.push(`spk${String(i % 500).padStart(3, '0')}-w${String(i).padStart(6, '0')}`);
ids.sort();
const words = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go'];
const lines = (f: (id: string, k: number) => string) =>
  ids.map((id, k) => `${id} ${f(id, k)}`).join('\n') + '\n';
await writeFile(
  join(dir, 'data/train/wav.scp'),
  lines(() => 'audio/x.wav'),
);
await writeFile(
  join(dir, 'data/train/text'),
  lines((_, k) => words[k % 10]!),
);
await writeFile(
  join(dir, 'data/train/utt2spk'),
  lines((id) => id.split('-')[0]!),
);
await writeFile(
  join(dir, 'data/train/reco2dur'),
  lines((_, k) => (0.3 + (k % 7) * 0.1).toFixed(3)),
);
const bySpk = new Map<string, string[]>();
for (const id of ids) {
  const s = id.split('-')[0]!;
  bySpk.set(s, [...(bySpk.get(s) ?? []), id]);
}
await writeFile(
  join(dir, 'data/train/spk2utt'),
  [...bySpk]
    .sort()
    .map(([s, u]) => `${s} ${u.join(' ')}`)
    .join('\n') + '\n',
);
const now = new Date().toISOString();
await writeFile(
  join(dir, 'corpus.json'),
  JSON.stringify(
    {
      formatVersion: 1,
      name: 'big',
      kind: 'speech',
      tasks: ['word-classification'],
      labels: [...words].sort(),
      phoneSet: null,
      splits: ['train'],
      audio: { sampleRate: 16000, channels: 1, bitDepth: 16 },
      created: now,
      modified: now,
      revision: 0,
    },
    null,
    2,
  ),
);
const app = createUnfoldApp({ dataDir, worker: { path: 'x' }, version: 't' });
const time = async (label: string, channel: string, params: unknown) => {
  const t = performance.now();
  const r = await app.dispatch(channel, params);
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  console.log(
    JSON.stringify({
      label,
      ms: Math.round(ms * 10) / 10,
      total: (r.result as { total?: number }).total,
    }),
  );
};
await time('open + overview (first read of 100k utterances)', 'corpus:overview', { corpus: 'big' });
await time('page of 200 at offset 0', 'corpus:utterances', {
  corpus: 'big',
  offset: 0,
  limit: 200,
});
await time('page of 200 at offset 99,800', 'corpus:utterances', {
  corpus: 'big',
  offset: 99_800,
  limit: 200,
});
await time('filtered page (label=yes, speaker, min duration)', 'corpus:utterances', {
  corpus: 'big',
  filter: { label: 'yes', minDuration: 0.5 },
  offset: 5000,
  limit: 200,
});
await time('search page', 'corpus:utterances', {
  corpus: 'big',
  filter: { search: 'w0999' },
  offset: 0,
  limit: 200,
});
await time('edit one label (atomic commit)', 'corpus:edit', {
  corpus: 'big',
  edit: { type: 'set-utterance', id: ids[500], changes: { text: 'maybe' } },
});
await time('undo', 'corpus:undo', { corpus: 'big' });
await time('split dry run by speaker', 'corpus:split', {
  corpus: 'big',
  request: { by: 'speaker', seed: 1 },
  dryRun: true,
});
await time('corpus list', 'corpus:list', undefined);
await app.dispose();
await rm(dataDir, { recursive: true, force: true });
