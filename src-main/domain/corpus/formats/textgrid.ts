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
  kind: 'string' | 'number' | 'flag' | 'word';
  text: string;
  line: number;
  /** Long format: the key written before the value on its line (`xmax` in `xmax = 1.5`). */
  key?: string;
}

/**
 * The words of the long format's `key =` labels (`File type`, `intervals: size`, `tiers?`).
 * They are skipped; any other bare word is kept as a token so that a value written as a
 * word (`size = two`, `text = hello`) is an error where the value is read, not skipped.
 */
const LABEL_WORDS: ReadonlySet<string> = new Set([
  'File',
  'type',
  'Object',
  'class',
  'xmin',
  'xmax',
  'tiers?',
  'size',
  'item',
  'intervals',
  'points',
  'name',
  'text',
  'number',
  'time',
  'mark',
]);

/**
 * Praat's text formats, long and short, carry the same sequence of strings, numbers and
 * `<exists>` flags; the long one adds `key =` labels and `[n]` indexes. Keeping only those
 * values (with the key of their line, to check it) reads both with one grammar.
 */
function tokenize(content: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let key: { text: string; line: number } | null = null;
  let firstMultiline: number | undefined;
  const keyHere = (): { key?: string } => (key && key.line === line ? { key: key.text } : {});
  let i = 0;
  const n = content.length;
  while (i < n) {
    const c = content[i] ?? '';
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '"') {
      const startLine = line;
      const where = keyHere();
      let text = '';
      i++;
      for (;;) {
        if (i >= n) {
          // An odd quote pairs the following ones wrongly; the first string that ran over a
          // line break is where the pairing most likely went wrong.
          throw parseError(
            file,
            firstMultiline ?? startLine,
            'unterminated string: the quotes from this line on do not pair up (a " is missing or extra)',
          );
        }
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
      if (line !== startLine) firstMultiline ??= startLine;
      tokens.push({ kind: 'string', text, line: startLine, ...where });
    } else if (c === '!') {
      while (i < n && content[i] !== '\n') i++;
    } else if (c === '[') {
      const end = content.indexOf(']', i);
      if (end < 0 || content.slice(i, end).includes('\n'))
        throw parseError(file, line, 'unterminated [index] (a ] is missing)');
      i = end + 1;
    } else if (c === '<') {
      const end = content.indexOf('>', i);
      if (end < 0) throw parseError(file, line, 'unterminated <flag>');
      tokens.push({ kind: 'flag', text: content.slice(i + 1, end), line, ...keyHere() });
      i = end + 1;
    } else if (/[-+0-9.]/.test(c)) {
      const run = /^[^\s"!<[\]]*/.exec(content.slice(i, i + 64))?.[0] ?? c;
      const match = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(run);
      if (!match || match[0] !== run) throw parseError(file, line, `"${run}" is not a number`);
      tokens.push({ kind: 'number', text: run, line, ...keyHere() });
      i += run.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < n && /[A-Za-z0-9_?]/.test(content[i] ?? '')) i++;
      const word = content.slice(start, i);
      if (LABEL_WORDS.has(word)) key = { text: word, line };
      else tokens.push({ kind: 'word', text: word, line, ...keyHere() });
    } else {
      i++;
    }
  }
  return tokens;
}

/** Where each part of a parsed TextGrid was in its file, for messages that name a line. */
export interface TextGridLines {
  xmin: number;
  xmax: number;
  /** The line of the tier count (`size = 2`). */
  size: number;
  tiers: {
    /** The line of the tier's class (`class = "IntervalTier"`). */
    header: number;
    xmin: number;
    xmax: number;
    size: number;
    /** The line of each interval's xmin (or each point's time). */
    items: number[];
  }[];
}

function describe(token: Token): string {
  return token.kind === 'string' ? `"${token.text}" (a quoted string)` : `"${token.text}"`;
}

