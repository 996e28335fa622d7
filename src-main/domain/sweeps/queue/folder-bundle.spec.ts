import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import type { HeaderData } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import {
  folderHash,
  packFolderStream,
  removeAbandonedTransfers,
  unpackFolderStream,
} from './folder-bundle';

const made: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'unfold-bundle-'));
  made.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function bytesOf(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* chunksOf(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** A tar archive written by hand, for entries packFolderStream never makes. */
function tarOf(entries: { header: HeaderData; body?: string }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { header, body = '' } of entries) {
    const encoded = new Header({ mode: 0o644, size: Buffer.byteLength(body), ...header });
    encoded.encode();
    blocks.push(encoded.block as Buffer);
    const data = Buffer.from(body);
    blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Everything under a folder, path -> content, to compare a folder before and after. */
async function contentOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile())
      out[join(entry.parentPath, entry.name).slice(dir.length + 1)] = await readFile(
        join(entry.parentPath, entry.name),
        'utf8',
      );
  return out;
}

/** A target folder with content of its own, in a parent used only for it. */
async function existingTarget(): Promise<{ parent: string; target: string }> {
  const parent = await folder();
  const target = join(parent, 'run');
  await mkdir(join(target, 'checkpoints'), { recursive: true });
  await writeFile(join(target, 'config.json'), 'old config');
  await writeFile(join(target, 'checkpoints', 'w.bin'), 'old weights');
  return { parent, target };
}

const OLD_TARGET = { 'config.json': 'old config', 'checkpoints/w.bin': 'old weights' };

describe('folder bundles (tar streams)', () => {
  it('round-trips nested files and an empty file, replacing what was there', async () => {
    const source = await folder();
    const longName = `${'deep/'.repeat(30)}weights-ü.bin`;
    await mkdir(join(source, 'checkpoints', 'last'), { recursive: true });
    await mkdir(join(source, ...longName.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(source, 'config.json'), '{"a":1}');
    await writeFile(join(source, 'empty.txt'), '');
    await writeFile(join(source, 'checkpoints', 'last', 'weights.bin'), new Uint8Array([1, 2, 3]));
    await writeFile(join(source, ...longName.split('/')), 'long');
    // An atomic write's temporary file and a lock do not travel.
    await writeFile(join(source, 'log.jsonl.123456'), 'half');
    await writeFile(join(source, 'run.lock'), '');
    const { parent, target } = await existingTarget();

    const packed = await bytesOf(packFolderStream(source));
    const { bytes } = await unpackFolderStream(chunksOf(packed, 700), target);
    expect(bytes).toBe(packed.length);
    expect(await contentOf(target)).toEqual({
      'config.json': '{"a":1}',
      'empty.txt': '',
      'checkpoints/last/weights.bin': '\u0001\u0002\u0003',
      [longName]: 'long',
    });
    // Nothing left beside it: no staging folder, no snapshot.
    expect(await readdir(parent)).toEqual(['run']);
    expect((await readdir(source)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('hashes equal folders equally and a changed one differently', async () => {
    const source = await folder();
    await mkdir(join(source, 'a'));
    await writeFile(join(source, 'a', 'x.txt'), 'x');
    await writeFile(join(source, 'empty'), '');
    const copy = join(await folder(), 'copy');
    await unpackFolderStream(packFolderStream(source), copy);
    expect(await folderHash(copy)).toBe(await folderHash(source));
    expect(await folderHash(source)).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(copy, 'a', 'x.txt'), 'y');
    expect(await folderHash(copy)).not.toBe(await folderHash(source));
  });

  it('sends the folder as it was when the stream began, though it changes meanwhile', async () => {
    const source = await folder();
    await writeFile(join(source, 'config.json'), 'first');
    await writeFile(join(source, 'gone.txt'), 'here at the start');
    const stream = packFolderStream(source, { snapshotDir: await folder() });
    const iterator = stream[Symbol.asyncIterator]();
    const first = (await iterator.next()) as IteratorResult<Buffer>;
    // An atomic rewrite (a new file renamed over the name), a file removed, one added.
    await writeFile(join(source, 'config.json.99'), 'second');
    await rename(join(source, 'config.json.99'), join(source, 'config.json'));
    await rm(join(source, 'gone.txt'));
    await writeFile(join(source, 'new.txt'), 'new');
    const rest: Buffer[] = [first.value];
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest.push(next.value as Buffer);
    const target = join(await folder(), 'run');
    await unpackFolderStream(chunksOf(Buffer.concat(rest)), target);
    expect(await contentOf(target)).toEqual({
      'config.json': 'first',
      'gone.txt': 'here at the start',
    });
  });

  it('removes its snapshot when the reader stops midway', async () => {
    const source = await folder();
    await writeFile(join(source, 'big.bin'), Buffer.alloc(1 << 20, 7));
    const snapshots = await folder();
    const stream = packFolderStream(source, { snapshotDir: snapshots });
    await stream[Symbol.asyncIterator]().next();
    expect((await readdir(snapshots)).length).toBe(1);
    // The stream closes once its generator has run its clean-up.
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy();
    await closed;
    expect(await readdir(snapshots)).toEqual([]);
  });

  const badEntries: [string, { header: HeaderData; body?: string }][] = [
    ['an absolute path', { header: { path: '/etc/x', type: 'File' }, body: 'x' }],
    ['a .. segment', { header: { path: '../escape.txt', type: 'File' }, body: 'x' }],
    ['a .. segment inside', { header: { path: 'a/../../b', type: 'File' }, body: 'x' }],
    ['a backslash', { header: { path: 'a\\b', type: 'File' }, body: 'x' }],
    ['a symbolic link', { header: { path: 'link', type: 'SymbolicLink', linkpath: '/etc' } }],
    ['a hard link', { header: { path: 'twin', type: 'Link', linkpath: 'config.json' } }],
    ['a device', { header: { path: 'dev', type: 'CharacterDevice' } }],
  ];
  for (const [kind, bad] of badEntries)
    it(`refuses ${kind} and leaves the target folder untouched`, async () => {
      const { parent, target } = await existingTarget();
      // A good entry first: something is already staged when the bad one comes.
      const archive = tarOf([{ header: { path: 'config.json', type: 'File' }, body: 'new' }, bad]);
      const error = await unpackFolderStream(chunksOf(archive), target).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'BAD_BUNDLE' });
      expect(await contentOf(target)).toEqual(OLD_TARGET);
      expect(await readdir(parent)).toEqual(['run']);
    });

  it('takes directory entries, and refuses a path given twice', async () => {
    const { target } = await existingTarget();
    await unpackFolderStream(
      chunksOf(
        tarOf([
          { header: { path: 'sub/', type: 'Directory', mode: 0o755 } },
          { header: { path: 'sub/a.txt', type: 'File' }, body: 'a' },
        ]),
      ),
      target,
    );
    expect(await contentOf(target)).toEqual({ 'sub/a.txt': 'a' });
    const twice = tarOf([
      { header: { path: 'a.txt', type: 'File' }, body: 'a' },
      { header: { path: 'a.txt', type: 'File' }, body: 'b' },
    ]);
    await expect(unpackFolderStream(chunksOf(twice), target)).rejects.toMatchObject({
      code: 'BAD_BUNDLE',
    });
    expect(await contentOf(target)).toEqual({ 'sub/a.txt': 'a' });
  });

  it('leaves the old folder whole when the stream is cut short, breaks or is not a bundle', async () => {
    const source = await folder();
    await writeFile(join(source, 'a.bin'), Buffer.alloc(5000, 1));
    await writeFile(join(source, 'b.bin'), Buffer.alloc(3000, 2));
    const packed = await bytesOf(packFolderStream(source));
    const { parent, target } = await existingTarget();
    // a.bin is a header and 10 blocks: cut inside it, and right after it (no b.bin, no end).
    for (const cut of [2048, 512 * 11, packed.length - 1024]) {
      const error = await unpackFolderStream(chunksOf(packed.subarray(0, cut)), target).catch(
        (caught: unknown) => caught,
      );
      expect(error, `cut at ${cut}`).toMatchObject({ code: 'BAD_BUNDLE' });
      expect(await contentOf(target)).toEqual(OLD_TARGET);
    }
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield packed.subarray(0, 4096);
      throw new Error('connection reset');
    }
    await expect(unpackFolderStream(broken(), target)).rejects.toThrow('connection reset');
    await expect(
      unpackFolderStream(chunksOf(Buffer.from('{"format":"not a tar"}'.repeat(100))), target),
    ).rejects.toMatchObject({ code: 'BAD_BUNDLE' });
    expect(await contentOf(target)).toEqual(OLD_TARGET);
    expect(await readdir(parent)).toEqual(['run']);
  });

  it('refuses a bundle larger than its limit', async () => {
    const source = await folder();
    await writeFile(join(source, 'a.bin'), Buffer.alloc(10_000, 1));
    const { target } = await existingTarget();
    await expect(
      unpackFolderStream(packFolderStream(source), target, { maxBytes: 8000 }),
    ).rejects.toMatchObject({ code: 'BUNDLE_TOO_LARGE' });
    expect(await contentOf(target)).toEqual(OLD_TARGET);
  });
});

describe('abandoned transfers', () => {
  it("removes the snapshots and staged folders of processes that are gone, and keeps a live one's", async () => {
    const dir = await folder();
    // A pid that was running and has ended.
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const gone = Number(ended.stdout);
    const names = {
      goneSnapshot: `.snapshot-run-1-${gone}-1765000000000-abc123`,
      goneIncoming: `.incoming-my-corpus-${gone}-1765000000000-z9`,
      goneOutgoing: `.outgoing-run-2-${gone}-1765000000000-q`,
      live: `.snapshot-run-3-${process.pid}-1765000000000-abc`,
      other: 'run-4',
    };
    for (const name of Object.values(names)) {
      await mkdir(join(dir, name, 'sub'), { recursive: true });
      await writeFile(join(dir, name, 'sub', 'f.txt'), 'x');
    }
    const removed = await removeAbandonedTransfers(dir);
    expect(removed.sort()).toEqual(
      [names.goneIncoming, names.goneOutgoing, names.goneSnapshot].sort(),
    );
    expect((await readdir(dir)).sort()).toEqual([names.live, names.other].sort());
    expect(await removeAbandonedTransfers(join(dir, 'missing'))).toEqual([]);
  });
});
