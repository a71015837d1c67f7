import type { Component } from 'svelte';

/** PageModule is what a route's dynamic import yields. */
export type PageModule = { default: Component<any> };

/** Route maps a path pattern (":name" for a parameter) to a page loaded on demand. */
export interface Route {
  path: string;
  load: () => Promise<PageModule>;
  /** auth routes need a signed-in person; others wait for nobody. */
  auth?: boolean;
}

/** Match is a route with the parameters taken from the path. */
export interface Match {
  route: Route | null;
  params: Record<string, string>;
}

const state = $state({ path: '/', search: '', focusPending: false });

/** location is the current path and query string, read reactively. */
export const location = {
  get path(): string {
    return state.path;
  },
  get search(): string {
    return state.search;
  },
  /** query parses the current query string. */
  get query(): URLSearchParams {
    return new URLSearchParams(state.search);
  },
};

function sync(): void {
  state.path = window.location.pathname;
  state.search = window.location.search;
}

/** match finds the route for pathname, or a null route for "page not found". */
export function match(routes: readonly Route[], pathname: string): Match {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const route of routes) {
    const pattern = route.path === '/' ? [] : route.path.split('/').slice(1);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const p = pattern[i]!;
      const v = parts[i]!;
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(v);
        } catch {
          ok = false;
        }
        if (!v) ok = false;
      } else if (p !== v) ok = false;
      if (!ok) break;
    }
    if (ok) return { route, params };
  }
  return { route: null, params: {} };
}

/** navigate shows another page without reloading, adding to the history unless replace is set. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  state.focusPending = true;
  sync();
  if (!url.hash) window.scrollTo(0, 0);
}

/** takeFocus reports (once) whether the page's h1 should take focus after a navigation. */
export function takeFocus(): boolean {
  const pending = state.focusPending;
  state.focusPending = false;
  return pending;
}

function shouldIntercept(e: MouseEvent, a: HTMLAnchorElement): boolean {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return false;
  if (a.target && a.target !== '_self') return false;
  if (a.hasAttribute('download') || a.getAttribute('rel')?.includes('external')) return false;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin) return false;
  if (url.pathname.startsWith('/api/')) return false;
  // A link to a spot on the same page (a skip link, an error summary) is left to the browser.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return false;
  return true;
}

function fragment(hash: string): string {
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
}

/** start listens for link clicks and the back button; it returns a function that stops it. */
export function start(): () => void {
  sync();
  const onClick = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !(a instanceof HTMLAnchorElement) || !shouldIntercept(e, a)) return;
    e.preventDefault();
    navigate(a.href);
  };
  // Back and forward show another page, its h1 taking focus: the browser restoring the old page's
  // scroll position (late, once the page is tall enough) would leave that h1 out of sight.
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  const onPop = () => {
    const samePage = window.location.pathname === state.path && window.location.search === state.search;
    if (samePage) {
      // Only the #fragment changed (a skip link, an error summary, then Back): the spot it names.
      const hash = window.location.hash.slice(1);
      if (hash) document.getElementById(fragment(hash))?.scrollIntoView();
      return;
    }
    state.focusPending = true;
    sync();
    window.scrollTo(0, 0);
  };
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', onPop);
  return () => {
    document.removeEventListener('click', onClick);
    window.removeEventListener('popstate', onPop);
    if ('scrollRestoration' in history) history.scrollRestoration = 'auto';
  };
}
