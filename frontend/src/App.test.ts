import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from './test/api';
import { centre, occurrence } from './test/fixtures';
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

describe('A session that ends while a form is open', () => {
  it('sends to sign in once, says why, and one sign-in returns to the form', async () => {
    const user = userEvent.setup();
    history.replaceState(null, '', '/account/postcode');
    let cookie = true;
    mockApi({
      'POST /auth/refresh': () => (cookie ? { body: tokens() } : problem(401)),
      'GET /me': { body: { id: 'u1', role: 'young_person', first_name: 'Sam', last_name: 'Lee', email: 'sam@example.org', postcode: 'M1 1AA' } },
      // The access token has run out and the refresh cookie has gone (signed out on another phone).
      'PATCH /me': () => {
        cookie = false;
        return problem(401);
      },
      'POST /auth/login': () => {
        cookie = true;
        return { body: tokens() };
      },
    });
    render(App);

    const postcode = await screen.findByLabelText(/postcode/i);
    await expect.poll(() => (postcode as HTMLInputElement).value).toBe('M1 1AA');
    await user.clear(postcode);
    await user.type(postcode, 'M32 0JG');
    await user.click(screen.getByRole('button', { name: /save|continue/i }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(screen.getByText('Your session has ended. Sign in again to carry on.')).toBeInTheDocument();
    expect(screen.queryByText(/You need to sign in/)).not.toBeInTheDocument();
    await expect.poll(() => window.location.pathname + window.location.search).toBe('/sign-in?next=%2Faccount%2Fpostcode');
    expect(heading).toHaveFocus();

    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'teapot river comet');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByLabelText(/postcode/i)).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/account/postcode');
    expect(screen.queryByRole('heading', { level: 1, name: 'Sign in' })).not.toBeInTheDocument();
  });
});

describe('A session found in a search', () => {
  it('has a back link to that search, with its postcode, filters and results', async () => {
    const user = userEvent.setup();
    sessionStorage.clear();
    history.replaceState(null, '', '/sessions?postcode=M32+0JG&when=week&spaces_only=true');
    mockApi({
      'POST /auth/refresh': problem(401),
      'GET /sessions': { body: { items: [occurrence()], total: 1, near: { postcode: 'M32 0JG', exact: true } } },
      'GET /sessions/:id': { body: { ...occurrence(), description: 'Five-a-side.', centre: centre() } },
    });
    render(App);

    await user.click(await screen.findByText('Football', { selector: 'a' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Football' })).toBeInTheDocument();
    await user.click(within(screen.getByRole('main')).getByRole('link', { name: 'Find a session' }));

    expect(await screen.findByText('Football', { selector: 'a' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/sessions?postcode=M32+0JG&when=week&spaces_only=true');
    expect(screen.getByLabelText('Postcode')).toHaveValue('M32 0JG');
  });

  it('goes back to an empty search when opened directly', async () => {
    sessionStorage.clear();
    history.replaceState(null, '', '/sessions/o1');
    mockApi({
      'POST /auth/refresh': problem(401),
      'GET /sessions/:id': { body: { ...occurrence(), description: 'Five-a-side.', centre: centre() } },
    });
    render(App);

    expect(await screen.findByRole('heading', { level: 1, name: 'Football' })).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Find a session' })).toHaveAttribute('href', '/sessions');
  });
});
