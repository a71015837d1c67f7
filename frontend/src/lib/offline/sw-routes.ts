// What the service worker does with each request, as plain functions that tests can call.

/** cachePrefix names the service worker's caches; the version follows it. */
export const cachePrefix = 'youthhub-shell-';

/** Handling is how the service worker answers a request. */
export type Handling = 'shell' | 'asset' | 'network';

/**
 * handling decides how to answer a request: a page (any navigation outside the API) gets the app
 * shell, index.html, from the cache, so the app opens with no signal; a built file (/assets/…,
 * named by its content hash, so it never changes) comes from the cache, or the network and is
 * then kept; everything else, the API above all, goes to the network untouched.
 */
export function handling(req: { url: string; method: string; mode: string }, origin: string): Handling {
  if (req.method !== 'GET') return 'network';
  const url = new URL(req.url);
  if (url.origin !== origin) return 'network';
  const p = url.pathname;
  if (p.startsWith('/api/') || p === '/healthz' || p === '/readyz' || p === '/metrics') return 'network';
  if (req.mode === 'navigate') return 'shell';
  if (p.startsWith('/assets/')) return 'asset';
  return 'network';
}

/**
 * staleCaches lists the caches to delete when a new version takes over: all but the newest two,
 * so that a page still open on the previous version can load the chunks it has not loaded yet.
 */
export function staleCaches(caches: readonly { name: string; installedAt: number }[], current: string): string[] {
  const ours = caches.filter((c) => c.name.startsWith(cachePrefix) && c.name !== current).sort((a, b) => b.installedAt - a.installedAt);
  return ours.slice(1).map((c) => c.name);
}
