// The queue of marks made on this phone. Every mark goes through it, online or not: it gets its
// client_id (a UUID made here) and recorded_at (this phone's clock) when the worker taps, so a
// mark sent twice is stored once and the later of two marks wins, whenever they reach the server.
import { uuid } from '../api/client';
import type { MarkStatus } from '../api/register';
import { db, type QueuedMark } from './db';

/** NewMark is what the page knows when a worker taps a button. */
export interface NewMark {
  occurrence_id: string;
  user_id: string;
  young_person_id: string;
  name: string;
  status: MarkStatus;
  session_ends_at: string;
  /** checked_in_at goes with a left mark, or a present mark corrected to late (or back): when they came in. */
  checked_in_at?: string | null;
}

/** newClientId makes the mark's id; randomUUID needs a secure context, the fallback does not. */
export function newClientId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : uuid();
}

/** byRecorded orders marks as the server decides between them: recorded_at, then client_id. */
export function byRecorded(a: Pick<QueuedMark, 'recorded_at' | 'client_id'>, b: Pick<QueuedMark, 'recorded_at' | 'client_id'>): number {
  const ta = Date.parse(a.recorded_at);
  const tb = Date.parse(b.recorded_at);
  if (ta !== tb) return ta - tb;
  return a.client_id < b.client_id ? -1 : a.client_id > b.client_id ? 1 : 0;
}

/** enqueue keeps a new mark until the server confirms it, and returns it. */
export async function enqueue(m: NewMark, now: Date = new Date()): Promise<QueuedMark> {
  const mark: QueuedMark = {
    client_id: newClientId(),
    occurrence_id: m.occurrence_id,
    user_id: m.user_id,
    young_person_id: m.young_person_id,
    name: m.name,
    status: m.status,
    recorded_at: now.toISOString(),
    session_ends_at: m.session_ends_at,
  };
  if (m.status !== 'absent' && m.checked_in_at) mark.checked_in_at = m.checked_in_at;
  await (await db()).put('queue', mark);
  return mark;
}

/** queued lists the marks still kept, refused ones too, oldest first. */
export async function queued(filter: { occurrenceId?: string; userId?: string } = {}): Promise<QueuedMark[]> {
  const d = await db();
  const all = filter.occurrenceId ? await d.getAllFromIndex('queue', 'by_occurrence', filter.occurrenceId) : await d.getAll('queue');
  return all.filter((m) => !filter.userId || m.user_id === filter.userId).sort(byRecorded);
}

/** pending lists the marks waiting to be sent (not refused), oldest first. */
export async function pending(filter: { occurrenceId?: string; userId?: string } = {}): Promise<QueuedMark[]> {
  return (await queued(filter)).filter((m) => !m.refused);
}

/** remove drops marks the server has (stored, duplicate or superseded) or that a worker dismissed. */
export async function remove(clientIds: readonly string[]): Promise<void> {
  if (!clientIds.length) return;
  const tx = (await db()).transaction('queue', 'readwrite');
  await Promise.all([...clientIds.map((id) => tx.store.delete(id)), tx.done]);
}

/** refuse keeps a mark the server will never take, with its reason, for the worker to see. */
export async function refuse(refusals: readonly { client_id: string; code: string; reason: string }[]): Promise<void> {
  if (!refusals.length) return;
  const tx = (await db()).transaction('queue', 'readwrite');
  for (const r of refusals) {
    const m = await tx.store.get(r.client_id);
    if (m) await tx.store.put({ ...m, refused: { code: r.code, reason: r.reason } });
  }
  await tx.done;
}
