// The service worker (built on its own to /sw.js by scripts/service-worker.ts, scope /). It keeps
// the app shell, index.html, and the files the register pages and My bookings need, so that a
// youth worker can reload the register, and a young person their tickets, at a door with no
// signal. It never touches the API: registers, marks and tickets are kept in IndexedDB by the
// pages, which decide what is personal data and when it goes.
import { cachePrefix, handling, staleCaches } from './sw-routes';

declare const __SW_VERSION__: string;
declare const __SW_PRECACHE__: string[];

// The service worker's own types (lib "webworker") clash with the DOM's in this project, so
// the little used here is described by hand.
interface SwEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwFetchEvent extends SwEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface SwScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', fn: (e: SwEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: SwFetchEvent) => void): void;
}
const sw = self as unknown as SwScope;

const current = cachePrefix + __SW_VERSION__;
const installedKey = '/__installed-at';
const shell = '/index.html';

sw.addEventListener('install', (e) => {
  e.waitUntil(
    (async () => {
      const cache = await caches.open(current);
      // cache: 'reload' skips the HTTP cache, so the shell is the one this version was built with.
      await cache.addAll(__SW_PRECACHE__.map((u) => new Request(u, { cache: 'reload' })));
      await cache.put(installedKey, new Response(String(Date.now())));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (e) => {
  e.waitUntil(
    (async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith(cachePrefix));
      const dated = await Promise.all(
        names.map(async (name) => {
          const r = await (await caches.open(name)).match(installedKey);
          return { name, installedAt: Number(r ? await r.text() : 0) };
        }),
      );
      await Promise.all(staleCaches(dated, current).map((n) => caches.delete(n)));
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (e) => {
  const how = handling(e.request, sw.location.origin);
  if (how === 'shell') {
    e.respondWith(
      (async () => (await caches.match(shell, { cacheName: current })) ?? (await caches.match(shell)) ?? fetch(e.request))(),
    );
  } else if (how === 'asset') {
    e.respondWith(
      (async () => {
        const hit = await caches.match(e.request);
        if (hit) return hit;
        const res = await fetch(e.request);
        // Every built file is named by its content: once fetched it is right for ever.
        if (res.ok) await (await caches.open(current)).put(e.request, res.clone());
        return res;
      })(),
    );
  }
});
