import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import ConfirmEmailPage from './ConfirmEmailPage.svelte';

describe('Confirm a new email address', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/confirm-email/tok-1');
    session.start(tokens());
  });

  it('says which address it is for, and confirms it only with the button', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /auth/email-change/:token': { body: { email: 'ava.new@example.org', expires_at: '2026-11-29T10:00:00Z' } },
      'POST /auth/email-change/:token': { body: { email: 'ava.new@example.org' } },
    });
    render(ConfirmEmailPage, { token: 'tok-1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Confirm your new email address' })).toBeInTheDocument();
    expect(screen.getByText(/Use ava\.new@example\.org for your youthhub account/)).toBeInTheDocument();
    // Opening the link (a mail scanner does) confirms nothing.
    expect(calls.map((c) => c.method)).toEqual(['GET']);
    await user.click(screen.getByRole('button', { name: 'Confirm my new email address' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your email address has been changed' })).toHaveFocus();
    expect(screen.getByText(/From now on, sign in with ava\.new@example\.org/)).toBeInTheDocument();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', path: '/auth/email-change/tok-1' });
  });

  it.each([
    [404, 'email_link_invalid', 'This link is not valid'],
    [409, 'email_link_expired', 'This link has expired'],
  ])('says why a link cannot be used (%i %s)', async (status, code, title) => {
    const detail = `Server says: ${code}.`;
    mockApi({ 'GET /auth/email-change/:token': problem(status, { code, detail }) });
    render(ConfirmEmailPage, { token: 'old' });
    expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument();
    expect(screen.getByText(detail)).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    // Not a dead end: back to My account, where the address can be changed again.
    expect(screen.getByRole('link', { name: 'My account' })).toHaveAttribute('href', '/account');
  });

  it('asks someone signed out to sign in first, and brings them back to the link', async () => {
    await session.signOut().catch(() => {});
    const { calls } = mockApi({
      'POST /auth/logout': { status: 204 },
      'POST /auth/refresh': problem(401),
      'GET /auth/email-change/:token': { body: { email: 'ava.new@example.org', expires_at: '2026-11-29T10:00:00Z' } },
    });
    render(ConfirmEmailPage, { token: 'tok-1' });
    expect(await screen.findByText(/sign in to your youthhub account first/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in to confirm' })).toHaveAttribute('href', '/sign-in?next=%2Fconfirm-email%2Ftok-1');
    expect(screen.queryByRole('button', { name: 'Confirm my new email address' })).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST' && c.path.startsWith('/auth/email-change'))).toEqual([]);
  });

  it('says so when another account took the address since the link was sent', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /auth/email-change/:token': { body: { email: 'ava.new@example.org', expires_at: '2026-11-29T10:00:00Z' } },
      'POST /auth/email-change/:token': problem(409, { code: 'email_taken', detail: 'Another account has started using this address.' }),
    });
    render(ConfirmEmailPage, { token: 'tok-1' });
    await user.click(await screen.findByRole('button', { name: 'Confirm my new email address' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This address is already in use' })).toHaveFocus();
  });
});
