import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import { addDays, formatDate, londonDate, londonMidnight } from '../../lib/format';
import { series, slot } from '../rota/fixtures';
import SeriesPage from './SeriesPage.svelte';

const slots = {
  body: {
    items: [
      slot(),
      slot({ id: 'o2', starts_at: '2030-12-08T18:00:00Z', ends_at: '2030-12-08T19:30:00Z', confirmed_count: 24, waitlist_length: 3, spaces_left: 0 }),
      slot({ id: 'o3', starts_at: '2030-12-15T18:00:00Z', ends_at: '2030-12-15T19:30:00Z', status: 'cancelled', cancelled_reason: 'Snow' }),
    ],
    total: 3,
  },
};

describe('A session series', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/manage/sessions/s1');
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('lists its sessions with booked and waiting counts', async () => {
    mockApi({ 'GET /series/:id': { body: series() }, 'GET /series/:id/occurrences': slots });
    render(SeriesPage, { id: 's1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    expect(screen.getByText('1 adult for every 10 young people')).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'Sessions' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('5 of 24');
    expect(rows[2]).toHaveTextContent('24 of 24');
    expect(rows[2]).toHaveTextContent('3');
    expect(rows[3]).toHaveTextContent('Cancelled');
    expect(rows[3]).toHaveTextContent('Reason: Snow');
    expect(within(rows[3]!).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the timetable' })).toHaveAttribute('href', '/manage/sessions?centre=c1');
    // Each session's names, waiting list too, are a link away (a cancelled one's as well).
    expect(within(rows[2]!).getByRole('link', { name: /^Who has booked/ })).toHaveAttribute('href', '/manage/occurrences/o2/bookings');
    expect(within(rows[3]!).getByRole('link', { name: /^Who has booked/ })).toHaveAttribute('href', '/manage/occurrences/o3/bookings');
  });

  it('changes one session’s places, and shows a refusal beside the field', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /series/:id': { body: series() },
      'GET /series/:id/occurrences': slots,
      'PATCH /occurrences/:id': (req) => {
        const capacity = (req.body as { capacity: number }).capacity;
        if (capacity < 24) return problem(422, { errors: [{ field: 'capacity', message: '24 places are already booked for the session on 8 December 2030, so the capacity cannot be less than 24' }] });
        return { body: slot({ id: 'o2', starts_at: '2030-12-08T18:00:00Z', ends_at: '2030-12-08T19:30:00Z', capacity, confirmed_count: 27, waitlist_length: 0 }) };
      },
    });
    render(SeriesPage, { id: 's1' });
    await user.click(await screen.findByRole('button', { name: /Change places on Sunday 8 December 2030/ }));
    const places = screen.getByLabelText(/^Places on Sunday 8 December 2030/);
    expect(places).toHaveFocus();
    await user.clear(places);
    await user.type(places, '20');
    await user.click(screen.getByRole('button', { name: 'Save places' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: /so the capacity cannot be less than 24/ })).toHaveAttribute('href', '#slot-capacity');
    expect(places).toHaveAccessibleDescription(/Error: 24 places are already booked/);

    await user.clear(places);
    await user.type(places, '30');
    await user.click(screen.getByRole('button', { name: 'Save places' }));
    expect(await screen.findByText(/Places on Sunday 8 December 2030, 6pm to 7:30pm changed to 30\./)).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)!.path).toBe('/occurrences/o2');
    const rows = within(screen.getByRole('table', { name: 'Sessions' })).getAllByRole('row');
    expect(rows[2]).toHaveTextContent('27 of 30');
    expect(screen.queryByRole('alert', { name: /There is a problem/ })).not.toBeInTheDocument();
  });

  it('cancels one session only after the manager confirms and gives a reason', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /series/:id': { body: series() },
      'GET /series/:id/occurrences': slots,
      'POST /occurrences/:id/cancel': (req) => ({ body: slot({ status: 'cancelled', cancelled_reason: (req.body as { reason: string }).reason }) }),
    });
    render(SeriesPage, { id: 's1' });
    await user.click(await screen.findByRole('button', { name: /Cancel session on Sunday 1 December 2030/ }));
    expect(screen.getByText('Are you sure you want to cancel the session on Sunday 1 December 2030, 6pm to 7:30pm?')).toHaveFocus();
    expect(screen.getByText(/Everyone booked or on the waiting list \(5\) will be told/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(screen.queryByText(/Are you sure/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Cancel session on Sunday 1 December 2030/ })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: /Cancel session on Sunday 1 December 2030/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel this session' }));
    expect(await screen.findByRole('link', { name: 'Enter a reason for cancelling' })).toHaveAttribute('href', '#slot-reason');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(screen.getByLabelText('Reason for cancelling'), 'The hall is flooded');
    await user.click(screen.getByRole('button', { name: 'Yes, cancel this session' }));
    expect(await screen.findByText(/is cancelled\. Everyone booked or waiting has been told\./)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!).toMatchObject({ path: '/occurrences/o1/cancel', body: { reason: 'The hall is flooded' } });
    const rows = within(screen.getByRole('table', { name: 'Sessions' })).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Reason: The hall is flooded');
  });

  it('takes the error summary away when the manager backs out of cancelling', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /series/:id': { body: series() }, 'GET /series/:id/occurrences': slots });
    render(SeriesPage, { id: 's1' });
    await user.click(await screen.findByRole('button', { name: /Cancel session on Sunday 1 December 2030/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel this session' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter a reason for cancelling');
    expect(document.title).toMatch(/^Error: /);

    await user.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(screen.queryByText(/Are you sure/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText('Enter a reason for cancelling')).not.toBeInTheDocument();
    expect(document.title).not.toMatch(/^Error: /);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('starts another session’s form, or the other form of the same session, with no error left from the last', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /series/:id': { body: series() }, 'GET /series/:id/occurrences': slots });
    render(SeriesPage, { id: 's1' });
    await user.click(await screen.findByRole('button', { name: /Cancel session on Sunday 1 December 2030/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel this session' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter a reason for cancelling');

    // Pressing the same button again keeps the form and its error as they are.
    await user.click(screen.getByRole('button', { name: /Cancel session on Sunday 1 December 2030/ }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a reason for cancelling');
    expect(screen.getByLabelText('Reason for cancelling')).toHaveAccessibleDescription(/Error: Enter a reason/);

    await user.click(screen.getByRole('button', { name: /Change places on Sunday 1 December 2030/ }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByLabelText(/^Places on Sunday 1 December 2030/)).not.toHaveAccessibleDescription(/Error/);

    await user.clear(screen.getByLabelText(/^Places on Sunday 1 December 2030/));
    await user.click(screen.getByRole('button', { name: 'Save places' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Places must be a whole number');
    await user.click(screen.getByRole('button', { name: /Cancel session on Sunday 8 December 2030/ }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Reason for cancelling')).not.toHaveAccessibleDescription(/Error/);
  });

  it('shows a banner after the series was started', async () => {
    history.replaceState(null, '', '/manage/sessions/s1?created=1');
    window.dispatchEvent(new PopStateEvent('popstate'));
    mockApi({ 'GET /series/:id': { body: series() }, 'GET /series/:id/occurrences': slots });
    render(SeriesPage, { id: 's1' });
    expect(await screen.findByText(/Session series started\./)).toBeInTheDocument();
  });

  it('says when the first session is for a series that starts beyond the 12 weeks listed', async () => {
    history.replaceState(null, '', '/manage/sessions/s1?created=1');
    window.dispatchEvent(new PopStateEvent('popstate'));
    // A Tuesday about 20 weeks ahead; sessions are stored 12 weeks ahead.
    let first = addDays(londonDate(new Date()), 140);
    while (new Date(`${first}T12:00:00Z`).getUTCDay() !== 2) first = addDays(first, 1);
    const generatedUntil = new Date(Date.now() + 84 * 86_400_000).toISOString();
    mockApi({
      'GET /series/:id': { body: series({ first_date: first, generated_until: generatedUntil }) },
      'GET /series/:id/occurrences': { body: { items: [], total: 0 } },
    });
    render(SeriesPage, { id: 's1' });
    const date = formatDate(londonMidnight(first));
    expect(await screen.findByText(`Session series started. Its first session is on ${date}.`)).toBeInTheDocument();
    expect(screen.getByText(`Its first session is on ${date}. Sessions are listed here from 12 weeks before they take place.`)).toBeInTheDocument();
    expect(screen.queryByText(/for the next 12 weeks are listed below/)).not.toBeInTheDocument();
    expect(screen.queryByText(/no sessions from today on/)).not.toBeInTheDocument();
  });

  it('says “1 place”, not “1 places”', async () => {
    mockApi({ 'GET /series/:id': { body: series({ capacity: 1 }) }, 'GET /series/:id/occurrences': slots });
    render(SeriesPage, { id: 's1' });
    expect(await screen.findByText('Book a place: 1 place')).toBeInTheDocument();
  });

  it('says “1 place already booked”, not “1 places”, when changing a session’s places', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /series/:id': { body: series() }, 'GET /series/:id/occurrences': { body: { items: [slot({ confirmed_count: 1, spaces_left: 23 })], total: 1 } } });
    render(SeriesPage, { id: 's1' });
    await user.click(await screen.findByRole('button', { name: /Change places on Sunday 1 December 2030/ }));
    expect(screen.getByLabelText(/^Places on Sunday 1 December 2030/)).toHaveAccessibleDescription(/^Not fewer than the 1 place already booked\./);
  });

  it('says a series that has ended has no sessions from today on', async () => {
    mockApi({
      'GET /series/:id': { body: series({ first_date: '2020-01-07', last_date: '2020-03-31', generated_until: '2020-03-31T23:00:00Z' }) },
      'GET /series/:id/occurrences': { body: { items: [], total: 0 } },
    });
    render(SeriesPage, { id: 's1' });
    expect(await screen.findByText('This series has no sessions from today on.')).toBeInTheDocument();
  });
});
