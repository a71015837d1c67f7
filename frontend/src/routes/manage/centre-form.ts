import { t } from '../../lib/i18n/index.svelte';
import { accessFeatures, days, type Centre, type CentreInput, type CentreStatus, type Day, type FieldError, type ProviderType } from '../../lib/api';
import { toFieldErrors, type FieldErrors } from '../../lib/page/errors';

/** HoursRow is one line of opening hours as typed; key names its inputs and stays when lines above it go. */
export interface HoursRow {
  key: number;
  day: string;
  opens: string;
  closes: string;
}

/** CentreForm is what the centre form holds, as typed (every answer is text until sent). */
export interface CentreForm {
  name: string;
  address: string;
  postcode: string;
  lat: string;
  lon: string;
  provider_type: string;
  access_features: string[];
  opening_hours: HoursRow[];
  status: string;
  phone: string;
  email: string;
  website: string;
}

/** hourFields are the inputs of one line of opening hours, as the API names them. */
export const hourFields = ['day', 'opens', 'closes'] as const;
export type HourField = (typeof hourFields)[number];

/**
 * rowId is the id of one input of a line of opening hours, and the name of its error: by the
 * line's key, not its place, so that removing a line leaves the errors beside the lines below it.
 */
export const rowId = (key: number, field: HourField): string => `opening_hours-${key}-${field}`;

/** fieldOrder is the order of the form's fields, for the error summary. */
export function fieldOrder(f: CentreForm): string[] {
  return [
    'name', 'address', 'postcode', 'lat', 'lon', 'provider_type', 'access_features', 'opening_hours',
    ...f.opening_hours.flatMap((r) => hourFields.map((x) => rowId(r.key, x))),
    'status', 'phone', 'email', 'website',
  ];
}

/** anchors are the ids of the first input of fields that are groups. */
export function anchors(f: CentreForm): Record<string, string> {
  const first = f.opening_hours[0];
  return {
    access_features: 'access_features-input',
    opening_hours: first ? rowId(first.key, 'day') : 'opening_hours-add',
    status: 'status-input',
  };
}

/** emptyForm starts a new centre: open, with no opening hours yet. */
export function emptyForm(): CentreForm {
  return {
    name: '', address: '', postcode: '', lat: '', lon: '', provider_type: '', access_features: [], opening_hours: [],
    status: 'open', phone: '', email: '', website: '',
  };
}

/** formOf fills the form with a centre to change. */
export function formOf(c: Centre): CentreForm {
  return {
    name: c.name, address: c.address, postcode: c.postcode, lat: String(c.lat), lon: String(c.lon),
    provider_type: c.provider_type, access_features: [...c.access_features],
    opening_hours: c.opening_hours.map((h, i) => ({ key: i + 1, day: h.day, opens: h.opens, closes: h.closes })),
    status: c.status, phone: c.phone ?? '', email: c.email ?? '', website: c.website ?? '',
  };
}

/** addRow adds a line of opening hours for the day after the last line's, and returns its key. */
export function addRow(f: CentreForm): number {
  const key = Math.max(0, ...f.opening_hours.map((r) => r.key)) + 1;
  const last = f.opening_hours.at(-1);
  const day = last ? days[(days.indexOf(last.day as Day) + 1) % days.length]! : days[0];
  f.opening_hours.push({ key, day, opens: '', closes: '' });
  return key;
}

type Parsed = { value: number | undefined; error?: string };

// A decimal number in a range as typed; empty is its own error, as the API needs every centre on the map.
function decimal(text: string, min: number, max: number, missing: string, wrong: string): Parsed {
  const v = text.trim().replace(/^−/, '-');
  if (!v) return { value: undefined, error: missing };
  if (!/^-?\d{1,3}(\.\d+)?$/.test(v)) return { value: undefined, error: wrong };
  const n = Number(v);
  if (n < min || n > max) return { value: undefined, error: wrong };
  return { value: n };
}

// A time as typed, with the hour made two digits and a dot taken as a colon (9.30 is 09:30); anything
// else is sent as typed, for the API to name.
function time(text: string): string {
  const v = text.trim();
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(v);
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : v;
}

const orNull = (text: string): string | null => text.trim() || null;

/**
 * toInput makes the body that adds or replaces a centre, or the errors found before sending it.
 * Only what the browser can tell for sure (no name, no provider, a place that is not a number in
 * the country) is checked here: the API names every other problem.
 */
export function toInput(f: CentreForm): { body: CentreInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!f.name.trim()) errors.name = t('centreForm.error.name');
  const lat = decimal(f.lat, 49, 61, t('centreForm.error.latMissing'), t('centreForm.error.lat'));
  if (lat.error) errors.lat = lat.error;
  const lon = decimal(f.lon, -9, 2, t('centreForm.error.lonMissing'), t('centreForm.error.lon'));
  if (lon.error) errors.lon = lon.error;
  if (!f.provider_type) errors.provider_type = t('centreForm.error.provider');
  const body: CentreInput = {
    name: f.name.trim(),
    address: f.address.trim(),
    postcode: f.postcode.trim(),
    lat: lat.value ?? 0,
    lon: lon.value ?? 0,
    provider_type: f.provider_type as ProviderType,
    access_features: accessFeatures.filter((a) => f.access_features.includes(a)),
    opening_hours: f.opening_hours.map((r) => ({ day: r.day as Day, opens: time(r.opens), closes: time(r.closes) })),
    status: f.status as CentreStatus,
    phone: orNull(f.phone),
    email: orNull(f.email),
    website: orNull(f.website),
  };
  return { body, errors };
}

/**
 * fromApi turns the field errors of a 422 into the form's: `opening_hours[1].closes` goes beside
 * the closing time of the line that was second when sent (keys lists the lines' keys then), and
 * `access_features[0]` beside the access checkboxes.
 */
export function fromApi(list: FieldError[], keys: number[]): FieldErrors {
  return toFieldErrors(list.map((e) => ({ ...e, field: fieldOf(e.field, keys) })));
}

function fieldOf(field: string, keys: number[]): string {
  const row = /^opening_hours\[(\d+)\]\.(day|opens|closes)$/.exec(field);
  if (row) {
    const key = keys[Number(row[1])];
    return key === undefined ? 'opening_hours' : rowId(key, row[2] as HourField);
  }
  const list = /^(opening_hours|access_features)\[\d+\]/.exec(field);
  return list ? list[1]! : field;
}
