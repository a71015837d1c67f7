import type { Route } from './lib/router/router.svelte';

// The one route table: each page is its own chunk, fetched when first visited.
export const routes: readonly Route[] = [
  { path: '/', load: () => import('./routes/home/HomePage.svelte') },
  { path: '/register', load: () => import('./routes/register/RegisterPage.svelte') },
  { path: '/sign-in', load: () => import('./routes/sign-in/SignInPage.svelte') },
  { path: '/sign-out', load: () => import('./routes/sign-out/SignOutPage.svelte') },
  { path: '/account', load: () => import('./routes/account/AccountPage.svelte'), auth: true },
  { path: '/centres', load: () => import('./routes/centres/CentresPage.svelte') },
  { path: '/centres/:id', load: () => import('./routes/centres/CentrePage.svelte') },
  { path: '/sessions', load: () => import('./routes/sessions/FindPage.svelte') },
  { path: '/sessions/:id', load: () => import('./routes/sessions/SessionPage.svelte') },
  { path: '/bookings', load: () => import('./routes/bookings/BookingsPage.svelte'), auth: true },
  { path: '/notifications', load: () => import('./routes/notifications/NotificationsPage.svelte'), auth: true },
  { path: '/consent/:token', load: () => import('./routes/consent/ConsentPage.svelte') },
];

/** notFound is shown for any path not in the table. */
export const notFound = () => import('./routes/not-found/NotFoundPage.svelte');
