// The council's access log (GET /api/v1/audit-log): who saw a child's emergency contacts, and
// changes to staff accounts, dates of birth corrected. Only the access log page uses it, so it lives in that page's chunk.
import { request } from './client';
import type { List, Role } from './types';

/** AuditAction is a kind of entry the access log can be filtered by. */
export type AuditAction = 'view_emergency_contact' | 'staff_changed' | 'password_changed' | 'password_reset' | 'email_changed' | 'date_of_birth_corrected' | 'walk_in_postcode_wrong' | 'walk_in_search_shown' | 'email_change_asked' | 'walk_in_details_added' | 'consent_given' | 'consent_refused' | 'consent_withdrawn';
export const auditActions: readonly AuditAction[] = [
  'view_emergency_contact', 'staff_changed', 'password_changed', 'password_reset', 'email_changed', 'date_of_birth_corrected', 'walk_in_postcode_wrong', 'walk_in_search_shown', 'email_change_asked', 'walk_in_details_added',
  'consent_given', 'consent_refused', 'consent_withdrawn',
];

/** AuditPerson is someone in the log: staff named in full, young people by first name and initial. */
export interface AuditPerson {
  id: string;
  name: string;
  role: Role;
}

/** AuditEntry is one thing recorded; actor or subject is null when not recorded. */
export interface AuditEntry {
  id: number;
  at: string;
  /** action is one of AuditAction, or another kind recorded before the filter knew it. */
  action: string;
  reason: string;
  actor: AuditPerson | null;
  subject: AuditPerson | null;
}

/** AuditFilter narrows the log; from and to are UK days (YYYY-MM-DD), both inclusive. */
export interface AuditFilter {
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/**
 * auditLog lists the entries whose actor or subject is on the officer's council's staff, newest
 * first (council officers only: ApiError 403 for others). 422 names a bad action, from or to.
 */
export const auditLog = (filter: AuditFilter = {}) => request<List<AuditEntry>>('GET', '/audit-log', { query: { ...filter } });
