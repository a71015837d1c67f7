import { addDays, isRealDate } from '../../lib/format';
import { t } from '../../lib/i18n/index.svelte';
import { days, type Day, type FieldError } from '../../lib/api';
import type { Qualification, StaffRecord, StaffRecordInput } from '../../lib/api/staffing';
import { toFieldErrors, type FieldErrors } from '../../lib/page/errors';
import { formatClock } from '../rota/dates';

/** DateParts is a date as typed in the three boxes of a GOV.UK date input. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** WindowRow is one time a worker can work, as typed; key names its inputs and stays when rows above it go. */
export interface WindowRow {
  key: number;
  day: string;
  from: string;
  to: string;
}

/** LeaveRow is one period of leave, as typed. */
export interface LeaveRow {
  key: number;
  from: DateParts;
  to: DateParts;
  note: string;
}

/** RecordForm is what the staff record form holds (every answer is text until sent). */
export interface RecordForm {
  qualification: string;
  dbs_certificate_number: string;
  dbs_issue_date: DateParts;
  /** dbs_checks holds the names of the DBS booleans that are ticked. */
  dbs_checks: string[];
  dbs_next_check_due: DateParts;
  on_barred_list: string;
  first_aid_expires: DateParts;
  safeguarding_expires: DateParts;
  contracted_hours: string;
  opted_out_48h: string[];
  volunteer: string[];
  centre_ids: string[];
  availability: WindowRow[];
  leave: LeaveRow[];
}

/** dbsChecks are the ticks of "About the check", named as the API names them. */
export const dbsChecks = ['dbs_enhanced', 'dbs_barred_list_checked', 'dbs_update_service'] as const;

/** dateFields are the form's single dates, as the API names them. */
export const dateFields = ['dbs_issue_date', 'dbs_next_check_due', 'first_aid_expires', 'safeguarding_expires'] as const;

export const windowFields = ['day', 'from', 'to'] as const;
export type WindowField = (typeof windowFields)[number];
export const leaveFields = ['from_date', 'to_date', 'note'] as const;
export type LeaveField = (typeof leaveFields)[number];

/** windowId is the id of an input of a row of availability, and the name of its error. */
export const windowId = (key: number, field: WindowField): string => `availability-${key}-${field}`;
/** leaveId is the id of a field of a row of leave (a date input's fieldset), and the name of its error. */
export const leaveId = (key: number, field: LeaveField): string => `leave-${key}-${field}`;

/** fieldOrder is the order of the form's fields, for the error summary. */
export function fieldOrder(f: RecordForm): string[] {
  return [
    'qualification', 'dbs_certificate_number', 'dbs_issue_date', 'dbs_checks', 'dbs_next_check_due', 'on_barred_list',
    'first_aid_expires', 'safeguarding_expires', 'contracted_hours', 'opted_out_48h', 'volunteer', 'centre_ids',
    'availability', ...f.availability.flatMap((r) => windowFields.map((x) => windowId(r.key, x))),
    'leave', ...f.leave.flatMap((r) => leaveFields.map((x) => leaveId(r.key, x))),
  ];
}

/** anchors are the ids of the first input of fields that are groups (radios, checkboxes, dates). */
export function anchors(f: RecordForm, hasCentres: boolean): Record<string, string> {
  const out: Record<string, string> = {
    qualification: 'qualification-input', dbs_checks: 'dbs_checks-input', on_barred_list: 'on_barred_list-input',
    opted_out_48h: 'opted_out_48h-input', volunteer: 'volunteer-input', centre_ids: hasCentres ? 'centre_ids-input' : 'centre_ids',
    availability: f.availability[0] ? windowId(f.availability[0].key, 'day') : 'availability-add',
    leave: f.leave[0] ? `${leaveId(f.leave[0].key, 'from_date')}-day` : 'leave-add',
  };
  for (const d of dateFields) out[d] = `${d}-day`;
  for (const r of f.leave) {
    out[leaveId(r.key, 'from_date')] = `${leaveId(r.key, 'from_date')}-day`;
    out[leaveId(r.key, 'to_date')] = `${leaveId(r.key, 'to_date')}-day`;
  }
  return out;
}

