import type { ApiClient } from '@api/client-core';
import type { UtteranceFilterData, UtteranceRowData } from '@api/corpus';
import { errorText } from '../format/error-text';
import { pagesFor } from './virtual-window';
import { queryKey } from './utterance-query';

export const PAGE_SIZE = 200;

/**
 * The rows of the utterance table, fetched a page at a time as the window scrolls over them.
 * Pages are cached per query; a new query or a new generation (after an edit) starts afresh.
 */
export class UtteranceRows {
  total = $state<number | null>(null);
  /** Replaced whole when pages arrive (rows index -> row), so a plain Map in $state.raw is enough. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
  rows = $state.raw<ReadonlyMap<number, UtteranceRowData>>(new Map());
  error = $state<string | null>(null);
  readonly #client: ApiClient;
  #key = '';
  #corpus = '';
  #query: UtteranceFilterData = {};
  // Bookkeeping only: nothing renders from these, so they need no reactivity.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #pending = new Set<number>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #loaded = new Set<number>();

  constructor(client: ApiClient) {
    this.#client = client;
  }

  /** Sets what the table shows; a change drops the cached pages. */
  setQuery(corpus: string, query: UtteranceFilterData, generation: number): void {
    const key = `${corpus}\u0000${generation}\u0000${queryKey(query)}`;
    if (key === this.#key) return;
    this.#key = key;
    this.#corpus = corpus;
    this.#query = query;
    this.#pending.clear();
    this.#loaded.clear();
    this.error = null;
    void this.#fetch(0, key, true);
  }

  /** Makes sure the rows [start, end) are loaded or on their way. */
  ensure(start: number, end: number): void {
    for (const page of pagesFor(start, end, PAGE_SIZE)) {
      if (!this.#loaded.has(page) && !this.#pending.has(page)) void this.#fetch(page, this.#key);
    }
  }

  async #fetch(page: number, key: string, replace = false): Promise<void> {
    this.#pending.add(page);
    try {
      const result = await this.#client.invoke('corpus:utterances', {
        corpus: this.#corpus,
        filter: this.#query,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      if (key !== this.#key) return;
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a new value for $state.raw
      const rows = new Map(replace ? [] : this.rows);
      result.rows.forEach((row, k) => rows.set(result.offset + k, row));
      this.rows = rows;
      this.total = result.total;
      this.#loaded.add(page);
      this.error = null;
    } catch (error) {
      if (key === this.#key) this.error = errorText(error).message;
    } finally {
      if (key === this.#key) this.#pending.delete(page);
    }
  }
}
