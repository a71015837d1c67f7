import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, problem, tokens } from './test/api';

// The session is module state: each test starts from a fresh app (and the Svelte it renders
// with), as a reload with no signal does.
async function freshApp() {
  const { render, screen } = await import('@testing-library/svelte');
  render((await import('./App.svelte')).default);
  return screen;
}

describe('The app opened with no signal', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it('holds a page that needs a sign-in until the server answers, then opens it', async () => {
    history.replaceState(null, '', '/notifications');
    let signal = false;
    mockApi({
      'POST /auth/refresh': () => {
        if (!signal) throw new TypeError('Failed to fetch');
        return { body: tokens() };
      },
      'GET /me/notifications': { body: { items: [], total: 0 } },
    });
    const screen = await freshApp();

    expect(await screen.findByText(/could not reach youthhub/)).toBeInTheDocument();
    // Not sent to sign in (which cannot work offline), and no "Sign in" in the header either.
    expect(window.location.pathname).toBe('/notifications');
    expect(screen.queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();

    signal = true;
    window.dispatchEvent(new Event('online'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeInTheDocument();
    expect(screen.queryByText(/could not reach youthhub/)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'My bookings' })).toBeInTheDocument();
  });

  it('sends to sign in once the server, back in reach, says nobody is signed in', async () => {
    history.replaceState(null, '', '/notifications');
    let signal = false;
    mockApi({
      'POST /auth/refresh': () => {
        if (!signal) throw new TypeError('Failed to fetch');
        return problem(401);
      },
    });
    const screen = await freshApp();

    expect(await screen.findByText(/could not reach youthhub/)).toBeInTheDocument();
    signal = true;
    window.dispatchEvent(new Event('online'));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/sign-in?next=%2Fnotifications');
  });
});
