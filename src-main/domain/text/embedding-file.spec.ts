import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import type { Progress } from '../jobs/progress';
import { embeddingTable, readEmbeddingFile } from './embedding-file';
import { PAD_ID, UNK_ID, Vocabulary } from './vocabulary';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unfold-embeddings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function errorOf(promise: Promise<unknown>): Promise<UnfoldError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UnfoldError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const vector = (values: number[]) => Float32Array.from(values);

describe('readEmbeddingFile', () => {
  it('reads word2vec text with its header', async () => {
    const path = await fileWith('w2v.vec', '3 2\nthe 0.5 -1\nCat 1e-3 2.25\n. 0 0 \n');
    const file = await readEmbeddingFile(path);
    expect(file.format).toBe('word2vec');
    expect(file.dimension).toBe(2);
    expect(file.lines).toBe(3);
    expect([...file.vectors.keys()]).toEqual(['the', 'Cat', '.']);
    expect(file.vectors.get('the')).toEqual(vector([0.5, -1]));
    expect(file.vectors.get('Cat')).toEqual(vector([0.001, 2.25]));
  });

  it('reads GloVe text, CRLF lines, and words with spaces', async () => {
    const path = await fileWith('glove.txt', 'the 0.1 0.2 0.3\r\n. . . 1 2 3\r\nof -0.5 0 7\r\n');
    const file = await readEmbeddingFile(path);
    expect(file.format).toBe('glove');
    expect(file.dimension).toBe(3);
    expect(file.lines).toBe(3);
    expect(file.vectors.get('the')).toEqual(vector([0.1, 0.2, 0.3]));
    expect(file.vectors.get('. . .')).toEqual(vector([1, 2, 3]));
    expect(file.vectors.get('of')).toEqual(vector([-0.5, 0, 7]));
  });

  it('keeps only the wanted words', async () => {
    const path = await fileWith('wanted.txt', 'a 1 2\nb 3 4\nc 5 6\n');
    const file = await readEmbeddingFile(path, { wanted: (word) => word !== 'b' });
    expect([...file.vectors.keys()]).toEqual(['a', 'c']);
    expect(file.lines).toBe(3);
  });

  it('reports a line with the wrong number of values with its line number', async () => {
    const path = await fileWith('short.txt', 'a 1 2 3\nb 4 5 6\nc 7 8\n');
    const error = await errorOf(readEmbeddingFile(path));
    expect(error.code).toBe('EMBEDDING_FILE_LINE');
    expect(error.message).toBe(`${path}:3: expected a word and 3 numbers, found 2 values`);
    const long = await fileWith('long.vec', '2 2\na 1 2\nb 3 4 5\n');
    expect((await errorOf(readEmbeddingFile(long))).message).toBe(
      `${long}:3: expected a word and 2 numbers, found 3 values`,
    );
  });

  it('reports a value that is not a number with its line number', async () => {
    const path = await fileWith('nan.txt', 'a 1 2\nb 3 x4\n');
    const error = await errorOf(readEmbeddingFile(path));
    expect(error.message).toBe(`${path}:2: value 2 of "b" is not a number: "x4"`);
    expect(error.details).toEqual({ file: path, line: 2 });
  });

  it('reports a word2vec file shorter than its header says', async () => {
    const path = await fileWith('cut.vec', '3 2\na 1 2\n');
    expect((await errorOf(readEmbeddingFile(path))).message).toMatch(
      /announces 3 vectors but the file holds 1/,
    );
  });

  it('refuses invalid UTF-8 naming the file and line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a 1 2\nb 3 4\n'),
      Buffer.from([0x63, 0xff, 0x20, 0x31, 0x20, 0x32, 0x0a]),
    ]);
    const path = await fileWith('latin1.txt', bytes);
    const error = await errorOf(readEmbeddingFile(path));
    expect(error.code).toBe('EMBEDDING_FILE_LINE');
    expect(error.message).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid UTF-8`),
    );
  });

  it('counts lines across read chunks', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `w${i} ${i} ${-i} 0.5`);
    lines[54_321] = 'broken 1 2';
    const path = await fileWith('big.txt', lines.join('\n') + '\n');
    expect((await errorOf(readEmbeddingFile(path))).message).toBe(
      `${path}:54322: expected a word and 3 numbers, found 2 values`,
    );
  });

  it('reports progress up to 1', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `w${i} ${i} 1 2`);
    const path = await fileWith('progress.txt', lines.join('\n'));
    const progress: Progress[] = [];
    const file = await readEmbeddingFile(path, { onProgress: (p) => progress.push(p) });
    expect(file.lines).toBe(100_000);
    expect(file.vectors.get('w99999')).toEqual(vector([99999, 1, 2]));
    expect(progress.length).toBeGreaterThan(1);
    const fractions = progress.map((p) => p.fraction ?? -1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[0]).toBeLessThan(1);
    expect(fractions[fractions.length - 1]).toBe(1);
  });

  it('stops when aborted', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `w${i} ${i} 1 2`);
    const path = await fileWith('abort.txt', lines.join('\n'));
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await errorOf(
      readEmbeddingFile(path, {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p.fraction ?? -1);
          controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeLessThan(1);
    const aborted = new AbortController();
    aborted.abort();
    expect((await errorOf(readEmbeddingFile(path, { signal: aborted.signal }))).code).toBe(
      'CANCELLED',
    );
  });
});

describe('embeddingTable', () => {
  const vocab = Vocabulary.build(
    new Map([
      ['the', 5],
      ['Paris', 4],
      ['zyx', 3],
      ['cat', 2],
    ]),
    { minCount: 1, lowercase: false },
  );
  const vectors = new Map([
    ['the', vector([1, 2])],
    ['paris', vector([3, 4])],
    ['cat', vector([5, 6])],
    ['Cat', vector([7, 8])],
  ]);

  it('copies found vectors, exact before lower-cased, and counts the coverage', () => {
    const { table, coverage } = embeddingTable(vocab, vectors, 2, { seed: 1 });
    const row = (word: string) => [...table.subarray(vocab.id(word) * 2, vocab.id(word) * 2 + 2)];
    expect(row('the')).toEqual([1, 2]);
    expect(row('Paris')).toEqual([3, 4]);
    expect(row('cat')).toEqual([5, 6]);
    expect(coverage).toEqual({ words: 4, found: 2, foundLowercase: 1, fraction: 0.75 });
  });

  it('gives PAD zeros and missing words and UNK small seeded random vectors', () => {
    const { table } = embeddingTable(vocab, vectors, 2, { seed: 1 });
    const again = embeddingTable(vocab, vectors, 2, { seed: 1 }).table;
    const other = embeddingTable(vocab, vectors, 2, { seed: 2 }).table;
    expect([...table.subarray(PAD_ID * 2, PAD_ID * 2 + 2)]).toEqual([0, 0]);
    const missing = [
      ...table.subarray(vocab.id('zyx') * 2, vocab.id('zyx') * 2 + 2),
      ...table.subarray(UNK_ID * 2, UNK_ID * 2 + 2),
    ];
    for (const value of missing) {
      expect(value).not.toBe(0);
      expect(Math.abs(value)).toBeLessThanOrEqual(Math.sqrt(3 / 2));
    }
    expect(again).toEqual(table);
    expect(other).not.toEqual(table);
  });

  it('refuses a vector of the wrong dimension', () => {
    expect(() =>
      embeddingTable(vocab, new Map([['the', vector([1, 2, 3])]]), 2, { seed: 1 }),
    ).toThrow(/3 values, not 2/);
  });
});
