import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import type { Progress } from '../domain/jobs/progress';

export function printLine(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** How long work shows its progress on stderr: `--progress plain|bar|none`. */
export const PROGRESS_STYLES = ['plain', 'bar', 'none'] as const;
export type ProgressStyle = (typeof PROGRESS_STYLES)[number];

/**
 * The commands that run long work and so take `--progress` (space-separated command paths).
 * A command that starts reporting progress joins this list.
 */
export const COMMANDS_WITH_PROGRESS = [
  'selftest',
  'train',
  'eval',
  'corpus validate',
  'corpus import',
  'corpus synth words',
  'corpus synth sentences',
  'bench rnn',
  'sweep',
] as const;

/** Plain lines: one each time the work passes a multiple of this many percent... */
const PLAIN_PERCENT_STEP = 5;
/** ...or when this long has passed since the last line (work with slow or unknown totals). */
const PLAIN_INTERVAL_MS = 5_000;

/** Set from `--progress` before the command's action runs; undefined means automatic. */
let requestedStyle: ProgressStyle | undefined;

/**
 * Adds `--progress` to every command in COMMANDS_WITH_PROGRESS, in one place, and remembers the
 * choice for the progress displays the command creates.
 */
export function addProgressOption(program: Command): void {
  for (const path of COMMANDS_WITH_PROGRESS) {
    const command = path
      .split(' ')
      .reduce<Command | undefined>(
        (parent, name) => parent?.commands.find((child) => child.name() === name),
        program,
      );
    // A renamed command must not silently lose its option: every CLI test would see this.
    if (!command) throw new Error(`addProgressOption: there is no command "unfold ${path}"`);
    command.addOption(
      new Option(
        '--progress <style>',
        'progress on stderr: a bar, plain lines, or none (default: a bar on a terminal, plain lines otherwise, none with --json)',
      ).choices(PROGRESS_STYLES),
    );
  }
  program.hook('preAction', (_program, actionCommand) => {
    requestedStyle = (actionCommand.opts() as { progress?: ProgressStyle }).progress;
  });
}

/** An explicit `--progress` wins; otherwise a bar on a terminal, plain lines elsewhere, none for JSON. */
export function chooseProgressStyle(
  requested: ProgressStyle | undefined,
  json: boolean | undefined,
  stderrIsTerminal: boolean,
): ProgressStyle {
  if (requested) return requested;
  if (json) return 'none';
  return stderrIsTerminal ? 'bar' : 'plain';
}

export interface CliProgressBar {
  update(fraction: number | null, message: string): void;
  stop(): void;
}

export interface PlainProgressOptions {
  write: (line: string) => void;
  now?: () => number;
  percentStep?: number;
  intervalMs?: number;
}

/**
 * Progress as plain lines, for logs and pipes: the first update, then a line whenever the work
 * passes another few percent or a few seconds have gone by, and the last state at the end.
 */
export function createPlainProgress(options: PlainProgressOptions): CliProgressBar {
  const now = options.now ?? Date.now;
  const step = options.percentStep ?? PLAIN_PERCENT_STEP;
  const interval = options.intervalMs ?? PLAIN_INTERVAL_MS;
  let printedStep: number | null = null;
  let printedAt = -Infinity;
  let printedLine = '';
  let pending: string | null = null;
  const print = (line: string): void => {
    options.write(line);
    printedLine = line;
    printedAt = now();
    pending = null;
  };
  return {
    update(fraction, message) {
      const percent =
        fraction === null ? null : Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
      const line = [percent === null ? null : `${percent}%`, message].filter(Boolean).join(' | ');
      if (line === printedLine) return;
      const stepNow = percent === null ? null : Math.floor(percent / step);
      const passedStep = stepNow !== null && (printedStep === null || stepNow > printedStep);
      if (passedStep || now() - printedAt >= interval) {
        if (stepNow !== null) printedStep = stepNow;
        print(line);
      } else pending = line;
    },
    stop() {
      if (pending !== null) print(pending);
    },
  };
}

/** Progress on stderr in the chosen style (see chooseProgressStyle). */
export function createCliProgressBar(
  json: boolean | undefined,
  format = '{bar} {percentage}% | {message}',
): CliProgressBar {
  const style = chooseProgressStyle(requestedStyle, json, process.stderr.isTTY === true);
  if (style === 'none') return { update: () => undefined, stop: () => undefined };
  if (style === 'plain')
    return createPlainProgress({ write: (line) => process.stderr.write(`${line}\n`) });
  const bar = new cliProgress.SingleBar(
    // An explicit `--progress bar` draws on a pipe too.
    { format, stream: process.stderr, hideCursor: true, noTTYOutput: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(fraction, message) {
      const value = Math.round((fraction ?? 0) * 1000);
      if (!started) {
        bar.start(1000, value, { message });
        started = true;
      } else bar.update(value, { message });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export interface ProgressBarOptions {
  format?: string;
  /** The text beside the bar; the progress message by default. */
  describe?: (progress: Progress) => string;
}

/** Runs one long operation with its progress on stderr, and Ctrl-C as its cancellation. */
export async function withProgressBar<T>(
  json: boolean | undefined,
  run: (options: { onProgress: (p: Progress) => void; signal: AbortSignal }) => Promise<T>,
  options: ProgressBarOptions = {},
): Promise<T> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.once('SIGINT', cancel);
  const bar = createCliProgressBar(json, options.format);
  const describe = options.describe ?? ((progress: Progress): string => progress.message ?? '');
  try {
    return await run({
      signal: controller.signal,
      onProgress: (progress) => bar.update(progress.fraction, describe(progress)),
    });
  } finally {
    process.off('SIGINT', cancel);
    bar.stop();
  }
}
