import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, problem } from './test/api';

// The register page's chunk comes over a slow connection: it arrives when a test says so.
let arrive: () => void = () => {};
vi.mock('./routes', async (original) => {
  const m = await original<typeof import('./routes')>();
  return {
    ...m,
    routes: m.routes.map((r) =>
      r.path === '/register' ? { ...r, load: () => new Promise<void>((ok) => (arrive = ok)).then(r.load) } : r,
    ),
  };
});

const { default: App } = await import('./App.svelte');

describe('A page slow to come', () => {
  it('says "Loading…" in a live region after a moment, and not once the page is there', async () => {
    const user = userEvent.setup();
    history.replaceState(null, '', '/sign-in');
    mockApi({ 'POST /auth/refresh': problem(401) });
    render(App);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();

    await user.click(within(screen.getByRole('main')).getByRole('link', { name: 'Create an account' }));
    // The old page stays meanwhile; a wait long enough to notice is said, politely.
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    const loading = await screen.findByText('Loading…');
    expect(loading.closest('[aria-live="polite"]')).toBeInTheDocument();

    arrive();
    expect(await screen.findByRole('heading', { level: 1, name: 'Create an account' })).toHaveFocus();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });

  it('says nothing when the page comes at once', async () => {
    const user = userEvent.setup();
    history.replaceState(null, '', '/sign-in');
    mockApi({ 'POST /auth/refresh': problem(401) });
    render(App);
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });

    await user.click(screen.getByRole('link', { name: 'Forgotten your password?' }));
    expect(await screen.findByRole('heading', { level: 1, name: /password/i })).toHaveFocus();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });
});
