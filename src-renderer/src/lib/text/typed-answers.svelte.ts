/**
 * A model's answer to the text as it is typed, for a component of the Text view (tagging and
 * classification alike): every edit asked after a pause, only the newest answer kept
 * (latest-answer.ts), and one set of requests per experiment: choosing another experiment
 * stops the old one's, so an answer or error of another model is never shown.
 */
import { errorText } from '../format/error-text';
import { TypingRequests } from './latest-answer';

export interface TypedAnswers<A> {
  /** The newest answer about the text from the chosen experiment; null before one, or for blank text. */
  readonly answer: A | null;
  /** Why the newest request failed, or null. */
  readonly error: string | null;
}

/**
 * Call while a component initialises: the requests live as long as it does. `experiment` and
 * `text` are read reactively (props or state).
 */
export function typedAnswers<A>(
  experiment: () => string,
  text: () => string,
  ask: (experiment: string, text: string) => Promise<A>,
): TypedAnswers<A> {
  let answer = $state.raw<{ experiment: string; result: A } | null>(null);
  let error = $state.raw<{ experiment: string; message: string } | null>(null);

  // One set of requests per experiment (text is not read here: an edit keeps them).
  const requests = $derived.by(() => {
    const name = experiment();
    return new TypingRequests<A>(
      (value) => ask(name, value),
      (reply) => {
        if (reply === null) {
          answer = null;
          error = null;
        } else if ('result' in reply) {
          answer = { experiment: name, result: reply.result };
          error = null;
        } else error = { experiment: name, message: errorText(reply.error).message };
      },
    );
  });

  // Replaced requests stop: nothing they have pending is sent or shown.
  $effect(() => {
    const current = requests;
    return () => current.dispose();
  });

  // Every edit, and a new experiment's requests, send the text.
  $effect(() => {
    requests.type(text());
  });

  return {
    get answer() {
      return answer?.experiment === experiment() ? answer.result : null;
    },
    get error() {
      return error?.experiment === experiment() ? error.message : null;
    },
  };
}
