import type { JobInfo } from '@api/jobs';

/** The newest validation job of a corpus (any state), so the view can show its outcome. */
export function latestValidation(jobs: readonly JobInfo[], corpus: string): JobInfo | null {
  let latest: JobInfo | null = null;
  for (const job of jobs) {
    if (job.kind !== 'corpus-validate') continue;
    if (job.subject?.kind !== 'corpus' || job.subject.name !== corpus) continue;
    if (!latest || job.createdAt > latest.createdAt) latest = job;
  }
  return latest;
}

/** `file:line: message`, the way compilers and `unfold corpus validate` print problems. */
export function problemLine(problem: { file: string; line: number; message: string }): string {
  return `${problem.file}${problem.line > 0 ? `:${problem.line}` : ''}: ${problem.message}`;
}
