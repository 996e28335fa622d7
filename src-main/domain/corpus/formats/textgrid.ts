import { parseError } from './parse-error';

/** One labelled span of an interval tier; an empty text is a gap (silence or unlabelled). */
export interface TextGridInterval {
  xmin: number;
  xmax: number;
  text: string;
}

export interface IntervalTier {
  kind: 'interval';
  name: string;
  xmin: number;
  xmax: number;
  intervals: TextGridInterval[];
}

export interface PointTier {
  kind: 'point';
  name: string;
  xmin: number;
  xmax: number;
  points: { time: number; mark: string }[];
}

export type TextGridTier = IntervalTier | PointTier;

export interface TextGrid {
  xmin: number;
  xmax: number;
  tiers: TextGridTier[];
}

interface Token {
  kind: 'string' | 'number' | 'flag';
  text: string;
  line: number;
}

/**
 * Praat's text formats, long and short, carry the same sequence of strings, numbers and
 * `<exists>` flags; the long one adds `key =` labels and `[n]` indexes. Keeping only those
 * values (skipping identifiers, brackets and `!` comments) reads both with one grammar.
 */
function tokenize(content: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = content.length;
  while (i < n) {
    const c = content[i] ?? '';
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '"') {
      const startLine = line;
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw parseError(file, startLine, 'unterminated string');
        const d = content[i] ?? '';
        if (d === '"') {
          if (content[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === '\n') line++;
        text += d;
        i++;
      }
      tokens.push({ kind: 'string', text, line: startLine });
    } else if (c === '!') {
      while (i < n && content[i] !== '\n') i++;
    } else if (c === '[') {
      while (i < n && content[i] !== ']') i++;
      i++;
    } else if (c === '<') {
      const end = content.indexOf('>', i);
      if (end < 0) throw parseError(file, line, 'unterminated <flag>');
      tokens.push({ kind: 'flag', text: content.slice(i + 1, end), line });
      i = end + 1;
    } else if (/[-+0-9.]/.test(c)) {
      const match = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(content.slice(i, i + 64));
      if (!match) throw parseError(file, line, `unexpected "${c}"`);
      tokens.push({ kind: 'number', text: match[0], line });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_?]/.test(content[i] ?? '')) i++;
    } else {
      i++;
    }
  }
  return tokens;
}

class TokenReader {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (!token) {
      const last = this.tokens[this.tokens.length - 1];
      throw parseError(this.file, last?.line ?? 1, `file ends where ${expected} was expected`);
    }
    return token;
  }

  string(what: string): string {
    const token = this.next(what);
    if (token.kind !== 'string')
      throw parseError(
        this.file,
        token.line,
        `expected ${what} (a quoted string), found ${token.text}`,
      );
    return token.text;
  }

  number(what: string): { value: number; line: number } {
    const token = this.next(what);
    const value = Number(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      throw parseError(this.file, token.line, `expected ${what} (a number), found "${token.text}"`);
    }
    return { value, line: token.line };
  }

  count(what: string): number {
    const { value, line } = this.number(what);
    if (!Number.isInteger(value) || value < 0)
      throw parseError(this.file, line, `${what} must be a whole number`);
    return value;
  }

  flag(): void {
    const token = this.next('<exists>');
    if (token.kind !== 'flag' || token.text !== 'exists') {
      throw parseError(
        this.file,
        token.line,
        'expected <exists>: TextGrids without tiers are not supported',
      );
    }
  }

  get line(): number {
    return this.tokens[this.index]?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
  }
}

