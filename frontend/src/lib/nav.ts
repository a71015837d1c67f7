import type { User } from './api';
import type { MessageKey } from './i18n/en';

/** NavLink is one link of the header, before translation. */
export interface NavLink {
  href: string;
  key: MessageKey;
}

/** navFor lists the header links for who is signed in (or nobody), most used first. */
export function navFor(user: User | null): NavLink[] {
  if (!user) {
    return [
      { href: '/sessions', key: 'nav.findSession' },
      { href: '/centres', key: 'nav.centres' },
      { href: '/sign-in', key: 'nav.signIn' },
      { href: '/register', key: 'nav.register' },
    ];
  }
  const end: NavLink[] = [
    { href: '/notifications', key: 'nav.notifications' },
    { href: '/account', key: 'nav.account' },
    { href: '/sign-out', key: 'nav.signOut' },
  ];
  switch (user.role) {
    case 'young_person':
      return [{ href: '/sessions', key: 'nav.findSession' }, { href: '/bookings', key: 'nav.bookings' }, { href: '/centres', key: 'nav.centres' }, ...end];
    case 'guardian':
      return [{ href: '/sessions', key: 'nav.findSession' }, { href: '/centres', key: 'nav.centres' }, ...end];
    case 'youth_worker':
      return [{ href: '/register/today', key: 'nav.registers' }, { href: '/my-rota', key: 'nav.myRota' }, { href: '/centres', key: 'nav.councilCentres' }, ...end];
    case 'centre_manager':
      return [{ href: '/manage/sessions', key: 'nav.manageSessions' }, { href: '/register/today', key: 'nav.registers' }, { href: '/rota', key: 'nav.rota' }, { href: '/staff', key: 'nav.staff' }, { href: '/centres', key: 'nav.councilCentres' }, ...end];
    case 'council_officer':
      return [{ href: '/centres', key: 'nav.councilCentres' }, { href: '/coverage', key: 'nav.coverage' }, { href: '/manage/sessions', key: 'nav.manageSessions' }, { href: '/rota', key: 'nav.rota' }, { href: '/staff', key: 'nav.staff' }, ...end];
    case 'admin':
      return [{ href: '/admin/councils', key: 'nav.councils' }, { href: '/centres', key: 'nav.centres' }, { href: '/coverage', key: 'nav.coverage' }, ...end];
  }
}

// Pages that make no sense to come back to after signing in.
const noReturn = ['/sign-in', '/sign-out', '/register', '/forgot-password', '/reset-password', '/confirm-email', '/invite', '/consent'];

/**
 * signInHref is the header's "Sign in" link from the page at path (with its query string): it
 * brings the person back to that page once signed in, for example the session they wanted to
 * book, rather than to their home page.
 */
export function signInHref(path: string, search: string): string {
  if (path === '/' || noReturn.some((p) => path === p || path.startsWith(`${p}/`))) return '/sign-in';
  return `/sign-in?next=${encodeURIComponent(path + search)}`;
}

/**
 * returnTo reads the next= of a sign-in address as a place to go afterwards, or null. Only a path
 * on this site counts, read as a browser reads it (a backslash counts as a slash, so
 * "/\\evil.example" is another site). A next that is itself a sign-in address (sent to sign in from
 * the sign-in page) is unwrapped to the page first asked for; signing out is no place to go.
 */
export function returnTo(next: string | null, origin = window.location.origin): string | null {
  for (let depth = 0; next && depth < 5; depth++) {
    if (!next.startsWith('/')) return null;
    let u: URL;
    try {
      u = new URL(next, origin);
    } catch {
      return null;
    }
    if (u.origin !== origin) return null;
    const path = u.pathname.replace(/\/+$/, '');
    if (path === '/sign-in') {
      next = u.searchParams.get('next');
      continue;
    }
    if (path === '/sign-out') return null;
    // "/.//evil.example" resolves here to the path "//evil.example", which would be read as another site.
    if (u.pathname.startsWith('//')) return null;
    return u.pathname + u.search + u.hash;
  }
  return null;
}
