// Registers at the door (api-spec/openapi.yaml, tag "registers"): the register of an occurrence,
// marks synced in batches, QR scans, walk-ins and the emergency roll call. Only the register
// pages and the offline queue use it, so it lives in its own module and their chunks.
import { request, uuid } from './client';
import type { MyShift } from './staffing';
import type { List } from './types';

/** MarkStatus is a young person's state at a session: present and late are on site. */
export type MarkStatus = 'present' | 'late' | 'absent' | 'left';
export const markStatuses: readonly MarkStatus[] = ['present', 'late', 'left', 'absent'];

/** DaySession is one of the council's sessions on a day, as a centre manager or officer picks a register. */
export type DaySession = Pick<RegisterSession, 'title' | 'centre_id' | 'centre_name' | 'starts_at' | 'ends_at' | 'booking_mode' | 'status'> & {
  occurrence_id: string;
  booked: number;
  /** rostered: the caller has a shift on it. */
  rostered: boolean;
};

/** RegisterSession is the occurrence a register belongs to. */
export interface RegisterSession {
  id: string;
  title: string;
  centre_id: string;
  centre_name: string;
  starts_at: string;
  ends_at: string;
  booking_mode: 'bookable' | 'drop_in';
  capacity: number;
  spaces_left: number | null;
  status: 'scheduled' | 'cancelled';
  register_closed_at: string | null;
  locks_at: string;
  locked: boolean;
}

/** RegisterCounts: present counts everyone who came (present, late or left); on_site present or late. */
export interface RegisterCounts {
  booked: number;
  walk_ins: number;
  present: number;
  on_site: number;
  absent: number;
  unmarked: number;
}

/** CurrentMark is a young person's winning mark. */
export interface CurrentMark {
  status: MarkStatus;
  checked_in_at: string | null;
  checked_out_at: string | null;
  recorded_by: string | null;
  recorded_by_name: string;
  recorded_at: string;
  client_id: string;
}

/** RegisterEntry is one young person on a register. */
export interface RegisterEntry {
  young_person_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
  booking_id: string | null;
  booking_status: 'confirmed' | 'waitlisted' | 'cancelled' | 'attended' | 'no_show' | null;
  walk_in: boolean;
  on_site: boolean;
  /** has_emergency_contact: one is kept for them (who, only at a roll call); the register flags those without. */
  has_emergency_contact: boolean;
  mark: CurrentMark | null;
}

/** Register is the whole register of an occurrence, as the door and an offline device need it. */
export interface Register {
  session: RegisterSession;
  counts: RegisterCounts;
  entries: RegisterEntry[];
  generated_at: string;
}

/** MarkInput is one mark as the device made it; client_id makes a resent mark count once. */
export interface MarkInput {
  client_id: string;
  young_person_id: string;
  status: MarkStatus;
  recorded_at: string;
  checked_in_at?: string | null;
  checked_out_at?: string | null;
}

/** MarkOutcome is what the server did with one mark of a batch. */
export type MarkOutcome = 'stored' | 'superseded' | 'duplicate' | 'refused';

/** MarkResult is one mark's outcome; refused ones say why. */
export interface MarkResult {
  client_id: string;
  outcome: MarkOutcome;
  code?: 'invalid' | 'not_on_register' | 'recorded_in_future' | 'before_register_opens' | 'client_id_reused';
  reason?: string;
}

/** MarkBatchResult answers a batch, in the order sent. */
export interface MarkBatchResult {
  results: MarkResult[];
  stored: number;
  superseded: number;
  duplicate: number;
  refused: number;
}

/** ScanResult: already_present means nothing was written. */
export interface ScanResult {
  already_present: boolean;
  entry: RegisterEntry;
}

/** EmergencyContact is someone to call about a young person. */
export interface EmergencyContact {
  name: string;
  phone: string;
  relationship: string;
}

