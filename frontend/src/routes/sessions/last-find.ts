// The search a person last made in this tab, so that a session's "Find a session" back link
// returns to it (postcode, filters and results) rather than to an empty search. Kept for the tab
// only (sessionStorage): a session opened in a new tab, or from a link, goes back to /sessions.

const key = 'youthhub.lastFind';

/**
 * rememberFind keeps the find page's address, with its query, as the way back from a session. The
 * address of the page being opened from it (the find page still shows) is not one.
 */
export function rememberFind(path: string, search: string): void {
  if (path.replace(/\/+$/, '') !== '/sessions') return;
  try {
    sessionStorage.setItem(key, `/sessions${search}`);
  } catch {
    // Storage refused (private mode, full): the back link goes to an empty search.
  }
}

/** lastFind is the find page's address last seen in this tab, or /sessions. */
export function lastFind(): string {
  try {
    const url = sessionStorage.getItem(key);
    if (url === '/sessions' || url?.startsWith('/sessions?')) return url;
  } catch {
    // As above.
  }
  return '/sessions';
}
