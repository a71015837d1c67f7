// Test data of the timetable and rota pages, shaped as the API answers (api-spec/openapi.yaml).
import type { MyShift, OccurrenceRota, RotaShift, RotaWeek, Series, Slot, StaffMember, Swap } from '../../lib/api/staffing';

export function series(over: Partial<Series> = {}): Series {
  return {
    id: 's1', council_id: 'k1', centre_id: 'c1', centre_name: 'Stretford Youth Centre', title: 'Tuesday football',
    description: 'Five-a-side.', what_to_bring: 'Trainers', category: 'sport', age_min: 11, age_max: 16, send: false,
    booking_mode: 'bookable', capacity: 24, staff_ratio: 10, days: ['tuesday'], start_time: '18:00', duration_minutes: 90,
    first_date: '2026-11-23', last_date: null, exceptions: [], booking_window_days: 14, generated_until: null,
    created_at: '2026-11-20T10:00:00Z', updated_at: '2026-11-20T10:00:00Z', ...over,
  };
}

export function slot(over: Partial<Slot> = {}): Slot {
  return {
    id: 'o1', series_id: 's1', starts_at: '2030-12-01T18:00:00Z', ends_at: '2030-12-01T19:30:00Z', booking_mode: 'bookable',
    capacity: 24, staffed_limit: null, confirmed_count: 5, waitlist_length: 0, spaces_left: 19, status: 'scheduled',
    cancelled_reason: null, ...over,
  };
}

export function shift(over: Partial<RotaShift> = {}): RotaShift {
  return {
    id: 'sh1', occurrence_id: 'o1', user_id: 'w1', worker_name: 'Priya Shah', role: 'lead',
    starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z', created_at: '2030-11-27T10:00:00Z',
    updated_at: '2030-11-27T10:00:00Z', ...over,
  };
}

export function red(over: Partial<OccurrenceRota> = {}): OccurrenceRota {
  return {
    occurrence_id: 'o1', series_id: 's1', centre_id: 'c1', centre_name: 'Gorse Hill Youth Centre', title: 'Friday youth club',
    starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z', booking_mode: 'drop_in', capacity: 40,
    confirmed_count: 0, staff_ratio: 10, staffed_limit: null, rota_status: 'red', expected: 40, required_adults: 4,
    adult_staff: 0, staffed_capacity: 0,
    reasons: [
      { code: 'too_few_staff', severity: 'shortfall', message: 'No adult staff are rostered on Friday 6 December 18:30–21:00 at Gorse Hill Youth Centre; the drop-in can take 40 young people and the ratio is 1:10, so 4 adults are needed', user_ids: [], shift_id: null },
      { code: 'no_first_aider', severity: 'shortfall', message: 'Nobody rostered on Friday 6 December 18:30–21:00 at Gorse Hill Youth Centre holds a first-aid certificate valid on 6 December 2030', user_ids: [], shift_id: null },
    ],
    shifts: [], ...over,
  };
}

export function green(over: Partial<OccurrenceRota> = {}): OccurrenceRota {
  return red({
    rota_status: 'green', adult_staff: 4, staffed_capacity: 40, reasons: [],
    shifts: [shift(), shift({ id: 'sh2', user_id: 'w2', worker_name: 'Aisha Khan', role: 'worker' })], ...over,
  });
}

export function week(items: OccurrenceRota[], over: Partial<RotaWeek> = {}): RotaWeek {
  const count = (s: string) => items.filter((i) => i.rota_status === s).length;
  return { week_start: '2030-12-02', centre_id: 'c1', summary: { green: count('green'), amber: count('amber'), red: count('red') }, items, total: items.length, ...over };
}

export function staffMember(over: Partial<StaffMember> = {}): StaffMember {
  return { id: 'w1', role: 'youth_worker', first_name: 'Priya', last_name: 'Shah', email: 'worker2@demo.test', active: true, ...over };
}

export function myShift(over: Partial<MyShift> = {}): MyShift {
  return {
    id: 'sh1', occurrence_id: 'o1', role: 'worker', starts_at: '2030-12-06T18:30:00Z', ends_at: '2030-12-06T21:00:00Z',
    title: 'Friday youth club', centre_id: 'c1', centre_name: 'Gorse Hill Youth Centre', centre_address: '1 Road',
    centre_postcode: 'M32 0AA', occurrence_status: 'scheduled', updated_at: '2030-11-27T10:00:00Z', ...over,
  };
}

export function swap(over: Partial<Swap> = {}): Swap {
  return {
    id: 'sw1', shift_id: 'sh9', occurrence_id: 'o9', title: 'Music studio', centre_name: 'Old Trafford Youth Centre',
    starts_at: '2030-12-04T17:00:00Z', ends_at: '2030-12-04T19:00:00Z', role: 'worker', offered_by: 'w2',
    offered_by_name: 'Tom Evans', accepted_by: null, accepted_by_name: null, status: 'offered',
    offered_at: '2030-11-27T10:00:00Z', accepted_at: null, decided_at: null, ...over,
  };
}