/** Reads a Praat TextGrid in the long or short text format; errors name the file and line. */
export function parseTextGrid(content: string, file: string): TextGrid {
  const reader = new TokenReader(tokenize(content, file), file);
  if (!reader.string('"ooTextFile"').startsWith('ooTextFile'))
    throw parseError(file, 1, 'not a Praat text file (File type = "ooTextFile")');
  if (reader.string('"TextGrid"') !== 'TextGrid')
    throw parseError(file, 2, 'not a TextGrid (Object class = "TextGrid")');
  const xmin = reader.number('xmin').value;
  const xmax = reader.number('xmax').value;
  reader.flag();
  const tierCount = reader.count('the number of tiers');
  const tiers: TextGridTier[] = [];
  for (let t = 0; t < tierCount; t++) {
    const classLine = reader.line;
    const tierClass = reader.string('a tier class');
    const name = reader.string('a tier name');
    const tierMin = reader.number('tier xmin').value;
    const tierMax = reader.number('tier xmax').value;
    const size = reader.count('the number of intervals');
    if (tierClass === 'IntervalTier') {
      const intervals: TextGridInterval[] = [];
      for (let k = 0; k < size; k++) {
        const a = reader.number('interval xmin').value;
        const b = reader.number('interval xmax').value;
        intervals.push({ xmin: a, xmax: b, text: reader.string('interval text') });
      }
      tiers.push({ kind: 'interval', name, xmin: tierMin, xmax: tierMax, intervals });
    } else if (tierClass === 'TextTier') {
      const points: PointTier['points'] = [];
      for (let k = 0; k < size; k++) {
        const time = reader.number('point time').value;
        points.push({ time, mark: reader.string('point mark') });
      }
      tiers.push({ kind: 'point', name, xmin: tierMin, xmax: tierMax, points });
    } else {
      throw parseError(file, classLine, `unknown tier class "${tierClass}"`);
    }
  }
  return { xmin, xmax, tiers };
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** Praat writes the shortest decimal that reads back to the same double; so does String(number). */
function num(value: number): string {
  return String(value);
}

/** Writes the long text format, which Praat and every TextGrid library read. */
export function formatTextGrid(grid: TextGrid): string {
  const out: string[] = [
    'File type = "ooTextFile"',
    'Object class = "TextGrid"',
    '',
    `xmin = ${num(grid.xmin)} `,
    `xmax = ${num(grid.xmax)} `,
    'tiers? <exists> ',
    `size = ${grid.tiers.length} `,
    'item []: ',
  ];
  grid.tiers.forEach((tier, t) => {
    out.push(`    item [${t + 1}]:`);
    out.push(`        class = "${tier.kind === 'interval' ? 'IntervalTier' : 'TextTier'}" `);
    out.push(`        name = ${quote(tier.name)} `);
    out.push(`        xmin = ${num(tier.xmin)} `);
    out.push(`        xmax = ${num(tier.xmax)} `);
    if (tier.kind === 'interval') {
      out.push(`        intervals: size = ${tier.intervals.length} `);
      tier.intervals.forEach((interval, k) => {
        out.push(`        intervals [${k + 1}]:`);
        out.push(`            xmin = ${num(interval.xmin)} `);
        out.push(`            xmax = ${num(interval.xmax)} `);
        out.push(`            text = ${quote(interval.text)} `);
      });
    } else {
      out.push(`        points: size = ${tier.points.length} `);
      tier.points.forEach((point, k) => {
        out.push(`        points [${k + 1}]:`);
        out.push(`            number = ${num(point.time)} `);
        out.push(`            mark = ${quote(point.mark)} `);
      });
    }
  });
  return out.join('\n') + '\n';
}

/** Tolerance for comparing interval edges: Praat prints times with ~15 significant digits. */
export const TEXTGRID_TIME_EPSILON = 1e-6;

/**
 * Problems in an interval tier: it must cover [tier.xmin, tier.xmax] with adjacent,
 * non-empty, non-overlapping intervals (gaps are written as empty-text intervals).
 */
export function intervalTierProblems(tier: IntervalTier): string[] {
  const problems: string[] = [];
  const eps = TEXTGRID_TIME_EPSILON;
  if (tier.intervals.length === 0) return [`tier "${tier.name}" has no intervals`];
  let cursor = tier.xmin;
  tier.intervals.forEach((interval, k) => {
    if (interval.xmax <= interval.xmin) {
      problems.push(
        `tier "${tier.name}" interval ${k + 1} ends (${interval.xmax}) before it starts (${interval.xmin})`,
      );
    }
    if (interval.xmin < cursor - eps) {
      problems.push(
        `tier "${tier.name}" interval ${k + 1} starts at ${interval.xmin}, overlapping the previous one (ends ${cursor})`,
      );
    } else if (interval.xmin > cursor + eps) {
      problems.push(
        `tier "${tier.name}" has a gap from ${cursor} to ${interval.xmin} before interval ${k + 1}`,
      );
    }
    cursor = interval.xmax;
  });
  if (Math.abs(cursor - tier.xmax) > eps) {
    problems.push(`tier "${tier.name}" ends at ${cursor} but the tier ends at ${tier.xmax}`);
  }
  return problems;
}

/**
 * Builds a tier that covers [xmin, xmax] from labelled spans, filling gaps with empty
 * intervals (Praat's convention) and clipping spans to the range.
 */
export function tierFromSpans(
  name: string,
  xmin: number,
  xmax: number,
  spans: readonly TextGridInterval[],
): IntervalTier {
  const intervals: TextGridInterval[] = [];
  let cursor = xmin;
  for (const span of [...spans].sort((a, b) => a.xmin - b.xmin)) {
    const start = Math.max(span.xmin, cursor);
    const end = Math.min(span.xmax, xmax);
    if (end - start <= TEXTGRID_TIME_EPSILON) continue;
    if (start - cursor > TEXTGRID_TIME_EPSILON)
      intervals.push({ xmin: cursor, xmax: start, text: '' });
    intervals.push({ xmin: start, xmax: end, text: span.text });
    cursor = end;
  }
  if (xmax - cursor > TEXTGRID_TIME_EPSILON || intervals.length === 0)
    intervals.push({ xmin: cursor, xmax, text: '' });
  else if (intervals.length > 0) {
    const last = intervals[intervals.length - 1];
    if (last) last.xmax = xmax;
  }
  return { kind: 'interval', name, xmin, xmax, intervals };
}
