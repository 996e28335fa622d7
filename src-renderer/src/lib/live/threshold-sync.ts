/**
 * The rejection threshold slider while a session runs. Dragging fires an input event per
 * pixel; each would be a `live:threshold` request, and answers can come back out of order.
 * `LatestValueSender` keeps one request in flight and, when it returns, sends only the newest
 * value that came in meanwhile, so the server ends on what the slider shows.
 */

/** A slider reading as a threshold in [0, 1] on the slider's 0.01 grid; null if not a number. */
export function thresholdFromSlider(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

export class LatestValueSender {
  readonly #send: (value: number) => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #queued: number | null = null;
  #inFlight: Promise<void> | null = null;
  #sent = 0;

  constructor(send: (value: number) => Promise<unknown>, onError: (error: unknown) => void) {
    this.#send = send;
    this.#onError = onError;
  }

  /** Requests sent so far (for tests and diagnostics). */
  get sent(): number {
    return this.#sent;
  }

  /** Queues `value` and resolves once it (or a newer value) has been answered. */
  push(value: number): Promise<void> {
    this.#queued = value;
    this.#inFlight ??= this.#drain();
    return this.#inFlight;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    return this.#inFlight ?? Promise.resolve();
  }

  /** Forgets a value not yet sent (the session ended: there is nothing to send it to). */
  clear(): void {
    this.#queued = null;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queued !== null) {
        const value = this.#queued;
        this.#queued = null;
        this.#sent++;
        try {
          await this.#send(value);
        } catch (error) {
          this.#onError(error);
        }
      }
    } finally {
      this.#inFlight = null;
    }
  }
}
