import { describe, expect, it } from 'vitest';
import { navFor, returnTo, signInHref } from './nav';
import type { Role } from './api';

const user = (role: Role) => ({ id: 'u', role, council_id: 'k', first_name: 'A' });

describe('navFor', () => {
  it('offers sign in and register to someone signed out', () => {
    expect(navFor(null).map((l) => l.href)).toEqual(['/sessions', '/centres', '/sign-in', '/register']);
  });

  it('gives managers and officers the timetable and the rota, and workers their own rota', () => {
    for (const role of ['centre_manager', 'council_officer'] as Role[]) {
      const links = navFor(user(role));
      expect(links).toContainEqual({ href: '/manage/sessions', key: 'nav.manageSessions' });
      expect(links).toContainEqual({ href: '/rota', key: 'nav.rota' });
      expect(links.map((l) => l.href)).not.toContain('/my-rota');
    }
    expect(navFor(user('centre_manager'))[0]!.href).toBe('/manage/sessions');
    // A centre manager reaches any of their council's registers, on a phone at a door, in one tap (an
    // officer's menu is full: they open /register/today from the page's address).
    expect(navFor(user('centre_manager'))).toContainEqual({ href: '/register/today', key: 'nav.registers' });
    expect(navFor(user('youth_worker'))[0]).toEqual({ href: '/register/today', key: 'nav.registers' });
    expect(navFor(user('youth_worker'))[1]).toEqual({ href: '/my-rota', key: 'nav.myRota' });
    expect(navFor(user('youth_worker')).map((l) => l.href)).not.toContain('/rota');
  });

  it('gives council officers and the admin the coverage page, and nobody else', () => {
    for (const role of ['council_officer', 'admin'] as Role[]) {
      expect(navFor(user(role))).toContainEqual({ href: '/coverage', key: 'nav.coverage' });
    }
    for (const role of ['young_person', 'guardian', 'youth_worker', 'centre_manager'] as Role[]) {
      expect(navFor(user(role)).map((l) => l.href)).not.toContain('/coverage');
    }
    expect(navFor(null).map((l) => l.href)).not.toContain('/coverage');
  });

  it('gives centre managers and council officers the staff page, and nobody else', () => {
    for (const role of ['centre_manager', 'council_officer'] as Role[]) {
      expect(navFor(user(role))).toContainEqual({ href: '/staff', key: 'nav.staff' });
    }
    for (const role of ['young_person', 'guardian', 'youth_worker', 'admin'] as Role[]) {
      expect(navFor(user(role)).map((l) => l.href)).not.toContain('/staff');
    }
    expect(navFor(null).map((l) => l.href)).not.toContain('/staff');
  });

  it('gives the platform admin the councils first, and nobody else', () => {
    expect(navFor(user('admin'))[0]).toEqual({ href: '/admin/councils', key: 'nav.councils' });
    for (const role of ['young_person', 'guardian', 'youth_worker', 'centre_manager', 'council_officer'] as Role[]) {
      expect(navFor(user(role)).map((l) => l.href)).not.toContain('/admin/councils');
    }
    expect(navFor(null).map((l) => l.href)).not.toContain('/admin/councils');
  });

  it('gives each role its own first links and a sign out', () => {
    expect(navFor(user('young_person')).map((l) => l.href)).toContain('/bookings');
    expect(navFor(user('council_officer'))[0]).toEqual({ href: '/centres', key: 'nav.councilCentres' });
    for (const role of ['young_person', 'guardian', 'youth_worker', 'centre_manager', 'council_officer', 'admin'] as Role[]) {
      expect(navFor(user(role)).at(-1)!.href).toBe('/sign-out');
    }
  });
});

describe('signInHref', () => {
  it('comes back to the page it was followed from', () => {
    expect(signInHref('/sessions/o1', '')).toBe('/sign-in?next=%2Fsessions%2Fo1');
    expect(signInHref('/sessions', '?postcode=M32+0JG')).toBe('/sign-in?next=%2Fsessions%3Fpostcode%3DM32%2B0JG');
  });

  it('goes home from the home page and from pages about signing in', () => {
    for (const p of ['/', '/sign-in', '/sign-out', '/register', '/forgot-password', '/reset-password/abc', '/invite/x', '/consent/t']) {
      expect(signInHref(p, '?next=%2Fbookings')).toBe('/sign-in');
    }
  });
});

describe('returnTo', () => {
  const origin = 'https://youthhub.example';
  it.each([
    ['/account/postcode', '/account/postcode'],
    ['/sessions?postcode=M32+0JG#s1', '/sessions?postcode=M32+0JG#s1'],
    ['/sign-in?next=%2Faccount%2Fpostcode', '/account/postcode'],
    ['/sign-in/?next=%2Fsign-in%3Fnext%3D%252Fbookings', '/bookings'],
    ['/sign-in', null],
    ['/sign-out', null],
    ['//evil.example/', null],
    ['/\\evil.example', null],
    ['/.//evil.example/x', null],
    ['/sign-in?next=%2F.%2F%2Fevil.example', null],
    ['https://evil.example/', null],
    ['/sign-in?next=https%3A%2F%2Fevil.example%2F', null],
    [null, null],
  ])('reads next=%s as %s', (next, want) => {
    expect(returnTo(next, origin)).toBe(want);
  });
});
