// The platform admin's part of the API client (api-spec/openapi.yaml, tag "people"): the councils
// on the platform and the invitation of each one's first officer. Only the councils page uses it.
import { request, uuid } from './client';
import type { Council } from './coverage';
import type { Invitation } from './staffing';
import type { List } from './types';

export type { Council, Invitation };

/** CouncilInput adds a council; lad_code is its ONS local authority district code, like E08000009. */
export interface CouncilInput {
  name: string;
  lad_code?: string;
}

const enc = encodeURIComponent;

/** councils groups the platform admin's endpoints; each create takes a key that makes a retried save count once. */
export const councils = {
  list: () => request<List<Council>>('GET', '/councils'),
  create: (body: CouncilInput, key: string = uuid()) =>
    request<Council>('POST', '/councils', { body, headers: { 'Idempotency-Key': key } }),
  /** inviteOfficer e-mails email a link to join the council as its council officer. */
  inviteOfficer: (councilId: string, email: string, key: string = uuid()) =>
    request<Invitation>('POST', `/councils/${enc(councilId)}/officers`, { body: { email }, headers: { 'Idempotency-Key': key } }),
};
