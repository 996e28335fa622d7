/**
 * Throughput and time left of a running training job. The engine reports frames per second and
 * its own ETA with every batch (src-main/domain/rnn/train.ts); before the first batch (while
 * features load) or from a job that reports neither, the ETA is extrapolated from the progress
 * fraction and the time since the job started.
 */

import type { JobInfo } from '@api/jobs';

export interface TrainingPace {
  /** e.g. "12,300 frames/s", or null before the first batch. */
  throughput: string | null;
  /** Seconds left, or null while unknown. */
  etaSeconds: number | null;
}

/** Below this fraction an extrapolated ETA is mostly noise from start-up costs. */
const MIN_FRACTION_FOR_EXTRAPOLATION = 0.02;

function finite(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

export function trainingPace(
  job: Pick<JobInfo, 'state' | 'progress' | 'startedAt'>,
  nowMs: number,
): TrainingPace {
  if (job.state !== 'running') return { throughput: null, etaSeconds: null };
  const metrics = job.progress.metrics ?? {};
  const frames = metrics.framesPerSecond;
  const throughput = finite(frames)
    ? `${Math.round(frames).toLocaleString('en-GB')} frames/s`
    : null;
  if (finite(metrics.etaSeconds) && metrics.etaSeconds >= 0)
    return { throughput, etaSeconds: metrics.etaSeconds };
  const fraction = job.progress.fraction;
  const started = job.startedAt ? Date.parse(job.startedAt) : NaN;
  if (fraction === null || fraction < MIN_FRACTION_FOR_EXTRAPOLATION || !Number.isFinite(started))
    return { throughput, etaSeconds: null };
  const elapsed = Math.max(0, (nowMs - started) / 1000);
  return { throughput, etaSeconds: (elapsed * (1 - fraction)) / fraction };
}

/** "45 s", "3 min 05 s", "1 h 02 min"; an em dash while unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Keeps showing a running job's last throughput while progress reports without one arrive
 * (epoch ends and dev evaluations report losses, not frames/s), instead of flickering to "—".
 */
export class ThroughputMemory {
  private last: { jobId: string; text: string } | null = null;

  shown(jobId: string, pace: TrainingPace, running: boolean): string | null {
    if (pace.throughput !== null) {
      this.last = { jobId, text: pace.throughput };
      return pace.throughput;
    }
    return running && this.last?.jobId === jobId ? this.last.text : null;
  }
}
