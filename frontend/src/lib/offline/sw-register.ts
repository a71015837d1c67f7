// Registers the service worker the first time a worker opens a register page, or a young person
// opens My bookings with a signal (to show their tickets at a door with none); anyone else never
// downloads its cache. Once registered it keeps the shell for every later visit, offline too.
let asked = false;

/** registerServiceWorker asks the browser (once per page load) to install /sw.js for the whole site. */
export function registerServiceWorker(): void {
  if (asked || import.meta.env.DEV || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  asked = true;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No service worker (a private window, an old browser): the register still works online.
  });
}
