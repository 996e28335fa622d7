import type { ApiClient } from '@api/client-core';
import type { JobInfo, JobSpecInput } from '@api/jobs';
import { countActive, reduceJobs, type JobList, type JobListAction } from '../jobs/job-list';
import { announcement } from '../jobs/job-summary';
import { errorText } from '../format/error-text';

/** Every job the API knows of, kept live from `jobs:updated`. */
export class JobsStore {
  list = $state.raw<JobList>([]);
  loadError = $state<string | null>(null);
  /** The last state change, for the aria-live region (progress ticks are not announced). */
  lastAnnouncement = $state('');
  readonly activeCount = $derived(countActive(this.list));
  readonly #client: ApiClient;
  readonly #unsubscribe: () => void;

  constructor(client: ApiClient) {
    this.#client = client;
    this.#unsubscribe = client.on('jobs:updated', (job) => this.#apply({ type: 'updated', job }));
  }

  /** Loads `jobs:list`; called at start and after a reconnect (events may have been missed). */
  async load(): Promise<void> {
    try {
      const jobs = await this.#client.invoke('jobs:list');
      this.loadError = null;
      this.#apply({ type: 'loaded', jobs });
    } catch (error) {
      this.loadError = errorText(error).message;
    }
  }

  async start(spec: JobSpecInput): Promise<JobInfo> {
    const job = await this.#client.invoke('jobs:start', spec);
    this.#apply({ type: 'updated', job });
    return job;
  }

  async cancel(id: string): Promise<void> {
    const job = await this.#client.invoke('jobs:cancel', { id });
    this.#apply({ type: 'updated', job });
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #apply(action: JobListAction): void {
    const id = action.type === 'updated' ? action.job.id : null;
    const stateBefore = id === null ? undefined : this.list.find((job) => job.id === id)?.state;
    this.list = reduceJobs(this.list, action);
    if (id === null) return;
    const after = this.list.find((job) => job.id === id);
    if (after && after.state !== stateBefore) this.lastAnnouncement = announcement(after);
  }
}
