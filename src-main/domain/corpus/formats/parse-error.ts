import { UnfoldError } from '../../errors';

/** A problem in a corpus file, located so that the user can open the file at that line. */
export interface FileProblem {
  file: string;
  /** 1-based line number; 0 when the problem concerns the whole file. */
  line: number;
  message: string;
}

/** Parsers throw this: the message starts with `file:line:` like a compiler's. */
export function parseError(file: string, line: number, message: string): UnfoldError {
  const where = line > 0 ? `${file}:${line}` : file;
  return new UnfoldError('CORPUS_PARSE', `${where}: ${message}`, { file, line });
}

export function problemFromError(error: unknown, file: string): FileProblem {
  if (error instanceof UnfoldError && error.details) {
    const line = typeof error.details.line === 'number' ? error.details.line : 0;
    const where = typeof error.details.file === 'string' ? error.details.file : file;
    const prefix = line > 0 ? `${where}:${line}: ` : `${where}: `;
    const message = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    return { file: where, line, message };
  }
  return { file, line: 0, message: error instanceof Error ? error.message : String(error) };
}
