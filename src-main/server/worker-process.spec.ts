import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkWorker, JOB_PROCESS_V8_FLAGS, processJobFlags } from './worker-process';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-worker-process-'));
  // A job process stand-in that reports the flags it was started with.
  await writeFile(
    join(dir, 'flags.cjs'),
    'process.send(process.execArgv, () => process.exit(0));\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('forkWorker', () => {
  it('starts a job process with the job V8 flags, the entry flags and its heap limit', async () => {
    const child = forkWorker({
      path: join(dir, 'flags.cjs'),
      execArgv: ['--no-warnings'],
      maxHeapMb: 512,
    });
    const execArgv = await new Promise<string[]>((resolve, reject) => {
      child.once('message', (message) => resolve(message as string[]));
      child.once('error', reject);
    });
    expect(execArgv).toEqual([
      ...JOB_PROCESS_V8_FLAGS,
      '--no-warnings',
      '--max-old-space-size=512',
    ]);
  });
});

describe('processJobFlags', () => {
  it('tells a bench process started with the job flags from one without them', () => {
    expect(processJobFlags([...JOB_PROCESS_V8_FLAGS, '--no-warnings'])).toEqual({
      nodeFlags: [...JOB_PROCESS_V8_FLAGS],
      runsWithJobProcessFlags: true,
    });
    expect(processJobFlags(['--max-old-space-size=512', '--no-warnings'])).toEqual({
      nodeFlags: ['--max-old-space-size=512'],
      runsWithJobProcessFlags: false,
    });
  });
});
