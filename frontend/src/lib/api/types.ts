// Types of the youthhub JSON API (/api/v1), as described in api-spec/openapi.yaml.

/** Role is what a signed-in person may do. */
export type Role = 'young_person' | 'guardian' | 'youth_worker' | 'centre_manager' | 'council_officer' | 'admin';

/** User is the signed-in person as the login answer describes them. */
export interface User {
  id: string;
  role: Role;
  council_id: string | null;
  first_name: string;
}

/** TokenResponse answers login, register and refresh. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
  consent_required?: boolean;
}

/** ConsentStatus is where a young person under 13 stands with their guardian's consent. */
export type ConsentStatus = 'not_needed' | 'pending' | 'given' | 'refused' | 'withdrawn';

/** Me is the signed-in person's own record. */
export interface Me {
  id: string;
  role: Role;
  council_id: string | null;
  first_name: string;
  last_name: string;
  email: string | null;
  date_of_birth: string | null;
  postcode: string | null;
  consent_status: ConsentStatus;
  guardian_email: string | null;
  consent_requested_at: string | null;
  /** consent_link_expires_at is when the guardian's link stops working, while consent is pending. */
  consent_link_expires_at: string | null;
  /** pending_email is a new address waiting for the link sent to it to be opened; mail still goes to email. */
  pending_email?: string | null;
  pending_email_expires_at?: string | null;
}

/**
 * MeUpdate changes some of the signed-in person's own details (PATCH /me): only the fields sent
 * change. Only young people have a home postcode; the date of birth cannot be changed here.
 */
export interface MeUpdate {
  first_name?: string;
  last_name?: string;
  email?: string;
  postcode?: string;
  /** current_password is needed with a new email (where a password reset would go). */
  current_password?: string;
}

/** RegisterRequest creates a young person's account. */
export interface RegisterRequest {
  first_name: string;
  last_name: string;
  date_of_birth: string;
  postcode: string;
  email: string;
  password: string;
  guardian_email?: string;
}

/** List is one page of a collection. */
export interface List<T> {
  items: T[];
  total: number;
}

export const providerTypes = ['council', 'charity', 'co_operative', 'community_organisation', 'library', 'school', 'faith_group', 'other'] as const;
/** ProviderType is who runs a centre. */
export type ProviderType = (typeof providerTypes)[number];

export const accessFeatures = ['step_free', 'accessible_toilet', 'changing_places', 'hearing_loop', 'quiet_space', 'near_public_transport'] as const;
/** AccessFeature is one way a centre is accessible. */
export type AccessFeature = (typeof accessFeatures)[number];

export const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
/** Day is a day of the week. */
export type Day = (typeof days)[number];

/** OpeningHours is one opening period on one day. */
export interface OpeningHours {
  day: Day;
  opens: string;
  closes: string;
}

export const centreStatuses = ['open', 'planned', 'closed'] as const;
/** CentreStatus is whether a centre is open, not open yet, or closed (a closed centre runs no sessions). */
export type CentreStatus = (typeof centreStatuses)[number];

/** Centre is a youth centre. */
export interface Centre {
  id: string;
  council_id: string;
  council_name: string;
  name: string;
  address: string;
  postcode: string;
  lat: number;
  lon: number;
  provider_type: ProviderType;
  access_features: AccessFeature[];
  opening_hours: OpeningHours[];
  weekly_hours: number;
  status: CentreStatus;
  phone: string | null;
  email: string | null;
  website: string | null;
}

/**
 * CentreInput adds a centre (POST /centres) or replaces all of a centre's details (PUT
 * /centres/{id}). Saving a centre `closed` cancels its sessions still to come and tells who booked.
 */
