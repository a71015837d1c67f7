import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import type { Me } from '../../lib/api';
import { session } from '../../lib/auth/session.svelte';
import { navigate } from '../../lib/router/router.svelte';
import App from '../../App.svelte';
import AccountPage from './AccountPage.svelte';
import ChangeDetailPage from './ChangeDetailPage.svelte';
import ChangePasswordPage from './ChangePasswordPage.svelte';

const ava: Me = {
  id: 'u1', role: 'young_person', council_id: null, first_name: 'Ava', last_name: 'Jones', email: 'ava@example.org',
  date_of_birth: '2009-03-27', postcode: 'M32 0JG', consent_status: 'not_needed', guardian_email: null,
  consent_requested_at: null, consent_link_expires_at: null,
};
const worker: Me = { ...ava, role: 'youth_worker', council_id: 'c1', date_of_birth: null, postcode: null };

/** account answers GET and PATCH /me from one record, as the server would. */
function account(start: Me) {
  let me = { ...start };
  return {
    'GET /me': () => ({ body: me }),
    'PATCH /me': (req: Req) => {
      // As the server does: a new address waits for its link; the rest changes at once.
      const { email, current_password: _, ...rest } = req.body as Partial<Me> & { current_password?: string };
      me = { ...me, ...rest, ...(email !== undefined ? { pending_email: email } : {}) };
      return { body: me };
    },
  };
}

const patches = (calls: Req[]) => calls.filter((c) => c.method === 'PATCH').map((c) => c.body);

