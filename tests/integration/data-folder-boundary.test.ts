import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../src-main/api/contract';
import type { JobInfo } from '../../src-main/api/jobs';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { runCli } from '../support/cli';

// The data folder is a boundary: every name a client sends (corpus, experiment, imported file,
// job target) stays inside it. Each hostile name must give a clear error and touch nothing
// outside: a canary folder beside the data folder is compared before and after.
const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };

let base = '';
let dataDir = '';
let outside = '';
let app: UnfoldApp;

/** Names that must never leave the data folder; `evil` and `dangling` are links made below. */
const HOSTILE_NAMES = [
  join(tmpdir(), 'unfold-absolute-target'),
  '../outside',
  '..',
  'a/../../outside',
  '%2e%2e',
  '%2e%2e%2foutside',
  'x\0y',
  'a'.repeat(10_000),
  'evil',
  'dangling',
];

/** Paths (relative to the data folder) a client may name for audio; `wav-link` leads out. */
const HOSTILE_PATHS = [
  '/etc/passwd',
  '../outside/canary.txt',
  'recordings/../../outside/canary.txt',
  '%2e%2e/outside/canary.txt',
  'x\0y.wav',
  'a'.repeat(10_000),
  'wav-link.wav',
];

/** A clear error: a code that says what happened and a message naming the problem. */
const CLEAR_CODES = ['INVALID_PARAMS', 'PATH_OUTSIDE_DATA', 'AUDIO_NOT_FOUND'];

interface Outcome {
  channel: string;
  input: string;
  code: string;
  message: string;
}
const outcomes: Outcome[] = [];

async function snapshot(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true });
  const files = await Promise.all(
    entries
      .sort()
      .map(async (e) => `${e}:${await readFile(join(dir, e), 'utf8').catch(() => '/')}`),
  );
  return files.join('\n');
}

async function refused(channel: RequestChannel, input: string, params: unknown): Promise<void> {
  const response = await app.dispatch(channel, params);
  expect(response.ok, `${channel} accepted ${JSON.stringify(input).slice(0, 60)}`).toBe(false);
  if (response.ok) return;
  const { code, message } = response.error;
  outcomes.push({ channel, input, code, message });
  expect(CLEAR_CODES, `${channel}: ${code} ${message}`).toContain(code);
  expect(message).toMatch(/name|path|data folder|NUL|\.\.|no such file/i);
}

/** Refused by main when it is asked to start (checkJobDataPlaces): no job is queued, no process started. */
async function jobRefused(input: string, spec: unknown): Promise<void> {
  const before = ((await app.dispatch('jobs:list', undefined)) as { ok: true; result: JobInfo[] })
    .result;
  const started = await app.dispatch('jobs:start', spec);
  const kind = (spec as { kind: string }).kind;
  expect(started.ok, `jobs:start ${kind} accepted ${JSON.stringify(input).slice(0, 60)}`).toBe(
    false,
  );
  if (started.ok) return;
  outcomes.push({ channel: `jobs:start ${kind}`, input, ...started.error });
  expect(CLEAR_CODES).toContain(started.error.code);
  const after = ((await app.dispatch('jobs:list', undefined)) as { ok: true; result: JobInfo[] })
    .result;
  expect(after).toHaveLength(before.length);
}

let canaryBefore = '';

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'unfold-boundary-'));
  dataDir = join(base, 'data');
  outside = join(base, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, 'canary.txt'), 'the user’s file');
  await writeFile(join(outside, 'config.json'), '{"not":"an experiment"}');
  for (const area of ['corpora', 'experiments', 'imports', 'recordings'])
    await mkdir(join(dataDir, area), { recursive: true });
  // Links inside the data folder that lead out (or nowhere): the user's, or another program's.
  for (const area of ['corpora', 'experiments']) {
    await symlink(outside, join(dataDir, area, 'evil'));
    await symlink(join(base, 'nowhere'), join(dataDir, area, 'dangling'));
  }
  await symlink(join(outside, 'canary.txt'), join(dataDir, 'wav-link.wav'));
  canaryBefore = await snapshot(outside);
  app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
});

afterAll(async () => {
  await app?.dispose();
  if (base) await rm(base, { recursive: true, force: true });
});