export interface CentreInput {
  name: string;
  address?: string;
  postcode?: string;
  lat: number;
  lon: number;
  provider_type: ProviderType;
  access_features?: AccessFeature[];
  opening_hours?: OpeningHours[];
  /** status is open when left out. */
  status?: CentreStatus;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

/** CentreFilter narrows GET /centres. */
export interface CentreFilter {
  council_id?: string;
  provider_type?: ProviderType;
  access_feature?: AccessFeature[];
  status?: CentreStatus;
  limit?: number;
  offset?: number;
}

export const categories = ['sport', 'arts', 'music', 'digital', 'cooking', 'advice_support', 'outdoor', 'send', 'other'] as const;
/** Category is the kind of session. */
export type Category = (typeof categories)[number];

/** Occurrence is one session on one day. */
export interface Occurrence {
  id: string;
  series_id: string;
  centre_id: string;
  centre_name: string;
  title: string;
  category: Category;
  starts_at: string;
  ends_at: string;
  booking_mode: 'bookable' | 'drop_in';
  age_min: number;
  age_max: number;
  capacity: number;
  /** spaces_left is null for a drop-in session, which has no places to book. */
  spaces_left: number | null;
  waitlist_length: number;
  status: 'scheduled' | 'cancelled';
  distance_km?: number;
}

/** SessionDetail is an occurrence with what a young person needs before booking. */
export interface SessionDetail extends Occurrence {
  description: string | null;
  what_to_bring: string | null;
  centre: Centre;
  /** booking_opens_at is when booking opens (null or absent for drop-in). */
  booking_opens_at?: string | null;
  cancelled_reason?: string | null;
}

/** SessionList is a page of sessions; near says where a search by postcode looked. */
export interface SessionList extends List<Occurrence> {
  near?: {
    /** postcode is the one searched, normalised, as in "M32 0JG". */
    postcode: string;
    /** exact is false when the directory does not hold the postcode and area's middle was used. */
    exact: boolean;
    area: string | null;
  };
}

/** SessionFilter narrows GET /sessions. */
export interface SessionFilter {
  postcode?: string;
  radius_km?: number;
  from?: string;
  to?: string;
  age?: number;
  category?: Category;
  access_feature?: AccessFeature[];
  provider_type?: ProviderType;
  spaces_only?: boolean;
  /** only sessions starting on these days of the week (UK time) */
  day?: Day[];
  limit?: number;
  offset?: number;
}

/** BookingStatus is where a booking stands. */
export type BookingStatus = 'confirmed' | 'waitlisted' | 'cancelled' | 'attended' | 'no_show';

/** Booking is a young person's place, or place in the queue, at one occurrence. */
export interface Booking {
  id: string;
  occurrence_id: string;
  status: BookingStatus;
  waitlist_position: number | null;
  created_at: string;
  qr_token: string | null;
  short_code: string | null;
  /** session is absent from the answer to a cancellation. */
  session?: Occurrence;
}

/** MyBooking is a booking as the list of one's own bookings gives it: always with its session. */
export type MyBooking = Booking & {
  session: Occurrence & {
    /** the centre's reason, when it cancelled the session */
    cancelled_reason?: string | null;
    /** the centre's address (the list always has it), kept on the phone with the ticket for the door */
    centre_address?: string;
  };
};

/** Notification is a message to the signed-in person. */
export interface Notification {
  id: string;
  kind: string;
  message: string;
  created_at: string;
  read_at: string | null;
}

/** ConsentRequest is what a guardian sees from their consent link. */
export interface ConsentRequest {
  child_first_name: string;
  requested_at: string;
  status: 'pending' | 'given' | 'withdrawn' | 'refused';
}

/** FieldError names one invalid field of a request. */
export interface FieldError {
  field: string;
  message: string;
}

/** Problem is an RFC 9457 error body. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  /** code names the refusal for programs (e.g. already_booked, in_progress). */
  code?: string;
  errors?: FieldError[];
}

/** GuardianChild is a young person whose account named the signed-in guardian's email. */
export interface GuardianChild {
  young_person_id: string;
  child_first_name: string;
  status: 'pending' | 'given' | 'refused' | 'withdrawn';
  requested_at: string;
  decided_at: string | null;
}

/** EmergencyContact is someone staff call if something happens to a young person at a session. */
export interface EmergencyContact {
  name: string;
  /** phone: digits, with a leading + if given (the API keeps only those). */
  phone: string;
  relationship: string;
}
