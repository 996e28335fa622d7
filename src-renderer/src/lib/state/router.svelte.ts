import { hashFor, viewFromHash } from '../router/route';
import type { ViewId } from '../router/views';

/** The current view, following the URL hash (back/forward and typed URLs work). */
export class RouterStore {
  view = $state<ViewId>(viewFromHash(window.location.hash));

  constructor() {
    // Lives as long as the page: the shell never unmounts the router.
    window.addEventListener('hashchange', () => {
      this.view = viewFromHash(window.location.hash);
    });
  }

  href(view: ViewId): string {
    return hashFor(view);
  }
}
