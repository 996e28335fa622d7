import { parseError } from './parse-error';

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 strictly: corpora must not silently turn bad bytes into U+FFFD.
 * On failure the error names the line of the first invalid byte. A leading BOM is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    const text = strictDecoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const badOffset = firstInvalidUtf8Offset(bytes);
    let line = 1;
    for (let i = 0; i < badOffset; i++) if (bytes[i] === 0x0a) line++;
    throw parseError(file, line, 'invalid UTF-8 (the file must be UTF-8 text)');
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix: the fatal decoder is the reference, so this
  // stays correct for overlong forms and surrogates without re-implementing UTF-8 rules.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (isValidPrefix(bytes.subarray(0, mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isValidPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Splits text into lines, accepting LF and CRLF; a final newline does not make an empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (`LC_ALL=C sort`). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}
