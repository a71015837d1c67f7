import type { Centre, MyBooking, Occurrence } from '../lib/api';

/** centre builds a youth centre with every field filled. */
export function centre(over: Partial<Centre> = {}): Centre {
  return {
    id: 'c1', council_id: 'k1', council_name: 'Trafford Council', name: 'Stretford Youth Centre',
    address: '1 Chester Road, Stretford, Manchester', postcode: 'M32 0JG', lat: 53.446, lon: -2.309,
    provider_type: 'council', access_features: ['step_free', 'hearing_loop'],
    opening_hours: [{ day: 'tuesday', opens: '18:00', closes: '21:00' }, { day: 'monday', opens: '18:00', closes: '21:00' }],
    weekly_hours: 6, status: 'open', phone: '0161 000 0000', email: 'youth@example.org', website: null,
    ...over,
  };
}

/** occurrence builds a bookable session a week from now. */
export function occurrence(over: Partial<Occurrence> = {}): Occurrence {
  const start = new Date(Date.now() + 7 * 86_400_000);
  start.setUTCHours(17, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3_600_000);
  return {
    id: 'o1', series_id: 's1', centre_id: 'c1', centre_name: 'Stretford Youth Centre', title: 'Football',
    category: 'sport', starts_at: start.toISOString(), ends_at: end.toISOString(), booking_mode: 'bookable',
    age_min: 11, age_max: 18, capacity: 20, spaces_left: 4, waitlist_length: 0, status: 'scheduled', distance_km: 1.24,
    ...over,
  };
}

/** booking builds a confirmed booking of occurrence(). */
export function booking(over: Partial<MyBooking> = {}): MyBooking {
  const session = { ...occurrence(), centre_address: '1 Chester Road, Stretford, Manchester' };
  return {
    id: 'b1', occurrence_id: session.id, status: 'confirmed', waitlist_position: null,
    created_at: new Date().toISOString(), qr_token: 'qr-token-abc', short_code: 'K7P2QX', session,
    ...over,
  };
}