describe('names from an API client stay inside the data folder', () => {
  it('every corpus channel refuses hostile corpus names', async () => {
    for (const name of HOSTILE_NAMES) {
      await refused('corpus:overview', name, { corpus: name });
      await refused('corpus:utterances', name, { corpus: name });
      await refused('corpus:sentences', name, { corpus: name });
      await refused('corpus:utterance', name, { corpus: name, id: 'u1' });
      await refused('corpus:edit', name, {
        corpus: name,
        edit: { type: 'remove-utterance', id: 'u1' },
      });
      await refused('corpus:tier-edit', name, {
        corpus: name,
        recordingId: 'r',
        tier: 'words',
        operation: { op: 'delete', index: 0 },
      });
      await refused('corpus:undo', name, { corpus: name });
      await refused('corpus:redo', name, { corpus: name });
      await refused('corpus:reload', name, { corpus: name });
      await refused('corpus:split', name, {
        corpus: name,
        request: { by: 'speaker' },
        dryRun: false,
      });
      await refused('corpus:add-recording', name, {
        corpus: name,
        path: 'recordings/take.wav',
        speaker: 'ann',
        text: 'yes',
      });
      // Speakers become folders in exports: a name too.
      if (!['evil', 'dangling'].includes(name))
        await refused('corpus:add-recording', name, {
          corpus: 'c',
          path: 'recordings/take.wav',
          speaker: name,
          text: 'yes',
        });
    }
    expect(await snapshot(outside)).toBe(canaryBefore);
  });

  it('every experiment and live channel refuses hostile experiment names', async () => {
    for (const name of HOSTILE_NAMES) {
      await refused('experiments:get', name, { name });
      await refused('experiments:evaluation', name, { name, split: 'test' });
      await refused('experiments:posteriorgram', name, { name, split: 'test', utteranceId: 'u' });
      await refused('live:start', name, { experiment: name });
      await refused('text:tag', name, { experiment: name, text: 'The dog runs.' });
      await refused('sentiment:classify', name, { experiment: name, text: 'A fine film.' });
      await refused('lm:read', name, { experiment: name, text: 'The dog' });
      await refused('lm:generate', name, { id: 'g1', experiment: name, units: 5 });
      const sentence = { kind: 'text', text: 'A fine film.' };
      await refused('inside:trace', name, { experiment: name, input: sentence });
      await refused('inside:dynamics', name, {
        experiment: name,
        input: sentence,
        layer: 'encoder/layer0/fw',
        startStep: null,
        drive: { kind: 'zero' },
        scale: 1,
        steps: 10,
      });
      if (!['evil', 'dangling'].includes(name))
        await refused('inside:trace', name, {
          experiment: 'e',
          input: { kind: 'utterance', corpus: name, utterance: 'u' },
        });
      await refused('experiments:cross-validation', name, { name });
      if (!['evil', 'dangling'].includes(name))
        await refused('experiments:presets', name, { corpus: name });
    }
    expect(await snapshot(outside)).toBe(canaryBefore);
  });

  it('audio channels refuse hostile paths and file names', async () => {
    for (const path of HOSTILE_PATHS) {
      await refused('audio:open', path, { path });
      await refused('audio:bytes', path, { path });
      await refused('experiments:posteriorgram', path, { name: 'e', path });
      await refused('inside:trace', path, { experiment: 'e', input: { kind: 'wav', path } });
      await refused('corpus:add-recording', path, {
        corpus: 'c',
        path,
        speaker: 'ann',
        text: 'yes',
      });
    }
    for (const name of HOSTILE_NAMES.filter((n) => !['evil', 'dangling'].includes(n)))
      await refused('audio:import', name, { name, bytes: new Uint8Array(100) });
    expect(await snapshot(outside)).toBe(canaryBefore);
  });

  it('every job that writes or reads by name refuses hostile names', async () => {
    const sourceDir = join(base, 'source');
    await mkdir(sourceDir, { recursive: true });
    for (const name of HOSTILE_NAMES) {
      const jobs = [
        { kind: 'corpus-import', params: { format: 'folders', source: sourceDir, out: name } },
        { kind: 'corpus-synth-words', params: { out: name, words: ['yes'] } },
        { kind: 'corpus-synth-sentences', params: { out: name, sentences: ['yes.'] } },
        { kind: 'corpus-validate', params: { corpus: name } },
        { kind: 'corpus-export', params: { corpus: name, format: 'kaldi' } },
        {
          kind: 'experiment-train',
          params: { config: { name, corpus: 'c', task: 'words' }, resume: false },
        },
        {
          kind: 'experiment-train',
          params: { config: { name: 'fine', corpus: name, task: 'words' }, resume: false },
        },
        { kind: 'experiment-evaluate', params: { experiment: name } },
        { kind: 'experiment-evaluate', params: { experiment: 'fine', corpus: name } },
        {
          kind: 'experiment-cross-validate',
          params: { config: { name, corpus: 'c', task: 'sentiment' }, folds: 3, resume: false },
        },
        {
          kind: 'corpus-synth-sentences',
          params: { out: 'fine', sentences: ['yes.'], g2p: { experiment: name } },
        },
      ];
      for (const spec of jobs) await jobRefused(name, spec);
    }
    // A text task's word-vector file, named by a client, is a file of the data folder too.
    for (const file of [join(outside, 'canary.txt'), 'wav-link.wav', '../outside/canary.txt'])
      await jobRefused(file, {
        kind: 'experiment-train',
        params: {
          config: { name: 'fine', corpus: 'c', task: 'pos', words: { pretrained: { file } } },
          resume: false,
        },
      });
    for (const split of ['../../outside', '..', '/tmp/x', 'a/b'])
      await refused('jobs:start', split, {
        kind: 'experiment-evaluate',
        params: { experiment: 'fine', split },
      });
    expect(await snapshot(outside)).toBe(canaryBefore);
    await expect(readdir(join(base, 'nowhere'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 600_000);

  it('counts: every hostile input got a clear error', () => {
    const unclear = outcomes.filter(
      (o) => !CLEAR_CODES.includes(o.code) || o.message.trim().length < 20,
    );
    expect(unclear).toEqual([]);
    // Printed for the closing note's table.
    console.log(
      `hostile API inputs tried: ${outcomes.length}, clear errors: ${outcomes.length - unclear.length}`,
    );
  });
});

describe('names on the command line', () => {
  const cliOutcomes: { args: string; code: number | null; stderr: string }[] = [];
  // NUL cannot be passed in argv (execve takes C strings); absolute and `..` paths typed by the
  // user are their own choice and may point anywhere: a bare name is a name in the data folder.
  // Every command gets an encoded path and a link out; the over-long name, refused by the same
  // name rule before anything else, only the first two (each command is a process: seconds each).
  const BAD_CLI_NAMES = ['%2e%2e', 'evil'];
  const LONG_NAME = 'a'.repeat(10_000);

  it('every command that takes a corpus or experiment name refuses bad names clearly', async () => {
    const textFile = join(base, 'sentences.txt');
    await writeFile(textFile, 'yes.\n');
    const commands = (name: string): string[][] => [
      ['train', '--task', 'words', '--corpus', 'c', '--out', name],
      ['train', '--task', 'words', '--corpus', name, '--out', 'fine'],
      ['train', '--resume', '--out', name],
      ['eval', name],
      ['corpus', 'validate', name],
      ['corpus', 'stats', name],
      ['corpus', 'split', name, '--by', 'speaker'],
      ['corpus', 'export', name, '--format', 'kaldi', '--out', join(base, 'export')],
      ['corpus', 'import', join(base, 'source'), '--format', 'folders', '--out', name],
      ['corpus', 'synth', 'words', '--out', name, '--words', 'yes'],
      ['corpus', 'synth', 'sentences', '--out', name, '--text-file', textFile],
    ];
    const runs = [
      ...BAD_CLI_NAMES.flatMap((name) => commands(name)),
      ...commands(LONG_NAME).slice(0, 2),
    ];
    for (let i = 0; i < runs.length; i += 4) {
      const batch = runs.slice(i, i + 4);
      const results = await Promise.all(batch.map((args) => runCli([...args, '--data', dataDir])));
      results.forEach((result, j) =>
        cliOutcomes.push({
          args: (batch[j] ?? []).join(' ').slice(0, 80),
          code: result.code,
          stderr: result.stderr,
        }),
      );
    }
    const unclear = cliOutcomes.filter(
      (o) => o.code === 0 || !/error \[(BAD_NAME|PATH_OUTSIDE_DATA)\]/.test(o.stderr),
    );
    expect(unclear).toEqual([]);
    expect(await snapshot(outside)).toBe(canaryBefore);
    console.log(
      `hostile CLI names tried: ${cliOutcomes.length}, clear errors: ${cliOutcomes.length - unclear.length}`,
    );
  }, 600_000);
});
