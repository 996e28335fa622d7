import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SweepPlan } from '../sweep-plan';
import { folderHash, packFolderStream, unpackFolderStream } from './folder-bundle';
import { TRANSFER_PATHS, fetchBundle, uploadBundle } from './run-job';
import type { RunTransport } from './run-job';
import { startSweepFileServer } from './sweep-file-server';
import type { SweepFileServer } from './sweep-file-server';

const made: string[] = [];
let server: SweepFileServer | null = null;
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'unfold-file-server-'));
  made.push(dir);
  return dir;
}
afterEach(async () => {
  await server?.close();
  server = null;
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Bigger than any one chunk or buffer on the way (a few MB, so the test stays fast). */
const BIG = 3 * 1024 * 1024 + 123;

describe('the sweep file server streams folders', () => {
  it('serves a corpus (GET) and takes a run folder back (PUT) larger than any buffer', async () => {
    const dataDir = await folder();
    const corpusDir = join(dataDir, 'corpora', 'speech');
    await mkdir(join(corpusDir, 'audio'), { recursive: true });
    const corpusBytes = randomBytes(BIG);
    await writeFile(join(corpusDir, 'audio', 'all.raw'), corpusBytes);
    await writeFile(join(corpusDir, 'corpus.json'), '{"name":"speech"}');
    const sweepDir = join(dataDir, 'sweeps', 'big');
    await mkdir(sweepDir, { recursive: true });
    const plan = { runs: [{ experiment: 'big-1' }] } as unknown as SweepPlan;
    server = await startSweepFileServer({ plan, dataDir, sweepDir, corpusDir });
    const transport: Extract<RunTransport, { kind: 'http' }> = {
      kind: 'http',
      url: server.url,
      token: server.token,
      corpusHash: server.corpusHash,
    };

    // GET: the worker's copy of the corpus is the submitter's, byte for byte.
    const workerDir = await folder();
    const corpusStream = await fetchBundle(transport, TRANSFER_PATHS.corpus(server.corpusHash));
    expect(corpusStream).not.toBeNull();
    await unpackFolderStream(corpusStream!, join(workerDir, 'corpora', 'speech'), {
      stagingDir: join(workerDir, 'staging'),
    });
    const received = await readFile(join(workerDir, 'corpora', 'speech', 'audio', 'all.raw'));
    expect(received.equals(corpusBytes)).toBe(true);
    expect(await folderHash(join(workerDir, 'corpora', 'speech'))).toBe(server.corpusHash);
    expect(server.traffic.sent).toBeGreaterThan(BIG);

    // PUT: a run's folder goes back and is swapped in whole.
    const runDir = join(workerDir, 'experiments', 'big-1');
    await mkdir(join(runDir, 'checkpoints'), { recursive: true });
    const weights = randomBytes(BIG);
    await writeFile(join(runDir, 'config.json'), '{"name":"big-1"}');
    await writeFile(join(runDir, 'checkpoints', 'weights.bin'), weights);
    const sent = await uploadBundle(
      transport,
      TRANSFER_PATHS.run('big-1'),
      packFolderStream(runDir, { snapshotDir: join(workerDir, 'staging') }),
    );
    expect(sent).toBeGreaterThan(BIG);
    expect(server.traffic.received).toBe(sent);
    const stored = join(dataDir, 'experiments', 'big-1');
    expect((await readFile(join(stored, 'checkpoints', 'weights.bin'))).equals(weights)).toBe(true);
    expect(await folderHash(stored)).toBe(await folderHash(runDir));
    // The staging folder holds nothing afterwards (no half upload, no snapshot).
    expect(await readdir(join(sweepDir, 'incoming'))).toEqual([]);

    // GET of the run (a retry elsewhere resumes from it): what was sent back.
    const again = join(await folder(), 'big-1');
    await unpackFolderStream((await fetchBundle(transport, TRANSFER_PATHS.run('big-1')))!, again);
    expect(await folderHash(again)).toBe(await folderHash(runDir));
  });

  it('refuses a bad upload with 400 and keeps the folder it has', async () => {
    const dataDir = await folder();
    const corpusDir = join(dataDir, 'corpora', 'tiny');
    await mkdir(corpusDir, { recursive: true });
    await writeFile(join(corpusDir, 'a.txt'), 'a');
    const sweepDir = join(dataDir, 'sweeps', 'tiny');
    const plan = { runs: [{ experiment: 'tiny-1' }] } as unknown as SweepPlan;
    server = await startSweepFileServer({ plan, dataDir, sweepDir, corpusDir });
    const transport: Extract<RunTransport, { kind: 'http' }> = {
      kind: 'http',
      url: server.url,
      token: server.token,
      corpusHash: server.corpusHash,
    };
    const stored = join(dataDir, 'experiments', 'tiny-1');
    await mkdir(stored, { recursive: true });
    await writeFile(join(stored, 'config.json'), 'kept');
    async function* notABundle(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(4096, 65);
    }
    await expect(
      uploadBundle(transport, TRANSFER_PATHS.run('tiny-1'), notABundle()),
    ).rejects.toThrow(/refused .*\(400\)/);
    expect(await readFile(join(stored, 'config.json'), 'utf8')).toBe('kept');
    expect(await readdir(join(sweepDir, 'incoming'))).toEqual([]);
  });
});
