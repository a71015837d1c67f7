import { describe, expect, it } from 'vitest';
import { navFor } from './nav';
import type { Role } from './api';

const user = (role: Role) => ({ id: 'u', role, council_id: 'k', first_name: 'A' });

describe('navFor', () => {
  it('offers sign in and register to someone signed out', () => {
    expect(navFor(null).map((l) => l.href)).toEqual(['/sessions', '/centres', '/sign-in', '/register']);
  });

  it('gives each role its own first links and a sign out', () => {
    expect(navFor(user('young_person')).map((l) => l.href)).toContain('/bookings');
    expect(navFor(user('council_officer'))[0]).toEqual({ href: '/centres', key: 'nav.councilCentres' });
    for (const role of ['young_person', 'guardian', 'youth_worker', 'centre_manager', 'council_officer', 'admin'] as Role[]) {
      expect(navFor(user(role)).at(-1)!.href).toBe('/sign-out');
    }
  });
});
