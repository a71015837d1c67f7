import 'fake-indexeddb/auto';
import { screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { freshPages } from './fresh';
import { mockApi, tokens } from '../../test/api';
import type { MyShift } from '../../lib/api/staffing';

const start = new Date(Date.now() - 5 * 60_000);
const end = new Date(start.getTime() + 90 * 60_000);
const worker = tokens({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' });

function shift(over: Partial<MyShift> = {}): MyShift {
  return {
    id: 'sh1', occurrence_id: 'o1', role: 'lead', starts_at: start.toISOString(), ends_at: end.toISOString(), title: 'Tuesday football', centre_id: 'c1',
    centre_name: 'Old Trafford Youth Centre', centre_address: '1 Road', centre_postcode: 'M16 0AA', occurrence_status: 'scheduled', updated_at: start.toISOString(), ...over,
  };
}

const register = {
  session: {
    id: 'o1', title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(), ends_at: end.toISOString(),
    booking_mode: 'bookable', capacity: 24, spaces_left: 24, status: 'scheduled', register_closed_at: null, locks_at: end.toISOString(), locked: false,
  },
  counts: { booked: 0, walk_ins: 0, present: 0, on_site: 0, absent: 0, unmarked: 0 },
  entries: [],
  generated_at: new Date().toISOString(),
};

// Fresh modules for each test, as a new page load: who is signed in is module state.
const fresh = freshPages(async () => ({ Page: (await import('./TodayPage.svelte')).default }));

describe('Today’s registers', () => {
  it('gives a centre manager every session of their council today, rota or not, each linked to its register', async () => {
    const { Page, render } = await fresh();
    const manager = tokens({ id: 'm1', role: 'centre_manager', council_id: 'k1', first_name: 'Mo' });
    const day = (over: Record<string, unknown>) => ({
      occurrence_id: 'o1', title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(),
      ends_at: end.toISOString(), booking_mode: 'bookable', status: 'scheduled', booked: 12, rostered: false, ...over,
    });
    mockApi({
      'POST /auth/refresh': { body: manager },
      'GET /me/rota': { body: { items: [], total: 0 } },
      'GET /registers/today': {
        body: {
          items: [day({}), day({ occurrence_id: 'o2', title: 'Music studio', centre_name: 'Sale West', rostered: true }), day({ occurrence_id: 'o3', title: 'Art club', status: 'cancelled' })],
          total: 3,
        },
      },
    });
    render(Page);
    expect(await screen.findByRole('heading', { level: 2, name: 'All sessions today at your council’s centres' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Tuesday football: open the register' })).toHaveAttribute('href', '/register/o1');
    expect(screen.getByRole('link', { name: 'Music studio: open the register' })).toHaveAttribute('href', '/register/o2');
    expect(screen.getByText('On your rota')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Art club/ })).not.toBeInTheDocument();
    // Not told they are on no rota, as if there were nothing for them.
    expect(screen.queryByText('You are not on the rota for any session today.')).not.toBeInTheDocument();
  });

  it('lists today’s shifts, links each register and keeps it on the phone; a cancelled session has no link', async () => {
    const { Page, render } = await fresh();
    const later = new Date(start.getTime() + 2 * 86_400_000);
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /me/rota': {
        body: {
          items: [
            shift(),
            shift({ id: 'sh2', occurrence_id: 'o2', title: 'Music studio', occurrence_status: 'cancelled' }),
            shift({ id: 'sh3', occurrence_id: 'o3', title: 'Another day’s club', starts_at: later.toISOString(), ends_at: later.toISOString() }),
          ],
          total: 3,
        },
      },
      'GET /sessions/:id/register': { body: register },
    });
    render(Page);
    expect(await screen.findByRole('link', { name: 'Tuesday football: open the register' })).toHaveAttribute('href', '/register/o1');
    expect(await screen.findByText('Saved for offline use')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Music studio' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Music studio/ })).not.toBeInTheDocument();
    expect(screen.getByText('Session cancelled')).toBeInTheDocument();
    expect(screen.queryByText('Another day’s club')).not.toBeInTheDocument();
    const rota = calls.find((c) => c.path === '/me/rota')!;
    expect(rota.query.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Only the scheduled session's register is fetched to keep.
    expect(calls.filter((c) => c.path.endsWith('/register')).map((c) => c.path)).toEqual(['/sessions/o1/register']);
  });

  it('shows the list kept on the phone when there is no signal', async () => {
    const { Page, render } = await fresh();
    const cache = await import('../../lib/offline/cache');
    await cache.saveIdentity(worker.user);
    await cache.saveToday('w1', [shift()]);
    mockApi({
      'POST /auth/refresh': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    render(Page);
    expect(await screen.findByText('You are offline. This is the list saved on this phone.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Tuesday football: open the register' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'You are offline' })).toBeInTheDocument();
  });
});
