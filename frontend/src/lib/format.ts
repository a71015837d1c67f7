import { intlLocale, t } from './i18n/index.svelte';

// Sessions happen in England and Wales: times are always shown in UK time, whatever the phone says.
const zone = 'Europe/London';

/** formatDate gives a day, as in "Saturday 6 December 2025" (GOV.UK style: no comma). */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  })
    .formatToParts(new Date(iso))
    .filter((p) => p.type !== 'literal')
    .map((p) => p.value)
    .join(' ');
}

/**
 * formatDay gives a day as in "Wednesday 25 November", with the year only when it is not this
 * year's (UK time), as in "Wednesday 26 November 2025".
 */
export function formatDay(iso: string, now: Date = new Date()): string {
  if (londonDate(new Date(iso)).slice(0, 4) !== londonDate(now).slice(0, 4)) return formatDate(iso);
  return new Intl.DateTimeFormat(intlLocale(), { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' })
    .formatToParts(new Date(iso))
    .filter((p) => p.type !== 'literal')
    .map((p) => p.value)
    .join(' ');
}

/** formatTime gives a time of day, as in "6:30pm". */
export function formatTime(iso: string): string {
  const parts = new Intl.DateTimeFormat(intlLocale(), {
    timeZone: zone, hour: 'numeric', minute: '2-digit', hourCycle: 'h12',
  }).formatToParts(new Date(iso));
  let hour = '', minute = '', period = '';
  for (const p of parts) {
    if (p.type === 'hour') hour = p.value;
    else if (p.type === 'minute') minute = p.value;
    else if (p.type === 'dayPeriod') period = p.value.toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  }
  // GOV.UK style: 6pm, 6:30pm, midday.
  if (hour === '12' && minute === '00' && period === 'pm') return t('time.midday');
  return `${hour}${minute === '00' ? '' : `:${minute}`}${period}`;
}

/** formatDateOnly formats a calendar date (YYYY-MM-DD), as in "27 March 2010", with no time zone shift. */
export function formatDateOnly(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  if (!y || !m || !d) return ymd;
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** londonDate gives the calendar date (YYYY-MM-DD) in the UK for an instant. */
export function londonDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** formatKm gives a distance with one decimal place, as in "1.4". */
export function formatKm(km: number): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(km);
}

/**
 * formatPostcode writes a UK postcode as the API normalises it: capitals, and one space before the
 * last three characters ("m320jg" → "M32 0JG"). Something too short to be a postcode is only tidied.
 */
export function formatPostcode(raw: string): string {
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  return compact.length >= 5 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/** ageOn returns the whole years between a date of birth (YYYY-MM-DD) and today (YYYY-MM-DD). */
export function ageOn(dob: string, today: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age;
}

/** isRealDate reports whether day, month and year make a date that exists, like 29 2 2012. */
export function isRealDate(day: number, month: number, year: number): boolean {
  if (!Number.isInteger(day) || !Number.isInteger(month) || !Number.isInteger(year)) return false;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** addDays moves a calendar date (YYYY-MM-DD) by n days. */
export function addDays(ymd: string, n: number): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** londonMidnight gives the RFC 3339 instant at which a UK calendar date begins, with its offset. */
export function londonMidnight(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d, 0, 0));
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(probe);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const offset = Math.round((local - probe.getTime()) / 60000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${ymd}T00:00:00${sign}${hh}:${mm}`;
}

/** When is a choice of days to search for sessions on. */
export type When = 'any' | 'today' | 'tomorrow' | 'week' | 'weekend';

/** whenRange turns a choice of days into from/to instants (UK days), starting no earlier than now. */
export function whenRange(when: When, now: Date): { from?: string; to?: string } {
  const today = londonDate(now);
  const nowIso = now.toISOString();
  switch (when) {
    case 'today':
      return { from: nowIso, to: londonMidnight(addDays(today, 1)) };
    case 'tomorrow':
      return { from: londonMidnight(addDays(today, 1)), to: londonMidnight(addDays(today, 2)) };
    case 'week':
      return { from: nowIso, to: londonMidnight(addDays(today, 7)) };
    case 'weekend': {
      const [y, m, d] = today.split('-').map(Number) as [number, number, number];
      const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 Sunday … 6 Saturday
      const toSaturday = dow === 0 ? -1 : 6 - dow;
      const saturday = addDays(today, toSaturday);
      const startsAt = toSaturday <= 0 ? nowIso : londonMidnight(saturday);
      return { from: startsAt, to: londonMidnight(addDays(saturday, 2)) };
    }
    default:
      return {};
  }
}
