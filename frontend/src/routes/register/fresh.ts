// Test helper of the register pages' tests (not part of the app).
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * freshPages gives each test of a register page fresh modules (who is signed in, the queue's
 * state) and a fresh IndexedDB, as a new page load on a new phone would. Svelte and Testing Library
 * are loaded again with them, so that the page and its renderer share one Svelte. Call it at the
 * top of the test file with what to load (the page, and any module the test reads); each call of
 * what it returns loads them afresh, with `render`.
 */
export function freshPages<T extends object>(load: () => Promise<T>) {
  let loaded: { resetSync: () => void; cleanup: () => void } | null = null;
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });
  afterEach(() => {
    loaded?.cleanup();
    loaded?.resetSync();
    loaded = null;
  });
  return async () => {
    vi.resetModules();
    const { render, cleanup } = await import('@testing-library/svelte');
    const sync = await import('../../lib/offline/sync.svelte');
    const modules = await load();
    loaded = { resetSync: sync.resetSync, cleanup };
    return { ...modules, render };
  };
}
