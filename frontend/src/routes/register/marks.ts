// What the register shows for each young person: the server's mark or a later one made on this
// phone that is still waiting to be sent, whichever the server will keep (the later one).
import type { MarkStatus, RegisterEntry } from '../../lib/api/register';
import type { QueuedMark } from '../../lib/offline/db';
import { byRecorded } from '../../lib/offline/queue';

/** Shown is one young person's mark as the register shows it. */
export interface Shown {
  status: MarkStatus | null;
  /** at is when they checked in (present, late), out (left), or were marked (absent). */
  at: string | null;
  checkedInAt: string | null;
  /** waiting: the mark shown is on this phone and not on the server yet. */
  waiting: boolean;
}

/** shown picks the winning mark of e among the server's and the waiting ones (queue, oldest first). */
export function shown(e: RegisterEntry, waiting: readonly QueuedMark[]): Shown {
  const mine = waiting.filter((m) => m.young_person_id === e.young_person_id && !m.refused);
  const latest = mine.length ? mine.reduce((a, b) => (byRecorded(a, b) >= 0 ? a : b)) : null;
  const server = e.mark;
  if (latest && (!server || byRecorded(latest, server) > 0)) {
    // A mark made here keeps the check-in time it was sent with (a left
    // mark, or present corrected to late); otherwise it is when it was made.
    const inside = latest.status === 'present' || latest.status === 'late';
    const checkedInAt = latest.status === 'absent' ? null : (latest.checked_in_at ?? (inside ? latest.recorded_at : null));
    return { status: latest.status, at: inside ? checkedInAt : latest.recorded_at, checkedInAt, waiting: true };
  }
  if (!server) return { status: null, at: null, checkedInAt: null, waiting: false };
  const at = server.status === 'left' ? server.checked_out_at : server.status === 'absent' ? server.recorded_at : server.checked_in_at;
  return { status: server.status, at: at ?? server.recorded_at, checkedInAt: server.checked_in_at, waiting: false };
}

/** Counts are the three figures at the top of the register. */
export interface Counts {
  booked: number;
  walkIns: number;
  /** present counts everyone who came: present, late or left. */
  present: number;
  /** onSite counts those checked in and not out: present or late. */
  onSite: number;
}

/** counts adds up the register as shown, waiting marks included. */
export function counts(entries: readonly RegisterEntry[], waiting: readonly QueuedMark[]): Counts {
  const out: Counts = { booked: 0, walkIns: 0, present: 0, onSite: 0 };
  for (const e of entries) {
    if (e.walk_in) out.walkIns++;
    else if (e.booking_status === 'confirmed' || e.booking_status === 'attended' || e.booking_status === 'no_show') out.booked++;
    const s = shown(e, waiting).status;
    if (s === 'present' || s === 'late' || s === 'left') out.present++;
    if (s === 'present' || s === 'late') out.onSite++;
  }
  return out;
}

/** fold makes a name comparable: lower case, no accents, single spaces. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** matches reports whether a young person's name contains what was typed. */
export function matches(e: Pick<RegisterEntry, 'first_name' | 'last_name'>, query: string): boolean {
  const q = fold(query);
  return !q || fold(`${e.first_name} ${e.last_name}`).includes(q) || fold(`${e.last_name} ${e.first_name}`).includes(q);
}

/** shortName is a first name and last initial, as in "Yasmin Y.": enough to tell who, no more. */
export function shortName(e: Pick<RegisterEntry, 'first_name' | 'last_name'>): string {
  return e.last_name ? `${e.first_name} ${e.last_name.charAt(0)}.` : e.first_name;
}

/** ticketIds reads the booking and occurrence a youthhub QR ticket names, without checking it. */
export function ticketIds(token: string): { bookingId: string; occurrenceId: string } | null {
  const parts = token.trim().split('.');
  if (parts.length !== 4 || parts[0] !== 'YH1') return null;
  const bookingId = uuidOf(parts[1]!);
  const occurrenceId = uuidOf(parts[2]!);
  return bookingId && occurrenceId ? { bookingId, occurrenceId } : null;
}

function uuidOf(b64url: string): string | null {
  try {
    const bin = atob(b64url.replace(/-/g, '+').replace(/_/g, '/'));
    if (bin.length !== 16) return null;
    const h = Array.from(bin, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  } catch {
    return null;
  }
}
