import 'fake-indexeddb/auto';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { booking, occurrence } from '../../test/fixtures';
import { formatTime } from '../../lib/format';
import { freshPages } from '../register/fresh';
import BookingsPage from './BookingsPage.svelte';

describe('My bookings', () => {
  // The page is not an `auth` route (it works after a reload with no signal): it asks who is signed in itself.
  beforeEach(() => session.start(tokens()));

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

describe('My bookings with no signal', () => {
  // Each load is a new page load (fresh modules: nobody signed in yet) on the same phone (IndexedDB).
  const load = freshPages(async () => ({
    BookingsPage: (await import('./BookingsPage.svelte')).default,
    session: (await import('../../lib/auth/session.svelte')).session,
    tickets: await import('../../lib/offline/tickets'),
  }));
  const noSignal = () => {
    throw new TypeError('Failed to fetch');
  };
  const waiting = booking({ id: 'b2', status: 'waitlisted', waitlist_position: 1, qr_token: null, short_code: null, session: { ...booking().session, id: 'o2', title: 'Cooking' } });

  it('keeps the tickets while online, and after a reload with no signal shows them, not the sign-in page', async () => {
    const online = await load();
    online.session.start(tokens({ id: 'u1' }));
    mockApi({ 'GET /me/bookings': { body: { items: [booking(), waiting], total: 2 } } });
    const first = online.render(online.BookingsPage);
    expect(await screen.findByRole('img', { name: /QR code for Football on/ })).toBeInTheDocument();
    const kept = await online.tickets.loadTickets('u1');
    expect(kept?.tickets.map((t) => t.id)).toEqual(['b1']);
    first.unmount();

    history.replaceState(null, '', '/bookings');
    const offline = await load();
    const { calls } = mockApi({ 'POST /auth/refresh': noSignal, 'GET /me/bookings': noSignal });
    offline.render(offline.BookingsPage);
    const notice = await screen.findByRole('region', { name: 'You’re offline' });
    expect(within(notice).getByText(`These are your bookings as they were at ${formatTime(kept!.saved_at)}.`)).toBeInTheDocument();
    expect(within(notice).getByText(/Cancelling a booking needs a signal/)).toBeInTheDocument();
    const ticket = screen.getByRole('article', { name: 'Football' });
    expect(await within(ticket).findByRole('img', { name: /QR code for Football on/ })).toBeInTheDocument();
    expect(within(ticket).getByText('K7P2QX')).toBeInTheDocument();
    expect(within(ticket).getByText('1 Chester Road, Stretford, Manchester')).toBeInTheDocument();
    // Read-only: nothing to cancel, no calendar, no waiting list (never kept).
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Add to calendar/ })).not.toBeInTheDocument();
    expect(screen.queryByText('Cooking')).not.toBeInTheDocument();
    expect(window.location.pathname).toBe('/bookings');
    expect(calls.map((c) => c.path)).toEqual(['/auth/refresh', '/auth/refresh']);
  });

  it('does not even ask the server when the phone says it is offline', async () => {
    const page = await load();
    await page.tickets.keepTickets('u1', [booking()]);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    const { calls } = mockApi({});
    page.render(page.BookingsPage);
    expect(await screen.findByRole('region', { name: 'You’re offline' })).toBeInTheDocument();
    expect(screen.getByText('K7P2QX')).toBeInTheDocument();
    // session.ready() asks once (and fails at once, offline); the page itself asks nothing.
    expect(calls.filter((c) => c.path !== '/auth/refresh')).toEqual([]);
  });

  it('hides cancelling when the signal goes while the list is on screen, and brings it back with the signal', async () => {
    const page = await load();
    page.session.start(tokens({ id: 'u1' }));
    mockApi({ 'GET /me/bookings': { body: { items: [booking()], total: 1 } } });
    page.render(page.BookingsPage);
    expect(await screen.findByRole('button', { name: /Cancel booking/ })).toBeInTheDocument();

    window.dispatchEvent(new Event('offline'));
    expect(await screen.findByRole('region', { name: 'You’re offline' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel booking/ })).not.toBeInTheDocument();
    expect(screen.getByText('K7P2QX')).toBeInTheDocument();

    window.dispatchEvent(new Event('online'));
    expect(await screen.findByRole('button', { name: /Cancel booking/ })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'You’re offline' })).not.toBeInTheDocument();
  });

  it('never shows another young person’s tickets', async () => {
    const page = await load();
    await page.tickets.keepTickets('u1', [booking()]);
    page.session.start(tokens({ id: 'u2' }));
    mockApi({ 'GET /me/bookings': noSignal });
    page.render(page.BookingsPage);
    const notice = await screen.findByRole('region', { name: 'You’re offline' });
    expect(within(notice).getByText('No bookings are kept on this phone.')).toBeInTheDocument();
    expect(screen.queryByText('K7P2QX')).not.toBeInTheDocument();
    expect(screen.queryByRole('article')).not.toBeInTheDocument();
  });

  it('drops a cancelled booking from the phone at once', async () => {
    const user = userEvent.setup();
    const page = await load();
    page.session.start(tokens({ id: 'u1' }));
    mockApi({
      'GET /me/bookings': { body: { items: [booking()], total: 1 } },
      'DELETE /bookings/:id': { body: { ...booking({ status: 'cancelled', qr_token: null, short_code: null }), session: undefined } },
    });
    page.render(page.BookingsPage);
    await user.click(await screen.findByRole('button', { name: /Cancel booking/ }));
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect(await screen.findByText('Your booking for Football has been cancelled.')).toBeInTheDocument();
    await vi.waitFor(async () => expect(await page.tickets.loadTickets('u1')).toBeUndefined());
  });

  it('sends someone the server says is signed out to sign in, and forgets the tickets kept', async () => {
    history.replaceState(null, '', '/bookings');
    const page = await load();
    await page.tickets.keepTickets('u1', [booking({ qr_token: 'qr-1', short_code: 'AAAA1111' })]);
    expect((await page.tickets.loadTickets(null))?.tickets).toHaveLength(1);
    mockApi({ 'POST /auth/refresh': problem(401) });
    page.render(page.BookingsPage);
    await vi.waitFor(() => expect(window.location.pathname + window.location.search).toBe('/sign-in?next=%2Fbookings'));
    expect(await page.tickets.loadTickets(null)).toBeUndefined();
  });
});
