import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runExperimentTrain } from '../../src-main/jobs/experiment-jobs';
import { checkpointEpoch } from '../../src-main/domain/rnn/checkpoints';
import type * as CheckpointsModule from '../../src-main/domain/rnn/checkpoints';
import type { ExperimentConfigInput } from '../../src-main/domain/experiments/config/experiment-config';
import { listExperiments } from '../../src-main/domain/experiments/experiment-list';
import { trainExperiment } from '../support/builtin-experiments';
import { runCli } from '../support/cli';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { importTonesCorpus } from '../support/tones-corpus';

// How a training run uses its folder: checks before work, never deleting what is not an
// experiment, resuming and starting over from the command line, finding its corpus again, and
// staying consistent when the process dies between writing its log and its checkpoint.

/** What the wrapped writeCheckpoint saw, and where it should simulate a crash. */
const probe = vi.hoisted(() => ({
  crashAtEpoch: 0,
  crashBeforeCommit: false,
  commits: [] as { epoch: number; logged: boolean }[],
}));

function loggedEpochs(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { type: string; epoch?: number })
    .filter((line) => line.type === 'epoch')
    .map((line) => line.epoch as number);
}

// The checkpoint writer, wrapped: it notes whether the epoch's log line exists at the moment
// the checkpoint is committed, and can die just before or just after the commit.
vi.mock('../../src-main/domain/rnn/checkpoints', async (importOriginal) => {
  const real = await importOriginal<typeof CheckpointsModule>();
  const { readFile: read } = await import('node:fs/promises');
  const { join: joinPath } = await import('node:path');
  return {
    ...real,
    writeCheckpoint: async (...args: Parameters<typeof real.writeCheckpoint>) => {
      const [dir, , , , state] = args;
      const log = await read(joinPath(dir, '..', 'log.jsonl'), 'utf8').catch(() => '');
      probe.commits.push({ epoch: state.epoch, logged: loggedEpochs(log).includes(state.epoch) });
      const crash = state.epoch === probe.crashAtEpoch;
      if (crash && probe.crashBeforeCommit) throw new Error('simulated crash before the commit');
      const folder = await real.writeCheckpoint(...args);
      if (crash) throw new Error('simulated crash after the commit');
      return folder;
    },
  };
});

let base = '';
let dataDir = '';

const sampleRate = 16_000;
function steppedTone(): Float32Array {
  const samples = new Float32Array(sampleRate / 2);
  for (let j = 0; j < samples.length; j++)
    samples[j] =
      0.3 * Math.sin((2 * Math.PI * (200 + Math.floor(j / 2000) * 100) * j) / sampleRate);
  return samples;
}

/** A tiny phones config on the tones corpus (one split, "train", used for every role). */
function config(name: string, epochs: number): ExperimentConfigInput {
  return tinyPhonesConfig(name, 'tones', {
    data: { test: { splits: ['train'] } },
    training: { epochs, batchSize: 2, bptt: { kind: 'full' } },
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'unfold-runs-'));
  dataDir = join(base, 'data');
  await importTonesCorpus(
    dataDir,
    Array.from({ length: 4 }, (_, i) => ({
      name: `t${i}`,
      samples: steppedTone(),
      tiers: { phones: [[0, 0.125, 'aa'] as [number, number, string], [0.125, 0.5, 'iy']] },
    })),
  );
  await writeFile(join(base, 'tiny.json'), JSON.stringify(config('ignored', 1)));
});

afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

beforeEach(() => {
  probe.crashAtEpoch = 0;
  probe.crashBeforeCommit = false;
  probe.commits = [];
});

describe('the splits a config needs', () => {
  it('are checked before any feature is computed, with how to make them', async () => {
    const run = trainExperiment(tinyPhonesConfig('no-split', 'tones'), { dataDir });
    await expect(run).rejects.toMatchObject({ code: 'SPEECH_NO_SUCH_SPLIT' });
    const message = await run.catch((e: Error) => e.message);
    expect(message).toContain('tones has no split "test"');
    expect(message).toContain('unfold corpus split tones --by speaker');
    expect(message).toContain('--test-split');
    expect(await exists(join(dataDir, 'experiments', 'no-split'))).toBe(false);
    expect(await exists(join(dataDir, 'cache'))).toBe(false);
  });

  it('are checked the same way for an API training job', async () => {
    const run = runExperimentTrain(
      { config: { ...tinyPhonesConfig('no-split-job', 'tones') }, resume: false },
      { dataDir },
    );
    await expect(run).rejects.toMatchObject({ code: 'SPEECH_NO_SUCH_SPLIT' });
    expect(await exists(join(dataDir, 'experiments', 'no-split-job'))).toBe(false);
  });
});

