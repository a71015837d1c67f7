// A young person's tickets kept on the phone for a youth centre door with no signal: for each
// upcoming confirmed booking, what the door needs (the session, when and where, the QR token and
// door code) and nothing else. It is its own small database rather than a store in the register's
// (db.ts): a young person's phone then never holds the register's stores, and adding it needed no
// upgrade of a database that may hold a worker's unsent marks. Only My bookings and sign-out (to
// wipe it) import this module. One person's copy at a time: keeping one deletes anyone else's; a
// booking goes when its session has ended, or when it is no longer a confirmed place online
// (cancelled, erased); all of it goes on sign-out.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MyBooking } from '../api/types';

/** Ticket is one upcoming confirmed booking, as much of it as the door needs. */
export interface Ticket {
  /** id is the booking's. */
  id: string;
  title: string;
  starts_at: string;
  ends_at: string;
  centre_name: string;
  centre_address: string;
  qr_token: string | null;
  short_code: string | null;
}

/** KeptTickets is one young person's tickets as My bookings last saw them online. */
export interface KeptTickets {
  user_id: string;
  /** saved_at is when the list was read from the server. */
  saved_at: string;
  tickets: Ticket[];
}

interface TicketSchema extends DBSchema {
  tickets: { key: string; value: KeptTickets };
}

export const ticketsDbName = 'youthhub-tickets';
let opening: Promise<IDBPDatabase<TicketSchema>> | null = null;

function ticketsDb(): Promise<IDBPDatabase<TicketSchema>> {
  opening ??= openDB<TicketSchema>(ticketsDbName, 1, {
    upgrade(d) {
      d.createObjectStore('tickets', { keyPath: 'user_id' });
    },
    // Another tab with a newer version wants the database: let it go.
    blocking() {
      void opening?.then((d) => d.close());
      opening = null;
    },
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
}

const ended = (t: Pick<Ticket, 'ends_at'>, now: Date) => Date.parse(t.ends_at) <= now.getTime();

/**
 * ticketsOf picks from the list of one's own bookings those worth keeping for the door: confirmed
 * places at scheduled sessions that have not ended, with a code to show. Waiting-list places,
 * cancelled and past bookings are never kept.
 */
export function ticketsOf(bookings: readonly MyBooking[], now: Date = new Date()): Ticket[] {
  return bookings
    .filter((b) => b.status === 'confirmed' && b.session.status === 'scheduled' && !ended(b.session, now) && (b.qr_token || b.short_code))
    .map((b) => ({
      id: b.id, title: b.session.title, starts_at: b.session.starts_at, ends_at: b.session.ends_at,
      centre_name: b.session.centre_name, centre_address: b.session.centre_address ?? '', qr_token: b.qr_token, short_code: b.short_code,
    }))
    .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
}

/**
 * keepTickets replaces what the phone keeps with userId's tickets from a list just read online,
 * deleting anyone else's. With no ticket to keep, nothing of theirs is kept either.
 */
export async function keepTickets(userId: string, bookings: readonly MyBooking[], now: Date = new Date()): Promise<KeptTickets | undefined> {
  const kept: KeptTickets = { user_id: userId, saved_at: now.toISOString(), tickets: ticketsOf(bookings, now) };
  const tx = (await ticketsDb()).transaction('tickets', 'readwrite');
  await tx.store.clear();
  if (kept.tickets.length) await tx.store.put(kept);
  await tx.done;
  return kept.tickets.length ? kept : undefined;
}

/**
 * loadTickets is what the phone keeps for userId, or, with no one signed in (an offline reload),
 * for the one young person whose tickets it keeps. Tickets of sessions that have ended are
 * deleted as they are found; undefined when nothing is left.
 */
export async function loadTickets(userId: string | null, now: Date = new Date()): Promise<KeptTickets | undefined> {
  const tx = (await ticketsDb()).transaction('tickets', 'readwrite');
  const all = userId ? [await tx.store.get(userId)].filter((k): k is KeptTickets => k !== undefined) : await tx.store.getAll();
  // Never a guess between two people: one copy is all keepTickets leaves.
  const kept = all.length === 1 ? all[0]! : undefined;
  let out: KeptTickets | undefined;
  if (kept) {
    const left = kept.tickets.filter((t) => !ended(t, now));
    if (!left.length) await tx.store.delete(kept.user_id);
    else if (left.length < kept.tickets.length) await tx.store.put({ ...kept, tickets: left });
    out = left.length ? { ...kept, tickets: left } : undefined;
  }
  await tx.done;
  return out;
}

/** wipeTicketsExcept deletes every ticket kept on this phone that is not userId's (someone else signed in). */
export async function wipeTicketsExcept(userId: string): Promise<void> {
  const tx = (await ticketsDb()).transaction('tickets', 'readwrite');
  for (const key of await tx.store.getAllKeys()) if (key !== userId) await tx.store.delete(key);
  await tx.done;
}

/** wipeTickets deletes every ticket kept on this phone (on sign-out), without making the database to do so. */
export async function wipeTickets(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  if (typeof indexedDB.databases === 'function' && !(await indexedDB.databases()).some((d) => d.name === ticketsDbName)) return;
  await (await ticketsDb()).clear('tickets');
}

/** closeTickets forgets the open connection (tests open a fresh database each time). */
export async function closeTickets(): Promise<void> {
  const d = await opening?.catch(() => null);
  d?.close();
  opening = null;
}
