import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { decodeUtf8 } from '../corpus/formats/utf8';
import { problemFromError } from '../corpus/formats/parse-error';
import { UnfoldError, throwIfAborted } from '../errors';
import type { LongOperationOptions } from '../jobs/progress';
import { mulberry32 } from '../seeded-random';
import { PAD_ID, type Vocabulary } from './vocabulary';

export type EmbeddingFileFormat = 'word2vec' | 'glove';

export interface EmbeddingFile {
  /** word2vec text starts with a "count dimension" line; GloVe text has none. */
  format: EmbeddingFileFormat;
  dimension: number;
  /** The vectors of the wanted words (every word when no filter was given); the first of duplicates wins. */
  vectors: Map<string, Float32Array>;
  /** Number of vector lines in the file (header and blank lines not counted). */
  lines: number;
}

export interface ReadEmbeddingOptions extends LongOperationOptions {
  /** Keeps only the vectors of these words. Lines of other words are checked for their number of fields only: parsing every number of a multi-gigabyte file would take minutes. */
  wanted?: (word: string) => boolean;
}

const CHUNK_BYTES = 1 << 20;
const LF = 0x0a;

/**
 * Reads pre-trained word vectors from a word2vec text (.vec, .txt with a header) or GloVe text
 * file, streamed so a 5 GB file does not have to fit in memory. Progress is the fraction of
 * bytes read. A malformed line is reported with its line number.
 */
export async function readEmbeddingFile(
  path: string,
  options: ReadEmbeddingOptions = {},
): Promise<EmbeddingFile> {
  const { wanted, onProgress, signal } = options;
  throwIfAborted(signal);
  const totalBytes = (await stat(path)).size;
  const reader = new EmbeddingLineReader(path, wanted);
  let pending: Uint8Array = new Uint8Array(0);
  let bytesRead = 0;
  let lineNumber = 1;
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES, signal });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(signal);
      bytesRead += chunk.length;
      const lastLf = chunk.lastIndexOf(LF);
      if (lastLf === -1) {
        pending = concatBytes(pending, chunk);
        continue;
      }
      // Whole lines only: a line never ends inside a UTF-8 sequence.
      const block = concatBytes(pending, chunk.subarray(0, lastLf + 1));
      pending = Uint8Array.from(chunk.subarray(lastLf + 1));
      lineNumber = readBlock(reader, block, path, lineNumber);
      onProgress?.({
        fraction: totalBytes > 0 ? bytesRead / totalBytes : 1,
        message: 'Reading word vectors',
      });
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') throwIfAborted(signal);
    throw error;
  }
  throwIfAborted(signal);
  if (pending.length > 0) readBlock(reader, pending, path, lineNumber);
  onProgress?.({ fraction: 1, message: 'Reading word vectors' });
  return reader.result();
}

function readBlock(
  reader: EmbeddingLineReader,
  block: Uint8Array,
  path: string,
  firstLine: number,
): number {
  let text: string;
  try {
    text = decodeUtf8(block, path);
  } catch (error) {
    const problem = problemFromError(error, path);
    const line = firstLine + Math.max(problem.line, 1) - 1;
    throw new UnfoldError(
      'EMBEDDING_FILE_LINE',
      `${path}:${line}: ${problem.message}; binary word2vec files (.bin) must be converted to text first`,
      { file: path, line },
    );
  }
  const lines = text.split('\n');
  // The block ends with a newline except for the file's last line.
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) reader.readLine(line, firstLine++);
  return firstLine;
}

