import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, problem } from '../../test/api';
import type { Me } from '../../lib/api';
import AccountPage from './AccountPage.svelte';

const me: Me = {
  id: 'u1', role: 'young_person', council_id: null, first_name: 'Ava', last_name: 'Jones', email: 'ava@example.org',
  date_of_birth: '2015-03-27', postcode: 'M32 0JG', consent_status: 'pending', guardian_email: 'mum@example.org',
  consent_requested_at: '2025-11-20T10:00:00Z', consent_link_expires_at: '2099-12-04T10:00:00Z',
};

describe('My account', () => {
  it('says when and whom we asked for consent', async () => {
    mockApi({ 'GET /me': { body: me } });
    render(AccountPage);
    expect(await screen.findByText('We asked mum@example.org for consent on Thursday 20 November 2025.')).toBeInTheDocument();
    expect(screen.getByText('27 March 2015')).toBeInTheDocument();
  });

  it('lets a child waiting for consent send a new link to a corrected address', async () => {
    const { calls } = mockApi({
      'GET /me': { body: { ...me, guardian_email: 'mum@exmaple.org' } },
      'POST /me/consent-request': { body: { ...me, consent_requested_at: '2025-11-21T10:00:00Z' } },
    });
    const user = userEvent.setup();
    render(AccountPage);
    const field = await screen.findByLabelText('Parent or guardian’s email address');
    expect(field).toHaveValue('mum@exmaple.org');
    await user.clear(field);
    await user.type(field, 'mum@example.org');
    await user.click(screen.getByRole('button', { name: 'Send a new link' }));
    expect(await screen.findByText('We sent a new link to mum@example.org.')).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/me/consent-request')?.body).toEqual({ guardian_email: 'mum@example.org' });
    expect(screen.getByText('We asked mum@example.org for consent on Friday 21 November 2025.')).toBeInTheDocument();
  });

  it('says when a new link can be sent, beside the address, when asked too recently', async () => {
    mockApi({
      'GET /me': { body: me },
      'POST /me/consent-request': {
        status: 429,
        body: { title: 'Too many attempts', status: 429, code: 'consent_recently_requested', detail: 'We sent a link to this address less than an hour ago. You can send it again after 11am' },
      },
    });
    const user = userEvent.setup();
    render(AccountPage);
    await user.click(await screen.findByRole('button', { name: 'Send a new link' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('You can send it again after 11am');
    expect(screen.getByRole('link', { name: /You can send it again after 11am/ })).toHaveAttribute('href', '#guardian_email');
  });

  it('says when the link has expired', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_link_expires_at: '2025-12-04T10:00:00Z' } } });
    render(AccountPage);
    expect(await screen.findByText('The link we sent them stopped working on Thursday 4 December 2025. Send them a new one.')).toBeInTheDocument();
  });

  it('offers no new link once the guardian has answered', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'refused', consent_link_expires_at: null } } });
    render(AccountPage);
    expect(await screen.findByText('mum@example.org did not give consent. You cannot book sessions.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send a new link' })).not.toBeInTheDocument();
  });

  it('shows consent given and withdrawn', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'given' } } });
    const { unmount } = render(AccountPage);
    expect(await screen.findByText('mum@example.org gave consent. You can book sessions.')).toBeInTheDocument();
    unmount();

    mockApi({ 'GET /me': { body: { ...me, consent_status: 'withdrawn' } } });
    render(AccountPage);
    expect(await screen.findByText('mum@example.org withdrew consent. You cannot book sessions, and your bookings of sessions that had not started were cancelled.')).toBeInTheDocument();
  });

  it('says nothing about consent to someone who does not need it', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'not_needed', guardian_email: null } } });
    render(AccountPage);
    expect(await screen.findByText('ava@example.org')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Parent or guardian consent' })).not.toBeInTheDocument();
  });
});

