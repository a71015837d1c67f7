// The timetable and rota part of the API client (api-spec/openapi.yaml, tags "sessions" for
// series and occurrences, "rota" for shifts, swaps and staff records). Same request() as the
// rest of the client: access token, one refresh on 401, problem+json → ApiError.
import { request, uuid } from './client';
import type { Category, Day, List, Role, TokenResponse } from './types';

/** BookingMode says whether young people book a place or just turn up. */
export type BookingMode = 'bookable' | 'drop_in';

/** Series is a weekly session series of a centre, as its council's staff see it. */
export interface Series {
  id: string;
  council_id: string;
  centre_id: string;
  centre_name: string;
  title: string;
  description: string;
  what_to_bring: string;
  category: Category;
  age_min: number;
  age_max: number;
  send: boolean;
  booking_mode: BookingMode;
  capacity: number;
  /** staff_ratio is young people per adult. */
  staff_ratio: number;
  days: Day[];
  /** start_time is a Europe/London wall-clock time, HH:MM. */
  start_time: string;
  duration_minutes: number;
  first_date: string;
  last_date: string | null;
  exceptions: string[];
  booking_window_days: number;
  generated_until: string | null;
  created_at: string;
  updated_at: string;
}

/** SeriesInput starts a series; staff_ratio defaults to 10 and booking_window_days to 14. */
export interface SeriesInput {
  centre_id: string;
  title: string;
  description?: string;
  what_to_bring?: string;
  category: Category;
  age_min: number;
  age_max: number;
  send?: boolean;
  booking_mode: BookingMode;
  capacity: number;
  staff_ratio?: number;
  days: Day[];
  start_time: string;
  duration_minutes: number;
  first_date: string;
  last_date?: string | null;
  exceptions?: string[];
  booking_window_days?: number;
}

/** SeriesUpdate changes only the fields given; last_date null removes the end date. */
export interface SeriesUpdate {
  title?: string;
  description?: string;
  what_to_bring?: string;
  category?: Category;
  age_min?: number;
  age_max?: number;
  send?: boolean;
  capacity?: number;
  staff_ratio?: number;
  last_date?: string | null;
  exceptions?: string[];
  booking_window_days?: number;
}

/** Slot is one occurrence of a series with its booking counts. */
export interface Slot {
  id: string;
  series_id: string;
  starts_at: string;
  ends_at: string;
  booking_mode: BookingMode;
  capacity: number;
  /** staffed_limit is the places the rostered adults can look after (null: no rota yet). */
  staffed_limit: number | null;
  confirmed_count: number;
  waitlist_length: number;
  spaces_left: number | null;
  status: 'scheduled' | 'cancelled';
  cancelled_reason: string | null;
}

/** ShiftRole is what a worker does on a session. */
export type ShiftRole = 'lead' | 'worker' | 'volunteer';
export const shiftRoles: readonly ShiftRole[] = ['lead', 'worker', 'volunteer'];

/** RotaStatus: green when every rule holds; amber without a qualified lead or first-aider; red otherwise. */
export type RotaStatus = 'green' | 'amber' | 'red';

/** RotaReason is one broken rule, in words a manager understands. */
export interface RotaReason {
  code: string;
  severity: 'hard' | 'shortfall';
  message: string;
  user_ids: string[];
  shift_id: string | null;
}

/** RotaShift puts one worker on one occurrence. */
export interface RotaShift {
  id: string;
  occurrence_id: string;
  user_id: string;
  worker_name: string;
  role: ShiftRole;
  starts_at: string;
  ends_at: string;
  created_at: string;
  updated_at: string;
}

