import type { ApiClient } from '@api/client-core';
import type { AppInfo, BackendStatus, DoctorReport } from '@api/app';
import { errorText, type ErrorText } from '../format/error-text';

/** A value loaded from the API: not yet, loaded, or failed with a message to show. */
export type Loadable<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ErrorText };

async function load<T>(call: () => Promise<T>): Promise<Loadable<T>> {
  try {
    return { status: 'ready', value: await call() };
  } catch (error) {
    return { status: 'error', error: errorText(error) };
  }
}

/** What the app knows about itself and the machine: `app:info`, `app:backend`, `app:doctor`. */
export class SystemStore {
  info = $state.raw<Loadable<AppInfo>>({ status: 'loading' });
  backend = $state.raw<Loadable<BackendStatus>>({ status: 'loading' });
  doctor = $state.raw<Loadable<DoctorReport>>({ status: 'loading' });
  readonly #client: ApiClient;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    await Promise.all([
      load(() => this.#client.invoke('app:info')).then((value) => (this.info = value)),
      load(() => this.#client.invoke('app:backend')).then((value) => (this.backend = value)),
      this.runDoctor(),
    ]);
  }

  /** The checks spawn programs in main and take a moment; they load apart from the rest. */
  async runDoctor(): Promise<void> {
    this.doctor = { status: 'loading' };
    this.doctor = await load(() => this.#client.invoke('app:doctor'));
  }
}
