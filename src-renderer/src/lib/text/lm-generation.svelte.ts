/**
 * One generation at a time for the Text view's language-model mode: started with lm:generate
 * under an id chosen here (so its events are known before the reply), its units collected from
 * the lm:unit events as they are sampled, its end from lm:generated; stop asks main to stop
 * between two units. Events of other generations (another window's) are ignored.
 */
import type { ApiClient } from '@api/client-core';
import type { RequestParams } from '@api/contract';
import type { LmGenerationEnd, LmGenerationStarted, LmUnitPayload } from '@api/lm';
import { errorText } from '../format/error-text';

export type GenerationSettings = Omit<RequestParams<'lm:generate'>, 'id'>;

let made = 0;

/** An id no other generation of this page has: a time, a counter and a random part. */
function newGenerationId(): string {
  made++;
  return `g${Date.now().toString(36)}-${made}-${Math.random().toString(36).slice(2, 8)}`;
}

export class LmGeneration {
  /** The units so far, in order. */
  units = $state.raw<LmUnitPayload[]>([]);
  /** What main made of the prompt; null before the reply. */
  started = $state.raw<LmGenerationStarted | null>(null);
  /** The prompt of the current (or last) generation. */
  prompt = $state('');
  running = $state(false);
  end = $state<LmGenerationEnd | null>(null);
  error = $state<string | null>(null);

  readonly #client: ApiClient;
  #id: string | null = null;
  readonly #unsubscribe: (() => void)[];

  constructor(client: ApiClient) {
    this.#client = client;
    this.#unsubscribe = [
      client.on('lm:unit', (unit) => {
        if (unit.id !== this.#id) return;
        this.units = [...this.units, unit];
      }),
      client.on('lm:generated', (payload) => {
        if (payload.id !== this.#id) return;
        this.running = false;
        this.end = payload.end;
        if (payload.error) this.error = payload.error.message;
      }),
    ];
  }

  async start(settings: GenerationSettings): Promise<void> {
    const id = newGenerationId();
    if (this.running) await this.stop();
    this.#id = id;
    this.units = [];
    this.started = null;
    this.prompt = settings.prompt ?? '';
    this.end = null;
    this.error = null;
    this.running = true;
    try {
      const started = await this.#client.invoke('lm:generate', { ...settings, id });
      if (this.#id === id) this.started = started;
    } catch (e) {
      if (this.#id !== id) return;
      this.running = false;
      this.error = errorText(e).message;
    }
  }

  async stop(): Promise<void> {
    const id = this.#id;
    if (id === null || !this.running) return;
    try {
      await this.#client.invoke('lm:stop', { id });
    } catch (e) {
      this.error = errorText(e).message;
    }
  }

  /** Stops listening, and stops a generation still running. */
  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.running && this.#id !== null)
      this.#client.invoke('lm:stop', { id: this.#id }).catch(() => undefined);
  }
}
