// The one API client of the SPA: every call to /api/v1 goes through these functions.
import { request, uuid } from './client';
import type {
  Booking, Centre, CentreFilter, CentreInput, ConsentRequest, EmergencyContact, GuardianChild, List, Me, MeUpdate, MyBooking, Notification, Occurrence,
  RegisterRequest, SessionDetail, SessionFilter, SessionList, TokenResponse,
} from './types';

export * from './client';
export type * from './types';
export { accessFeatures, categories, centreStatuses, days, providerTypes } from './types';

/** api groups the endpoints by resource. */
export const api = {
  auth: {
    register: (body: RegisterRequest) => request<TokenResponse>('POST', '/auth/register', { body }),
    login: (email: string, password: string) => request<TokenResponse>('POST', '/auth/login', { body: { email, password } }),
    logout: () => request<void>('POST', '/auth/logout'),
    passwordReset: {
      /** request e-mails a single-use link if an account uses email; the answer is the same if none does. */
      request: (email: string) => request<{ message: string }>('POST', '/auth/password-reset', { body: { email } }),
      /** check says until when a link can be used; ApiError 404 (reset_link_invalid) or 409 (reset_link_used, reset_link_expired) when it cannot. */
      check: (token: string) => request<{ expires_at: string }>('GET', `/auth/password-reset/${encodeURIComponent(token)}`),
      /** complete sets the new password and signs in, as login does; every other session is signed out. */
      complete: (token: string, password: string) =>
        request<TokenResponse>('POST', `/auth/password-reset/${encodeURIComponent(token)}`, { body: { password } }),
    },
    emailChange: {
      /** check says which address a link confirms; ApiError 404 (email_link_invalid) or 409 (email_link_expired) when it cannot. */
      check: (token: string) => request<{ email: string; expires_at: string }>('GET', `/auth/email-change/${encodeURIComponent(token)}`),
      /** confirm makes the link's address the account's (no sign-in needed: the link is the proof). */
      confirm: (token: string) => request<{ email: string }>('POST', `/auth/email-change/${encodeURIComponent(token)}`),
    },
  },
  me: () => request<Me>('GET', '/me'),
  /** signOutEverywhere ends every session of the caller's account, this one included. */
  signOutEverywhere: () => request<void>('POST', '/me/sign-out-everywhere'),
  /**
   * updateMe changes the caller's own name, email or (young people only) home postcode; send only
   * what changed. 422 names each field refused (an email another account uses, a postcode that is
   * not real). When the email changes, the old address is told.
   */
  updateMe: (body: MeUpdate) => request<Me>('PATCH', '/me', { body }),
  /**
   * changePassword answers as login does: this device stays signed in with the new session, every
   * other session of the caller's ends. 422 on current_password (not right) or new_password; 429
   * with retryAfter after too many wrong current passwords.
   */
  changePassword: (current: string, next: string) =>
    request<TokenResponse>('POST', '/me/password', { body: { current_password: current, new_password: next } }),
  /** emergencyContacts are the young person's own: staff see them on the roll call. */
  emergencyContacts: {
    list: () => request<List<EmergencyContact>>('GET', '/me/emergency-contacts'),
    /** replace keeps exactly these (up to 3; none clears them); 422 names items[i].name, .phone or .relationship. */
    replace: (items: EmergencyContact[]) => request<List<EmergencyContact>>('PUT', '/me/emergency-contacts', { body: { items } }),
  },
  /** myData is a copy of everything held about the signed-in young person. */
  myData: () => request<Blob>('GET', '/me/data', { as: 'blob' }),
  /** deleteMe erases the signed-in account, with its password asked for again (upcoming bookings are cancelled first). */
  deleteMe: (password: string) => request<void>('DELETE', '/me', { body: { password } }),
  /**
   * askConsentAgain sends the guardian a new consent link, to guardianEmail or (left out) the
   * address asked before, while consent is unanswered; 429 with retryAfter when asked too recently.
   */
  askConsentAgain: (guardianEmail?: string) =>
    request<Me>('POST', '/me/consent-request', { body: guardianEmail ? { guardian_email: guardianEmail } : {} }),
  guardian: {
    children: () => request<List<GuardianChild>>('GET', '/guardian/children'),
    withdraw: (id: string) => request<GuardianChild>('POST', `/guardian/children/${encodeURIComponent(id)}/withdraw`),
    give: (id: string) => request<GuardianChild>('POST', `/guardian/children/${encodeURIComponent(id)}/give`),
  },
  centres: {
    list: (filter: CentreFilter = {}) => request<List<Centre>>('GET', '/centres', { query: { ...filter } }),
    get: (id: string) => request<Centre>('GET', `/centres/${encodeURIComponent(id)}`),
    /** create adds a centre to the signed-in officer's council; key makes a retried save count once. */
    create: (body: CentreInput, key: string = uuid()) =>
      request<Centre>('POST', '/centres', { body, headers: { 'Idempotency-Key': key } }),
    /** update replaces a centre's details; saving it closed cancels its sessions still to come. */
    update: (id: string, body: CentreInput) => request<Centre>('PUT', `/centres/${encodeURIComponent(id)}`, { body }),
  },
  sessions: {
    list: (filter: SessionFilter = {}) => request<SessionList>('GET', '/sessions', { query: { ...filter } }),
    get: (id: string) => request<SessionDetail>('GET', `/sessions/${encodeURIComponent(id)}`),
    /** book makes or joins the waiting list; key makes a retried click count once. */
    book: (id: string, key: string = uuid()) =>
      request<Booking>('POST', `/sessions/${encodeURIComponent(id)}/bookings`, { body: {}, headers: { 'Idempotency-Key': key } }),
  },
  bookings: {
    mine: () => request<List<MyBooking>>('GET', '/me/bookings', { query: { limit: 100 } }),
    cancel: (id: string) => request<Booking>('DELETE', `/bookings/${encodeURIComponent(id)}`),
    calendar: (id: string) => request<Blob>('GET', `/bookings/${encodeURIComponent(id)}/calendar.ics`, { as: 'blob', headers: { Accept: 'text/calendar' } }),
    /** subscribe makes (or replaces: the old one stops working) the private calendar address of all the caller's bookings. */
    subscribe: () => request<{ url: string }>('POST', '/me/calendar'),
  },
  notifications: {
    list: () => request<List<Notification>>('GET', '/me/notifications', { query: { limit: 100 } }),
    /** markRead marks all of the caller's notifications read. */
    markRead: () => request<void>('POST', '/me/notifications/read'),
  },
  consent: {
    get: (token: string) => request<ConsentRequest>('GET', `/consent/${encodeURIComponent(token)}`),
    /** decide answers the request (give, refuse) or, once consent is given, withdraws it. */
    decide: (token: string, decision: 'give' | 'refuse' | 'withdraw') =>
      request<{ status: ConsentRequest['status'] }>('POST', `/consent/${encodeURIComponent(token)}`, { body: { decision } }),
  },
};
