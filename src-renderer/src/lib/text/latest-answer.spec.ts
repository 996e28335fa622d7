import { describe, expect, it } from 'vitest';
import { AnswerOrder, Debouncer, TypingRequests, type Timer } from './latest-answer';

/** A timer the test runs by hand: no waiting on the clock. */
class ManualTimer implements Timer {
  #next = 1;
  readonly waiting = new Map<number, { run: () => void; ms: number }>();
  set = (run: () => void, ms: number): number => {
    const handle = this.#next++;
    this.waiting.set(handle, { run, ms });
    return handle;
  };
  clear = (handle: unknown): void => {
    this.waiting.delete(handle as number);
  };
  /** Fires every timer set so far. */
  fire(): void {
    const due = [...this.waiting.values()];
    this.waiting.clear();
    for (const { run } of due) run();
  }
}

/** A request whose answer the test releases when it chooses. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('answer order', () => {
  it('shows an answer only when it is newer than the one shown', () => {
    const order = new AnswerOrder();
    const first = order.issue();
    const second = order.issue();
    expect(order.accept(second)).toBe(true);
    expect(order.accept(first)).toBe(false);
    const third = order.issue();
    expect(order.accept(third)).toBe(true);
  });

  it('drops every answer on its way after an invalidation', () => {
    const order = new AnswerOrder();
    const pending = order.issue();
    order.invalidate();
    expect(order.accept(pending)).toBe(false);
    expect(order.accept(order.issue())).toBe(true);
  });
});

describe('debouncer', () => {
  it('runs only the last value, after the delay', () => {
    const timer = new ManualTimer();
    const ran: string[] = [];
    const debouncer = new Debouncer<string>((v) => ran.push(v), 150, timer);
    debouncer.push('T');
    debouncer.push('Th');
    debouncer.push('The');
    expect(timer.waiting.size).toBe(1);
    expect([...timer.waiting.values()][0]?.ms).toBe(150);
    timer.fire();
    expect(ran).toEqual(['The']);
    debouncer.push('The d');
    debouncer.cancel();
    timer.fire();
    expect(ran).toEqual(['The']);
  });
});

describe('typing requests', () => {
  it('asks once per pause and drops an answer that comes back after a newer one', async () => {
    const timer = new ManualTimer();
    const asked = new Map<string, ReturnType<typeof deferred<string>>>();
    const shown: unknown[] = [];
    const tagger = new TypingRequests<string>(
      (text) => {
        const d = deferred<string>();
        asked.set(text, d);
        return d.promise;
      },
      (answer) => shown.push(answer),
      150,
      timer,
    );
    tagger.type('The');
    tagger.type('The dog');
    timer.fire();
    tagger.type('The dog runs');
    timer.fire();
    expect([...asked.keys()]).toEqual(['The dog', 'The dog runs']);
    asked.get('The dog runs')?.resolve('tags of "The dog runs"');
    await Promise.resolve();
    asked.get('The dog')?.resolve('tags of "The dog"');
    await asked.get('The dog')?.promise;
    await Promise.resolve();
    expect(shown).toEqual([{ text: 'The dog runs', result: 'tags of "The dog runs"' }]);
  });

  it('clears at once for blank text, and drops answers still on their way', async () => {
    const timer = new ManualTimer();
    const pending = deferred<string>();
    const shown: unknown[] = [];
    const tagger = new TypingRequests<string>(
      () => pending.promise,
      (a) => shown.push(a),
      150,
      timer,
    );
    tagger.type('Hello');
    timer.fire();
    tagger.type('   ');
    expect(shown).toEqual([null]);
    pending.resolve('late');
    await pending.promise;
    await Promise.resolve();
    expect(shown).toEqual([null]);
    expect(timer.waiting.size).toBe(0);
  });

  it('shows the error of the newest request', async () => {
    const timer = new ManualTimer();
    const failure = new Error('MODEL_NOT_FOUND');
    const shown: unknown[] = [];
    const tagger = new TypingRequests<string>(
      () => Promise.reject(failure),
      (a) => shown.push(a),
      150,
      timer,
    );
    tagger.type('Hi');
    timer.fire();
    await Promise.resolve();
    await Promise.resolve();
    expect(shown).toEqual([{ text: 'Hi', error: failure }]);
  });
});
