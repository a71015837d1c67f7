import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { green, red, shift, staffMember } from './fixtures';
import RotaSessionPage from './RotaSessionPage.svelte';

const staff = {
  body: {
    items: [
      staffMember(),
      staffMember({ id: 'w3', first_name: 'Chloe', last_name: 'Davies' }),
      staffMember({ id: 'o9', role: 'council_officer', first_name: 'Olu', last_name: 'Officer' }),
      staffMember({ id: 'w4', first_name: 'Gone', last_name: 'Away', active: false }),
    ],
    total: 4,
  },
};

describe('One session’s rota', () => {
  beforeEach(() => {
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
  });

  it('adds a worker in a role and shows the rota after it', async () => {
    const user = userEvent.setup();
    let added = false;
    const { calls } = mockApi({
      'GET /sessions/:id/shifts': () => {
        const rota = added ? red({ adult_staff: 1, shifts: undefined }) : red({ shifts: undefined });
        return { body: { items: added ? [shift()] : [], total: added ? 1 : 0, rota } };
      },
      'GET /staff': staff,
      'POST /sessions/:id/shifts': () => {
        added = true;
        return { status: 201, body: { shift: shift(), rota: red() } };
      },
    });
    render(RotaSessionPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Friday youth club' })).toBeInTheDocument();
    expect(screen.getByText('Not safe to run')).toBeInTheDocument();
    expect(screen.getByText('Nobody is rostered on this session yet.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the rota' })).toHaveAttribute('href', '/rota?centre=c1&week=2030-12-02');

    // Only active workers and managers can be rostered: not officers, not switched-off accounts.
    const who = screen.getByLabelText('Who');
    expect(within(who).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a member of staff', 'Chloe Davies', 'Priya Shah']);

    await user.click(screen.getByRole('button', { name: 'Add to rota' }));
    expect(await screen.findByRole('link', { name: 'Choose who to add' })).toHaveAttribute('href', '#user_id');
    expect(screen.getByRole('link', { name: 'Choose their role' })).toHaveAttribute('href', '#role-input');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.selectOptions(who, 'Priya Shah');
    await user.click(screen.getByLabelText('Lead'));
    await user.click(screen.getByRole('button', { name: 'Add to rota' }));
    expect(await screen.findByText('Priya Shah has been added as lead.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ user_id: 'w1', role: 'lead' });
    const table = screen.getByRole('table', { name: 'Staff on this session' });
    expect(within(table).getByRole('row', { name: /Priya Shah/ })).toHaveTextContent('Lead');
    expect(screen.getByText('1 adult on the rota (4 needed)')).toBeInTheDocument();
    expect(within(screen.getByLabelText('Who')).queryByRole('option', { name: 'Priya Shah' })).not.toBeInTheDocument();
  });

  it('shows a refused shift’s rule and the person the API names', async () => {
    const user = userEvent.setup();
    const message = 'Chloe Davies is under 18 and would work 9 hours on Saturday 7 December; the limit for under-18s is 8 hours a day';
    mockApi({
      'GET /sessions/:id/shifts': { body: { items: [], total: 0, rota: red() } },
      'GET /staff': staff,
      'POST /sessions/:id/shifts': problem(422, {
        title: 'Invalid request', code: 'under18_daily_hours', detail: `${message}.`, errors: [{ field: 'user_id', message }],
      }),
    });
    render(RotaSessionPage, { id: 'o1' });
    await user.selectOptions(await screen.findByLabelText('Who'), 'Chloe Davies');
    await user.click(screen.getByLabelText('Volunteer'));
    await user.click(screen.getByRole('button', { name: 'Add to rota' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('heading', { name: 'This shift cannot be added' })).toBeInTheDocument();
    expect(within(summary).getByRole('link', { name: message })).toHaveAttribute('href', '#user_id');
    expect(screen.getByLabelText('Who')).toHaveAccessibleDescription(`Error: ${message}`);
    expect(document.title).toBe('Error: Friday youth club – youthhub');
  });

  it('removes a shift', async () => {
    const user = userEvent.setup();
    let removed = false;
    const { calls } = mockApi({
      'GET /sessions/:id/shifts': () => ({ body: removed ? { items: [], total: 0, rota: red() } : { items: green().shifts, total: 2, rota: green({ shifts: undefined }) } }),
      'GET /staff': staff,
      'DELETE /shifts/:id': () => {
        removed = true;
        return { body: { rota: red() } };
      },
    });
    render(RotaSessionPage, { id: 'o1' });
    expect(await screen.findByText('Fully staffed')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove Aisha Khan' }));
    expect(await screen.findByText('Aisha Khan has been removed from this session.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')!.path).toBe('/shifts/sh2');
    expect(screen.getByText('Not safe to run')).toBeInTheDocument();
  });

  it('says so when the session is not the council’s', async () => {
    mockApi({ 'GET /sessions/:id/shifts': problem(404, { title: 'Not found' }), 'GET /staff': staff });
    render(RotaSessionPage, { id: 'nope' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Session not found' })).toBeInTheDocument();
  });
});
