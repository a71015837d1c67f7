import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { freshPages } from './fresh';
import { mockApi, tokens } from '../../test/api';
import type { Register, RollCall } from '../../lib/api/register';

const occ = '7b1e4a52-9c1d-4f7e-8a61-2f3c4d5e6f70';
const start = new Date(Date.now() - 10 * 60_000);
const end = new Date(Date.now() + 80 * 60_000);
const worker = tokens({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' });

const session: Register['session'] = {
  id: occ, title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(), ends_at: end.toISOString(),
  booking_mode: 'bookable', capacity: 24, spaces_left: 21, status: 'scheduled', register_closed_at: null, locks_at: end.toISOString(), locked: false,
};

const register: Register = {
  session,
  counts: { booked: 1, walk_ins: 0, present: 1, on_site: 1, absent: 0, unmarked: 0 },
  entries: [],
  generated_at: new Date().toISOString(),
};

const rollCall: RollCall = {
  session,
  generated_at: new Date().toISOString(),
  total: 1,
  items: [{
    young_person_id: 'yp-ava', first_name: 'Ava', last_name: 'Ashworth', date_of_birth: '2011-05-01', status: 'present', checked_in_at: start.toISOString(),
    emergency_contacts: [{ name: 'Alex Ashworth', relationship: 'Parent', phone: '07700 900123' }], medical_notes: null,
  }],
};

// Fresh modules and a fresh IndexedDB for each test, as for the register at the door.
const fresh = freshPages(async () => ({ Page: (await import('./RollCallPage.svelte')).default }));

describe('The emergency roll call', () => {
  it('asks for a reason when none is given, then clears the error once the roll call is shown', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: register },
      'GET /sessions/:id/roll-call': { body: rollCall },
    });
    render(Page, { occurrenceId: occ });
    expect(await screen.findByRole('heading', { level: 1, name: 'Emergency roll call' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Show the roll call' }));
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('There is a problem');
    expect(summary).toHaveTextContent('Choose a reason, or enter another reason');
    expect(screen.getByLabelText('Another reason')).toHaveAccessibleDescription(/Error: Choose a reason, or enter another reason/);
    expect(document.title).toBe('Error: Emergency roll call – youthhub');
    expect(calls.some((c) => c.path.endsWith('/roll-call'))).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Fire drill' }));
    const heading = await screen.findByRole('heading', { level: 2, name: '1 young person on site' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(calls.find((c) => c.path.endsWith('/roll-call'))!.query.get('reason')).toBe('Fire drill');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('There is a problem')).not.toBeInTheDocument();
    expect(screen.queryByText(/Choose a reason/)).not.toBeInTheDocument();
    expect(document.title).toBe('Emergency roll call – youthhub');
  });

  it('asks for at least 3 characters when another reason is too short', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: register },
      'GET /sessions/:id/roll-call': { body: rollCall },
    });
    render(Page, { occurrenceId: occ });
    await user.type(await screen.findByLabelText('Another reason'), 'ab');
    await user.click(screen.getByRole('button', { name: 'Show the roll call' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter a reason of at least 3 characters');

    await user.type(screen.getByLabelText('Another reason'), 'c');
    await user.click(screen.getByRole('button', { name: 'Show the roll call' }));
    expect(await screen.findByRole('heading', { level: 2, name: '1 young person on site' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(document.title).toBe('Emergency roll call – youthhub');
  });
});
