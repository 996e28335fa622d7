/**
 * Asking a model about text as the user types (tagging it, classifying it): ask after a pause
 * in typing (debounced), and show an answer only if it is newer than the one shown (answers can
 * come back out of order; an older one is stale).
 */

/** Orders the answers of requests: each request takes a ticket; only newer tickets are shown. */
export class AnswerOrder {
  #issued = 0;
  #shown = 0;

  /** A ticket for a request about to be sent. */
  issue(): number {
    this.#issued += 1;
    return this.#issued;
  }

  /**
   * Whether the answer to `ticket` should be shown: it is newer than the one shown, and newer
   * than any invalidation. Accepting it makes it the one shown.
   */
  accept(ticket: number): boolean {
    if (ticket <= this.#shown) return false;
    this.#shown = ticket;
    return true;
  }

  /** Drops every answer still on its way (the input was cleared, or the model changed). */
  invalidate(): void {
    this.#shown = this.#issued;
  }
}

/** The timer a Debouncer uses (the browser's by default; a test hands in its own). */
export interface Timer {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const BROWSER_TIMER: Timer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs the last value given after `delayMs` without a newer one. */
export class Debouncer<T> {
  #pending: unknown = null;
  #armed = false;

  constructor(
    private readonly run: (value: T) => void,
    private readonly delayMs: number,
    private readonly timer: Timer = BROWSER_TIMER,
  ) {}

  push(value: T): void {
    this.cancel();
    this.#armed = true;
    this.#pending = this.timer.set(() => {
      this.#armed = false;
      this.run(value);
    }, this.delayMs);
  }

  /** Forgets the value waiting, if any. */
  cancel(): void {
    if (this.#armed) this.timer.clear(this.#pending);
    this.#armed = false;
  }
}

/** How long typing must pause before the text is sent. */
export const TYPING_DELAY_MS = 150;

/**
 * Asks about text as it is typed: debounced requests, stale answers dropped, blank text
 * answered at once (nothing to ask). `ask` is the request (the API call); `show` gets each
 * answer to show.
 */
export class TypingRequests<A> {
  readonly #order = new AnswerOrder();
  readonly #debouncer: Debouncer<string>;

  constructor(
    private readonly ask: (text: string) => Promise<A>,
    private readonly show: (
      answer: { text: string; result: A } | { text: string; error: unknown } | null,
    ) => void,
    delayMs = TYPING_DELAY_MS,
    timer?: Timer,
  ) {
    this.#debouncer = new Debouncer((text) => void this.#send(text), delayMs, timer);
  }

  /** The text changed. */
  type(text: string): void {
    if (text.trim() === '') {
      this.#debouncer.cancel();
      this.#order.invalidate();
      this.show(null);
      return;
    }
    this.#debouncer.push(text);
  }

  /** Stops: nothing pending is sent, nothing on its way is shown. */
  dispose(): void {
    this.#debouncer.cancel();
    this.#order.invalidate();
  }

  async #send(text: string): Promise<void> {
    const ticket = this.#order.issue();
    try {
      const result = await this.ask(text);
      if (this.#order.accept(ticket)) this.show({ text, result });
    } catch (error) {
      if (this.#order.accept(ticket)) this.show({ text, error });
    }
  }
}
