import { days as allDays, type Day } from '../../lib/api';
import type { Series } from '../../lib/api/staffing';
import { addDays, formatDateOnly } from '../../lib/format';
import { t } from '../../lib/i18n/index.svelte';
import { formatClock } from '../rota/dates';

/** dayList names days in week order, as in "Monday, Wednesday"; all seven are "Every day". */
export function dayList(days: readonly Day[]): string {
  if (days.length === 7) return t('manage.everyDay');
  return allDays.filter((d) => days.includes(d)).map((d) => t(`day.${d}`)).join(', ');
}

/** seriesWhen says when a series runs, as in "Tuesday, 6pm to 7:30pm". */
export function seriesWhen(s: Pick<Series, 'days' | 'start_time' | 'duration_minutes'>): string {
  return t('manage.when', { days: dayList(s.days), start: formatClock(s.start_time), end: formatClock(s.start_time, s.duration_minutes) });
}

/**
 * nextSessionDate is the first UK date on or after from (YYYY-MM-DD) on which the series runs: one
 * of its days, within its dates, not an exception. Null when it runs on none (it has ended).
 */
export function nextSessionDate(s: Pick<Series, 'days' | 'first_date' | 'last_date' | 'exceptions'>, from: string): string | null {
  let d = s.first_date > from ? s.first_date : from;
  // A year ahead is far enough: exceptions skip single dates, not whole years.
  for (let i = 0; i < 366; i++, d = addDays(d, 1)) {
    if (s.last_date && d > s.last_date) return null;
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const weekday = allDays[(new Date(Date.UTC(y, m - 1, day)).getUTCDay() + 6) % 7]!;
    if (s.days.includes(weekday) && !s.exceptions.includes(d)) return d;
  }
  return null;
}

/** seriesDates gives a series' first and last dates, as in "From 7 September 2027". */
export function seriesDates(s: Pick<Series, 'first_date' | 'last_date'>): string {
  return s.last_date
    ? t('manage.fromTo', { first: formatDateOnly(s.first_date), last: formatDateOnly(s.last_date) })
    : t('manage.from', { first: formatDateOnly(s.first_date) });
}
