import { VIEW_IDS, type ViewId } from './views';

/**
 * Hash routing: `#/record` opens the Record view. The hash, unlike the path, leaves the query
 * string alone, so the `?token=` of `unfold serve` survives every navigation and reload, and
 * the Electron shell (a file URL) needs no server-side routes.
 */
export function viewFromHash(hash: string): ViewId {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0]?.toLowerCase() ?? '';
  return (VIEW_IDS as readonly string[]).includes(name) ? (name as ViewId) : 'home';
}

export function hashFor(view: ViewId): string {
  return view === 'home' ? '#/' : `#/${view}`;
}

/** The Evaluate view opened on one experiment: `#/evaluate?experiment=NAME`. */
export function evaluateExperimentHash(experiment: string): string {
  return `${hashFor('evaluate')}?${new URLSearchParams({ experiment }).toString()}`;
}

/** The experiment a hash names (`?experiment=NAME` after the view), or null. */
export function experimentFromHash(hash: string): string | null {
  const query = hash.indexOf('?');
  if (query < 0) return null;
  return new URLSearchParams(hash.slice(query + 1)).get('experiment');
}