describe('the log and the checkpoints after a crash', () => {
  it('logs each epoch before its checkpoint is committed, and resumes without a gap', async () => {
    const dir = join(dataDir, 'experiments', 'crash-after');
    probe.crashAtEpoch = 2;
    await expect(trainExperiment(config('crash-after', 3), { dataDir })).rejects.toThrow(
      'simulated crash after the commit',
    );
    expect(probe.commits.map((c) => c.epoch)).toEqual([1, 2]);
    expect(probe.commits.every((c) => c.logged)).toBe(true);
    expect(await checkpointEpoch(join(dir, 'checkpoints'), 'last')).toBe(2);
    expect(loggedEpochs(await readFile(join(dir, 'log.jsonl'), 'utf8'))).toEqual([1, 2]);

    probe.crashAtEpoch = 0;
    await trainExperiment(config('crash-after', 3), { dataDir, resume: true });
    expect(loggedEpochs(await readFile(join(dir, 'log.jsonl'), 'utf8'))).toEqual([1, 2, 3]);
  });

  it('drops the line of an epoch whose checkpoint never committed when resuming', async () => {
    const dir = join(dataDir, 'experiments', 'crash-before');
    probe.crashAtEpoch = 2;
    probe.crashBeforeCommit = true;
    await expect(trainExperiment(config('crash-before', 3), { dataDir })).rejects.toThrow(
      'simulated crash before the commit',
    );
    expect(await checkpointEpoch(join(dir, 'checkpoints'), 'last')).toBe(1);
    expect(loggedEpochs(await readFile(join(dir, 'log.jsonl'), 'utf8'))).toEqual([1, 2]);

    probe.crashAtEpoch = 0;
    await trainExperiment(config('crash-before', 3), { dataDir, resume: true });
    expect(loggedEpochs(await readFile(join(dir, 'log.jsonl'), 'utf8'))).toEqual([1, 2, 3]);
  });

  it('removes the temporary files a killed write left, and only those', async () => {
    const dir = join(dataDir, 'experiments', 'crash-after');
    const stray = ['log.jsonl.1262600195', 'metrics.json.7', join('checkpoints', 'last.json.42')];
    for (const file of [...stray, 'notes.txt.123', 'thesis.tex'])
      await writeFile(join(dir, file), 'x');
    const old = new Date(Date.now() - 3_600_000);
    for (const file of stray) await utimes(join(dir, file), old, old);
    await writeFile(join(dir, 'config.json.99'), 'x'); // a write that may still be under way

    expect((await listExperiments(dataDir)).map((e) => e.name)).toContain('crash-after');
    for (const file of stray) expect(await exists(join(dir, file)), file).toBe(false);
    expect(await exists(join(dir, 'config.json.99'))).toBe(true);

    // Training owns its folder: a resumed run removes even a fresh leftover.
    await trainExperiment(config('crash-after', 4), { dataDir, resume: true });
    expect(await exists(join(dir, 'config.json.99'))).toBe(false);
    expect(await readFile(join(dir, 'notes.txt.123'), 'utf8')).toBe('x');
    expect(await readFile(join(dir, 'thesis.tex'), 'utf8')).toBe('x');
  });
});

describe('the experiment folder', () => {
  it('the API never writes into or empties a folder that is not an experiment', async () => {
    const notes = join(dataDir, 'experiments', 'notes');
    await mkdir(notes, { recursive: true });
    await writeFile(join(notes, 'thesis.tex'), '\\documentclass{book}');
    await expect(
      runExperimentTrain({ config: { ...config('notes', 1) }, resume: false }, { dataDir }),
    ).rejects.toMatchObject({ code: 'EXPERIMENT_FOLDER_NOT_EMPTY' });
    expect(await readdir(notes)).toEqual(['thesis.tex']);
  });

  const train = (out: string, ...more: string[]): ReturnType<typeof runCli> =>
    runCli([
      'train',
      '--task',
      'phones',
      '--corpus',
      'tones',
      '--out',
      out,
      '--config',
      join(base, 'tiny.json'),
      '--data',
      dataDir,
      ...more,
    ]);

  it('unfold train refuses a non-empty folder that is not an experiment, even with --force', async () => {
    const thesis = join(base, 'thesis');
    await mkdir(thesis);
    await writeFile(join(thesis, 'thesis.tex'), '\\documentclass{book}');
    for (const flags of [[], ['--force']]) {
      const result = await train(thesis, ...flags);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error [EXPERIMENT_FOLDER_NOT_EMPTY]');
      expect(await readdir(thesis)).toEqual(['thesis.tex']);
    }
  });

  it('unfold train refuses an existing experiment, resumes it with --resume, starts over with --force', async () => {
    const exp = join(base, 'exp-cli');
    expect((await train(exp)).code).toBe(0);
    const again = await train(exp);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('error [EXPERIMENT_EXISTS]');
    expect(again.stderr).toContain('--resume');
    expect(await exists(join(exp, 'model', 'model.json'))).toBe(true);

    const resumed = await runCli(['train', '--out', exp, '--resume', '--epochs', '2', '--json']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const log = await readFile(join(exp, 'log.jsonl'), 'utf8');
    expect(log).toContain('"type":"resume"');
    expect(loggedEpochs(log)).toEqual([1, 2]);

    const forced = await train(exp, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/--force: deleting \d+ files of the previous run in /);
    expect(forced.stderr).toContain('log.jsonl');
    expect(loggedEpochs(await readFile(join(exp, 'log.jsonl'), 'utf8'))).toEqual([1]);
  });

  it('unfold eval finds the corpus of an experiment given by path without --data', async () => {
    const exp = join(base, 'exp-cli');
    const elsewhere = join(base, 'another-data-folder');
    const result = await runCli(['eval', exp, '--json'], {
      ...process.env,
      UNFOLD_DATA: elsewhere,
    });
    expect(result.stdout).not.toContain('CORPUS_NOT_FOUND');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ task: 'phones', utterances: 4 });
    // --data still overrides: that data folder has no corpus "tones".
    const overridden = await runCli(['eval', exp, '--json', '--data', elsewhere]);
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toContain('CORPUS');
  });
});