class TokenReader {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  get atEnd(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(what: string, keys: readonly string[]): Token {
    const token = this.tokens[this.index++];
    if (!token) {
      const last = this.tokens[this.tokens.length - 1];
      throw parseError(this.file, last?.line ?? 1, `the file ends where ${what} was expected`);
    }
    if (token.kind === 'word')
      throw parseError(
        this.file,
        token.line,
        `expected ${what}, found "${token.text}" (values are numbers or quoted strings)`,
      );
    // In the long format every value follows its key: a different key means a missing value.
    if (token.key !== undefined && keys.length > 0 && !keys.includes(token.key)) {
      throw parseError(
        this.file,
        token.line,
        `${what} is missing: expected "${keys[0]} = …", found "${token.key} = …"`,
      );
    }
    return token;
  }

  string(what: string, keys: readonly string[]): { value: string; line: number } {
    const token = this.next(what, keys);
    if (token.kind !== 'string')
      throw parseError(
        this.file,
        token.line,
        `expected ${what} (a quoted string), found ${describe(token)}`,
      );
    return { value: token.text, line: token.line };
  }

  number(what: string, keys: readonly string[]): { value: number; line: number } {
    const token = this.next(what, keys);
    const value = Number(token.text);
    if (token.kind !== 'number' || !Number.isFinite(value)) {
      throw parseError(
        this.file,
        token.line,
        `expected ${what} (a number), found ${describe(token)}`,
      );
    }
    return { value, line: token.line };
  }

  count(what: string, keys: readonly string[]): { value: number; line: number } {
    const { value, line } = this.number(what, keys);
    if (!Number.isInteger(value) || value < 0)
      throw parseError(this.file, line, `${what} must be a whole number, not ${value}`);
    return { value, line };
  }

  flag(): number {
    const token = this.next('<exists>', ['tiers?']);
    if (token.kind !== 'flag' || token.text !== 'exists') {
      throw parseError(
        this.file,
        token.line,
        'expected <exists>: TextGrids without tiers are not supported',
      );
    }
    return token.line;
  }

  get line(): number {
    return this.tokens[this.index]?.line ?? this.tokens[this.tokens.length - 1]?.line ?? 1;
  }
}

function checkRange(
  file: string,
  what: string,
  xmin: { value: number; line: number },
  xmax: { value: number; line: number },
): void {
  if (xmax.value < xmin.value)
    throw parseError(
      file,
      xmax.line,
      `${what} ends (xmax ${xmax.value}) before it starts (xmin ${xmin.value})`,
    );
}

/**
 * Reads a Praat TextGrid in the long or short text format, with the line of each part.
 * Errors name the file and line: a value that is not what its place needs (`size = two`,
 * an unquoted text), a missing key, fewer or more intervals than the tier's size, an
 * interval or tier that ends before it starts.
 */
export function parseTextGridWithLines(
  content: string,
  file: string,
): { grid: TextGrid; lines: TextGridLines } {
  const reader = new TokenReader(tokenize(content, file), file);
  const fileType = reader.string('"ooTextFile"', ['type']);
  if (!fileType.value.startsWith('ooTextFile'))
    throw parseError(file, fileType.line, 'not a Praat text file (File type = "ooTextFile")');
  const objectClass = reader.string('"TextGrid"', ['class']);
  if (objectClass.value !== 'TextGrid')
    throw parseError(file, objectClass.line, 'not a TextGrid (Object class = "TextGrid")');
  const xmin = reader.number('xmin', ['xmin']);
  const xmax = reader.number('xmax', ['xmax']);
  checkRange(file, 'the TextGrid', xmin, xmax);
  reader.flag();
  const tierCount = reader.count('the number of tiers', ['size']);
  const tiers: TextGridTier[] = [];
  const lines: TextGridLines = {
    xmin: xmin.line,
    xmax: xmax.line,
    size: tierCount.line,
    tiers: [],
  };
  let previous: { name: string; sizeLine: number; size: number } | null = null;
  for (let t = 0; t < tierCount.value; t++) {
    const upcoming = reader.peek();
    if (previous && upcoming && upcoming.kind === 'number') {
      throw parseError(
        file,
        upcoming.line,
        `tier "${previous.name}" has more items than its size (${previous.size}, line ${previous.sizeLine})`,
      );
    }
    const tierClass = reader.string(`the class of tier ${t + 1}`, ['class']);
    const name = reader.string(`the name of tier ${t + 1}`, ['name']).value;
    const tierMin = reader.number(`the xmin of tier "${name}"`, ['xmin']);
    const tierMax = reader.number(`the xmax of tier "${name}"`, ['xmax']);
    checkRange(file, `tier "${name}"`, tierMin, tierMax);
    const size = reader.count(`the number of items of tier "${name}"`, ['size']);
    const items: number[] = [];
    const fewer = (k: number): never => {
      throw parseError(
        file,
        reader.line,
        `tier "${name}" has ${k} item(s), fewer than its size (${size.value}, line ${size.line})`,
      );
    };
    if (tierClass.value === 'IntervalTier') {
      const intervals: TextGridInterval[] = [];
      for (let k = 0; k < size.value; k++) {
        const next = reader.peek();
        if (!next || next.key === 'class' || (next.kind === 'string' && next.key === undefined))
          fewer(k);
        const what = `interval ${k + 1} of tier "${name}"`;
        const a = reader.number(`the xmin of ${what}`, ['xmin']);
        const b = reader.number(`the xmax of ${what}`, ['xmax']);
        checkRange(file, what, a, b);
        const text = reader.string(`the text of ${what}`, ['text']).value;
        intervals.push({ xmin: a.value, xmax: b.value, text });
        items.push(a.line);
      }
      tiers.push({
        kind: 'interval',
        name,
        xmin: tierMin.value,
        xmax: tierMax.value,
        intervals,
      });
    } else if (tierClass.value === 'TextTier') {
      const points: PointTier['points'] = [];
      for (let k = 0; k < size.value; k++) {
        const next = reader.peek();
        if (!next || next.key === 'class' || (next.kind === 'string' && next.key === undefined))
          fewer(k);
        const what = `point ${k + 1} of tier "${name}"`;
        const time = reader.number(`the time of ${what}`, ['number', 'time']);
        points.push({
          time: time.value,
          mark: reader.string(`the mark of ${what}`, ['mark']).value,
        });
        items.push(time.line);
      }
      tiers.push({ kind: 'point', name, xmin: tierMin.value, xmax: tierMax.value, points });
    } else {
      throw parseError(file, tierClass.line, `unknown tier class "${tierClass.value}"`);
    }
    lines.tiers.push({
      header: tierClass.line,
      xmin: tierMin.line,
      xmax: tierMax.line,
      size: size.line,
      items,
    });
    previous = { name, sizeLine: size.line, size: size.value };
  }
  const rest = reader.peek();
  if (rest) {
    throw parseError(
      file,
      rest.line,
      rest.kind === 'word'
        ? `unexpected "${rest.text}" after the last tier`
        : previous && rest.kind !== 'string'
          ? `tier "${previous.name}" has more items than its size (${previous.size}, line ${previous.sizeLine})`
          : `more tiers than the tier count (${tierCount.value}, line ${tierCount.line})`,
    );
  }
  return { grid: { xmin: xmin.value, xmax: xmax.value, tiers }, lines };
}

/** Reads a Praat TextGrid in the long or short text format; errors name the file and line. */
export function parseTextGrid(content: string, file: string): TextGrid {
  return parseTextGridWithLines(content, file).grid;
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
 * What can be wrong with an interval tier. `gap` and `short-end` are holes that Praat's
 * convention fills with empty intervals; the others make the labels ambiguous.
 */
export type TierProblemKind =
  'no-intervals' | 'empty-interval' | 'overlap' | 'gap' | 'short-end' | 'past-end';

export interface TierProblem {
  kind: TierProblemKind;
  message: string;
  /** 0-based index of the interval concerned; -1 for the tier as a whole. */
  interval: number;
}

/**
 * Problems in an interval tier: it must cover [tier.xmin, tier.xmax] with adjacent,
 * non-empty, non-overlapping intervals (gaps are written as empty-text intervals).
 */
export function intervalTierProblems(tier: IntervalTier): TierProblem[] {
  const problems: TierProblem[] = [];
  const eps = TEXTGRID_TIME_EPSILON;
  const name = `tier "${tier.name}"`;
  if (tier.intervals.length === 0)
    return [{ kind: 'no-intervals', message: `${name} has no intervals`, interval: -1 }];
  let cursor = tier.xmin;
  tier.intervals.forEach((interval, k) => {
    if (interval.xmax <= interval.xmin) {
      problems.push({
        kind: 'empty-interval',
        message: `${name} interval ${k + 1} ends (${interval.xmax}) where or before it starts (${interval.xmin})`,
        interval: k,
      });
    }
    if (interval.xmin < cursor - eps) {
      problems.push({
        kind: 'overlap',
        message:
          k === 0
            ? `${name} interval 1 starts at ${interval.xmin}, before the tier starts (${tier.xmin})`
            : `${name} interval ${k + 1} starts at ${interval.xmin}, overlapping interval ${k} (ends ${cursor})`,
        interval: k,
      });
    } else if (interval.xmin > cursor + eps) {
      problems.push({
        kind: 'gap',
        message: `${name} has a gap from ${cursor} to ${interval.xmin} before interval ${k + 1}`,
        interval: k,
      });
    }
    cursor = Math.max(cursor, interval.xmax);
  });
  const last = tier.intervals.length - 1;
  if (cursor > tier.xmax + eps) {
    problems.push({
      kind: 'past-end',
      message: `${name} interval ${last + 1} ends at ${cursor}, after the tier ends (${tier.xmax})`,
      interval: last,
    });
  } else if (cursor < tier.xmax - eps) {
    problems.push({
      kind: 'short-end',
      message: `${name} ends at ${cursor} but the tier ends at ${tier.xmax}`,
      interval: last,
    });
  }
  return problems;
}

/** Holes that are filled with empty intervals on import; every other problem is refused. */
export const FILLABLE_TIER_PROBLEMS: ReadonlySet<TierProblemKind> = new Set([
  'no-intervals',
  'gap',
  'short-end',
]);

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