const noDate = (): DateParts => ({ day: '', month: '', year: '' });

function splitDate(ymd: string | null): DateParts {
  if (!ymd) return noDate();
  const [y, m, d] = ymd.split('-');
  return { day: String(Number(d)), month: String(Number(m)), year: y ?? '' };
}

/** formOf fills the form with a saved record (or the defaults of one not saved yet). */
export function formOf(r: StaffRecord): RecordForm {
  return {
    qualification: r.qualification,
    dbs_certificate_number: r.dbs_certificate_number ?? '',
    dbs_issue_date: splitDate(r.dbs_issue_date),
    dbs_checks: dbsChecks.filter((c) => r[c]),
    dbs_next_check_due: splitDate(r.dbs_next_check_due),
    on_barred_list: r.on_barred_list ? 'yes' : 'no',
    first_aid_expires: splitDate(r.first_aid_expires),
    safeguarding_expires: splitDate(r.safeguarding_expires),
    contracted_hours: String(r.contracted_hours),
    opted_out_48h: r.opted_out_48h ? ['yes'] : [],
    volunteer: r.volunteer ? ['yes'] : [],
    centre_ids: [...r.centre_ids],
    availability: r.availability.map((w, i) => ({ key: i + 1, day: w.day, from: w.from, to: w.to })),
    leave: r.leave.map((l, i) => ({ key: i + 1, from: splitDate(l.from_date), to: splitDate(l.to_date), note: l.note ?? '' })),
  };
}

const nextKey = (rows: { key: number }[]) => Math.max(0, ...rows.map((r) => r.key)) + 1;

/** addWindow adds a row of availability for the day after the last row's, and returns its key. */
export function addWindow(rows: WindowRow[]): number {
  const key = nextKey(rows);
  const last = rows.at(-1);
  const day = last ? days[(days.indexOf(last.day as Day) + 1) % days.length]! : days[0];
  rows.push({ key, day, from: '', to: '' });
  return key;
}

/** addLeave adds an empty row of leave, and returns its key. */
export function addLeave(rows: LeaveRow[]): number {
  const key = nextKey(rows);
  rows.push({ key, from: noDate(), to: noDate(), note: '' });
  return key;
}

type DateParsed = { value: string | null; error?: string };

// A date as typed; all three boxes empty is no date.
function date(parts: DateParts, label: string): DateParsed {
  const d = parts.day.trim(), m = parts.month.trim(), y = parts.year.trim();
  if (!d && !m && !y) return { value: null };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y) || !isRealDate(Number(d), Number(m), Number(y))) {
    return { value: null, error: t('record.error.date', { field: label }) };
  }
  return { value: `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` };
}

/** parseDate gives the YYYY-MM-DD of a date as typed, or null when it is empty or not a real date. */
export function parseDate(parts: DateParts): string | null {
  return date(parts, '').value;
}

// A time as typed, with the hour made two digits and a dot taken as a colon (9.30 is 09:30).
function time(text: string): string {
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : text.trim();
}

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * toInput makes the whole record to save, or the errors found before sending it: dates that do
 * not exist, hours that are not a number, times that are not times, leave without its days. The
 * API names every other problem.
 */