class EmbeddingLineReader {
  private format: EmbeddingFileFormat | undefined;
  private dimension = 0;
  private announced: number | undefined;
  private lines = 0;
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    private readonly path: string,
    private readonly wanted: ((word: string) => boolean) | undefined,
  ) {}

  readLine(raw: string, lineNumber: number): void {
    const line = raw.trimEnd();
    if (line === '') return;
    const fields = line.split(' ');
    if (this.format === undefined) {
      if (fields.length === 2 && /^\d+$/.test(fields[0]!) && /^\d+$/.test(fields[1]!)) {
        this.format = 'word2vec';
        this.announced = Number(fields[0]);
        this.dimension = Number(fields[1]);
        if (this.dimension < 1)
          this.fail(lineNumber, 'the header announces vectors of dimension 0');
        return;
      }
      this.format = 'glove';
      this.dimension = fields.length - 1;
      if (this.dimension < 1) this.fail(lineNumber, 'expected a word followed by its vector');
    }
    // GloVe's 840B file has words with spaces in them (". . ."): the word is everything before
    // the last `dimension` fields, as long as it does not end in a number (then values are extra).
    const wordFields = fields.length - this.dimension;
    if (wordFields < 1 || (wordFields > 1 && isNumber(fields[wordFields - 1]!))) {
      this.fail(
        lineNumber,
        `expected a word and ${this.dimension} numbers, found ${fields.length - 1} values`,
      );
    }
    const word = wordFields === 1 ? fields[0]! : fields.slice(0, wordFields).join(' ');
    if (word === '') this.fail(lineNumber, 'the line starts with a space instead of a word');
    this.lines++;
    if (!this.wantedWord(word) || this.vectors.has(word)) return;
    const vector = new Float32Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) {
      const field = fields[wordFields + i]!;
      const value = Number(field);
      if (!isNumber(field)) {
        this.fail(lineNumber, `value ${i + 1} of "${word}" is not a number: "${field}"`);
      }
      vector[i] = value;
    }
    this.vectors.set(word, vector);
  }

  result(): EmbeddingFile {
    if (this.format === undefined)
      throw new UnfoldError('EMBEDDING_FILE_LINE', `${this.path}: the file holds no vectors`, {
        file: this.path,
        line: 0,
      });
    if (this.announced !== undefined && this.announced !== this.lines) {
      throw new UnfoldError(
        'EMBEDDING_FILE_LINE',
        `${this.path}: the header announces ${this.announced} vectors but the file holds ${this.lines} (is it complete?)`,
        { file: this.path, line: 1 },
      );
    }
    return {
      format: this.format,
      dimension: this.dimension,
      vectors: this.vectors,
      lines: this.lines,
    };
  }

  private wantedWord(word: string): boolean {
    return this.wanted === undefined || this.wanted(word);
  }

  private fail(line: number, message: string): never {
    throw new UnfoldError('EMBEDDING_FILE_LINE', `${this.path}:${line}: ${message}`, {
      file: this.path,
      line,
    });
  }
}

function isNumber(field: string): boolean {
  return field !== '' && Number.isFinite(Number(field));
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

export interface EmbeddingCoverage {
  /** Vocabulary words, PAD and UNK not counted. */
  words: number;
  /** Words found as they are. */
  found: number;
  /** Words found only in lower case ("Paris" from a lower-cased GloVe file). */
  foundLowercase: number;
  /** (found + foundLowercase) / words; 0 for an empty vocabulary. */
  fraction: number;
}

/**
 * The initial embedding matrix of a vocabulary, [vocab.size * dimension] row-major: a word's
 * pre-trained vector (or its lower-cased form's), else small random values drawn uniformly
 * from +-sqrt(3 / dimension) as Ma & Hovy (2016) do; UNK gets random values too, PAD zeros.
 */
export function embeddingTable(
  vocab: Vocabulary,
  vectors: ReadonlyMap<string, Float32Array>,
  dimension: number,
  options: { seed: number },
): { table: Float32Array; coverage: EmbeddingCoverage } {
  const table = new Float32Array(vocab.size * dimension);
  const random = mulberry32(options.seed);
  const scale = Math.sqrt(3 / dimension);
  let found = 0;
  let foundLowercase = 0;
  for (let id = 0; id < vocab.size; id++) {
    if (id === PAD_ID) continue;
    const word = vocab.word(id);
    let vector = id > 1 ? vectors.get(word) : undefined;
    if (vector) found++;
    else if (id > 1 && (vector = vectors.get(word.toLowerCase()))) foundLowercase++;
    if (vector) {
      if (vector.length !== dimension) {
        throw new UnfoldError(
          'EMBEDDING_FILE_LINE',
          `The vector of "${word}" has ${vector.length} values, not ${dimension}.`,
        );
      }
      table.set(vector, id * dimension);
    } else {
      for (let i = 0; i < dimension; i++) table[id * dimension + i] = (random() * 2 - 1) * scale;
    }
  }
  const words = Math.max(vocab.size - 2, 0);
  return {
    table,
    coverage: {
      words,
      found,
      foundLowercase,
      fraction: words > 0 ? (found + foundLowercase) / words : 0,
    },
  };
}
