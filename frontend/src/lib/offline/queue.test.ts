import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { problem, mockApi } from '../../test/api';
import { setAccessToken } from '../api/client';
import type { Register } from '../api/register';
import type { MyShift } from '../api/staffing';
import { cleanup, loadIdentity, loadRegister, loadToday, saveIdentity, saveRegister, saveToday, wipe } from './cache';
import { closeDb } from './db';
import { enqueue, pending, queued } from './queue';
import { maxBatch, offline, resetSync, setUser, syncNow } from './sync.svelte';

const start = new Date('2030-03-05T18:00:00Z');
const end = new Date('2030-03-05T19:30:00Z');

function shift(over: Partial<MyShift> = {}): MyShift {
  return {
    id: 'sh1', occurrence_id: 'o1', role: 'worker', starts_at: start.toISOString(), ends_at: end.toISOString(), title: 'Tuesday football',
    centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', centre_address: '1 Road', centre_postcode: 'M16 0AA',
    occurrence_status: 'scheduled', updated_at: start.toISOString(), ...over,
  };
}

function register(id = 'o1'): Register {
  return {
    session: {
      id, title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(), ends_at: end.toISOString(),
      booking_mode: 'bookable', capacity: 24, spaces_left: 20, status: 'scheduled', register_closed_at: null, locks_at: end.toISOString(), locked: false,
    },
    counts: { booked: 1, walk_ins: 0, present: 0, on_site: 0, absent: 0, unmarked: 1 },
    entries: [{ young_person_id: 'yp1', first_name: 'Yasmin', last_name: 'Young', date_of_birth: '2015-01-01', booking_id: 'b1', booking_status: 'confirmed', walk_in: false, on_site: false, has_emergency_contact: true, mark: null }],
    generated_at: start.toISOString(),
  };
}

const mark = (young_person_id: string, status: 'present' | 'late' | 'left' | 'absent' = 'present') => ({
  occurrence_id: 'o1', user_id: 'w1', young_person_id, name: 'Yasmin Y.', status, session_ends_at: end.toISOString(),
});

/** settle lets the database (which runs on setImmediate, never faked here) finish its work. */
async function settle() {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

beforeEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
  resetSync();
  setAccessToken('access-1');
});

afterEach(() => {
  setAccessToken(null);
  vi.useRealTimers();
});

describe('the queue of marks', () => {
  it('gives each mark a UUID and the phone’s time, and keeps it across a reopening of the database', async () => {
    const at = new Date('2030-03-05T18:05:00Z');
    const m = await enqueue(mark('yp1'), at);
    expect(m.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.recorded_at).toBe('2030-03-05T18:05:00.000Z');
    await closeDb(); // as after a reload
    expect(await pending({ occurrenceId: 'o1' })).toEqual([m]);
  });

  it('keeps the check-in time with a left, present or late mark, never an absent one', async () => {
    const left = await enqueue({ ...mark('yp1', 'left'), checked_in_at: '2030-03-05T18:01:00Z' });
    const late = await enqueue({ ...mark('yp2', 'late'), checked_in_at: '2030-03-05T18:01:00Z' });
    const absent = await enqueue({ ...mark('yp3', 'absent'), checked_in_at: '2030-03-05T18:01:00Z' });
    expect(left.checked_in_at).toBe('2030-03-05T18:01:00Z');
    expect(late.checked_in_at).toBe('2030-03-05T18:01:00Z');
    expect(absent.checked_in_at).toBeUndefined();
  });
});