/** OccurrenceRota is an occurrence with its rota status, the reasons for it and (in a week) its shifts. */
export interface OccurrenceRota {
  occurrence_id: string;
  series_id: string;
  centre_id: string;
  centre_name: string;
  title: string;
  starts_at: string;
  ends_at: string;
  booking_mode: BookingMode;
  capacity: number;
  confirmed_count: number;
  staff_ratio: number;
  staffed_limit: number | null;
  rota_status: RotaStatus;
  expected: number;
  required_adults: number;
  adult_staff: number;
  staffed_capacity: number;
  reasons: RotaReason[];
  shifts?: RotaShift[] | null;
}

/** RotaWeek is the Monday–Sunday week of a council or one centre. */
export interface RotaWeek {
  week_start: string;
  centre_id: string | null;
  summary: Record<RotaStatus, number>;
  items: OccurrenceRota[];
  total: number;
}

/** ShiftList is an occurrence's shifts with its rota. */
export interface ShiftList extends List<RotaShift> {
  rota: OccurrenceRota;
}

/** ShiftResult answers a shift written: the shift and the occurrence's rota after it. */
export interface ShiftResult {
  shift: RotaShift;
  rota: OccurrenceRota;
}

/** ProposedShift is a shift auto-fill proposes; shift_id is set once applied. */
export interface ProposedShift {
  shift_id?: string;
  occurrence_id: string;
  centre_id: string;
  centre_name: string;
  title: string;
  starts_at: string;
  ends_at: string;
  user_id: string;
  worker_name: string;
  role: ShiftRole;
}

/** Unfilled is a need auto-fill could not meet, and why. */
export interface Unfilled {
  occurrence_id: string;
  centre_id: string;
  centre_name: string;
  title: string;
  starts_at: string;
  need: 'qualified_lead' | 'first_aider' | 'staff';
  missing: number;
  reason: string;
}

/** AutoFillProposal is auto-fill's answer for a week. */
export interface AutoFillProposal {
  week_start: string;
  centre_id: string | null;
  shifts: ProposedShift[];
  unfilled: Unfilled[];
}

/** Expiry is a staff member's check that is missing, out of date or due soon. */
export interface Expiry {
  user_id: string;
  name: string;
  check: 'dbs' | 'first_aid' | 'safeguarding';
  due: string | null;
  days_left: number | null;
  status: 'missing' | 'expired' | 'due_soon';
  message: string;
}

/** SwapStatus is where an offered shift stands. */
export type SwapStatus = 'offered' | 'accepted' | 'approved' | 'declined' | 'cancelled';

/** Swap is a shift a worker offered to colleagues. */
export interface Swap {
  id: string;
  shift_id: string;
  occurrence_id: string;
  title: string;
  centre_name: string;
  starts_at: string;
  ends_at: string;
  role: ShiftRole;
  offered_by: string;
  offered_by_name: string;
  accepted_by: string | null;
  accepted_by_name: string | null;
  status: SwapStatus;
  offered_at: string;
  accepted_at: string | null;
  decided_at: string | null;
}

/** MyShift is one of the signed-in worker's own shifts. */
export interface MyShift {
  id: string;
  occurrence_id: string;
  role: ShiftRole;
  starts_at: string;
  ends_at: string;
  title: string;
  centre_id: string;
  centre_name: string;
  centre_address: string;
  centre_postcode: string;
  occurrence_status: 'scheduled' | 'cancelled';
  updated_at: string;
}

/** StaffMember is one member of staff of the caller's council. */
export interface StaffMember {
  id: string;
  role: Role;
  first_name: string;
  last_name: string;
  email: string | null;
  active: boolean;
}

/** StaffRole is a role a member of staff can be invited to or given. */
export type StaffRole = 'youth_worker' | 'centre_manager' | 'council_officer';
export const staffRoles: readonly StaffRole[] = ['youth_worker', 'centre_manager', 'council_officer'];

/** StaffUpdate changes a member of staff's role, or switches their account off (false) or back on. */
export interface StaffUpdate {
  role?: StaffRole;
  active?: boolean;
}

