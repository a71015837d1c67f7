import { render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import type { Holder } from '../../lib/api/register';
import SessionBookingsPage from './SessionBookingsPage.svelte';

const detail = {
  id: 'o1', series_id: 's1', centre_id: 'c1', centre_name: 'Lostock Youth Centre', title: 'Tuesday football', category: 'sport',
  starts_at: '2030-03-05T18:00:00Z', ends_at: '2030-03-05T19:30:00Z', booking_mode: 'bookable', age_min: 11, age_max: 16, capacity: 2,
  spaces_left: 0, waitlist_length: 2, status: 'scheduled', description: null, what_to_bring: null,
  centre: { id: 'c1', name: 'Lostock Youth Centre' }, booking_opens_at: '2030-02-19T18:00:00Z',
};
const holder = (first: string, over: Partial<Holder> = {}): Holder => ({
  booking_id: `b-${first}`, young_person_id: `yp-${first}`, first_name: first, last_name: 'Lee', status: 'confirmed',
  waitlist_position: null, booked_at: '2030-02-20T10:00:00Z', ...over,
});

describe('Who has booked a session', () => {
  beforeEach(() => {
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
  });

  it('lists the places, then the waiting list in order, with a way back and to the register', async () => {
    const { calls } = mockApi({
      'GET /sessions/:id': { body: detail },
      'GET /sessions/:id/holders': {
        body: {
          items: [holder('Ana'), holder('Ben'), holder('Cal', { status: 'waitlisted', waitlist_position: 1 }), holder('Dee', { status: 'waitlisted', waitlist_position: 2 })],
          total: 4,
        },
      },
    });
    render(SessionBookingsPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday 5 March 2030 at 6pm: who has booked' })).toBeInTheDocument();
    expect(screen.getByTestId('holders-summary')).toHaveTextContent('2 places booked of 2. 0 places left.');
    const places = screen.getByRole('table', { name: 'Places' });
    expect(within(places).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      expect.stringContaining('Ana Lee'), expect.stringContaining('Ben Lee'),
    ]);
    const waiting = screen.getByRole('table', { name: 'Waiting list' });
    const rows = within(waiting).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/1\s*Cal Lee/);
    expect(rows[1]).toHaveTextContent(/2\s*Dee Lee/);
    expect(screen.getByRole('link', { name: 'Back to Tuesday football' })).toHaveAttribute('href', '/manage/sessions/s1');
    expect(screen.getByRole('link', { name: 'Open the register for this session' })).toHaveAttribute('href', '/register/o1');
    expect(calls.map((c) => c.path)).toContain('/sessions/o1/holders');
  });

  it('says when nobody has booked or is waiting', async () => {
    mockApi({ 'GET /sessions/:id': { body: { ...detail, spaces_left: 1 } }, 'GET /sessions/:id/holders': { body: { items: [holder('Ana', { status: 'attended' })], total: 1 } } });
    render(SessionBookingsPage, { id: 'o1' });
    expect(await screen.findByText('Came')).toBeInTheDocument();
    expect(screen.getByTestId('holders-summary')).toHaveTextContent('1 place booked of 2. 1 place left.');
    expect(screen.getByText('Nobody is on the waiting list.')).toBeInTheDocument();
  });

  it('shows the refusal of someone not on the session’s staff', async () => {
    mockApi({ 'GET /sessions/:id': { body: detail }, 'GET /sessions/:id/holders': problem(403) });
    render(SessionBookingsPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { name: 'Who has booked' })).toBeInTheDocument();
    expect(await screen.findByText(/permission|not allowed|cannot/i)).toBeInTheDocument();
  });

  it('is not offered to a young person', async () => {
    session.start(tokens({ role: 'young_person' }));
    const { calls } = mockApi({});
    render(SessionBookingsPage, { id: 'o1' });
    expect(screen.getByRole('heading', { name: 'Who has booked' })).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
