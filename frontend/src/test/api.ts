import { vi } from 'vitest';
import type { TokenResponse, User } from '../lib/api';

/** Req is what a test handler sees of a request the API client made. */
export interface Req {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

/** Reply is what a handler answers: a status (200 by default), a JSON body and headers. */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = Reply | ((req: Req) => Reply | Promise<Reply>);

/**
 * mockApi replaces fetch, the API client's only way out, with a table of answers keyed by
 * "METHOD /path" under /api/v1 (":name" matches a segment). An unlisted call answers 404 and
 * is recorded, so a test sees what it forgot.
 */
export function mockApi(table: Record<string, Handler>) {
  const calls: Req[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const req: Req = {
      method, path, params: {}, query: url.searchParams, headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(req);
    let handler: Handler | undefined;
    for (const [key, h] of Object.entries(table)) {
      const [m, pattern] = key.split(' ') as [string, string];
      if (m !== method) continue;
      const params = matchPath(pattern, path);
      if (params) {
        req.params = params;
        handler = h;
        break;
      }
    }
    const reply: Reply = handler === undefined ? { status: 404, body: { title: 'Not found', status: 404 } } : typeof handler === 'function' ? await handler(req) : handler;
    const status = reply.status ?? 200;
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    const body = status === 204 || reply.body === undefined ? null : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(body, { status, headers: { 'Content-Type': type, ...reply.headers } });
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls };
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

/** tokens builds a login answer for a person with role. */
export function tokens(user: Partial<User> = {}): TokenResponse {
  return {
    access_token: 'access-1',
    token_type: 'Bearer',
    expires_in: 900,
    user: { id: 'u1', role: 'young_person', council_id: null, first_name: 'Sam', ...user },
  };
}

/** problem builds an RFC 9457 answer. */
export function problem(status: number, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { type: 'about:blank', title: 'Problem', status, request_id: 'req-123', ...extra } };
}