/** Invitation is a single-use link e-mailed to a new member of staff; it works for 7 days. */
export interface Invitation {
  id: string;
  council_id: string;
  council_name: string;
  role: Role;
  email: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** expired: in the pending list, the link ran out unused; send a new invitation. */
  expired: boolean;
}

/** InvitationAcceptance is what the invited person gives to create their account. */
export interface InvitationAcceptance {
  first_name: string;
  last_name: string;
  /** date_of_birth is YYYY-MM-DD; staff must be 16 or older. */
  date_of_birth: string;
  password: string;
}

/** Qualification is a worker's highest youth-work qualification on the JNC scale; jnc3 and above may lead. */
export type Qualification = 'none' | 'jnc2' | 'jnc3' | 'jnc6plus';
export const qualifications: readonly Qualification[] = ['none', 'jnc2', 'jnc3', 'jnc6plus'];

/** AvailabilityWindow is a weekly period a worker can work, in UK wall-clock time; `to` may be 24:00. */
export interface AvailabilityWindow {
  day: Day;
  from: string;
  to: string;
}

/** LeavePeriod is days off, both inclusive. */
export interface LeavePeriod {
  from_date: string;
  to_date: string;
  note?: string;
}

/**
 * StaffRecordInput is a whole staff record as a manager saves it (centres, availability and
 * leave replaced too). Dates are YYYY-MM-DD, null when not recorded; the DBS, first-aid and
 * safeguarding dates are the last day each is valid.
 */
export interface StaffRecordInput {
  qualification: Qualification;
  dbs_certificate_number: string | null;
  dbs_issue_date: string | null;
  dbs_update_service: boolean;
  dbs_next_check_due: string | null;
  dbs_enhanced: boolean;
  dbs_barred_list_checked: boolean;
  on_barred_list: boolean;
  first_aid_expires: string | null;
  safeguarding_expires: string | null;
  contracted_hours: number;
  opted_out_48h: boolean;
  volunteer: boolean;
  centre_ids: string[];
  availability: AvailabilityWindow[];
  leave: LeavePeriod[];
}

/** StaffRecord is what the rota rules read about a member of staff; recorded is false until one is saved. */
export interface StaffRecord extends StaffRecordInput {
  user_id: string;
  council_id: string;
  role: Role;
  first_name: string;
  last_name: string;
  date_of_birth: string | null;
  recorded: boolean;
  calendar_subscribed: boolean;
  updated_at: string | null;
}

const enc = encodeURIComponent;

