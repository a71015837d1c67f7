import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import type { Invitation, StaffMember } from '../../lib/api/staffing';
import StaffPage from './StaffPage.svelte';

const me: StaffMember = { id: 'me', role: 'council_officer', first_name: 'Olu', last_name: 'Officer', email: 'officer@demo.test', active: true };
const wes: StaffMember = { id: 'w1', role: 'youth_worker', first_name: 'Wes', last_name: 'Worker', email: 'worker@demo.test', active: true };
const priya: StaffMember = { id: 'w2', role: 'youth_worker', first_name: 'Priya', last_name: 'Shah', email: 'priya@demo.test', active: false };
const list = { body: { items: [me, priya, wes], total: 3 } };
const noPending = { body: { items: [], total: 0 } };

const invitation = (email: string, role: Invitation['role']): Invitation => ({
  id: 'i1', council_id: 'k1', council_name: 'Trafford Council', role, email,
  created_at: '2025-11-20T10:00:00Z', expires_at: '2025-11-27T10:00:00Z', used_at: null, expired: false,
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const patches = (calls: Req[]) => calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.body]);

describe('Staff, as a council officer', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/staff');
    session.start(tokens({ id: 'me', role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('lists the council’s staff with their role and whether they can sign in, each linking to their record', async () => {
    mockApi({ 'GET /staff': list, 'GET /pending-invitations': noPending });
    render(StaffPage);
    const table = await screen.findByRole('table', { name: 'Your council’s staff' });
    const row = within(table).getByRole('row', { name: /Wes Worker/ });
    expect(within(row).getByRole('link', { name: 'Wes Worker' })).toHaveAttribute('href', '/staff/w1/record');
    expect(row).toHaveTextContent('worker@demo.test');
    expect(row).toHaveTextContent('Youth worker');
    expect(within(row).getByText('Active')).toHaveClass('govuk-tag');
    const off = within(table).getByRole('row', { name: /Priya Shah/ });
    expect(within(off).getByText('Switched off')).toHaveClass('govuk-tag');
    expect(within(off).getByRole('button', { name: 'Switch account back on for Priya Shah' })).toBeInTheDocument();
    // Nobody can switch off their own account or change their own role.
    const mine = within(table).getByRole('row', { name: /Olu Officer/ });
    expect(mine).toHaveTextContent('This is you');
    expect(within(mine).queryByRole('button')).not.toBeInTheDocument();
  });

  it('links to the access log and to correcting a date of birth', async () => {
    mockApi({ 'GET /staff': list, 'GET /pending-invitations': noPending });
    render(StaffPage);
    expect(screen.getByRole('link', { name: 'See the access log' })).toHaveAttribute('href', '/access-log');
    expect(screen.getByRole('link', { name: 'Correct a young person’s date of birth' })).toHaveAttribute('href', '/young-people');
    expect(screen.getByText(/who viewed children’s emergency details, and changes to staff accounts\./)).toBeInTheDocument();
    await screen.findByRole('table');
  });

  it('invites a member of staff by email in the role chosen, and says it was sent', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'POST /invitations': (req) => ({ status: 201, body: invitation((req.body as { email: string }).email, 'centre_manager') }),
    });
    render(StaffPage);
    await user.click(await screen.findByRole('button', { name: 'Send invitation' }));
    // Nothing chosen yet: said in a summary linking to each field, and nothing sent.
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter their email address', '#email'],
      ['Choose a role', '#role-input'],
    ]);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    await user.type(screen.getByLabelText('Email address'), 'new.manager@example.org');
    expect(screen.getByLabelText('Youth worker')).not.toBeChecked();
    await user.click(screen.getByLabelText('Centre manager'));
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));

    expect(await screen.findByText('We sent an invitation to new.manager@example.org')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('They will appear in the list once they have created their account.');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.path).toBe('/invitations');
    expect(post.body).toEqual({ email: 'new.manager@example.org', role: 'centre_manager' });
    expect(post.headers.get('Idempotency-Key')).toMatch(uuid);
    // Ready for the next one.
    expect(screen.getByLabelText('Email address')).toHaveValue('');
  });

  it('sends the same Idempotency-Key again when an invitation got no good answer, and a new one for the next', async () => {
    const user = userEvent.setup();
    let tries = 0;
    const { calls } = mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'POST /invitations': (req) => (++tries === 1 ? problem(503) : { status: 201, body: invitation((req.body as { email: string }).email, 'youth_worker') }),
    });
    render(StaffPage);
    await user.type(await screen.findByLabelText('Email address'), 'a@example.org');
    await user.click(screen.getByLabelText('Youth worker'));
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText(/give this reference: req-123/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('We sent an invitation to a@example.org')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Email address'), 'b@example.org');
    await user.click(screen.getByLabelText('Youth worker'));
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('We sent an invitation to b@example.org')).toBeInTheDocument();
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('shows the API’s field errors beside the invitation form', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'POST /invitations': problem(422, { errors: [{ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' }] }),
    });
    render(StaffPage);
    await user.type(await screen.findByLabelText('Email address'), 'not-an-address');
    await user.click(screen.getByLabelText('Youth worker'));
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: /correct format/ })).toHaveAttribute('href', '#email');
    expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(/Error: Enter an email address in the correct format/);
    expect(document.title).toBe('Error: Staff – youthhub');
  });

  it('asks before switching an account off, then sends active false', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /staff': list, 'GET /pending-invitations': noPending, 'PATCH /staff/:id': (req) => ({ body: { ...wes, ...(req.body as object) } }) });
    render(StaffPage);
    const ask = await screen.findByRole('button', { name: 'Switch off account for Wes Worker' });
    await user.click(ask);
    const warning = screen.getByText(/Wes Worker will be signed out and will not be able to sign in until you switch their account back on/);
    expect(warning).toHaveFocus();
    expect(ask).toHaveAttribute('aria-expanded', 'true');
    // Changing their mind puts focus back on the button that asked.
    await user.click(screen.getByRole('button', { name: 'No, keep it on' }));
    expect(screen.queryByText(/will be signed out/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Switch off account for Wes Worker' })).toHaveFocus();
    expect(patches(calls)).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Switch off account for Wes Worker' }));
    await user.click(screen.getByRole('button', { name: 'Yes, switch off account' }));
    expect(await screen.findByText('Wes Worker’s account is switched off. They cannot sign in until you switch it back on.')).toBeInTheDocument();
    expect(patches(calls)).toEqual([['/staff/w1', { active: false }]]);
    const row = screen.getByRole('row', { name: /Wes Worker/ });
    expect(within(row).getByText('Switched off')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Switch account back on for Wes Worker' })).toBeInTheDocument();
  });

  it('switches an account back on', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /staff': list, 'GET /pending-invitations': noPending, 'PATCH /staff/:id': (req) => ({ body: { ...priya, ...(req.body as object) } }) });
    render(StaffPage);
    await user.click(await screen.findByRole('button', { name: 'Switch account back on for Priya Shah' }));
    expect(await screen.findByText('Priya Shah’s account is switched back on. They can sign in again.')).toBeInTheDocument();
    expect(patches(calls)).toEqual([['/staff/w2', { active: true }]]);
    expect(within(screen.getByRole('row', { name: /Priya Shah/ })).getByText('Active')).toBeInTheDocument();
  });

  it('changes a role with a select and sends only the role', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /staff': list, 'GET /pending-invitations': noPending, 'PATCH /staff/:id': (req) => ({ body: { ...wes, ...(req.body as object) } }) });
    render(StaffPage);
    await user.click(await screen.findByRole('button', { name: 'Change role for Wes Worker' }));
    const select = screen.getByLabelText('New role for Wes Worker');
    expect(select).toHaveFocus();
    expect(select).toHaveValue('youth_worker');
    await user.selectOptions(select, 'Centre manager');
    await user.click(screen.getByRole('button', { name: 'Save role' }));
    expect(await screen.findByText('Wes Worker is now a centre manager.')).toBeInTheDocument();
    expect(patches(calls)).toEqual([['/staff/w1', { role: 'centre_manager' }]]);
    expect(screen.getByRole('row', { name: /Wes Worker/ })).toHaveTextContent('Centre manager');
    expect(screen.queryByLabelText('New role for Wes Worker')).not.toBeInTheDocument();
  });

  it('shows the server’s words when it refuses a change', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'PATCH /staff/:id': problem(403, { title: 'Forbidden', detail: 'You cannot change your own role or switch off your own account' }),
    });
    render(StaffPage);
    await user.click(await screen.findByRole('button', { name: 'Switch off account for Wes Worker' }));
    await user.click(screen.getByRole('button', { name: 'Yes, switch off account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You cannot change your own role or switch off your own account');
    expect(within(screen.getByRole('row', { name: /^Wes Worker/ })).getByText('Active')).toBeInTheDocument();
  });

  it('lists invitations not yet accepted and withdraws one, whose link then stops working', async () => {
    const user = userEvent.setup();
    const wrong = { ...invitation('nia@exmaple.test', 'youth_worker'), id: 'i9' };
    const { calls } = mockApi({
      'GET /staff': list,
      'GET /pending-invitations': { body: { items: [wrong], total: 1 } },
      'DELETE /pending-invitations/:id': { status: 204 },
    });
    render(StaffPage);
    expect(await screen.findByRole('heading', { name: 'Invitations not yet accepted' })).toBeInTheDocument();
    expect(screen.getByText('nia@exmaple.test')).toBeInTheDocument();
    expect(screen.getByText(/Sent Thursday 20 November 2025\. Expires Thursday 27 November 2025\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Withdraw invitation to nia@exmaple.test' }));
    expect(await screen.findByText('Invitation to nia@exmaple.test withdrawn')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/pending-invitations/i9');
    expect(screen.queryByRole('heading', { name: 'Invitations not yet accepted' })).not.toBeInTheDocument();
  });

  it('marks an invitation that expired unused and sends it again as a new one', async () => {
    const user = userEvent.setup();
    const lapsed = { ...invitation('slow@example.test', 'youth_worker'), id: 'i7', expired: true };
    const { calls } = mockApi({
      'GET /staff': list,
      'GET /pending-invitations': { body: { items: [lapsed], total: 1 } },
      'POST /invitations': (req) => ({ status: 201, body: { ...invitation((req.body as { email: string }).email, 'youth_worker'), id: 'i8', expires_at: '2025-12-04T10:00:00Z' } }),
    });
    render(StaffPage);
    expect(await screen.findByText('Expired')).toBeInTheDocument();
    expect(screen.getByText(/The link expired on Thursday 27 November 2025 without being used\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send again to slow@example.test' }));
    expect(await screen.findByText('We sent an invitation to slow@example.test')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ email: 'slow@example.test', role: 'youth_worker' });
    expect(post.headers.get('idempotency-key')).toMatch(uuid);
    expect(screen.queryByText('Expired')).not.toBeInTheDocument();
    expect(screen.getByText(/Expires Thursday 4 December 2025\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Withdraw invitation to slow@example.test' })).toBeInTheDocument();
  });

  it('removes an expired invitation from the list', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /staff': list,
      'GET /pending-invitations': { body: { items: [{ ...invitation('gone@example.test', 'centre_manager'), id: 'i6', expired: true }], total: 1 } },
      'DELETE /pending-invitations/:id': { status: 204 },
    });
    render(StaffPage);
    await user.click(await screen.findByRole('button', { name: 'Remove the expired invitation to gone@example.test' }));
    expect(await screen.findByText('Invitation to gone@example.test removed from the list')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/pending-invitations/i6');
  });

  it('adds a new invitation to those not yet accepted', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'POST /invitations': (req) => ({ status: 201, body: invitation((req.body as { email: string }).email, 'youth_worker') }),
    });
    render(StaffPage);
    await user.type(await screen.findByLabelText('Email address'), 'new@example.test');
    await user.click(screen.getByRole('radio', { name: /Youth worker/ }));
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByRole('button', { name: 'Withdraw invitation to new@example.test' })).toBeInTheDocument();
  });
});

