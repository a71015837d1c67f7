import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from './test/api';
import App from './App.svelte';

describe('The app', () => {
  it('sends someone signed out to sign in once, and back to the page they asked for', async () => {
    const user = userEvent.setup();
    history.replaceState(null, '', '/bookings');
    mockApi({
      'POST /auth/refresh': problem(401),
      'POST /auth/login': { body: tokens() },
      'GET /me/bookings': { body: { items: [], total: 0 } },
    });
    render(App);

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    await expect.poll(() => window.location.pathname + window.location.search).toBe('/sign-in?next=%2Fbookings');
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'teapot river comet');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'My bookings' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/bookings');
  });
});