/** WalkInRequest adds a registered young person (young_person_id) or a new one (the rest). */
export interface WalkInRequest {
  young_person_id?: string;
  first_name?: string;
  last_name?: string;
  date_of_birth?: string;
  postcode?: string;
  emergency_contact?: EmergencyContact;
  medical_notes?: string;
  /** someone_else: staff checked that the registered young person of the same first name and date of birth is not them. */
  someone_else?: boolean;
}

/** WalkInMatch shows only what tells young people apart. */
export interface WalkInMatch {
  id: string;
  first_name: string;
  last_initial: string;
  date_of_birth: string;
  postcode_district: string;
}

/** RollCallEntry is one young person on site, with their emergency details. */
export interface RollCallEntry {
  young_person_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
  status: 'present' | 'late';
  checked_in_at: string;
  emergency_contacts: EmergencyContact[];
  medical_notes: string | null;
}

/** RollCall is everyone on site now; every call is written to the audit log. */
export interface RollCall {
  session: RegisterSession;
  generated_at: string;
  items: RollCallEntry[];
  total: number;
}

/** MarkRecord is one mark kept in a register's history. */
export interface MarkRecord {
  id: string;
  client_id: string;
  young_person_id: string;
  status: MarkStatus;
  recorded_at: string;
  recorded_by_name: string;
  device_id: string;
  created_at: string;
  current: boolean;
}

const enc = encodeURIComponent;

/** registers groups the endpoints of the register at the door. */
export const registers = {
  /** shifts lists the caller's own shifts from one UK day to another (both included). */
  shifts: (from: string, to: string) => request<List<MyShift>>('GET', '/me/rota', { query: { from, to } }),
  /** councilDay lists the council's sessions on a day (today by default), for its managers and officers. */
  councilDay: (day?: string) => request<List<DaySession>>('GET', '/registers/today', { query: { day } }),
  get: (occurrenceId: string) => request<Register>('GET', `/sessions/${enc(occurrenceId)}/register`),
  /** sync sends at most 200 marks; each comes back stored, duplicate, superseded or refused. */
  sync: (occurrenceId: string, marks: MarkInput[], deviceId: string) =>
    request<MarkBatchResult>('POST', `/sessions/${enc(occurrenceId)}/register/marks`, { body: { device_id: deviceId, marks } }),
  history: (occurrenceId: string) => request<List<MarkRecord>>('GET', `/sessions/${enc(occurrenceId)}/register/history`, { query: { limit: 1000 } }),
  /** scan sends a QR code's text or a typed short code. */
  scan: (occurrenceId: string, code: { token: string } | { short_code: string }, deviceId: string) =>
    request<ScanResult>('POST', `/sessions/${enc(occurrenceId)}/register/scan`, { body: { ...code, device_id: deviceId } }),
  /**
   * addWalkIn puts someone on the register. key is the Idempotency-Key: send the same one again to
   * retry after no answer came, so that a new young person is not registered twice.
   */
  addWalkIn: (occurrenceId: string, body: WalkInRequest, key: string = uuid()) =>
    request<RegisterEntry>('POST', `/sessions/${enc(occurrenceId)}/walk-ins`, { body, headers: { 'Idempotency-Key': key } }),
  searchWalkIns: (q: string, dateOfBirth: string) => request<List<WalkInMatch>>('GET', '/walk-ins/search', { query: { q, date_of_birth: dateOfBirth } }),
  rollCall: (occurrenceId: string, reason: string) => request<RollCall>('GET', `/sessions/${enc(occurrenceId)}/roll-call`, { query: { reason } }),
  /** holders lists who holds a place and who is waiting, in order, for the session's staff. */
  holders: (occurrenceId: string) => request<List<Holder>>('GET', `/sessions/${enc(occurrenceId)}/holders`),
};

/** Holder is a young person with a place at a session, or on its waiting list (position from 1). */
export interface Holder {
  booking_id: string;
  young_person_id: string;
  first_name: string;
  last_name: string;
  status: 'confirmed' | 'waitlisted' | 'attended' | 'no_show';
  waitlist_position: number | null;
  booked_at: string;
}
