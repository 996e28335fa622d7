import cliProgress from 'cli-progress';
import type { Progress } from '../domain/jobs/progress';

export function printLine(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export interface CliProgressBar {
  update(fraction: number | null, message: string): void;
  stop(): void;
}

/** A progress bar on stderr, drawn only when stderr is a terminal and the output is not JSON. */
export function createCliProgressBar(
  json: boolean | undefined,
  format = '{bar} {percentage}% | {message}',
): CliProgressBar {
  const show = !json && process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(fraction, message) {
      if (!show) return;
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

/** Runs one long operation with a progress bar, and Ctrl-C as its cancellation. */
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
