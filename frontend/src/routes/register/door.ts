// Loading for the register pages: who is using them (signed in, or the last worker on this phone
// while offline), today's shifts and a register, from the server when it answers and from this
// phone's copy when it does not.
import { ApiError, NetworkError, refresh } from '../../lib/api/client';
import { registers, type Register } from '../../lib/api/register';
import type { MyShift } from '../../lib/api/staffing';
import { session } from '../../lib/auth/session.svelte';
import { addDays, londonDate } from '../../lib/format';
import { cleanup, isToday, loadIdentity, loadRegister, loadToday, saveIdentity, saveRegister, saveToday } from '../../lib/offline/cache';
import type { Identity } from '../../lib/offline/db';
import { reachable, setUser } from '../../lib/offline/sync.svelte';
import { registerServiceWorker } from '../../lib/offline/sw-register';

/** Who is using the register: signedIn is false after an offline reload (a saved identity). */
export interface Who {
  user: Identity;
  signedIn: boolean;
}

/**
 * identify finds who is using the register. Signed in: they are remembered for an offline reload.
 * Signed out because the server cannot be reached: the last worker on this phone, read-only until
 * they are back online. Null when nobody is signed in and the server says so (or no one is saved).
 */
export async function identify(): Promise<Who | null> {
  // The app shell and the register pages are kept for offline use once a worker opens them.
  registerServiceWorker();
  await session.ready();
  let user = session.user;
  let offline = false;
  if (!user) {
    // ready() does not say why there is no session: ask again, telling no answer from a refusal.
    try {
      user = (await refresh())?.user ?? null;
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      offline = true;
    }
  }
  try {
    await cleanup();
    if (user) {
      await saveIdentity(user);
      await setUser(user.id);
      return { user: { id: user.id, role: user.role, first_name: user.first_name, council_id: user.council_id }, signedIn: true };
    }
    const saved = await loadIdentity();
    if (saved) {
      await setUser(saved.id);
      reachable(!offline);
      return { user: saved, signedIn: false };
    }
  } catch {
    // No IndexedDB (a private window in some browsers): the register works online only.
    if (user) return { user: { id: user.id, role: user.role, first_name: user.first_name, council_id: user.council_id }, signedIn: true };
  }
  return null;
}

/** Loaded is data with where it came from; savedAt is when a copy from this phone was made. */
export interface Loaded<T> {
  data: T;
  fromPhone: boolean;
  savedAt: string | null;
  /** kept: a copy is on this phone for offline use. */
  kept: boolean;
}

/** todayShifts lists the worker's shifts today, saving them for an offline reload. */
export async function todayShifts(who: Who, now: Date = new Date()): Promise<Loaded<MyShift[]>> {
  if (who.signedIn) {
    try {
      const today = londonDate(now);
      const list = await registers.shifts(today, addDays(today, 1));
      reachable(true);
      const saved = await saveToday(who.user.id, list.items, now).catch(() => null);
      return { data: saved?.shifts ?? list.items.filter((s) => isToday(s, now)), fromPhone: false, savedAt: null, kept: !!saved };
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      reachable(false);
    }
  }
  const saved = await loadToday(who.user.id, now).catch(() => undefined);
  if (!saved) throw new NetworkError(new Error('offline, and no shifts saved on this phone'));
  return { data: saved.shifts, fromPhone: true, savedAt: saved.saved_at, kept: true };
}

/** openRegister gets a register from the server (keeping a copy if it is one of today's shifts) or this phone. */
export async function openRegister(who: Who, occurrenceId: string): Promise<Loaded<Register>> {
  if (who.signedIn) {
    try {
      const reg = await registers.get(occurrenceId);
      reachable(true);
      const kept = await saveRegister(who.user.id, reg).catch(() => false);
      return { data: reg, fromPhone: false, savedAt: null, kept };
    } catch (err) {
      // Signed out on the server (the cookie expired): the phone's copy still serves the door.
      if (!(err instanceof NetworkError) && !(err instanceof ApiError && err.status === 401)) throw err;
      if (err instanceof NetworkError) reachable(false);
    }
  }
  const saved = await loadRegister(occurrenceId, who.user.id).catch(() => undefined);
  if (!saved) throw new NetworkError(new Error('offline, and this register is not saved on this phone'));
  return { data: saved.register, fromPhone: true, savedAt: saved.saved_at, kept: true };
}