describe('syncing the queue', () => {
  it('sends the marks in one batch and drops each one the server has: stored, duplicate or superseded', async () => {
    const a = await enqueue(mark('yp1'), new Date('2030-03-05T18:01:00Z'));
    const b = await enqueue(mark('yp2'), new Date('2030-03-05T18:02:00Z'));
    const c = await enqueue(mark('yp3'), new Date('2030-03-05T18:03:00Z'));
    const d = await enqueue(mark('yp4'), new Date('2030-03-05T18:04:00Z'));
    const { calls } = mockApi({
      'POST /sessions/:id/register/marks': {
        body: {
          results: [
            { client_id: a.client_id, outcome: 'stored' }, { client_id: b.client_id, outcome: 'duplicate' },
            { client_id: c.client_id, outcome: 'superseded' },
            { client_id: d.client_id, outcome: 'refused', code: 'not_on_register', reason: 'This young person is not on the register' },
          ],
          stored: 1, duplicate: 1, superseded: 1, refused: 1,
        },
      },
    });
    await setUser('w1');
    expect(offline.pending).toBe(4);
    await syncNow();

    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/sessions/o1/register/marks');
    const body = calls[0]!.body as { device_id: string; marks: { client_id: string; recorded_at: string }[] };
    expect(body.device_id).toMatch(/^phone-/);
    expect(body.marks.map((m) => m.client_id)).toEqual([a.client_id, b.client_id, c.client_id, d.client_id]);
    expect(body.marks[0]).toEqual({ client_id: a.client_id, young_person_id: 'yp1', status: 'present', recorded_at: '2030-03-05T18:01:00.000Z' });
    expect(offline.pending).toBe(0);
    expect(offline.refused.map((m) => [m.client_id, m.refused?.reason])).toEqual([[d.client_id, 'This young person is not on the register']]);
    expect((await queued()).map((m) => m.client_id)).toEqual([d.client_id]);
  });

  it('keeps the marks and tries again later, more slowly each time, while the server cannot be reached', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await enqueue(mark('yp1'));
    let up = false;
    const { calls } = mockApi({
      'POST /sessions/:id/register/marks': (req) => {
        if (!up) throw new TypeError('Failed to fetch');
        const marks = (req.body as { marks: { client_id: string }[] }).marks;
        return { body: { results: marks.map((m) => ({ client_id: m.client_id, outcome: 'stored' })), stored: marks.length, duplicate: 0, superseded: 0, refused: 0 } };
      },
    });
    await setUser('w1');
    await syncNow();
    expect(offline.online).toBe(false);
    expect(offline.pending).toBe(1);
    expect(calls).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(2000); // first retry: between 1 and 2 seconds
    await settle();
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000); // the second waits 2 to 4 seconds
    await settle();
    expect(calls).toHaveLength(2);
    up = true;
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(calls).toHaveLength(3);
    expect(offline.pending).toBe(0);
    expect(offline.online).toBe(true);
  });

  it('sends at most 200 marks a request, one session at a time', async () => {
    for (let i = 0; i < maxBatch + 5; i++) await enqueue(mark(`yp${i}`), new Date(Date.UTC(2030, 2, 5, 18, 0, i)));
    await enqueue({ ...mark('other'), occurrence_id: 'o2' }, new Date('2030-03-05T19:00:00Z'));
    const { calls } = mockApi({
      'POST /sessions/:id/register/marks': (req) => {
        const marks = (req.body as { marks: { client_id: string }[] }).marks;
        return { body: { results: marks.map((m) => ({ client_id: m.client_id, outcome: 'stored' })), stored: marks.length, duplicate: 0, superseded: 0, refused: 0 } };
      },
    });
    await setUser('w1');
    await syncNow();
    expect(calls.map((c) => [c.params.id, (c.body as { marks: unknown[] }).marks.length])).toEqual([['o1', 200], ['o1', 5], ['o2', 1]]);
    expect(offline.pending).toBe(0);
  });

  it('says the worker must sign in again when the refresh cookie no longer works, and keeps the marks', async () => {
    setAccessToken(null); // as after a reload
    await enqueue(mark('yp1'));
    const { calls } = mockApi({ 'POST /auth/refresh': problem(401) });
    await setUser('w1');
    await syncNow();
    expect(calls.map((c) => c.path)).toEqual(['/auth/refresh']);
    expect(offline.signInNeeded).toBe(true);
    expect(offline.pending).toBe(1);
  });

  it('gets a new access token with the refresh cookie after a reload, then sends', async () => {
    setAccessToken(null);
    const m = await enqueue(mark('yp1'));
    const { calls } = mockApi({
      'POST /auth/refresh': { body: { access_token: 'new', token_type: 'Bearer', expires_in: 900, user: { id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' } } },
      'POST /sessions/:id/register/marks': { body: { results: [{ client_id: m.client_id, outcome: 'stored' }], stored: 1, duplicate: 0, superseded: 0, refused: 0 } },
    });
    await setUser('w1');
    await syncNow();
    expect(calls.map((c) => c.path)).toEqual(['/auth/refresh', '/sessions/o1/register/marks']);
    expect(calls[1]!.headers.get('Authorization')).toBe('Bearer new');
    expect(offline.pending).toBe(0);
  });

  it('keeps a batch the server refuses whole (a cancelled session) as refused, with the reason', async () => {
    await enqueue(mark('yp1'));
    mockApi({ 'POST /sessions/:id/register/marks': problem(409, { code: 'session_cancelled', detail: 'This session was cancelled' }) });
    await setUser('w1');
    await syncNow();
    expect(offline.pending).toBe(0);
    expect(offline.refused.map((m) => m.refused)).toEqual([{ code: 'session_cancelled', reason: 'This session was cancelled' }]);
  });

  it('sends only the signed-in worker’s own marks', async () => {
    await enqueue({ ...mark('yp1'), user_id: 'someone-else' });
    const { calls } = mockApi({});
    await setUser('w1');
    await syncNow();
    expect(calls).toHaveLength(0);
    expect(offline.pending).toBe(0);
  });
});

describe('the cache of registers', () => {
  const now = new Date('2030-03-05T17:30:00Z');

  it('keeps only registers of today’s rostered sessions', async () => {
    await saveToday('w1', [shift(), shift({ id: 'sh2', occurrence_id: 'o9', starts_at: '2030-03-06T18:00:00Z', ends_at: '2030-03-06T19:00:00Z' })], now);
    expect((await loadToday('w1', now))!.shifts.map((s) => s.occurrence_id)).toEqual(['o1']);
    expect(await saveRegister('w1', register('o1'), now)).toBe(true);
    expect(await saveRegister('w1', register('o2'), now)).toBe(false);
    expect((await loadRegister('o1', 'w1', now))!.register.entries[0]!.first_name).toBe('Yasmin');
    expect(await loadRegister('o1', 'w2', now)).toBeUndefined();
  });

  it('wipes a register an hour after its session ends, and another day’s list, but keeps marks still to send', async () => {
    await saveToday('w1', [shift()], now);
    await saveRegister('w1', register('o1'), now);
    await enqueue(mark('yp1'));
    const later = new Date(end.getTime() + 61 * 60 * 1000);
    await cleanup(later);
    expect(await loadRegister('o1', 'w1', now)).toBeUndefined();
    expect(await pending()).toHaveLength(1);
    await cleanup(new Date('2030-03-06T09:00:00Z'));
    expect(await loadToday('w1', now)).toBeUndefined();
    await cleanup(new Date(end.getTime() + 8 * 86_400_000)); // the register has locked: the server would refuse them
    expect(await pending()).toHaveLength(0);
  });

  it('wipes everything personal on sign-out', async () => {
    await saveIdentity({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' });
    await saveToday('w1', [shift()], now);
    await saveRegister('w1', register('o1'), now);
    await enqueue(mark('yp1'));
    await wipe();
    expect(await loadIdentity()).toBeUndefined();
    expect(await loadToday('w1', now)).toBeUndefined();
    expect(await loadRegister('o1', 'w1', now)).toBeUndefined();
    expect(await queued()).toEqual([]);
  });
});
