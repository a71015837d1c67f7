import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import type { Invitation } from '../../lib/api/staffing';
import InvitePage from './InvitePage.svelte';

const invitation: Invitation = {
  id: 'i1', council_id: 'k1', council_name: 'Trafford Council', role: 'youth_worker', email: 'pat@example.org',
  created_at: '2025-11-20T10:00:00Z', expires_at: '2025-11-27T10:00:00Z', used_at: null, expired: false,
};

type User = ReturnType<typeof userEvent.setup>;

async function fill(user: User) {
  await user.type(await screen.findByLabelText('First name'), 'Pat');
  await user.type(screen.getByLabelText('Last name'), 'Okoro');
  const dob = screen.getByRole('group', { name: /Date of birth/ });
  await user.type(within(dob).getByLabelText('Day'), '7');
  await user.type(within(dob).getByLabelText('Month'), '3');
  await user.type(within(dob).getByLabelText('Year'), '1990');
  await user.type(screen.getByLabelText('Create a password'), 'lantern meadow biscuit');
}

describe('Accept an invitation', () => {
  beforeEach(() => history.replaceState(null, '', '/invite/tok-1'));

  it('says who invited them as what, then creates the account, signs them in and goes to their home page', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /invitations/:token': { body: invitation },
      'POST /invitations/:token/accept': { status: 201, body: tokens({ id: 'u9', role: 'youth_worker', council_id: 'k1', first_name: 'Pat' }) },
    });
    render(InvitePage, { token: 'tok-1' });

    expect(await screen.findByText('You have been invited to join Trafford Council as a youth worker.')).toBeInTheDocument();
    expect(screen.getByText(/This invitation is for pat@example.org\. You will use this email address to sign in\./)).toBeInTheDocument();
    expect(screen.getByText(/It works until Thursday 27 November 2025, and only once\./)).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Create your staff account' })).toBeInTheDocument();
    // The same advice on passwords as when signing up.
    expect(screen.getByLabelText('Create a password')).toHaveAccessibleDescription(/Use at least 12 characters/);

    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await expect.poll(() => window.location.pathname).toBe('/register/today');
    const accept = calls.find((c) => c.method === 'POST')!;
    expect(accept.path).toBe('/invitations/tok-1/accept');
    expect(accept.body).toEqual({ first_name: 'Pat', last_name: 'Okoro', date_of_birth: '1990-03-07', password: 'lantern meadow biscuit' });
    expect(session.user).toMatchObject({ id: 'u9', role: 'youth_worker' });
  });

  it('asks for what is missing before sending anything', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /invitations/:token': { body: invitation } });
    render(InvitePage, { token: 'tok-1' });
    await user.click(await screen.findByRole('button', { name: 'Create account' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter your first name', '#first_name'],
      ['Enter your last name', '#last_name'],
      ['Enter your date of birth', '#date_of_birth-day'],
      ['Enter a password', '#password'],
    ]);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('shows the API’s field errors in a summary and beside each field', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /invitations/:token': { body: invitation },
      'POST /invitations/:token/accept': problem(422, {
        title: 'Invalid request',
        errors: [
          { field: 'password', message: 'Choose a password that is harder to guess' },
          { field: 'date_of_birth', message: 'Staff and volunteers must be 16 or older' },
        ],
      }),
    });
    render(InvitePage, { token: 'tok-1' });
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const summary = await screen.findByRole('alert');
    // In the order of the form, each linking to its field.
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Staff and volunteers must be 16 or older', '#date_of_birth-day'],
      ['Choose a password that is harder to guess', '#password'],
    ]);
    expect(screen.getByLabelText('Create a password')).toHaveAccessibleDescription(/Error: Choose a password that is harder to guess/);
    expect(screen.getByRole('group', { name: /Date of birth/ })).toHaveAccessibleDescription(/Error: Staff and volunteers must be 16 or older/);
    expect(document.title).toBe('Error: Create your staff account – youthhub');
    expect(window.location.pathname).toBe('/invite/tok-1');
  });

  it('says when the invitation has already been used, in the server’s words, and offers to sign in', async () => {
    mockApi({
      'GET /invitations/:token': problem(409, { title: 'Conflict', code: 'invitation_used', detail: 'This invitation has already been used. Sign in instead' }),
    });
    render(InvitePage, { token: 'tok-1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation has already been used' })).toBeInTheDocument();
    expect(screen.getByText('This invitation has already been used. Sign in instead')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
    expect(screen.getByText(/ask the person who invited you, or your council’s youth service/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create account' })).not.toBeInTheDocument();
  });

  it('says when the invitation has expired or the link is not one of ours, and who to ask', async () => {
    mockApi({
      'GET /invitations/:token': problem(422, { title: 'Invalid request', code: 'invitation_expired', detail: 'This invitation has expired. Ask for a new one' }),
    });
    const { unmount } = render(InvitePage, { token: 'tok-1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation has expired' })).toBeInTheDocument();
    expect(screen.getByText('This invitation has expired. Ask for a new one')).toBeInTheDocument();
    expect(screen.getByText(/ask the person who invited you/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();
    unmount();

    mockApi({ 'GET /invitations/:token': problem(404, { title: 'Not found', detail: 'This invitation link is not valid' }) });
    render(InvitePage, { token: 'nonsense' });
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation link is not valid' })).toBeInTheDocument();
    expect(screen.getByText('Check that you copied the whole link from the email.')).toBeInTheDocument();
    expect(screen.getByText(/ask the person who invited you/)).toBeInTheDocument();
  });

  it('says so, with focus on it, when the invitation is used up while they fill in the form', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /invitations/:token': { body: invitation },
      'POST /invitations/:token/accept': problem(409, { title: 'Conflict', code: 'invitation_used', detail: 'This invitation has already been used. Sign in instead' }),
    });
    render(InvitePage, { token: 'tok-1' });
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'This invitation has already been used' })).toHaveFocus();
    expect(screen.queryByLabelText('First name')).not.toBeInTheDocument();
  });
});
