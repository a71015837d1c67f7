// The one API client of the SPA: every call to /api/v1 goes through these functions.
import { request, uuid } from './client';
import type {
  Booking, Centre, CentreFilter, CentreInput, ConsentRequest, GuardianChild, List, Me, MyBooking, Notification, Occurrence,
  RegisterRequest, SessionDetail, SessionFilter, TokenResponse,
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
  },
  me: () => request<Me>('GET', '/me'),
  /** myData is a copy of everything held about the signed-in young person. */
  myData: () => request<Blob>('GET', '/me/data', { as: 'blob' }),
  /** deleteMe erases the young person's account (upcoming bookings are cancelled first). */
  deleteMe: () => request<void>('DELETE', '/me'),
  guardian: {
    children: () => request<List<GuardianChild>>('GET', '/guardian/children'),
    withdraw: (id: string) => request<GuardianChild>('POST', `/guardian/children/${encodeURIComponent(id)}/withdraw`),
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
    list: (filter: SessionFilter = {}) => request<List<Occurrence>>('GET', '/sessions', { query: { ...filter } }),
    get: (id: string) => request<SessionDetail>('GET', `/sessions/${encodeURIComponent(id)}`),
    /** book makes or joins the waiting list; key makes a retried click count once. */
    book: (id: string, key: string = uuid()) =>
      request<Booking>('POST', `/sessions/${encodeURIComponent(id)}/bookings`, { body: {}, headers: { 'Idempotency-Key': key } }),
  },
  bookings: {
    mine: () => request<List<MyBooking>>('GET', '/me/bookings', { query: { limit: 100 } }),
    cancel: (id: string) => request<Booking>('DELETE', `/bookings/${encodeURIComponent(id)}`),
    calendar: (id: string) => request<Blob>('GET', `/bookings/${encodeURIComponent(id)}/calendar.ics`, { as: 'blob', headers: { Accept: 'text/calendar' } }),
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