describe('Changing my details', () => {
  beforeEach(() => navigate('/account', { replace: true }));

  it('changes the postcode from "My account", sending only the postcode, and says so', async () => {
    const { calls } = mockApi({ 'POST /auth/refresh': { body: tokens({ first_name: 'Ava' }) }, ...account(ava) });
    const user = userEvent.setup();
    render(App);
    const change = await screen.findByRole('link', { name: 'Change home postcode' });
    expect(screen.getByText(/Your date of birth decides which sessions you can book/)).toBeInTheDocument();
    await user.click(change);

    expect(await screen.findByRole('heading', { level: 1, name: 'Change your home postcode' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/account/postcode');
    const field = await screen.findByLabelText('Home postcode');
    expect(field).toHaveValue('M32 0JG');
    expect(field).toHaveAttribute('autocomplete', 'postal-code');
    expect(field).toHaveAccessibleDescription('Like M32 0JG');
    await user.clear(field);
    await user.type(field, 'M41 0RX');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Your details have been changed');
    expect(window.location.pathname + window.location.search).toBe('/account?changed=details');
    expect(patches(calls)).toEqual([{ postcode: 'M41 0RX' }]);
    expect(await screen.findByText('M41 0RX')).toBeInTheDocument();
    expect(screen.queryByText('M32 0JG')).not.toBeInTheDocument();
  });

  it('sends only the part of a name that changed, and nothing when nothing did', async () => {
    navigate('/account/name', { replace: true });
    const { calls } = mockApi(account(ava));
    const user = userEvent.setup();
    const { unmount } = render(ChangeDetailPage, { detail: 'name' });
    await user.click(await screen.findByRole('button', { name: 'Save' }));
    expect(window.location.pathname + window.location.search).toBe('/account');
    expect(patches(calls)).toEqual([]);
    unmount();

    session.start(tokens({ first_name: 'Ava' }));
    render(ChangeDetailPage, { detail: 'name' });
    const first = await screen.findByLabelText('First name');
    expect(first).toHaveAttribute('autocomplete', 'given-name');
    await user.clear(first);
    await user.type(first, 'Eva');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await expect.poll(() => window.location.search).toBe('?changed=details');
    expect(patches(calls)).toEqual([{ first_name: 'Eva' }]);
    // The home page greets them by the new name.
    expect(session.user?.first_name).toBe('Eva');
  });

  it('says beside the field when another account uses the email address', async () => {
    navigate('/account/email', { replace: true });
    mockApi({
      ...account(ava),
      'PATCH /me': problem(422, { errors: [{ field: 'email', message: 'Another account uses this email address' }] }),
    });
    const user = userEvent.setup();
    render(ChangeDetailPage, { detail: 'email' });
    const field = await screen.findByLabelText('Email address');
    expect(field).toHaveAttribute('autocomplete', 'email');
    await user.clear(field);
    await user.type(field, 'taken@example.org');
    await user.type(screen.getByLabelText('Your password'), 'lantern pebble orchard');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Another account uses this email address' })).toHaveAttribute('href', '#email');
    expect(field).toHaveAccessibleDescription(/Error: Another account uses this email address/);
    expect(field).toHaveValue('taken@example.org');
    expect(document.title).toBe('Error: Change your email address – youthhub');
    expect(window.location.pathname).toBe('/account/email');
  });

  it('asks for a new email address: a link goes to it, and the address changes when it is opened', async () => {
    navigate('/account/email', { replace: true });
    const { calls } = mockApi(account(ava));
    const user = userEvent.setup();
    const { unmount } = render(ChangeDetailPage, { detail: 'email' });
    expect(await screen.findByText(/We will send a link to the new address\. Your address changes when you open the link/)).toBeInTheDocument();
    const field = screen.getByLabelText('Email address');
    await user.clear(field);
    await user.type(field, 'ava.jones@example.org');
    // The password is asked for first: a new address is where a reset link would go.
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const password = screen.getByLabelText('Your password');
    expect(password).toHaveAttribute('autocomplete', 'current-password');
    expect(password).toHaveAccessibleDescription(/Error: Enter your current password to change your email address/);
    expect(patches(calls)).toEqual([]);
    await user.type(password, 'lantern pebble orchard');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await expect.poll(() => window.location.pathname + window.location.search).toBe('/account?changed=email');
    expect(patches(calls)).toEqual([{ email: 'ava.jones@example.org', current_password: 'lantern pebble orchard' }]);
    unmount();

    render(AccountPage);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Check your new email address');
    expect(banner).toHaveTextContent(`We have sent a link to ava.jones@example.org. Open it within 24 hours to start using that address. Until then we keep using ${ava.email}.`);
    expect(screen.getByText(`${ava.email} (waiting for you to open the link we sent to ava.jones@example.org)`)).toBeInTheDocument();
  });

  it('shows staff no home postcode to change, and no date of birth', async () => {
    mockApi(account(worker));
    const { unmount } = render(AccountPage);
    expect(await screen.findByRole('link', { name: 'Change name' })).toHaveAttribute('href', '/account/name');
    expect(screen.getByRole('link', { name: 'Change email address' })).toHaveAttribute('href', '/account/email');
    expect(screen.getByRole('link', { name: 'Change password' })).toHaveAttribute('href', '/account/password');
    expect(screen.queryByText('Home postcode')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Change home postcode' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Your date of birth decides/)).not.toBeInTheDocument();
    unmount();

    // Typed in by hand, the postcode page sends them back.
    navigate('/account/postcode', { replace: true });
    render(ChangeDetailPage, { detail: 'postcode' });
    await expect.poll(() => window.location.pathname).toBe('/account');
    expect(screen.queryByLabelText('Home postcode')).not.toBeInTheDocument();
  });

  it('asks for a name before sending anything', async () => {
    navigate('/account/name', { replace: true });
    const { calls } = mockApi(account(ava));
    const user = userEvent.setup();
    render(ChangeDetailPage, { detail: 'name' });
    await user.clear(await screen.findByLabelText('Last name'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter your last name' })).toHaveAttribute('href', '#last_name');
    expect(patches(calls)).toEqual([]);
  });
});

describe('Changing my password', () => {
  beforeEach(() => navigate('/account/password', { replace: true }));

  it('sends the current and new password, keeps the new session and says the others ended', async () => {
    await session.signOut().catch(() => {});
    const { calls } = mockApi({ 'POST /me/password': { body: tokens({ first_name: 'Robin', role: 'centre_manager' }) }, ...account(worker) });
    const user = userEvent.setup();
    const { unmount } = render(ChangePasswordPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Change your password' })).toBeInTheDocument();
    const current = screen.getByLabelText('Current password');
    const next = screen.getByLabelText('New password');
    expect(current).toHaveAttribute('autocomplete', 'current-password');
    expect(next).toHaveAttribute('autocomplete', 'new-password');
    expect(next).toHaveAccessibleDescription(/^Use at least 12 characters\. Three random words work well, for example: \w+ \w+ \w+$/);
    await user.type(current, 'correct horse battery staple');
    await user.type(next, 'walnut harbour puddle lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    await expect.poll(() => window.location.pathname + window.location.search).toBe('/account?changed=password');
    expect(calls.find((c) => c.path === '/me/password')?.body).toEqual({
      current_password: 'correct horse battery staple', new_password: 'walnut harbour puddle lantern',
    });
    expect(session.status).toBe('signed_in');
    expect(session.user).toMatchObject({ first_name: 'Robin', role: 'centre_manager' });
    unmount();

    render(AccountPage);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Your password has been changed');
    expect(banner).toHaveTextContent('You have been signed out everywhere else.');
  });

  it('says beside the field when the current password is not right', async () => {
    mockApi({ 'POST /me/password': problem(422, { errors: [{ field: 'current_password', message: 'Your current password is not right' }] }) });
    const user = userEvent.setup();
    render(ChangePasswordPage);
    await user.type(screen.getByLabelText('Current password'), 'wrong');
    await user.type(screen.getByLabelText('New password'), 'walnut harbour puddle lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Your current password is not right' })).toHaveAttribute('href', '#current_password');
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription(/Your current password is not right/);
    expect(document.title).toBe('Error: Change your password – youthhub');
    expect(window.location.pathname).toBe('/account/password');
  });

  it('asks for both passwords before sending anything', async () => {
    const { calls } = mockApi({});
    const user = userEvent.setup();
    render(ChangePasswordPage);
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((a) => a.textContent)).toEqual(['Enter your current password', 'Enter a new password']);
    expect(calls).toEqual([]);
  });

  it('after too many wrong tries, says beside the current password when to try again', async () => {
    const detail = 'You have entered a wrong password too many times. Try again in 15 minutes.';
    mockApi({ 'POST /me/password': { ...problem(429, { code: 'too_many_attempts', detail }), headers: { 'Retry-After': '900' } } });
    const user = userEvent.setup();
    render(ChangePasswordPage);
    await user.type(screen.getByLabelText('Current password'), 'wrong again');
    await user.type(screen.getByLabelText('New password'), 'walnut harbour puddle lantern');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: detail })).toHaveAttribute('href', '#current_password');
    expect(screen.getByLabelText('Current password')).toHaveAccessibleDescription(new RegExp(detail));
  });
});
