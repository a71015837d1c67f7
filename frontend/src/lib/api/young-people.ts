// Correcting a young person's record (POST /api/v1/young-people/{id}/date-of-birth): council
// officers fix a date of birth typed wrong at sign-up, with a reason the access log keeps. Only the
// correction page uses it, so it lives in that page's chunk.
import { request } from './client';
import type { ConsentStatus } from './types';

/** DateOfBirthCorrection is what an officer sends: the right date (YYYY-MM-DD) and why. */
export interface DateOfBirthCorrection {
  date_of_birth: string;
  reason: string;
}

/** CorrectedYoungPerson is the young person after the correction; pending consent means they now need a guardian's. */
export interface CorrectedYoungPerson {
  id: string;
  first_name: string;
  date_of_birth: string;
  consent_status: ConsentStatus;
  /** The bookings of sessions not yet started that the new date rules out, now cancelled: "Football on Tuesday 3 March at 18:00". */
  cancelled_bookings: string[];
}

const enc = encodeURIComponent;

/**
 * correctDateOfBirth changes a young person's date of birth and records it in the access log
 * (council officers only: ApiError 403 for others). 404 when the officer's council has never seen
 * them (no booking, walk-in or mark at its sessions); 422 names date_of_birth or reason.
 */
export const correctDateOfBirth = (id: string, body: DateOfBirthCorrection) =>
  request<CorrectedYoungPerson>('POST', `/young-people/${enc(id)}/date-of-birth`, { body });
