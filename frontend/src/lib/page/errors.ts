import { ApiError, type FieldError } from '../api';
import type { SummaryError } from '../govuk/types';
import { returnTo } from '../nav';
import { navigate } from '../router/router.svelte';

/** FieldErrors maps a field name (as the API names it) to the message shown beside it. */
export type FieldErrors = Record<string, string>;

/** toFieldErrors keeps the first message for each field of a 422 answer. */
export function toFieldErrors(errors: FieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
}

/**
 * toSummary lists field errors in the order of the form, each linking to its field; anchors
 * maps a field to the id of its first input when that is not the field name (date inputs).
 */
export function toSummary(errors: FieldErrors, order: string[], anchors: Record<string, string> = {}): SummaryError[] {
  const fields = [...order.filter((f) => f in errors), ...Object.keys(errors).filter((f) => !order.includes(f))];
  return fields.map((f) => ({ text: errors[f]!, href: order.includes(f) ? `#${anchors[f] ?? f}` : undefined }));
}

/**
 * redirectIfSignedOut sends a person whose session has ended to the sign-in page, to come back
 * here afterwards. It reports whether it did.
 */
export function redirectIfSignedOut(err: unknown): boolean {
  if (err instanceof ApiError && err.status === 401) {
    sendToSignIn();
    return true;
  }
  return false;
}

/**
 * sendToSignIn replaces the page at here (by default the one shown) with sign-in, to come back to
 * it afterwards. When the session ends both the app and the page notice; whichever is second finds
 * sign-in already showing and leaves it be, so that one sign-in is enough.
 */
export function sendToSignIn(here = window.location.pathname + window.location.search): void {
  if (window.location.pathname.replace(/\/+$/, '') === '/sign-in') return;
  const next = returnTo(here);
  navigate(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in', { replace: true });
}

/** Refusal is why an e-mailed link cannot be used, in words to show as a page. */
export interface Refusal {
  title: string;
  detail: string;
}

/**
 * linkRefusal reads a 404 or 409 answer to an e-mailed link (unknown, used, expired…) as a page
 * title, chosen by the problem's code (fallback for any other code), and the server's detail
 * (fallbackDetail when it gave none); null for any other error.
 */
export function linkRefusal(err: unknown, titles: Record<string, string>, fallback: string, fallbackDetail: string): Refusal | null {
  if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 409)) return null;
  return { title: titles[err.problem.code ?? ''] ?? fallback, detail: err.problem.detail ?? fallbackDetail };
}
