import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import SignInPage from './SignInPage.svelte';

describe('Sign in', () => {
  beforeEach(() => history.replaceState(null, '', '/sign-in'));

  it('signs in and goes to the page for the person’s role', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/login': { body: tokens({ role: 'council_officer', council_id: 'k1' }) } });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'officer@demo.test');
    await user.type(screen.getByLabelText('Password'), 'youthhub-demo-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await expect.poll(() => window.location.pathname).toBe('/centres');
    expect(calls[0]!.body).toEqual({ email: 'officer@demo.test', password: 'youthhub-demo-password' });
    expect(session.user?.role).toBe('council_officer');
  });

  it.each([
    ['young_person', '/sessions'],
    ['youth_worker', '/register/today'],
    ['centre_manager', '/manage/sessions'],
    ['council_officer', '/centres'],
    ['admin', '/admin/councils'],
    ['guardian', '/account'],
  ] as const)('lands %s where their work is, %s', async (role, home) => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': { body: tokens({ role, council_id: role === 'admin' || role === 'young_person' || role === 'guardian' ? null : 'k1' }) } });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'someone@demo.test');
    await user.type(screen.getByLabelText('Password'), 'youthhub-demo-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await expect.poll(() => window.location.pathname).toBe(home);
  });

  it.each([
    ['/bookings?x=1', '/bookings?x=1'],
    ['/%5Cevil.example', '/sessions'],
    ['//evil.example', '/sessions'],
    ['https://evil.example/', '/sessions'],
    // Sent to sign in from the sign-in page: back to the page first asked for, not to sign in again.
    ['/sign-in?next=%2Faccount%2Fpostcode', '/account/postcode'],
    ['/sign-in?next=%2Fsign-in%3Fnext%3D%252Fbookings', '/bookings'],
    ['/sign-in', '/sessions'],
    ['/sign-out', '/sessions'],
  ])('goes back to next=%s only when it is on this site (there: %s)', async (next, want) => {
    history.replaceState(null, '', `/sign-in?next=${encodeURIComponent(decodeURIComponent(next))}`);
    start();
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': { body: tokens({ role: 'young_person', council_id: null }) } });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'young@demo.test');
    await user.type(screen.getByLabelText('Password'), 'youthhub-demo-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await expect.poll(() => window.location.pathname + window.location.search).toBe(want);
    expect(screen.queryByText(/problem with the service/)).not.toBeInTheDocument();
  });

  it('says "you need to sign in" only when the page asked for needs it', async () => {
    history.replaceState(null, '', `/sign-in?next=${encodeURIComponent('/account')}`);
    await start();
    const first = render(SignInPage);
    expect(screen.getByText('You need to sign in to see this page.')).toBeInTheDocument();
    first.unmount();
    // From the header, while reading a session anyone may see: no such message.
    history.replaceState(null, '', `/sign-in?next=${encodeURIComponent('/sessions/o1')}`);
    await start();
    render(SignInPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('You need to sign in to see this page.')).not.toBeInTheDocument();
  });

  it('offers a way back in to someone who has forgotten their password', () => {
    render(SignInPage);
    expect(screen.getByRole('link', { name: 'Forgotten your password?' })).toHaveAttribute('href', '/forgot-password');
  });

  it('says plainly when the email or password is wrong', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': problem(401) });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter a correct email address and password' })).toHaveAttribute('href', '#email');
    // The wrong password is not kept for the next try; the address is.
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.getByLabelText('Email address')).toHaveValue('sam@example.org');
  });

  it('says how to get into an account locked by guesses from many places', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': { ...problem(429, { code: 'account_locked' }), headers: { 'Retry-After': '600' } } });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'right password now');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('link', { name: /too many failed attempts to sign in to this account.*choose a new password/ })).toBeInTheDocument();
  });

  it('tells a throttled person how long to wait', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': { ...problem(429), headers: { 'Retry-After': '60' } } });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('link', { name: /Wait a minute and try again, or choose a new password/ })).toBeInTheDocument();
  });

  it('shows the request id when the service fails', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/login': problem(500) });
    render(SignInPage);
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/give this reference: req-123/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Sorry, there is a problem with the service' })).toBeInTheDocument();
  });
});
