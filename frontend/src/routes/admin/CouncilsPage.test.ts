import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import type { Council, Invitation } from '../../lib/api/councils';
import CouncilsPage from './CouncilsPage.svelte';

function council(over: Partial<Council> = {}): Council {
  return {
    id: 'k1', name: 'Trafford Council', lad_code: 'E08000009', coverage_threshold_km: 1.5, min_weekly_hours: 6,
    created_at: '2025-09-01T09:00:00Z', ...over,
  };
}

function invitation(over: Partial<Invitation> = {}): Invitation {
  return {
    id: 'i1', council_id: 'k1', council_name: 'Trafford Council', role: 'council_officer', email: 'lead@trafford.example',
    created_at: '2025-12-01T10:00:00Z', expires_at: '2025-12-08T10:00:00Z', used_at: null, expired: false, ...over,
  };
}

const two = { body: { items: [council({ id: 'k2', name: 'Cheltenham Borough Council', lad_code: null }), council()], total: 2 } };

describe('Councils', () => {
  beforeEach(() => {
    session.start(tokens({ id: 'a1', role: 'admin', council_id: null, first_name: 'Ada' }));
  });

  it('lists every council with its ONS code', async () => {
    mockApi({ 'GET /councils': two });
    render(CouncilsPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'Councils' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Councils on youthhub' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Cheltenham Borough Council', 'Trafford Council']);
    expect(within(rows[0]!).getByText('None')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('E08000009')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('1 September 2025')).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('button', { name: 'Invite the first council officer of Trafford Council' })).toBeInTheDocument();
  });

  it('adds a council with its name and ONS code, sent with an Idempotency-Key, then offers to invite its officer', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /councils': two,
      'POST /councils': (req) => ({ status: 201, body: council({ id: 'k9', ...(req.body as object), created_at: '2025-12-01T10:00:00Z' }) }),
    });
    render(CouncilsPage);
    await user.type(await screen.findByLabelText('Name'), 'Sale Town Council');
    expect(screen.getByLabelText('ONS local authority code (optional)')).toHaveAccessibleDescription(/like E08000009/);
    await user.type(screen.getByLabelText('ONS local authority code (optional)'), 'e08 000010');
    await user.click(screen.getByRole('button', { name: 'Add council' }));

    expect(await screen.findByText('Sale Town Council has been added. Now invite its first council officer.')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ name: 'Sale Town Council', lad_code: 'E08000010' });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    const rows = within(screen.getByRole('table', { name: 'Councils on youthhub' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Cheltenham Borough Council', 'Sale Town Council', 'Trafford Council']);
    expect(screen.getByRole('heading', { level: 2, name: 'Invite the first council officer of Sale Town Council' })).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveValue('');
  });

  it('refuses a council with no name or a code that is not an ONS code before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /councils': two });
    render(CouncilsPage);
    await user.type(await screen.findByLabelText('ONS local authority code (optional)'), 'Trafford');
    await user.click(screen.getByRole('button', { name: 'Add council' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter the council’s name', '#name'],
      ['Enter the ONS code as a letter and 8 digits, like E08000009', '#lad_code'],
    ]);
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/Error: Enter the council’s name/);
    expect(document.title).toBe('Error: Councils – youthhub');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('shows the API’s refusal of a code already used beside the code', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /councils': two,
      'POST /councils': problem(422, { errors: [{ field: 'lad_code', message: 'A council with this local authority code already exists' }] }),
    });
    render(CouncilsPage);
    await user.type(await screen.findByLabelText('Name'), 'Trafford again');
    await user.type(screen.getByLabelText('ONS local authority code (optional)'), 'E08000009');
    await user.click(screen.getByRole('button', { name: 'Add council' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'A council with this local authority code already exists' })).toHaveAttribute('href', '#lad_code');
    expect(screen.getByLabelText('ONS local authority code (optional)')).toHaveAccessibleDescription(/Error: A council with this local authority code already exists/);
  });

  it('invites a council’s first officer and says the invitation has gone', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /councils': two,
      'POST /councils/:id/officers': (req) => ({ status: 201, body: invitation({ email: (req.body as { email: string }).email }) }),
    });
    render(CouncilsPage);
    await user.click(await screen.findByRole('button', { name: 'Invite the first council officer of Trafford Council' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Invite the first council officer of Trafford Council' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByRole('link', { name: 'Enter their email address' })).toHaveAttribute('href', '#email');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await user.type(screen.getByLabelText('Email address'), ' lead@trafford.example ');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(
      await screen.findByText('We sent lead@trafford.example an invitation to join Trafford Council as its council officer. The link works until Monday 8 December 2025.'),
    ).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.path).toBe('/councils/k1/officers');
    expect(post.body).toEqual({ email: 'lead@trafford.example' });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.queryByLabelText('Email address')).not.toBeInTheDocument();
  });

  it('puts focus back on the council’s button when an invitation is cancelled', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /councils': two });
    render(CouncilsPage);
    const invite = await screen.findByRole('button', { name: 'Invite the first council officer of Cheltenham Borough Council' });
    await user.click(invite);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Email address')).not.toBeInTheDocument();
    expect(invite).toHaveFocus();
  });

  it('says which councils have an officer, and offers an invitation only to those without', async () => {
    mockApi({
      'GET /councils': { body: { items: [
        council({ id: 'k1', name: 'Bolton Council', officers: 2, pending_officer_invitations: 0 }),
        council({ id: 'k2', name: 'Salford City Council', officers: 0, pending_officer_invitations: 1 }),
        council({ id: 'k3', name: 'Wigan Council', officers: 0, pending_officer_invitations: 0 }),
      ], total: 3 } },
    });
    render(CouncilsPage);
    const table = await screen.findByRole('table', { name: 'Councils on youthhub' });
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(name) });
    expect(row('Bolton')).toHaveTextContent('2 active');
    expect(within(row('Bolton')).queryByRole('button')).not.toBeInTheDocument();
    expect(row('Salford')).toHaveTextContent('Invitation sent, not yet accepted');
    expect(within(row('Salford')).getByRole('button', { name: /Send another invitation/ })).toBeInTheDocument();
    expect(row('Wigan')).toHaveTextContent('None yet');
    expect(within(row('Wigan')).getByRole('button', { name: /Invite the first council officer/ })).toBeInTheDocument();
  });

  it('is for the platform admin only', async () => {
    session.start(tokens({ id: 'o1', role: 'council_officer', council_id: 'k1' }));
    const { calls } = mockApi({});
    render(CouncilsPage);
    expect(await screen.findByText('Only the platform administrator can see this page.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
