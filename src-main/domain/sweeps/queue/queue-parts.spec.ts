import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseQueueUrl, queuePassword } from './queue-connection';
import { workerMode } from './run-job';

const made: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'unfold-queue-parts-'));
  made.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('queue connections', () => {
  it('reads host, port, db and user from the URL, the password from elsewhere only', () => {
    expect(parseQueueUrl('redis://lab@queue-pc:6380/2', 'pw')).toEqual({
      host: 'queue-pc',
      port: 6380,
      db: 2,
      username: 'lab',
      password: 'pw',
      maxRetriesPerRequest: null,
    });
    expect(parseQueueUrl('redis://queue-pc', undefined)).toMatchObject({ port: 6379, db: 0 });
    expect(() => parseQueueUrl('redis://:secret@queue-pc:6379', undefined)).toThrow(
      'Do not put the password in the queue URL',
    );
    expect(() => parseQueueUrl('http://queue-pc', undefined)).toThrow('must start with redis://');
  });

  it('takes the password file first line, else the environment', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'pw'), 'from-file\nignored\n');
    expect(await queuePassword(join(dir, 'pw'), { UNFOLD_REDIS_PASSWORD: 'env' })).toBe(
      'from-file',
    );
    expect(await queuePassword(undefined, { UNFOLD_REDIS_PASSWORD: 'env' })).toBe('env');
    expect(await queuePassword(undefined, {})).toBeUndefined();
    await expect(queuePassword(join(dir, 'missing'))).rejects.toThrow(
      'Cannot read the password file',
    );
  });
});

// Folder bundles: folder-bundle.spec.ts.

describe('worker modes', () => {
  it('resumes a retried or resumed run that has its experiment, else trains it afresh', () => {
    expect(workerMode('train', { retried: false, hasExperiment: true })).toBe('train');
    expect(workerMode('train', { retried: true, hasExperiment: true })).toBe('resume');
    expect(workerMode('resume', { retried: false, hasExperiment: false })).toBe('train');
    expect(workerMode('evaluate', { retried: true, hasExperiment: true })).toBe('evaluate');
  });
});
