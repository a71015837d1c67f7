import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { booking, occurrence } from '../../test/fixtures';
import BookingsPage from './BookingsPage.svelte';

describe('My bookings', () => {
  it('shows a QR code and the door code for a confirmed booking', async () => {
    mockApi({ 'GET /me/bookings': { body: { items: [booking()], total: 1 } } });
    render(BookingsPage);
    const qr = await screen.findByRole('img', { name: /QR code for Football on/ });
    expect(qr.querySelector('svg')).not.toBeNull();
    expect(screen.getByText('K7P2QX')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Add to calendar/ })).toHaveAttribute('href', '/api/v1/bookings/b1/calendar.ics');
  });

  it('says why the centre cancelled a session that was booked', async () => {
    const cancelled = booking({
      status: 'cancelled', qr_token: null, short_code: null,
      session: { ...occurrence({ status: 'cancelled' }), cancelled_reason: 'The boiler is broken' },
    });
    mockApi({ 'GET /me/bookings': { body: { items: [cancelled], total: 1 } } });
    render(BookingsPage);
    expect(await screen.findByText('The centre cancelled this session: The boiler is broken')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument();
  });

  it('cancels only after the young person confirms', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /me/bookings': { body: { items: [booking()], total: 1 } },
      // As the API answers a cancellation: the booking without its session.
      'DELETE /bookings/:id': { body: { ...booking({ status: 'cancelled', qr_token: null, short_code: null }), session: undefined } },
    });
    render(BookingsPage);
    await user.click(await screen.findByRole('button', { name: /Cancel booking/ }));
    expect(screen.getByText(/Are you sure you want to cancel Football on/)).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: /Cancel booking/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(await screen.findByText('Your booking for Football has been cancelled.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')!.path).toBe('/bookings/b1');
    const past = screen.getByRole('heading', { name: 'Past and cancelled' });
    expect(past).toBeInTheDocument();
    expect(within(screen.getByRole('article')).getByText('Cancelled')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /QR code/ })).not.toBeInTheDocument();
  });

  it('says leaving a waiting list as leaving it, not as cancelling a place', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /me/bookings': { body: { items: [booking({ status: 'waitlisted', waitlist_position: 2, qr_token: null, short_code: null })], total: 1 } },
      'DELETE /bookings/:id': { body: { ...booking({ status: 'cancelled', qr_token: null, short_code: null }), session: undefined } },
    });
    render(BookingsPage);
    await user.click(await screen.findByRole('button', { name: /Leave the waiting list/ }));
    expect(screen.getByText(/Are you sure you want to leave the waiting list for Football on/)).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Yes, leave it' }));
    expect(await screen.findByText('You have left the waiting list for Football.')).toBeInTheDocument();
  });

  it('gives a private calendar address for all bookings, and a new one on request', async () => {
    const user = userEvent.setup();
    let n = 0;
    const { calls } = mockApi({
      'GET /me/bookings': { body: { items: [booking()], total: 1 } },
      'POST /me/calendar': () => ({ status: 201, body: { url: `https://youthhub.test/api/v1/calendar/bookings/secret${++n}.ics` } }),
    });
    render(BookingsPage);
    await user.click(await screen.findByRole('button', { name: 'Subscribe to my bookings' }));
    const address = await screen.findByRole('textbox', { name: 'Your private calendar address' });
    expect(address).toHaveValue('https://youthhub.test/api/v1/calendar/bookings/secret1.ics');
    expect(address).toHaveFocus();
    expect(screen.getByText(/anyone who has it can see which sessions you go to/)).toBeInTheDocument();
    // A new address ends this one: asked first, and "No" keeps it.
    await user.click(screen.getByRole('button', { name: 'Make a new calendar address' }));
    expect(screen.getByText(/The one above will stop working/)).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'No, keep this one' }));
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/me/calendar')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Make a new calendar address' }));
    await user.click(screen.getByRole('button', { name: 'Yes, make a new address' }));
    await vi.waitFor(() => expect(address).toHaveValue('https://youthhub.test/api/v1/calendar/bookings/secret2.ics'));
    expect(screen.getByRole('status')).toHaveTextContent('New address made. The old one no longer works.');
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/me/calendar')).toHaveLength(2);
  });

  it('says when there are no bookings', async () => {
    mockApi({ 'GET /me/bookings': { body: { items: [], total: 0 } } });
    render(BookingsPage);
    expect(await screen.findByText('You have no bookings yet.')).toBeInTheDocument();
  });

  it('tells someone other than a young person that the page is for young people, not an error page', async () => {
    session.start(tokens({ role: 'youth_worker', council_id: 'k1', first_name: 'Wes' }));
    const { calls } = mockApi({ 'GET /me/bookings': problem(403, { title: 'Forbidden' }) });
    render(BookingsPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'My bookings' })).toBeInTheDocument();
    expect(screen.getByText('Only young people can book sessions and see their bookings on this page.')).toBeInTheDocument();
    expect(screen.queryByText(/reference/)).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
