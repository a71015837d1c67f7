import { isRealDate } from '../../lib/format';
import { t } from '../../lib/i18n/index.svelte';
import type { Category, Day } from '../../lib/api';
import type { BookingMode, Series, SeriesInput, SeriesUpdate } from '../../lib/api/staffing';
import type { FieldErrors } from '../../lib/page/errors';

/** SeriesForm is what the series form holds, as typed (every answer is text until sent). */
export interface SeriesForm {
  centre_id: string;
  title: string;
  description: string;
  what_to_bring: string;
  category: string;
  age_min: string;
  age_max: string;
  send: string[];
  booking_mode: string;
  capacity: string;
  staff_ratio: string;
  days: string[];
  start_time: string;
  duration_minutes: string;
  first: { day: string; month: string; year: string };
  last: { day: string; month: string; year: string };
}

/** fieldOrder is the order of the form's fields, for the error summary. */
export const fieldOrder = [
  'centre_id', 'title', 'description', 'what_to_bring', 'category', 'age_min', 'age_max', 'send', 'booking_mode',
  'capacity', 'staff_ratio', 'days', 'start_time', 'duration_minutes', 'first_date', 'last_date',
];

/** anchors are the ids of the first input of fields that are groups. */
export const anchors: Record<string, string> = {
  send: 'send-input', booking_mode: 'booking_mode-input', days: 'days-input', first_date: 'first_date-day', last_date: 'last_date-day',
};

const noDate = { day: '', month: '', year: '' };

/** emptyForm starts a new series at a centre. */
export function emptyForm(centreId: string): SeriesForm {
  return {
    centre_id: centreId, title: '', description: '', what_to_bring: '', category: '', age_min: '', age_max: '', send: [],
    booking_mode: 'bookable', capacity: '', staff_ratio: '', days: [], start_time: '', duration_minutes: '',
    first: { ...noDate }, last: { ...noDate },
  };
}

function splitDate(ymd: string | null): { day: string; month: string; year: string } {
  if (!ymd) return { ...noDate };
  const [y, m, d] = ymd.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '' };
}

/** formOf fills the form with a series to change. */
export function formOf(s: Series): SeriesForm {
  return {
    centre_id: s.centre_id, title: s.title, description: s.description, what_to_bring: s.what_to_bring, category: s.category,
    age_min: String(s.age_min), age_max: String(s.age_max), send: s.send ? ['yes'] : [], booking_mode: s.booking_mode,
    capacity: String(s.capacity), staff_ratio: String(s.staff_ratio), days: [...s.days], start_time: s.start_time,
    duration_minutes: String(s.duration_minutes), first: splitDate(s.first_date), last: splitDate(s.last_date),
  };
}

type Parsed = { value: number | undefined; error?: string };

// A whole number as typed; empty is undefined (the API then names the field, or applies a default).
function whole(text: string, label: string, example: string): Parsed {
  const v = text.trim();
  if (!v) return { value: undefined };
  if (!/^\d{1,6}$/.test(v)) return { value: undefined, error: t('series.error.whole', { field: label, example }) };
  return { value: Number(v) };
}

type DateParsed = { value: string | null; error?: string };

function date(parts: { day: string; month: string; year: string }, label: string): DateParsed {
  const d = parts.day.trim(), m = parts.month.trim(), y = parts.year.trim();
  if (!d && !m && !y) return { value: null };
  const dn = Number(d), mn = Number(m), yn = Number(y);
  if (!/^\d+$/.test(d) || !/^\d+$/.test(m) || !/^\d{4}$/.test(y) || !isRealDate(dn, mn, yn)) {
    return { value: null, error: t('series.error.date', { field: label }) };
  }
  return { value: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` };
}

interface Common {
  errors: FieldErrors;
  numbers: Record<'age_min' | 'age_max' | 'capacity' | 'staff_ratio' | 'duration_minutes', number | undefined>;
  first: string | null;
  last: string | null;
}

function common(f: SeriesForm): Common {
  const errors: FieldErrors = {};
  const num = (key: keyof Common['numbers'], label: string, example: string) => {
    const p = whole(f[key], label, example);
    if (p.error) errors[key] = p.error;
    return p.value;
  };
  const numbers = {
    age_min: num('age_min', t('series.ageMin'), '11'),
    age_max: num('age_max', t('series.ageMax'), '16'),
    capacity: num('capacity', t('series.capacity'), '24'),
    staff_ratio: num('staff_ratio', t('series.ratioName'), '10'),
    duration_minutes: num('duration_minutes', t('series.duration'), '90'),
  };
  const first = date(f.first, t('series.firstDate'));
  if (first.error) errors.first_date = first.error;
  const last = date(f.last, t('series.lastDateName'));
  if (last.error) errors.last_date = last.error;
  return { errors, numbers, first: first.value, last: last.value };
}

/**
 * toInput makes the body that starts a series, or the errors found before sending it. Only what
 * the browser can tell for sure (a number that is not a number, a date that does not exist) is
 * checked here: the API names every other problem.
 */
export function toInput(f: SeriesForm): { body: SeriesInput; errors: FieldErrors } {
  const c = common(f);
  if (!f.centre_id) c.errors.centre_id = t('series.error.centre');
  const body: SeriesInput = {
    centre_id: f.centre_id,
    title: f.title.trim(),
    description: f.description.trim(),
    what_to_bring: f.what_to_bring.trim(),
    category: f.category as Category,
    age_min: c.numbers.age_min ?? 0,
    age_max: c.numbers.age_max ?? 0,
    send: f.send.includes('yes'),
    booking_mode: f.booking_mode as BookingMode,
    capacity: c.numbers.capacity ?? 0,
    days: f.days as Day[],
    start_time: f.start_time.trim(),
    duration_minutes: c.numbers.duration_minutes ?? 0,
    first_date: c.first ?? '',
    last_date: c.last,
  };
  if (c.numbers.staff_ratio !== undefined) body.staff_ratio = c.numbers.staff_ratio;
  return { body, errors: c.errors };
}

/** toUpdate makes the body that changes a series (only what can change after it starts). */
export function toUpdate(f: SeriesForm): { body: SeriesUpdate; errors: FieldErrors } {
  const c = common(f);
  delete c.errors.first_date;
  const body: SeriesUpdate = {
    title: f.title.trim(),
    description: f.description.trim(),
    what_to_bring: f.what_to_bring.trim(),
    category: f.category as Category,
    age_min: c.numbers.age_min ?? 0,
    age_max: c.numbers.age_max ?? 0,
    send: f.send.includes('yes'),
    capacity: c.numbers.capacity ?? 0,
    last_date: c.last,
  };
  if (c.numbers.staff_ratio !== undefined) body.staff_ratio = c.numbers.staff_ratio;
  return { body, errors: c.errors };
}
