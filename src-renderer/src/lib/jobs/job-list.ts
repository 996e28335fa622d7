import type { JobInfo, JobKind, JobState } from '@api/jobs';

/**
 * The renderer's list of jobs, kept up to date from `jobs:list` (once, at start) and
 * `jobs:updated` events (live). Pure: the reducer returns a new array and never mutates.
 */
export type JobList = readonly JobInfo[];

export type JobListAction =
  { type: 'loaded'; jobs: readonly JobInfo[] } | { type: 'updated'; job: JobInfo };

const STATE_RANK: Record<JobState, number> = {
  queued: 0,
  running: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
};

export function isActive(job: JobInfo): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/**
 * Whether `incoming` may replace `current`. A job only moves forward (queued -> running ->
 * ended), so a snapshot that is behind what an event already told us is stale: this happens
 * when `jobs:list` was answered before an update that reached us first, or on a reconnect.
 */
function supersedes(incoming: JobInfo, current: JobInfo): boolean {
  return STATE_RANK[incoming.state] >= STATE_RANK[current.state];
}

/** Newest first; the id breaks ties so that the order is stable. */
function byNewest(a: JobInfo, b: JobInfo): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function merge(state: JobList, incoming: readonly JobInfo[]): JobList {
  const byId = new Map(state.map((job) => [job.id, job]));
  for (const job of incoming) {
    const current = byId.get(job.id);
    if (!current || supersedes(job, current)) byId.set(job.id, job);
  }
  return [...byId.values()].sort(byNewest);
}

export function reduceJobs(state: JobList, action: JobListAction): JobList {
  switch (action.type) {
    case 'loaded':
      return merge(state, action.jobs);
    case 'updated':
      return merge(state, [action.job]);
  }
}

export function countActive(jobs: JobList): number {
  return jobs.reduce((count, job) => count + (isActive(job) ? 1 : 0), 0);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The status bar's words for the jobs: "No jobs running", "1 job running, 2 queued". */
export function activitySummary(jobs: JobList): string {
  const running = jobs.filter((job) => job.state === 'running').length;
  const queued = jobs.filter((job) => job.state === 'queued').length;
  if (running === 0 && queued === 0) return 'No jobs running';
  if (running === 0) return `${plural(queued, 'job')} queued`;
  return `${plural(running, 'job')} running${queued > 0 ? `, ${queued} queued` : ''}`;
}

/** The most recent job of a kind (the list is kept newest first). */
export function latestOfKind(jobs: JobList, kind: JobKind): JobInfo | undefined {
  return jobs.find((job) => job.kind === kind);
}
