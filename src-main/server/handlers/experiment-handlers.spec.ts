import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { experimentRequests } from '../../api/channels/experiment-channels';
import { presetConfig } from '../../domain/speech/index';
import { createExperimentHandlers } from './experiment-handlers';
import type { HandlerContext } from './handler-context';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-exp-handlers-'));
  const dir = join(dataDir, 'experiments', 'run1');
  await mkdir(join(dir, 'eval', 'test'), { recursive: true });
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify(presetConfig('digits-small-lstm', 'digits', 'run1')),
  );
  await writeFile(
    join(dir, 'log.jsonl'),
    '{"type":"start","time":"t"}\n{"type":"epoch","time":"t","epoch":1,"loss":1.5}\n',
  );
  await writeFile(
    join(dir, 'metrics.json'),
    JSON.stringify({ training: { epochs: 1 }, evaluations: { test: { accuracy: 0.5 } } }),
  );
  await writeFile(
    join(dir, 'eval', 'test', 'confusion.json'),
    JSON.stringify({
      labels: ['yes', 'no'],
      counts: [
        [1, 1],
        [0, 2],
      ],
    }),
  );
  await writeFile(
    join(dir, 'eval', 'test', 'predictions.json'),
    JSON.stringify({ corpus: '/c', split: 'test', predictions: [{ utteranceId: 'u1' }] }),
  );
  // Not an experiment: left out of the list.
  await mkdir(join(dataDir, 'experiments', 'junk'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function handlers(): ReturnType<typeof createExperimentHandlers> {
  return createExperimentHandlers({ dataDir } as HandlerContext);
}

describe('experiment handlers', () => {
  it('lists experiments with their task, corpus and metrics', async () => {
    const list = await handlers()['experiments:list'](undefined);
    expect(list.map((e) => [e.name, e.task, e.corpus])).toEqual([['run1', 'words', 'digits']]);
    expect(list[0]?.metrics).toMatchObject({ training: { epochs: 1 } });
    expect(list[0]?.created).toMatch(/^\d{4}-/);
  });

  it('gets the config, log lines and available evaluations', async () => {
    const detail = await handlers()['experiments:get']({ name: 'run1' });
    expect(detail.config).toMatchObject({ name: 'run1', task: 'words' });
    expect(detail.log.map((l) => l.type)).toEqual(['start', 'epoch']);
    expect(detail.evaluations).toEqual(['test']);
  });

  it('reads an evaluation, and says plainly when there is none', async () => {
    const evaluation = await handlers()['experiments:evaluation']({ name: 'run1', split: 'test' });
    expect(evaluation.confusion.counts).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(evaluation.summary).toEqual({ accuracy: 0.5 });
    expect(evaluation.predictions).toHaveLength(1);
    await expect(
      handlers()['experiments:evaluation']({ name: 'run1', split: 'dev' }),
    ).rejects.toMatchObject({ code: 'EVALUATION_NOT_FOUND' });
  });

  it('gives every preset for a corpus', async () => {
    const presets = await handlers()['experiments:presets']({ corpus: 'digits' });
    expect(presets.map((p) => p.task)).toEqual(['words', 'phones']);
    expect(presets[0]?.config).toMatchObject({ corpus: 'digits' });
  });

  it('refuses names that are paths', () => {
    const schema = experimentRequests['experiments:get'].params;
    expect(schema.safeParse({ name: '../x' }).success).toBe(false);
    expect(schema.safeParse({ name: '..' }).success).toBe(false);
    expect(schema.safeParse({ name: '/etc' }).success).toBe(false);
    expect(schema.safeParse({ name: 'run1' }).success).toBe(true);
  });
});
