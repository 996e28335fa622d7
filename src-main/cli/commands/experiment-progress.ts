import type { Progress } from '../../domain/jobs/progress';
import { withProgressBar } from '../progress-bar';

/** Training figures beside the bar: loss and accuracy as they come. */
function describeTraining(progress: Progress): string {
  const m = progress.metrics;
  const figures =
    m && m.loss !== undefined
      ? ` loss ${m.loss.toFixed(3)} acc ${((m.accuracy ?? 0) * 100).toFixed(1)}%`
      : '';
  return `${progress.message ?? ''}${figures}`;
}

/** Runs a training or an evaluation with its progress bar, figures and ETA on stderr. */
export function withExperimentProgress<T>(
  json: boolean | undefined,
  run: Parameters<typeof withProgressBar<T>>[1],
): Promise<T> {
  return withProgressBar(json, run, {
    format: '{bar} {percentage}% | ETA {eta_formatted} | {message}',
    describe: describeTraining,
  });
}
