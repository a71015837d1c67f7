import type { FieldError, Problem, TokenResponse } from './types';

/**
 * ApiError is any answer from the API that is not a success. `requestId` is what a person quotes
 * when they ask for help; it comes from the problem body or the X-Request-Id header.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: Problem, requestId?: string, retryAfter?: number) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.requestId = problem.request_id ?? requestId;
    this.retryAfter = retryAfter;
  }

  /** fieldErrors lists the invalid fields of a 422 answer (empty for any other). */
  get fieldErrors(): FieldError[] {
    return this.status === 422 ? (this.problem.errors ?? []) : [];
  }
}

/** NetworkError means the API could not be reached at all (offline, DNS, server down). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

/** isValidation reports whether err is a 422 with field errors, shown beside the form's fields. */
export function isValidation(err: unknown): err is ApiError {
  return err instanceof ApiError && err.status === 422 && err.fieldErrors.length > 0;
}

/** Query is a set of query-string values; arrays repeat the name, undefined and '' are left out. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** RequestOptions shape one call. */
export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** accept is the expected media type; 'text' reads the body as text. */
  as?: 'json' | 'text' | 'blob';
  signal?: AbortSignal;
}

const base = '/api/v1';

// The access token lives only in this module's memory: a reload forgets it and the refresh cookie
// (HttpOnly, so out of reach of any script) gets a new one.
let accessToken: string | null = null;
let refreshing: Promise<TokenResponse | null> | null = null;
let onSession: (t: TokenResponse | null) => void = () => {};

/** setAccessToken replaces the token sent as `Authorization: Bearer`. */
export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** hasAccessToken reports whether calls are made as a signed-in person. */
export function hasAccessToken(): boolean {
  return accessToken !== null;
}

/** onSessionChange registers the one listener told when a refresh signs someone in or out. */
export function onSessionChange(fn: (t: TokenResponse | null) => void): void {
  onSession = fn;
}

/** buildQuery turns q into a query string, with a leading '?' when not empty. */
export function buildQuery(q?: Query): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(base + path + buildQuery(opts.query), {
      method, headers, body, credentials: 'same-origin', signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
}

async function toError(res: Response): Promise<ApiError> {
  let problem: Problem = { status: res.status };
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      problem = { status: res.status, ...((await res.json()) as Problem) };
    } catch {
      // A broken body still has a status and maybe a request id: keep those.
    }
  }
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, problem, res.headers.get('X-Request-Id') ?? undefined, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/**
 * refresh asks for a new access token with the refresh cookie. Calls made at the same time share
 * one request, because the server rotates the cookie and would treat a second use as reuse.
 * It resolves to null when there is no valid session.
 */
export function refresh(): Promise<TokenResponse | null> {
  refreshing ??= (async () => {
    try {
      const res = await send('POST', '/auth/refresh', {});
      // A server that cannot be reached behind its proxy, or a Wi-Fi sign-in page answering for
      // it, says nothing about the session: it is no signal, not "signed out" (at a door, My
      // bookings then shows the tickets kept on the phone rather than the sign-in page).
      if (res.status >= 502 && res.status <= 504) throw new NetworkError(new Error(`refresh: ${res.status}`));
      if (!res.ok) {
        accessToken = null;
        onSession(null);
        return null;
      }
      const tokens = (await res.json().catch((err: unknown) => Promise.reject(new NetworkError(err)))) as TokenResponse;
      accessToken = tokens.access_token;
      onSession(tokens);
      return tokens;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

const noRefresh = new Set(['/auth/login', '/auth/register', '/auth/refresh', '/auth/logout']);

/**
 * request calls the API and returns the decoded body (undefined for 204). On a 401 it refreshes
 * the access token once and tries again. It throws ApiError for any non-2xx answer and
 * NetworkError when the server cannot be reached.
 */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (res.status === 401 && !noRefresh.has(path)) {
    const tokens = await refresh();
    if (tokens) res = await send(method, path, opts);
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  if (opts.as === 'text') return (await res.text()) as T;
  if (opts.as === 'blob') return (await res.blob()) as T;
  return (await res.json()) as T;
}

/** IdempotencyKeys gives a create form its Idempotency-Key (see idempotencyKeys). */
export interface IdempotencyKeys {
  (body: unknown): string;
  /**
   * answered tells how a request ended (err undefined for a success): after a success or a refusal
   * the next request gets a new key, since the server would replay its answer to the old one; after
   * no answer, a server error or "still in progress" the key is kept for the retry.
   */
  answered(err?: unknown): void;
}

/**
 * idempotencyKeys gives a create form its Idempotency-Key: the same key while the body stays the
 * same and no answer has come (a save retried after a dropped connection counts once), a new one
 * when the answers change or the server has answered.
 */
export function idempotencyKeys(): IdempotencyKeys {
  let sent: { json: string; key: string } | null = null;
  const keyFor = (body: unknown) => {
    const json = JSON.stringify(body);
    if (sent?.json !== json) sent = { json, key: uuid() };
    return sent.key;
  };
  keyFor.answered = (err?: unknown) => {
    const kept = err !== undefined && (!(err instanceof ApiError) || err.status >= 500 || err.problem.code === 'in_progress');
    if (!kept) sent = null;
  };
  return keyFor;
}

/** uuid makes a random version 4 UUID; unlike crypto.randomUUID it works on plain http too. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
