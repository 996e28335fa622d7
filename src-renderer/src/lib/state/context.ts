import { createContext } from 'svelte';
import type { ApiClient } from '@api/client-core';
import type { ConnectionStore } from './connection.svelte';
import type { JobsStore } from './jobs.svelte';
import type { SystemStore } from './system.svelte';
import type { RouterStore } from './router.svelte';

/** What the shell hands to every view, through Svelte's typed context. */
export interface AppContext {
  client: ApiClient;
  connection: ConnectionStore;
  jobs: JobsStore;
  system: SystemStore;
  router: RouterStore;
  openJobs(): void;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();

/** The connection, set by App before the shell exists (the shell only mounts once connected). */
export const [getConnection, setConnection] = createContext<ConnectionStore>();
