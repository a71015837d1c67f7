import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import { series } from '../rota/fixtures';
import TimetablePage from './TimetablePage.svelte';

const centres = { body: { items: [centre({ id: 'c1', name: 'Stretford Youth Centre' }), centre({ id: 'c2', name: 'Davyhulme Youth Centre' })], total: 2 } };

describe('Session timetable', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/manage/sessions');
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    return start();
  });

  it('lists the series of the centre chosen', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /centres': centres,
      'GET /series': (req) => ({
        body: req.query.get('centre_id') === 'c2'
          ? { items: [series({ id: 's2', title: 'SEND social', send: true, category: 'send', age_max: 25, days: ['thursday'], start_time: '17:30', duration_minutes: 120, staff_ratio: 4 }), series({ id: 's3', title: 'Friday club', booking_mode: 'drop_in', capacity: 40, days: ['monday', 'friday'], start_time: '12:00' })], total: 2 }
          : { items: [], total: 0 },
      }),
    });
    render(TimetablePage);
    expect(await screen.findByRole('heading', { level: 1, name: 'Session timetable' })).toBeInTheDocument();
    expect(calls[0]!.query.get('council_id')).toBe('k1');
    expect(calls.some((c) => c.path === '/series')).toBe(false);

    await user.selectOptions(await screen.findByLabelText('Centre'), 'Davyhulme Youth Centre');
    await user.click(screen.getByRole('button', { name: 'Show sessions' }));
    expect(await screen.findByRole('heading', { name: 'Session series at Davyhulme Youth Centre' })).toBeInTheDocument();
    expect(window.location.search).toBe('?centre=c2');
    expect(calls.find((c) => c.path === '/series')!.query.get('centre_id')).toBe('c2');

    const list = screen.getByRole('list', { name: 'Session series at Davyhulme Youth Centre' });
    const send = within(list).getAllByRole('listitem')[0]!;
    expect(within(send).getByRole('link', { name: 'SEND social' })).toHaveAttribute('href', '/manage/sessions/s2');
    expect(send).toHaveTextContent('Thursday, 5:30pm to 7:30pm');
    expect(send).toHaveTextContent('Ages 11 to 25');
    expect(send).toHaveTextContent('Book a place: 24 places');
    const club = within(list).getAllByRole('listitem')[1]!;
    expect(club).toHaveTextContent('Monday, Friday, midday to 1:30pm');
    expect(club).toHaveTextContent('Drop in: up to 40 young people');
    expect(screen.getByRole('link', { name: 'Start a new session series' })).toHaveAttribute('href', '/manage/sessions/new?centre=c2');
  });

  it('says when a centre has no series yet', async () => {
    history.replaceState(null, '', '/manage/sessions?centre=c1');
    window.dispatchEvent(new PopStateEvent('popstate'));
    mockApi({ 'GET /centres': centres, 'GET /series': { body: { items: [], total: 0 } } });
    render(TimetablePage);
    expect(await screen.findByText('There are no session series at this centre yet.')).toBeInTheDocument();
  });

  it('tells a youth worker this page is not for them', async () => {
    session.start(tokens({ role: 'youth_worker', council_id: 'k1' }));
    const { calls } = mockApi({});
    render(TimetablePage);
    expect(screen.getByText('Only centre managers and council officers can see this page.')).toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