/** staffing groups the endpoints that managers, officers and workers use to run sessions and rotas. */
export const staffing = {
  staff: () => request<List<StaffMember>>('GET', '/staff'),
  /**
   * updateStaff changes a role or switches an account off or back on (officers only); it takes
   * effect on the person's next request. ApiError 403 for one's own account.
   */
  updateStaff: (id: string, body: StaffUpdate) => request<StaffMember>('PATCH', `/staff/${enc(id)}`, { body }),
  invitations: {
    /** create e-mails a single-use link (officers: any staff role; managers: youth workers); key makes a retried send count once. */
    create: (body: { email: string; role: StaffRole }, key: string = uuid()) =>
      request<Invitation>('POST', '/invitations', { body, headers: { 'Idempotency-Key': key } }),
    /** get says what a link is for; ApiError 404 (unknown), 409 invitation_used or 422 invitation_expired when it cannot be used. */
    get: (token: string) => request<Invitation>('GET', `/invitations/${enc(token)}`),
    /** accept creates the account and signs in, as login does; 422 names each invalid field. */
    accept: (token: string, body: InvitationAcceptance) => request<TokenResponse>('POST', `/invitations/${enc(token)}/accept`, { body }),
    /** pending lists the council's invitations not yet accepted, withdrawn or expired, newest first. */
    pending: () => request<List<Invitation>>('GET', '/pending-invitations'),
    /** withdraw stops an invitation's link working (managers: youth workers' only); 409 invitation_used once accepted. */
    withdraw: (id: string) => request<void>('DELETE', `/pending-invitations/${enc(id)}`),
  },
  record: {
    /** get reads a staff record: managers and officers anyone's of their council, a worker their own. */
    get: (userId: string) => request<StaffRecord>('GET', `/staff/${enc(userId)}/record`),
    /** save replaces the whole record (managers and officers); 422 names each invalid field. */
    save: (userId: string, body: StaffRecordInput) => request<StaffRecord>('PUT', `/staff/${enc(userId)}/record`, { body }),
  },
  series: {
    list: (centreId: string) => request<List<Series>>('GET', '/series', { query: { centre_id: centreId, limit: 200 } }),
    get: (id: string) => request<Series>('GET', `/series/${enc(id)}`),
    /** create starts a series; key makes a retried save count once. */
    create: (body: SeriesInput, key: string = uuid()) =>
      request<Series>('POST', '/series', { body, headers: { 'Idempotency-Key': key } }),
    update: (id: string, body: SeriesUpdate) => request<Series>('PATCH', `/series/${enc(id)}`, { body }),
    occurrences: (id: string) => request<List<Slot>>('GET', `/series/${enc(id)}/occurrences`, { query: { limit: 200 } }),
  },
  occurrences: {
    setCapacity: (id: string, capacity: number) => request<Slot>('PATCH', `/occurrences/${enc(id)}`, { body: { capacity } }),
    cancel: (id: string, reason: string) => request<Slot>('POST', `/occurrences/${enc(id)}/cancel`, { body: { reason } }),
  },
  rota: {
    week: (centreId: string, weekStart: string) => request<RotaWeek>('GET', '/rota', { query: { centre_id: centreId, week_start: weekStart } }),
    expiring: (days?: number) => request<List<Expiry>>('GET', '/rota/expiring', { query: { days } }),
    autofill: (centreId: string, weekStart: string) =>
      request<AutoFillProposal>('POST', '/rota/autofill', { body: { centre_id: centreId, week_start: weekStart } }),
    applyAutofill: (centreId: string, weekStart: string) =>
      request<AutoFillProposal>('POST', '/rota/autofill/apply', { body: { centre_id: centreId, week_start: weekStart } }),
  },
  shifts: {
    list: (occurrenceId: string) => request<ShiftList>('GET', `/sessions/${enc(occurrenceId)}/shifts`),
    /** add puts a worker on a session; key (one per tap) makes a retried request count once. */
    add: (occurrenceId: string, userId: string, role: ShiftRole, key: string = uuid()) =>
      request<ShiftResult>('POST', `/sessions/${enc(occurrenceId)}/shifts`, {
        body: { user_id: userId, role },
        headers: { 'Idempotency-Key': key },
      }),
    remove: (id: string) => request<{ rota: OccurrenceRota }>('DELETE', `/shifts/${enc(id)}`),
    /** offer offers one's own shift for a swap; send the same key again to retry after no answer came. */
    offer: (id: string, key: string = uuid()) => request<Swap>('POST', `/shifts/${enc(id)}/swap`, { headers: { 'Idempotency-Key': key } }),
  },
  swaps: {
    list: (status?: SwapStatus) => request<List<Swap>>('GET', '/swaps', { query: { status } }),
    accept: (id: string) => request<Swap>('POST', `/swaps/${enc(id)}/accept`),
    approve: (id: string) => request<Swap>('POST', `/swaps/${enc(id)}/approve`),
    decline: (id: string) => request<Swap>('POST', `/swaps/${enc(id)}/decline`),
    cancel: (id: string) => request<Swap>('POST', `/swaps/${enc(id)}/cancel`),
  },
  myRota: {
    list: () => request<List<MyShift>>('GET', '/me/rota'),
    calendar: () => request<{ url: string }>('POST', '/me/rota/calendar'),
  },
};
