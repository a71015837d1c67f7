import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import ResetPasswordPage from './ResetPasswordPage.svelte';

const valid = { body: { expires_at: '2025-11-20T18:30:00Z' } };

describe('Choose a new password', () => {
  beforeEach(() => history.replaceState(null, '', '/reset-password/tok-1'));

  it('offers the form for a link that can be used, with sign-up’s password advice', async () => {
    const { calls } = mockApi({ 'GET /auth/password-reset/:token': valid });
    render(ResetPasswordPage, { token: 'tok-1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Choose a new password' })).toBeInTheDocument();
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/auth/password-reset/tok-1' });
    expect(screen.getByText('This link works until 6:30pm.')).toBeInTheDocument();
    const password = screen.getByLabelText('New password');
    expect(password).toHaveAttribute('autocomplete', 'new-password');
    expect(password).toHaveAccessibleDescription(/^Use at least 12 characters\. Three random words work well, for example: \w+ \w+ \w+$/);
  });

  it.each([
    [404, 'reset_link_invalid', 'This link is not valid'],
    [409, 'reset_link_used', 'This link has already been used'],
    [409, 'reset_link_expired', 'This link has expired'],
  ])('says why a link cannot be used (%i %s) and where to ask for a new one', async (status, code, title) => {
    const detail = `Server says: ${code}.`;
    mockApi({ 'GET /auth/password-reset/:token': problem(status, { code, detail }) });
    render(ResetPasswordPage, { token: 'old' });
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByText(detail)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument();
  });

  it('signs the person in with the new password and takes them to the home page', async () => {
    const user = userEvent.setup();
    await session.signOut().catch(() => {});
    const { calls } = mockApi({
      'GET /auth/password-reset/:token': valid,
      'POST /auth/password-reset/:token': { body: tokens({ first_name: 'Robin' }) },
    });
    render(ResetPasswordPage, { token: 'tok-1' });
    await user.type(await screen.findByLabelText('New password'), 'pebble rocket meadow');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    await expect.poll(() => window.location.pathname + window.location.search).toBe('/?password_changed=1');
    expect(calls[1]).toMatchObject({ method: 'POST', path: '/auth/password-reset/tok-1', body: { password: 'pebble rocket meadow' } });
    expect(session.status).toBe('signed_in');
    expect(session.user?.first_name).toBe('Robin');
  });

  it('shows why a password was refused beside the field and in the error summary', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /auth/password-reset/:token': valid,
      'POST /auth/password-reset/:token': problem(422, { errors: [{ field: 'password', message: 'Password must be 12 characters or more' }] }),
    });
    render(ResetPasswordPage, { token: 'tok-1' });
    await user.type(await screen.findByLabelText('New password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Password must be 12 characters or more' })).toHaveAttribute('href', '#password');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(/Password must be 12 characters or more/);
    expect(document.title).toBe('Error: Choose a new password – youthhub');
    expect(window.location.pathname).toBe('/reset-password/tok-1');
  });

  it('asks for a password before sending anything', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /auth/password-reset/:token': valid });
    render(ResetPasswordPage, { token: 'tok-1' });
    await user.click(await screen.findByRole('button', { name: 'Change password' }));
    expect(within(await screen.findByRole('alert')).getByRole('link', { name: 'Enter a new password' })).toHaveAttribute('href', '#password');
    expect(calls).toHaveLength(1);
  });

  it('replaces the form with the reason when the link stops working before the new password is sent', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /auth/password-reset/:token': valid,
      'POST /auth/password-reset/:token': problem(409, { code: 'reset_link_expired', detail: 'This link has expired. Ask for a new one.' }),
    });
    render(ResetPasswordPage, { token: 'tok-1' });
    await user.type(await screen.findByLabelText('New password'), 'pebble rocket meadow');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'This link has expired' })).toHaveFocus();
    expect(screen.getByText('This link has expired. Ask for a new one.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument();
  });
});
