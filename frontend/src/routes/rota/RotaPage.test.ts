import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import { green, red, week } from './fixtures';
import RotaPage from './RotaPage.svelte';

const centres = { body: { items: [centre({ id: 'c1', name: 'Gorse Hill Youth Centre' }), centre({ id: 'c2', name: 'Old Trafford Youth Centre' })], total: 2 } };
const proposal = {
  week_start: '2030-12-02', centre_id: 'c1',
  shifts: [
    { occurrence_id: 'o1', centre_id: 'c1', centre_name: 'Gorse Hill Youth Centre', title: 'Friday youth club', starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z', user_id: 'w1', worker_name: 'Priya Shah', role: 'lead' },
    { occurrence_id: 'o1', centre_id: 'c1', centre_name: 'Gorse Hill Youth Centre', title: 'Friday youth club', starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z', user_id: 'w2', worker_name: 'Aisha Khan', role: 'worker' },
  ],
  unfilled: [
    { occurrence_id: 'o2', centre_id: 'c1', centre_name: 'Gorse Hill Youth Centre', title: 'Cooking on a budget', starts_at: '2030-12-02T17:00:00Z', need: 'first_aider', missing: 1, reason: 'No first-aider is free on Monday 2 December 17:00–18:30 at Gorse Hill Youth Centre: nobody in the pool holds a first-aid certificate valid on 2 December 2030' },
  ],
};

describe('Rota', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/rota?centre=c1&week=2030-12-04');
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    return start();
  });

  it('shows a red session with its reasons in words, auto-fills, applies and shows it green', async () => {
    const user = userEvent.setup();
    let applied = false;
    const { calls } = mockApi({
      'GET /centres': centres,
      'GET /rota': () => ({ body: week([applied ? green() : red()]) }),
      'GET /swaps': { body: { items: [], total: 0 } },
      'POST /rota/autofill': { body: proposal },
      'POST /rota/autofill/apply': () => {
        applied = true;
        return { status: 201, body: { ...proposal, shifts: proposal.shifts.map((s, i) => ({ ...s, shift_id: `sh${i}` })) } };
      },
    });
    render(RotaPage);
    const grid = await screen.findByRole('table', { name: /Sessions at Gorse Hill Youth Centre, week beginning 2 December 2030/ });
    expect(calls.find((c) => c.path === '/centres')!.query.get('council_id')).toBe('k1');
    const rota = calls.find((c) => c.path === '/rota')!;
    expect(rota.query.get('centre_id')).toBe('c1');
    expect(rota.query.get('week_start')).toBe('2030-12-02');

    const row = within(grid).getByRole('row', { name: /Friday youth club/ });
    expect(within(row).getByText('Not safe to run')).toBeInTheDocument();
    expect(within(row).getByText(/so 4 adults are needed/)).toBeInTheDocument();
    expect(within(row).getByText('0 adults on the rota (4 needed)')).toBeInTheDocument();
    expect(within(row).getByText('Nobody rostered')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: /Friday youth club/ })).toHaveAttribute('href', '/rota/sessions/o1');

    await user.click(screen.getByRole('button', { name: 'Auto-fill this week' }));
    expect(await screen.findByRole('heading', { name: 'Proposed shifts' })).toHaveFocus();
    const preview = screen.getByRole('region', { name: 'Proposed shifts' });
    const proposed = within(preview).getByRole('table', { name: 'Shifts auto-fill would add' });
    expect(within(proposed).getByRole('row', { name: /Priya Shah/ })).toHaveTextContent('Lead');
    expect(within(preview).getByText(/No first-aider is free on Monday 2 December/)).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/rota/autofill')!.body).toEqual({ centre_id: 'c1', week_start: '2030-12-02' });
    expect(calls.some((c) => c.path === '/rota/autofill/apply')).toBe(false);

    await user.click(within(preview).getByRole('button', { name: 'Apply these shifts' }));
    expect(await screen.findByText('Auto-fill added 2 shifts. The rota below shows the change.')).toBeInTheDocument();
    const after = within(await screen.findByRole('table', { name: /Sessions at/ })).getByRole('row', { name: /Friday youth club/ });
    expect(await within(after).findByText('Fully staffed')).toBeInTheDocument();
    expect(within(after).getByText('Priya Shah, lead')).toBeInTheDocument();
    expect(within(after).getByText('Every rule is met.')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Proposed shifts' })).not.toBeInTheDocument();
  });

  it('says when auto-fill has nothing to do, and applies nothing', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /centres': centres,
      'GET /rota': { body: week([green()]) },
      'GET /swaps': { body: { items: [], total: 0 } },
      'POST /rota/autofill': { body: { ...proposal, shifts: [], unfilled: [] } },
    });
    render(RotaPage);
    await user.click(await screen.findByRole('button', { name: 'Auto-fill this week' }));
    expect(await screen.findByText(/There is nothing for auto-fill to do this week/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Apply these shifts' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Do not apply' }));
    expect(screen.getByRole('button', { name: 'Auto-fill this week' })).toHaveFocus();
    expect(calls.some((c) => c.path === '/rota/autofill/apply')).toBe(false);
  });

  it('moves between weeks and centres through the address', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /centres': centres,
      'GET /rota': (req) => ({ body: week([], { week_start: req.query.get('week_start')!, centre_id: req.query.get('centre_id') }) }),
      'GET /swaps': { body: { items: [], total: 0 } },
    });
    render(RotaPage);
    expect(await screen.findByText('There are no sessions at this centre this week.')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: /^Next week/ }));
    await expect.poll(() => calls.filter((c) => c.path === '/rota').at(-1)!.query.get('week_start')).toBe('2030-12-09');
    // Focus stays on the link, so the heading says the new week as it changes.
    expect(await screen.findByRole('heading', { name: /Week beginning 9 December 2030/ })).toHaveAttribute('aria-live', 'polite');

    await user.selectOptions(screen.getByLabelText('Centre'), 'Old Trafford Youth Centre');
    await user.click(screen.getByRole('button', { name: 'Show rota' }));
    await expect.poll(() => calls.filter((c) => c.path === '/rota').at(-1)!.query.get('centre_id')).toBe('c2');
    expect(window.location.search).toBe('?centre=c2&week=2030-12-09');
  });

  it('lets a manager approve a swap a colleague has taken', async () => {
    const user = userEvent.setup();
    const taken = {
      id: 'sw1', shift_id: 'sh1', occurrence_id: 'o1', title: 'Friday youth club', centre_name: 'Gorse Hill Youth Centre',
      starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z', role: 'worker', offered_by: 'w1', offered_by_name: 'Priya Shah',
      accepted_by: 'w2', accepted_by_name: 'Tom Evans', status: 'accepted', offered_at: '2030-11-27T10:00:00Z', accepted_at: '2030-11-27T11:00:00Z', decided_at: null,
    };
    const { calls } = mockApi({
      'GET /centres': centres,
      'GET /rota': { body: week([green()]) },
      'GET /swaps': { body: { items: [taken], total: 1 } },
      'POST /swaps/:id/approve': { body: { ...taken, status: 'approved' } },
    });
    render(RotaPage);
    expect(await screen.findByText(/Priya Shah offered their worker shift on Friday youth club, .* Tom Evans has asked to take it\./)).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/swaps')!.query.get('status')).toBe('accepted');
    await user.click(screen.getByRole('button', { name: /^Approve/ }));
    expect(await screen.findByText('Swap approved: Tom Evans is now on Friday youth club.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.path).toBe('/swaps/sw1/approve');
  });

  it('tells a young person this page is not for them, without asking the API', async () => {
    session.start(tokens({ role: 'young_person' }));
    const { calls } = mockApi({});
    render(RotaPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Rota' })).toBeInTheDocument();
    expect(screen.getByText('Only centre managers and council officers can see this page.')).toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
