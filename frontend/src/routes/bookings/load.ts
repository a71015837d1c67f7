// Loading My bookings: from the server when it answers (keeping the tickets on the phone for the
// door), from the phone's copy when there is no signal. As on the register pages (see
// routes/register/door.ts), a reload with no signal signs nobody in, so the page cannot ask for a
// session first: it shows the copy of the young person whose tickets the phone keeps, read-only.
import { api, type MyBooking, type User } from '../../lib/api';
import { NetworkError, refresh } from '../../lib/api/client';
import { session } from '../../lib/auth/session.svelte';
import { registerServiceWorker } from '../../lib/offline/sw-register';
import { keepTickets, loadTickets, type KeptTickets } from '../../lib/offline/tickets';

/** Opened is what My bookings can show. */
export type Opened =
  /** the list from the server, for a signed-in young person */
  | { from: 'server'; user: User; bookings: MyBooking[] }
  /** no signal: the tickets kept on the phone, if any */
  | { from: 'phone'; kept: KeptTickets | undefined }
  /** signed in, but not as a young person: the page is not for them */
  | { from: 'notYoung' }
  /** the server says nobody is signed in */
  | { from: 'nobody' };

/** online reports whether the browser thinks it has a connection (it is sure only when it has none). */
export const online = () => typeof navigator === 'undefined' || navigator.onLine !== false;

/**
 * openBookings loads My bookings. It throws ApiError for a refusal (a 401 means the session has
 * ended) and anything else unexpected; no signal is never an error, only the phone's copy.
 */
export async function openBookings(): Promise<Opened> {
  await session.ready();
  let user = session.user;
  if (!user) {
    // ready() does not say why there is no session: ask again, telling no signal from "signed out".
    try {
      if (!online()) throw new NetworkError(new Error('offline'));
      user = (await refresh())?.user ?? null;
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      return { from: 'phone', kept: await loadTickets(null).catch(() => undefined) };
    }
    if (!user) return { from: 'nobody' };
  }
  if (user.role !== 'young_person') return { from: 'notYoung' };
  if (online()) {
    try {
      const bookings = (await api.bookings.mine()).items;
      // With a signal: the app shell for a reload at the door (the service worker never keeps the API).
      registerServiceWorker();
      await keep(user.id, bookings);
      return { from: 'server', user, bookings };
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
    }
  }
  return { from: 'phone', kept: await loadTickets(user.id).catch(() => undefined) };
}

/**
 * keep saves a young person's tickets from the list just read (or changed) online. Without
 * IndexedDB (some private windows) the page still works online; nothing is kept.
 */
export async function keep(userId: string, bookings: readonly MyBooking[]): Promise<void> {
  // A page left open by someone who has since been replaced (another tab, another sign-in on a
  // shared phone) must not put its tickets back over the new person's.
  if (session.user?.id !== userId) return;
  await keepTickets(userId, bookings).catch(() => undefined);
}
