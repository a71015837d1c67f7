import { describe, expect, it } from 'vitest';
import { match, type Route } from './router.svelte';

const load = () => Promise.resolve({ default: (() => {}) as never });
const routes: Route[] = [
  { path: '/', load },
  { path: '/centres', load },
  { path: '/centres/:id', load },
];

describe('match', () => {
  it('finds routes and their parameters', () => {
    expect(match(routes, '/').route?.path).toBe('/');
    expect(match(routes, '/centres/').route?.path).toBe('/centres');
    expect(match(routes, '/centres/a%20b')).toMatchObject({ route: { path: '/centres/:id' }, params: { id: 'a b' } });
  });

  it('answers no route for an unknown path', () => {
    expect(match(routes, '/nowhere').route).toBeNull();
    expect(match(routes, '/centres/1/2').route).toBeNull();
  });
});
