import type { ApiClient } from '@api/client-core';
import type { CorpusEditData, CorpusOverview, CorpusSummary } from '@api/corpus';
import { errorText, type ErrorText } from '../format/error-text';

/**
 * The Corpora view's state: the corpora of the data folder, the one open in the view, and
 * its edits (through the server's session, so undo/redo follow the corpus).
 */
export class CorporaStore {
  list = $state.raw<CorpusSummary[]>([]);
  listError = $state<ErrorText | null>(null);
  loaded = $state(false);
  selected = $state<string | null>(null);
  overview = $state.raw<CorpusOverview | null>(null);
  overviewError = $state<ErrorText | null>(null);
  /** The last failed edit; CORPUS_CHANGED shows as "reload". */
  editError = $state<ErrorText | null>(null);
  busy = $state(false);
  /** Bumped whenever the corpus's rows may have changed: tables refetch their pages. */
  generation = $state(0);
  readonly #client: ApiClient;
  readonly #unsubscribe: () => void;

  constructor(client: ApiClient) {
    this.#client = client;
    this.#unsubscribe = client.on('corpus:changed', ({ corpus, revision }) => {
      void this.loadList();
      if (corpus === this.selected && revision !== this.overview?.summary.revision)
        void this.refresh();
    });
  }

  get changedElsewhere(): boolean {
    return this.editError?.code === 'CORPUS_CHANGED';
  }

  async loadList(): Promise<void> {
    try {
      this.list = await this.#client.invoke('corpus:list');
      this.listError = null;
    } catch (error) {
      this.listError = errorText(error);
    } finally {
      this.loaded = true;
    }
  }

  async select(name: string | null): Promise<void> {
    this.selected = name;
    this.overview = null;
    this.overviewError = null;
    this.editError = null;
    if (name) await this.refresh();
  }

  async refresh(): Promise<void> {
    const name = this.selected;
    if (!name) return;
    try {
      const overview = await this.#client.invoke('corpus:overview', { corpus: name });
      if (name !== this.selected) return;
      this.overview = overview;
      this.overviewError = null;
      this.generation++;
    } catch (error) {
      this.overviewError = errorText(error);
    }
  }

  async reload(): Promise<void> {
    const name = this.selected;
    if (!name) return;
    await this.#run(async () => {
      this.overview = await this.#client.invoke('corpus:reload', { corpus: name });
      this.editError = null;
      this.generation++;
    });
  }

  async edit(edit: CorpusEditData): Promise<boolean> {
    const name = this.selected;
    const revision = this.overview?.summary.revision;
    if (!name) return false;
    return this.#run(async () => {
      await this.#client.invoke('corpus:edit', { corpus: name, edit, revision });
      await this.refresh();
    });
  }

  async undo(): Promise<boolean> {
    const name = this.selected;
    if (!name || !this.overview?.canUndo) return false;
    return this.#run(async () => {
      await this.#client.invoke('corpus:undo', { corpus: name });
      await this.refresh();
    });
  }

  async redo(): Promise<boolean> {
    const name = this.selected;
    if (!name || !this.overview?.canRedo) return false;
    return this.#run(async () => {
      await this.#client.invoke('corpus:redo', { corpus: name });
      await this.refresh();
    });
  }

  dispose(): void {
    this.#unsubscribe();
  }

  async #run(work: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    try {
      await work();
      this.editError = null;
      return true;
    } catch (error) {
      this.editError = errorText(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
