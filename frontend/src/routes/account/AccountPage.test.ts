import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi } from '../../test/api';
import type { Me } from '../../lib/api';
import AccountPage from './AccountPage.svelte';

const me: Me = {
  id: 'u1', role: 'young_person', council_id: null, first_name: 'Ava', last_name: 'Jones', email: 'ava@example.org',
  date_of_birth: '2015-03-27', postcode: 'M32 0JG', consent_status: 'pending', guardian_email: 'mum@example.org',
  consent_requested_at: '2025-11-20T10:00:00Z',
};

describe('My account', () => {
  it('says when and whom we asked for consent', async () => {
    mockApi({ 'GET /me': { body: me } });
    render(AccountPage);
    expect(await screen.findByText('We asked mum@example.org for consent on Thursday 20 November 2025.')).toBeInTheDocument();
    expect(screen.getByText('27 March 2015')).toBeInTheDocument();
  });

  it('shows consent given and withdrawn', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'given' } } });
    const { unmount } = render(AccountPage);
    expect(await screen.findByText('mum@example.org gave consent. You can book sessions.')).toBeInTheDocument();
    unmount();

    mockApi({ 'GET /me': { body: { ...me, consent_status: 'withdrawn' } } });
    render(AccountPage);
    expect(await screen.findByText('mum@example.org withdrew consent. You cannot book new sessions.')).toBeInTheDocument();
  });

  it('says nothing about consent to someone who does not need it', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'not_needed', guardian_email: null } } });
    render(AccountPage);
    expect(await screen.findByText('ava@example.org')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Parent or guardian consent' })).not.toBeInTheDocument();
  });
});

describe('My account: data and guardians', () => {
  it('lets a young person delete their account, after a warning', async () => {
    const { calls } = mockApi({
      'GET /me': { body: { ...me, consent_status: 'not_needed' } },
      'DELETE /me': { status: 204 },
      'POST /auth/logout': { status: 204 },
    });
    const user = userEvent.setup();
    render(AccountPage);
    await user.click(await screen.findByRole('button', { name: 'Delete my account' }));
    expect(screen.getByText(/It cannot be undone/)).toBeInTheDocument();
    // Changing their mind puts focus back on the button that asked.
    await user.click(screen.getByRole('button', { name: 'No, keep my account' }));
    expect(screen.getByRole('button', { name: 'Delete my account' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Yes, delete my account' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/me')).toBe(true));
    // Home, where it says so, then signed out (not the sign-in page on the way).
    await vi.waitFor(() => expect(window.location.pathname + window.location.search).toBe('/?account_deleted=1'));
    await vi.waitFor(() => expect(calls.some((c) => c.path === '/auth/logout')).toBe(true));
  });

  it('lets a guardian withdraw consent for a child', async () => {
    const child = { young_person_id: 'c1', child_first_name: 'Charlie', status: 'given', requested_at: '2025-11-01T10:00:00Z', decided_at: null };
    mockApi({
      'GET /me': { body: { ...me, role: 'guardian', consent_status: 'not_needed', date_of_birth: null, postcode: null } },
      'GET /guardian/children': { body: { items: [child], total: 1 } },
      'POST /guardian/children/:id/withdraw': { body: { ...child, status: 'withdrawn' } },
    });
    const user = userEvent.setup();
    render(AccountPage);
    await user.click(await screen.findByRole('button', { name: 'Withdraw consent for Charlie' }));
    expect(await screen.findByText('You withdrew consent for Charlie. They cannot book new sessions.')).toBeInTheDocument();
    // The button pressed has gone: a success banner says what happened (GOV.UK Frontend's script,
    // not run here, gives it focus; the e2e scenario in consent.e2e.ts checks that).
    expect(screen.getByRole('alert')).toHaveTextContent('You withdrew consent for Charlie.');
    expect(screen.getByText(/Consent: withdrawn/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Delete my account/ })).not.toBeInTheDocument();
  });
});
