import { addDays, formatTime, londonDate } from '../../lib/format';
import { intlLocale, t } from '../../lib/i18n/index.svelte';

const zone = 'Europe/London';

/** mondayOf gives the Monday (YYYY-MM-DD) of the week holding a calendar date. */
export function mondayOf(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(ymd, -((dow + 6) % 7));
}

/** thisMonday is the Monday of the current week in the UK. */
export function thisMonday(now: Date = new Date()): string {
  return mondayOf(londonDate(now));
}

/** isDate reports whether s is a YYYY-MM-DD date that exists. */
export function isDate(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** dayMonth gives the day of a session without the year, as in "Friday 27 November". */
export function dayMonth(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(), { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' })
    .formatToParts(new Date(iso))
    .filter((p) => p.type !== 'literal')
    .map((p) => p.value)
    .join(' ');
}

/** sessionTime gives "Friday 27 November, 6:30pm to 9pm". */
export function sessionTime(startsAt: string, endsAt: string): string {
  return t('session.timeRange', { date: dayMonth(startsAt), start: formatTime(startsAt), end: formatTime(endsAt) });
}

/**
 * formatClock turns a wall-clock time (HH:MM) into "6pm", "6:30pm" or "midday", plus minutes
 * later for an end time. It formats the time on a January day in UTC, when UK time is UTC.
 */
export function formatClock(hhmm: string, plusMinutes = 0): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const at = new Date(Date.UTC(2001, 0, 1, h, m + plusMinutes));
  return formatTime(at.toISOString());
}
