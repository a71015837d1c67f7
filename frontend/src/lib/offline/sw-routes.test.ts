import { describe, expect, it } from 'vitest';
import { cachePrefix, handling, staleCaches } from './sw-routes';

const origin = 'https://youthhub.example';
const req = (path: string, mode = 'cors', method = 'GET') => ({ url: origin + path, mode, method });

describe('the service worker', () => {
  it('answers every page with the app shell, but never the API', () => {
    expect(handling(req('/register/o1', 'navigate'), origin)).toBe('shell');
    expect(handling(req('/', 'navigate'), origin)).toBe('shell');
    expect(handling(req('/api/v1/calendar/rota/x.ics', 'navigate'), origin)).toBe('network');
    expect(handling(req('/api/v1/sessions/o1/register'), origin)).toBe('network');
    expect(handling(req('/api/v1/sessions/o1/register/marks', 'cors', 'POST'), origin)).toBe('network');
    expect(handling(req('/healthz', 'navigate'), origin)).toBe('network');
  });

  it('keeps built files, and leaves other origins alone', () => {
    expect(handling(req('/assets/index-abc123.js'), origin)).toBe('asset');
    expect(handling({ url: 'https://tile.openstreetmap.org/1/1/1.png', mode: 'no-cors', method: 'GET' }, origin)).toBe('network');
    expect(handling(req('/sw.js'), origin)).toBe('network');
  });

  it('keeps the previous version’s cache for pages still open on it, and drops older ones', () => {
    const caches = [
      { name: `${cachePrefix}a`, installedAt: 1 },
      { name: `${cachePrefix}b`, installedAt: 3 },
      { name: `${cachePrefix}c`, installedAt: 2 },
      { name: 'someone-else', installedAt: 0 },
      { name: `${cachePrefix}new`, installedAt: 4 },
    ];
    expect(staleCaches(caches, `${cachePrefix}new`)).toEqual([`${cachePrefix}c`, `${cachePrefix}a`]);
  });
});