describe('My account: data and guardians', () => {
  it('signs out everywhere, this device too, then clears this device as signing out does', async () => {
    const { calls } = mockApi({
      'GET /me': { body: { ...me, consent_status: 'not_needed' } },
      'POST /me/sign-out-everywhere': { status: 204 },
    });
    const user = userEvent.setup();
    render(AccountPage);
    expect(await screen.findByRole('heading', { level: 2, name: 'Signed in on another phone or computer?' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/me/sign-out-everywhere')).toBe(true));
    await vi.waitFor(() => expect(window.location.pathname).toBe('/sign-out'));
  });

  it('lets a young person delete their account, after a warning', async () => {
    const { calls } = mockApi({
      'GET /me': { body: { ...me, consent_status: 'not_needed' } },
      'DELETE /me': (req) => ((req.body as { password: string }).password === 'teapot river comet'
        ? { status: 204 }
        : problem(422, { errors: [{ field: 'password', message: 'Your password is not right' }] })),
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
    // The password again: nothing typed is said at once, a wrong one is said by the API, and nothing goes.
    const password = screen.getByLabelText('Enter your password to confirm');
    await user.click(screen.getByRole('button', { name: 'Yes, delete my account' }));
    expect(password).toHaveAccessibleDescription(/Enter your password to delete your account/);
    expect(password).toHaveFocus();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.type(password, 'wrong one');
    await user.click(screen.getByRole('button', { name: 'Yes, delete my account' }));
    expect(await screen.findByText(/Your password is not right/)).toBeInTheDocument();
    expect(password).toHaveValue('');
    expect(password).toHaveFocus();
    expect(window.location.search).not.toContain('account_deleted');
    await user.type(password, 'teapot river comet');
    await user.click(screen.getByRole('button', { name: 'Yes, delete my account' }));
    await vi.waitFor(() => expect(calls.filter((c) => c.method === 'DELETE' && c.path === '/me').at(-1)?.body).toEqual({ password: 'teapot river comet' }));
    // Home, where it says so, then signed out (not the sign-in page on the way).
    await vi.waitFor(() => expect(window.location.pathname + window.location.search).toBe('/?account_deleted=1'));
    await vi.waitFor(() => expect(calls.some((c) => c.path === '/auth/logout')).toBe(true));
  });

  it('lets a guardian delete their account, saying their children’s answers stay', async () => {
    const { calls } = mockApi({
      'GET /me': { body: { ...me, role: 'guardian', consent_status: 'not_needed', date_of_birth: null, postcode: null } },
      'GET /guardian/children': { body: { items: [], total: 0 } },
      'DELETE /me': { status: 204 },
      'POST /auth/logout': { status: 204 },
    });
    const user = userEvent.setup();
    render(AccountPage);
    await user.click(await screen.findByRole('button', { name: 'Delete my account' }));
    expect(screen.getByText(/The answers you gave about your children stay on their accounts/)).toBeInTheDocument();
    // Nothing to download: a guardian's account holds no bookings or history.
    expect(screen.queryByRole('button', { name: /Download/ })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Enter your password to confirm'), 'teapot river comet');
    await user.click(screen.getByRole('button', { name: 'Yes, delete my account' }));
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/me')).toBe(true));
    await vi.waitFor(() => expect(window.location.pathname + window.location.search).toBe('/?account_deleted=1'));
  });

  it('lets a guardian say no to a request they have not answered, not withdraw it', async () => {
    const pip = { young_person_id: 'c2', child_first_name: 'Pip', status: 'pending', requested_at: '2025-11-01T10:00:00Z', decided_at: null };
    const { calls } = mockApi({
      'GET /me': { body: { ...me, role: 'guardian', consent_status: 'not_needed', date_of_birth: null, postcode: null } },
      'GET /guardian/children': { body: { items: [pip], total: 1 } },
      'POST /guardian/children/:id/withdraw': { body: { ...pip, status: 'refused' } },
    });
    const user = userEvent.setup();
    render(AccountPage);
    expect(await screen.findByRole('button', { name: 'Give consent for Pip' })).toBeInTheDocument();
    // The address that links them to Pip is not theirs to move here; the page says why.
    expect(screen.queryByRole('link', { name: 'Change email address' })).not.toBeInTheDocument();
    expect(screen.getByText(/Your email address links you to your children’s accounts/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Withdraw consent for Pip' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Do not give consent for Pip' }));
    await user.click(screen.getByRole('button', { name: 'No, go back' }));
    expect(screen.getByRole('button', { name: 'Do not give consent for Pip' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Do not give consent for Pip' }));
    await user.click(screen.getByRole('button', { name: 'Yes, do not give consent' }));
    expect(await screen.findByText('You did not give consent for Pip. They cannot book sessions.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/guardian/children/c2/withdraw']);
  });

  it('lets a guardian withdraw consent for a child', async () => {
    const child = { young_person_id: 'c1', child_first_name: 'Charlie', status: 'given', requested_at: '2025-11-01T10:00:00Z', decided_at: null };
    const { calls } = mockApi({
      'GET /me': { body: { ...me, role: 'guardian', consent_status: 'not_needed', date_of_birth: null, postcode: null } },
      'GET /guardian/children': { body: { items: [child], total: 1 } },
      'POST /guardian/children/:id/withdraw': { body: { ...child, status: 'withdrawn' } },
      'POST /guardian/children/:id/give': { body: { ...child, status: 'given' } },
    });
    const user = userEvent.setup();
    render(AccountPage);
    // Before pressing it, the guardian is told what withdrawing does.
    expect(await screen.findByText('If you withdraw consent, Charlie cannot book sessions, and their bookings of sessions that have not started are cancelled.'))
      .toBeInTheDocument();
    // The first press asks again; "No" keeps consent.
    await user.click(await screen.findByRole('button', { name: 'Withdraw consent for Charlie' }));
    expect(screen.getByText(/Are you sure\? Charlie will not be able to book sessions/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'No, keep consent' }));
    expect(calls.some((c) => c.path.endsWith('/withdraw'))).toBe(false);
    expect(screen.getByRole('button', { name: 'Withdraw consent for Charlie' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Withdraw consent for Charlie' }));
    await user.click(screen.getByRole('button', { name: 'Yes, withdraw consent' }));
    expect(await screen.findByText('You withdrew consent for Charlie. They cannot book sessions, and their bookings of sessions that had not started were cancelled.')).toBeInTheDocument();
    // The button pressed has gone: a success banner says what happened (GOV.UK Frontend's script,
    // not run here, gives it focus; the e2e scenario in consent.e2e.ts checks that).
    expect(screen.getByRole('alert')).toHaveTextContent('You withdrew consent for Charlie.');
    expect(screen.getByText(/Consent: withdrawn/)).toBeInTheDocument();
    // Changing their mind: consent can be given again from here.
    await user.click(screen.getByRole('button', { name: 'Give consent for Charlie' }));
    expect(await screen.findByText('You gave consent for Charlie. They can book sessions.')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/guardian/children/c1/give')).toBe(true);
    expect(screen.getByText(/Consent: given/)).toBeInTheDocument();
  });
});
