import type { ApiClient } from '@api/client-core';
import type { JobInfo, JobSpecInput } from '@api/jobs';

const FINAL_STATES = ['succeeded', 'failed', 'cancelled'];
const POLL_MS = 100;

/**
 * Starts a job through the API, as a view would, and polls until it ends in any final state;
 * throws if it is still going after `timeoutMs`.
 */
export async function runJob(
  client: ApiClient,
  spec: JobSpecInput,
  timeoutMs = 90_000,
): Promise<JobInfo> {
  const started = await client.invoke('jobs:start', spec);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.invoke('jobs:get', { id: started.id });
    if (FINAL_STATES.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${spec.kind} still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Runs the jobs side by side (a test's setup: corpora to synthesise, models to train) and
 * throws, naming each job that did not succeed and its error, unless every one succeeded.
 */
export async function runJobsToSuccess(
  client: ApiClient,
  ...specs: JobSpecInput[]
): Promise<JobInfo[]> {
  const jobs = await Promise.all(specs.map((spec) => runJob(client, spec)));
  const failed = jobs.filter((job) => job.state !== 'succeeded');
  if (failed.length > 0)
    throw new Error(
      failed
        .map((job) => `${job.title}: ${job.state} ${JSON.stringify(job.error ?? null)}`)
        .join('\n'),
    );
  return jobs;
}