describe('Staff, as a centre manager', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/staff');
    session.start(tokens({ id: 'm1', role: 'centre_manager', council_id: 'k1' }));
    return start();
  });

  it('may withdraw youth workers’ invitations only', async () => {
    mockApi({
      'GET /staff': list,
      'GET /pending-invitations': { body: { items: [{ ...invitation('lead@example.test', 'centre_manager'), id: 'i2' }, invitation('yw@example.test', 'youth_worker')], total: 2 } },
    });
    render(StaffPage);
    expect(await screen.findByRole('button', { name: 'Withdraw invitation to yw@example.test' })).toBeInTheDocument();
    expect(screen.getByText('lead@example.test')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Withdraw invitation to lead@example.test' })).not.toBeInTheDocument();
  });

  it('offers to invite youth workers only, and no changes to accounts', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /staff': list, 'GET /pending-invitations': noPending,
      'POST /invitations': { status: 201, body: invitation('new.worker@example.org', 'youth_worker') },
    });
    render(StaffPage);
    await screen.findByRole('table', { name: 'Your council’s staff' });
    expect(screen.getByText(/You can invite youth workers\. To add a centre manager or a council officer, ask a council officer\./)).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Change role|Switch off account/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'See the access log' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Correct a young person’s date of birth' })).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Email address'), 'new.worker@example.org');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('We sent an invitation to new.worker@example.org')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ email: 'new.worker@example.org', role: 'youth_worker' });
  });
});

describe('Staff, as anyone else', () => {
  it('tells a youth worker the page is not for them, and asks the API nothing', async () => {
    history.replaceState(null, '', '/staff');
    session.start(tokens({ role: 'youth_worker', council_id: 'k1' }));
    const { calls } = mockApi({});
    render(StaffPage);
    expect(screen.getByText('Only centre managers and council officers can see this page.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send invitation' })).not.toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
