import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { booking, occurrence } from '../../test/fixtures';
import { mockApi, tokens } from '../../test/api';
import type { MyBooking } from '../api';
import { session } from '../auth/session.svelte';
import { closeTickets, keepTickets, loadTickets, ticketsDbName, ticketsOf, wipeTickets } from './tickets';

const now = new Date('2030-03-05T12:00:00Z');
const at = (iso: string, over: Partial<MyBooking> = {}, session: Partial<MyBooking['session']> = {}): MyBooking =>
  booking({
    ...over,
    session: {
      ...occurrence({ id: `o-${over.id ?? 'b1'}`, starts_at: iso, ends_at: new Date(Date.parse(iso) + 2 * 3600_000).toISOString() }),
      centre_address: '1 Chester Road, Stretford, Manchester',
      ...session,
    },
  });

// b1 is tonight, b2 next week; the rest are not places to show at a door.
const tonight = at('2030-03-05T18:00:00Z', { id: 'b1', qr_token: 'qr-1', short_code: 'AAAA1111' });
const nextWeek = at('2030-03-12T18:00:00Z', { id: 'b2', qr_token: 'qr-2', short_code: 'BBBB2222' });
const others = [
  at('2030-03-06T18:00:00Z', { id: 'waiting', status: 'waitlisted', waitlist_position: 1, qr_token: null, short_code: null }),
  at('2030-03-06T18:00:00Z', { id: 'cancelled', status: 'cancelled', qr_token: null, short_code: null }),
  at('2030-03-04T18:00:00Z', { id: 'yesterday', qr_token: 'qr-old', short_code: 'OLD00000' }),
  at('2030-03-04T18:00:00Z', { id: 'attended', status: 'attended', qr_token: null, short_code: null }),
  // Only confirmed places, even were another status to come with its codes.
  at('2030-03-05T11:00:00Z', { id: 'attended-now', status: 'attended', qr_token: 'qr-a', short_code: 'AAAA0000' }),
  at('2030-03-06T18:00:00Z', { id: 'waiting-coded', status: 'waitlisted', waitlist_position: 2, qr_token: 'qr-w', short_code: 'WWWW0000' }),
  at('2030-03-07T18:00:00Z', { id: 'centre-cancelled', qr_token: 'qr-c', short_code: 'CCCC3333' }, { status: 'cancelled', cancelled_reason: 'Flood' }),
];

beforeEach(async () => {
  await closeTickets();
  globalThis.indexedDB = new IDBFactory();
});

describe('Tickets kept on the phone', () => {
  it('keeps only upcoming confirmed places, soonest first, and only what the door needs', async () => {
    await keepTickets('u1', [nextWeek, ...others, tonight], now);
    const kept = await loadTickets('u1', now);
    expect(kept).toEqual({
      user_id: 'u1',
      saved_at: now.toISOString(),
      tickets: [
        {
          id: 'b1', title: 'Football', starts_at: tonight.session.starts_at, ends_at: tonight.session.ends_at,
          centre_name: 'Stretford Youth Centre', centre_address: '1 Chester Road, Stretford, Manchester', qr_token: 'qr-1', short_code: 'AAAA1111',
        },
        expect.objectContaining({ id: 'b2', qr_token: 'qr-2', short_code: 'BBBB2222' }),
      ],
    });
    expect(ticketsOf(others, now)).toEqual([]);
  });

  it('drops a ticket as soon as it is seen after its session has ended', async () => {
    await keepTickets('u1', [tonight, nextWeek], now);
    const afterTonight = new Date('2030-03-05T20:00:01Z');
    expect((await loadTickets('u1', afterTonight))?.tickets.map((t) => t.id)).toEqual(['b2']);
    // Deleted from the phone, not only hidden: looking again "earlier" does not bring it back.
    expect((await loadTickets('u1', now))?.tickets.map((t) => t.id)).toEqual(['b2']);
    // Nothing left: nothing of the person is kept.
    expect(await loadTickets('u1', new Date('2030-03-13T00:00:00Z'))).toBeUndefined();
    expect(await loadTickets(null, now)).toBeUndefined();
  });

  it('drops a booking that is cancelled, or gone, from the list online', async () => {
    await keepTickets('u1', [tonight, nextWeek], now);
    await keepTickets('u1', [{ ...tonight, status: 'cancelled', qr_token: null, short_code: null }, nextWeek], now);
    expect((await loadTickets('u1', now))?.tickets.map((t) => t.id)).toEqual(['b2']);
    await keepTickets('u1', [], now);
    expect(await loadTickets('u1', now)).toBeUndefined();
  });

  it('keeps one person’s tickets at a time, and never shows them to another', async () => {
    await keepTickets('u1', [tonight], now);
    expect(await loadTickets('u2', now)).toBeUndefined();
    expect((await loadTickets(null, now))?.user_id).toBe('u1');

    await keepTickets('u2', [nextWeek], now);
    expect(await loadTickets('u1', now)).toBeUndefined();
    expect((await loadTickets(null, now))?.tickets.map((t) => t.id)).toEqual(['b2']);
  });

  it('is wiped when a young person signs out', async () => {
    session.start(tokens({ id: 'u1' }));
    await keepTickets('u1', [tonight], now);
    const { calls } = mockApi({ 'POST /auth/logout': { status: 204 } });
    await session.signOut();
    expect(calls.map((c) => c.path)).toEqual(['/auth/logout']);
    expect(await loadTickets(null, now)).toBeUndefined();
  });

  it('forgets the last young person’s tickets as soon as someone else signs in on the phone', async () => {
    await keepTickets('u1', [tonight], now);
    session.start(tokens({ id: 'u1' }));
    await new Promise((r) => setTimeout(r, 50));
    expect((await loadTickets(null, now))?.user_id).toBe('u1'); // the same person: kept
    session.start(tokens({ id: 'u2' }));
    await expect.poll(() => loadTickets(null, now)).toBeUndefined();
  });

  it('is not put back by a page left open by someone no longer signed in (another tab)', async () => {
    const { keep } = await import('../../routes/bookings/load');
    session.start(tokens({ id: 'u2' }));
    await keep('u1', [tonight]);
    expect(await loadTickets(null, now)).toBeUndefined();
    await keep('u2', [tonight]);
    expect((await loadTickets(null))?.user_id).toBe('u2');
  });

  it('wipes nothing, and makes no database, on a phone that never kept tickets', async () => {
    await wipeTickets();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(ticketsDbName);
  });
});
