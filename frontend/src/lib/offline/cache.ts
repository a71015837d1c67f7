// Today's registers of the worker's own sessions, kept on the phone for a door with no signal.
// Personal data stays only as long as it is needed: a register is wiped an hour after its
// session ends (when the server closes it), everything else of another day as soon as it is
// seen, and all of it on sign-out.
import type { Register } from '../api/register';
import type { MyShift } from '../api/staffing';
import type { User } from '../api/types';
import { londonDate } from '../format';
import { db, getMeta, setMeta, type Identity, type TodayList } from './db';

/** keepAfterEnd is how long after its session a register stays on the phone. */
export const keepAfterEnd = 60 * 60 * 1000;
/** lockAfterEnd is when the server stops taking marks of a session (its register locks). */
export const lockAfterEnd = 7 * 24 * 60 * 60 * 1000;

/** saveIdentity remembers who is using the registers, to show their cache after an offline reload. */
export async function saveIdentity(user: User): Promise<void> {
  await setMeta('identity', { id: user.id, role: user.role, first_name: user.first_name, council_id: user.council_id });
}

/** loadIdentity is who used the registers last on this phone, if anyone. */
export async function loadIdentity(): Promise<Identity | undefined> {
  return getMeta('identity');
}

/** deviceId names this phone in the register's history; it is random and holds nothing personal. */
export async function deviceId(): Promise<string> {
  const have = await getMeta('device');
  if (have) return have;
  const id = `phone-${Math.random().toString(36).slice(2, 10)}`;
  await setMeta('device', id);
  return id;
}

/** isToday reports whether a shift overlaps today, the UK calendar day of now. */
export function isToday(s: Pick<MyShift, 'starts_at' | 'ends_at'>, now: Date): boolean {
  const today = londonDate(now);
  return londonDate(new Date(s.starts_at)) === today || (new Date(s.starts_at) <= now && new Date(s.ends_at) > now);
}

/** saveToday keeps the worker's shifts of today (and only today). */
export async function saveToday(userId: string, shifts: MyShift[], now: Date = new Date()): Promise<TodayList> {
  const list: TodayList = { user_id: userId, date: londonDate(now), shifts: shifts.filter((s) => isToday(s, now)), saved_at: now.toISOString() };
  await setMeta('today', list);
  return list;
}

/** loadToday is the saved list of today's shifts of userId, or undefined for another day or person. */
export async function loadToday(userId: string, now: Date = new Date()): Promise<TodayList | undefined> {
  const list = await getMeta('today');
  return list && list.user_id === userId && list.date === londonDate(now) ? list : undefined;
}

/**
 * saveRegister keeps a register on the phone, but only one of today's rostered sessions of the
 * worker (managers see other registers online; those are never kept). It reports whether it did.
 */
export async function saveRegister(userId: string, register: Register, now: Date = new Date()): Promise<boolean> {
  const today = await loadToday(userId, now);
  const rostered = today?.shifts.some((s) => s.occurrence_id === register.session.id && s.occurrence_status === 'scheduled');
  if (!rostered || expired(register.session.ends_at, now)) return false;
  await (await db()).put('registers', { occurrence_id: register.session.id, user_id: userId, register, saved_at: now.toISOString() });
  return true;
}

/** loadRegister is the kept register of an occurrence for userId, if there is one still in date. */
export async function loadRegister(occurrenceId: string, userId: string, now: Date = new Date()) {
  const c = await (await db()).get('registers', occurrenceId);
  return c && c.user_id === userId && !expired(c.register.session.ends_at, now) ? c : undefined;
}

function expired(endsAt: string, now: Date): boolean {
  return now.getTime() > Date.parse(endsAt) + keepAfterEnd;
}

/**
 * cleanup wipes what is no longer needed: registers an hour after their session, the list of
 * another day's shifts, refused marks of sessions that have ended, and marks the server would
 * no longer take (the register has locked). Marks still waiting are kept until they are sent.
 */
export async function cleanup(now: Date = new Date()): Promise<void> {
  const d = await db();
  const tx = d.transaction(['registers', 'queue', 'meta'], 'readwrite');
  const regs = tx.objectStore('registers');
  for (const c of await regs.getAll()) {
    if (expired(c.register.session.ends_at, now)) await regs.delete(c.occurrence_id);
  }
  const queue = tx.objectStore('queue');
  for (const m of await queue.getAll()) {
    const end = Date.parse(m.session_ends_at);
    if ((m.refused && now.getTime() > end + keepAfterEnd) || now.getTime() > end + lockAfterEnd) await queue.delete(m.client_id);
  }
  const meta = tx.objectStore('meta');
  const today = (await meta.get('today')) as TodayList | undefined;
  if (today && today.date !== londonDate(now)) await meta.delete('today');
  await tx.done;
}

/** wipe deletes every register, mark and name kept on this phone (on sign-out). */
export async function wipe(): Promise<void> {
  const d = await db();
  const tx = d.transaction(['registers', 'queue', 'meta'], 'readwrite');
  await Promise.all([tx.objectStore('registers').clear(), tx.objectStore('queue').clear(), tx.objectStore('meta').delete('identity'), tx.objectStore('meta').delete('today'), tx.done]);
}
