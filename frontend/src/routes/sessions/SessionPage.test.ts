import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { booking, centre, occurrence } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import SessionPage from './SessionPage.svelte';

const detail = { ...occurrence(), description: 'Five-a-side.', what_to_bring: 'Trainers', centre: centre() };
const noBookings = { body: { items: [], total: 0 } };

describe('Session page', () => {
  it('books a place and says so', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    const { calls } = mockApi({
      'GET /sessions/:id': { body: detail },
      'GET /me/bookings': noBookings,
      'POST /sessions/:id/bookings': { status: 201, body: booking() },
    });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Football' })).toBeInTheDocument();
    expect(screen.getByText('Trainers')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Book a place' }));

    expect(await screen.findByRole('heading', { name: 'You’re booked' })).toHaveFocus();
    const booked = calls.find((c) => c.method === 'POST')!;
    expect(booked.path).toBe('/sessions/o1/bookings');
    expect(booked.headers.get('Idempotency-Key')).toBeTruthy();
  });

  it('tries a booking again with the same key after no answer, and a new one after a refusal', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    let tries = 0;
    const { calls } = mockApi({
      'GET /sessions/:id': { body: detail },
      'GET /me/bookings': noBookings,
      'POST /sessions/:id/bookings': () => {
        tries++;
        if (tries === 1) throw new TypeError('Failed to fetch'); // the signal dropped
        if (tries === 2) return problem(409, { detail: 'You already have a place at another session at the same time.' });
        return { status: 201, body: booking() };
      },
    });
    render(SessionPage, { id: 'o1' });
    await user.click(await screen.findByRole('button', { name: 'Book a place' }));
    await user.click(await screen.findByRole('button', { name: 'Book a place' }));
    expect(await screen.findByText(/another session at the same time/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Book a place' }));
    expect(await screen.findByRole('heading', { name: 'You’re booked' })).toBeInTheDocument();
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('joins the waiting list of a full session', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    mockApi({
      'GET /sessions/:id': { body: { ...detail, spaces_left: 0, waitlist_length: 2 } },
      'GET /me/bookings': noBookings,
      'POST /sessions/:id/bookings': { status: 201, body: booking({ status: 'waitlisted', waitlist_position: 3, qr_token: null }) },
    });
    render(SessionPage, { id: 'o1' });
    await user.click(await screen.findByRole('button', { name: 'Join the waiting list' }));
    expect(await screen.findByRole('heading', { name: 'You’re on the waiting list' })).toBeInTheDocument();
    expect(screen.getByText(/You are number 3 on the waiting list/)).toBeInTheDocument();
  });

  it('explains why a booking was refused', async () => {
    const user = userEvent.setup();
    session.start(tokens());
    mockApi({
      'GET /sessions/:id': { body: detail },
      'GET /me/bookings': noBookings,
      'POST /sessions/:id/bookings': problem(422, { detail: 'Your parent or guardian needs to give consent before you can book.' }),
    });
    render(SessionPage, { id: 'o1' });
    await user.click(await screen.findByRole('button', { name: 'Book a place' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('heading', { name: 'You cannot book this session' })).toBeInTheDocument();
    expect(within(summary).getByText(/needs to give consent/)).toBeInTheDocument();
  });

  it('says before the tap why an under-13 waiting for consent, or someone outside the ages, cannot book', async () => {
    session.start(tokens());
    const me = (over: object) => ({
      id: 'u1', role: 'young_person', council_id: null, first_name: 'Pip', last_name: 'Lee', email: 'pip@example.org',
      date_of_birth: '2014-01-01', postcode: 'M32 0JG', consent_status: 'not_needed', guardian_email: null,
      consent_requested_at: null, consent_link_expires_at: null, ...over,
    });
    mockApi({ 'GET /sessions/:id': { body: detail }, 'GET /me/bookings': noBookings, 'GET /me': { body: me({ consent_status: 'pending' }) } });
    const first = render(SessionPage, { id: 'o1' });
    expect(await screen.findByText('You can book once your parent or guardian says yes. We have e-mailed them a link.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See your consent on My account' })).toHaveAttribute('href', '/account');
    expect(screen.queryByRole('button', { name: 'Book a place' })).not.toBeInTheDocument();
    first.unmount();

    const born = `${new Date().getFullYear() - 9}-01-01`; // 9 or 10 on the day: under the session's 11
    mockApi({ 'GET /sessions/:id': { body: detail }, 'GET /me/bookings': noBookings, 'GET /me': { body: me({ date_of_birth: born, consent_status: 'given' }) } });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByText(/This session is for ages 11 to 18\. On .* you will be (9|10), so you cannot book it\./)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Book a place' })).not.toBeInTheDocument();
  });

  it('offers booking only to young people', async () => {
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    mockApi({ 'GET /sessions/:id': { body: detail } });
    render(SessionPage, { id: 'o1' });
    await screen.findByRole('heading', { level: 1, name: 'Football' });
    expect(screen.queryByRole('button', { name: 'Book a place' })).not.toBeInTheDocument();
  });

  it('says when booking opens instead of offering a button too early', async () => {
    session.start(tokens());
    mockApi({ 'GET /sessions/:id': { body: { ...detail, booking_opens_at: '2099-03-02T18:00:00Z' } }, 'GET /me/bookings': noBookings });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByText('Booking opens on Monday 2 March 2099 at 6pm.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Book a place' })).not.toBeInTheDocument();
  });

  it('says a young person already has a place instead of offering to book again', async () => {
    session.start(tokens());
    const { calls } = mockApi({
      'GET /sessions/:id': { body: { ...detail, spaces_left: 3 } },
      'GET /me/bookings': {
        body: { items: [booking({ id: 'old', occurrence_id: 'o1', status: 'cancelled' }), booking({ id: 'other', occurrence_id: 'o9' }), booking()], total: 3 },
      },
    });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { level: 2, name: 'You have a place' })).toBeInTheDocument();
    expect(screen.getByText('Show your QR code at the door. You can find it in your bookings.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See my bookings' })).toHaveAttribute('href', '/bookings');
    expect(screen.queryByRole('button', { name: 'Book a place' })).not.toBeInTheDocument();
    expect(screen.queryByText('3 spaces left')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('says where a young person is on the waiting list instead of offering to join it again', async () => {
    session.start(tokens());
    mockApi({
      'GET /sessions/:id': { body: { ...detail, spaces_left: 0, waitlist_length: 4 } },
      'GET /me/bookings': { body: { items: [booking({ status: 'waitlisted', waitlist_position: 2, qr_token: null, short_code: null })], total: 1 } },
    });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByRole('heading', { level: 2, name: 'You are on the waiting list' })).toBeInTheDocument();
    expect(screen.getByText('You are number 2 on the waiting list. We will tell you if a space comes up.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See my bookings' })).toHaveAttribute('href', '/bookings');
    expect(screen.queryByRole('button', { name: 'Join the waiting list' })).not.toBeInTheDocument();
  });

  it('offers the button again once an earlier booking of the session is cancelled', async () => {
    session.start(tokens());
    mockApi({
      'GET /sessions/:id': { body: detail },
      'GET /me/bookings': { body: { items: [booking({ status: 'cancelled', qr_token: null, short_code: null })], total: 1 } },
    });
    render(SessionPage, { id: 'o1' });
    expect(await screen.findByRole('button', { name: 'Book a place' })).toBeInTheDocument();
    expect(screen.queryByText('You have a place')).not.toBeInTheDocument();
  });
});
