/**
 * What the Live view holds while it is open, released together when it closes: its event
 * listeners, and a session it started. Leaving the view while `live:start` is still in flight
 * is the tricky case: there is nothing to stop yet, so the session is stopped as soon as the
 * start returns, instead of leaving the microphone open with nobody watching.
 */
export class ViewLifetime {
  readonly #stopSession: () => Promise<unknown>;
  #unsubscribers: (() => void)[] = [];
  #disposed = false;

  constructor(stopSession: () => Promise<unknown>) {
    this.#stopSession = stopSession;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Listeners still attached. */
  get listeners(): number {
    return this.#unsubscribers.length;
  }

  /** Keeps unsubscribe functions to call on dispose; after dispose, calls them at once. */
  hold(...unsubscribers: (() => void)[]): void {
    if (this.#disposed) for (const unsubscribe of unsubscribers) unsubscribe();
    else this.#unsubscribers.push(...unsubscribers);
  }

  /**
   * Detaches every listener; stops the session when one this view started is running or
   * starting (`sessionMayRun`). Safe to call twice.
   */
  dispose(sessionMayRun: boolean): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const unsubscribers = this.#unsubscribers;
    this.#unsubscribers = [];
    for (const unsubscribe of unsubscribers) unsubscribe();
    if (sessionMayRun) this.#stop();
  }

  /**
   * Call when `live:start` has answered. Returns true when the view was left meanwhile: the
   * session has been stopped again and the caller should not take it up.
   */
  startAnswered(): boolean {
    if (!this.#disposed) return false;
    this.#stop();
    return true;
  }

  #stop(): void {
    // LIVE_IDLE (already stopped, e.g. by its time limit) is the expected failure here.
    void this.#stopSession().catch(() => undefined);
  }
}