export function toInput(f: RecordForm): { body: StaffRecordInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const labels: Record<(typeof dateFields)[number], string> = {
    dbs_issue_date: t('record.row.issued'),
    dbs_next_check_due: t('record.dbsDue'),
    first_aid_expires: t('record.check.firstAid'),
    safeguarding_expires: t('record.check.safeguarding'),
  };
  const dates = {} as Record<(typeof dateFields)[number], string | null>;
  for (const k of dateFields) {
    const p = date(f[k], labels[k]);
    if (p.error) errors[k] = p.error;
    dates[k] = p.value;
  }

  const number = f.dbs_certificate_number.replace(/\s+/g, '');
  if (number && !/^\d{12}$/.test(number)) errors.dbs_certificate_number = t('record.error.dbsNumber');

  const hoursText = f.contracted_hours.trim();
  const hours = Number(hoursText);
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(hoursText) || hours > 100) errors.contracted_hours = t('record.error.hours');

  const availability = f.availability.map((r) => {
    const w = { day: r.day as Day, from: time(r.from), to: time(r.to) };
    if (!clock.test(w.from)) errors[windowId(r.key, 'from')] = t('record.error.from');
    if (!clock.test(w.to) && w.to !== '24:00') errors[windowId(r.key, 'to')] = t('record.error.to');
    else if (clock.test(w.from) && w.to <= w.from) errors[windowId(r.key, 'to')] = t('record.error.order');
    return w;
  });

  const leave = f.leave.map((r) => {
    const from = date(r.from, t('record.leaveFrom'));
    const to = date(r.to, t('record.leaveTo'));
    const fromId = leaveId(r.key, 'from_date'), toId = leaveId(r.key, 'to_date');
    if (from.error) errors[fromId] = from.error;
    else if (!from.value) errors[fromId] = t('record.error.leaveFrom');
    if (to.error) errors[toId] = to.error;
    else if (!to.value) errors[toId] = t('record.error.leaveTo');
    else if (from.value && to.value < from.value) errors[toId] = t('record.error.leaveOrder');
    const note = r.note.trim();
    return { from_date: from.value ?? '', to_date: to.value ?? '', ...(note ? { note } : {}) };
  });

  const body: StaffRecordInput = {
    qualification: f.qualification as Qualification,
    dbs_certificate_number: number || null,
    dbs_issue_date: dates.dbs_issue_date,
    dbs_update_service: f.dbs_checks.includes('dbs_update_service'),
    dbs_next_check_due: dates.dbs_next_check_due,
    dbs_enhanced: f.dbs_checks.includes('dbs_enhanced'),
    dbs_barred_list_checked: f.dbs_checks.includes('dbs_barred_list_checked'),
    on_barred_list: f.on_barred_list === 'yes',
    first_aid_expires: dates.first_aid_expires,
    safeguarding_expires: dates.safeguarding_expires,
    contracted_hours: Number.isFinite(hours) ? hours : 0,
    opted_out_48h: f.opted_out_48h.includes('yes'),
    volunteer: f.volunteer.includes('yes'),
    centre_ids: [...f.centre_ids].sort(),
    availability,
    leave,
  };
  return { body, errors };
}

/**
 * fromApi turns the field errors of a 422 into the form's: `availability[1].to` goes beside the
 * second row of availability as sent (windowKeys and leaveKeys list the rows' keys then), the
 * DBS ticks beside "About the check", and any error of a list beside the list.
 */
export function fromApi(list: FieldError[], windowKeys: number[], leaveKeys: number[]): FieldErrors {
  return toFieldErrors(list.map((e) => ({ ...e, field: fieldOf(e.field, windowKeys, leaveKeys) })));
}

function fieldOf(field: string, windowKeys: number[], leaveKeys: number[]): string {
  const w = /^availability\[(\d+)\]\.(day|from|to)$/.exec(field);
  if (w) {
    const key = windowKeys[Number(w[1])];
    return key === undefined ? 'availability' : windowId(key, w[2] as WindowField);
  }
  const l = /^leave\[(\d+)\]\.(from_date|to_date|note)$/.exec(field);
  if (l) {
    const key = leaveKeys[Number(l[1])];
    return key === undefined ? 'leave' : leaveId(key, l[2] as LeaveField);
  }
  if ((dbsChecks as readonly string[]).includes(field)) return 'dbs_checks';
  const list = /^(availability|leave|centre_ids)\[\d+\]/.exec(field);
  return list ? list[1]! : field;
}

/** Validity is how a check's last valid day stands today: passed, within 30 days, or later. */
export type Validity = 'expired' | 'soon' | 'valid';

/**
 * validity says whether a check valid until `until` (YYYY-MM-DD, its last valid day) has expired
 * by today or expires within `within` days, as the rota's "checks due" list counts them.
 */
export function validity(until: string, today: string, within = 30): Validity {
  if (until < today) return 'expired';
  if (until <= addDays(today, within)) return 'soon';
  return 'valid';
}

/** clockText gives a time of the week's availability as a person says it: "6pm", "6:30pm", "midnight". */
export function clockText(hhmm: string): string {
  return hhmm === '24:00' ? t('record.midnight') : formatClock(hhmm);
}
