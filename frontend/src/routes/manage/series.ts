import { days as allDays, type Day } from '../../lib/api';
import type { Series } from '../../lib/api/staffing';
import { formatDateOnly } from '../../lib/format';
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

/** seriesDates gives a series' first and last dates, as in "From 7 September 2027". */
export function seriesDates(s: Pick<Series, 'first_date' | 'last_date'>): string {
  return s.last_date
    ? t('manage.fromTo', { first: formatDateOnly(s.first_date), last: formatDateOnly(s.last_date) })
    : t('manage.from', { first: formatDateOnly(s.first_date) });
}
