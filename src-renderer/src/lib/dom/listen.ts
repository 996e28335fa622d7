/** Listeners by event type, typed by an event map such as HTMLElementEventMap. */
export type Listeners<Events> = { [Type in keyof Events]?: (event: Events[Type]) => void };

/**
 * Adds every listener to `target` and returns one function that removes them all: the
 * cleanup an attachment or an effect returns.
 */
export function listen<Events = HTMLElementEventMap>(
  target: EventTarget,
  listeners: Listeners<Events>,
): () => void {
  // The map's types are only for callers: the DOM hands each listener its own event type.
  const entries = Object.entries(listeners) as [string, EventListener][];
  for (const [type, listener] of entries) target.addEventListener(type, listener);
  return () => {
    for (const [type, listener] of entries) target.removeEventListener(type, listener);
  };
}
