import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { ApiError, NetworkError, api, buildQuery, idempotencyKeys, isValidation, setAccessToken, uuid } from './index';
import { refresh } from './client';

describe('API client', () => {
  beforeEach(() => setAccessToken(null));

  it('sends the access token as a Bearer header, same-origin credentials and JSON', async () => {
    const { fetch, calls } = mockApi({ 'GET /me': { body: { id: 'u1' } } });
    setAccessToken('tok');
    await api.me();
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer tok');
    expect(fetch.mock.calls[0]![1]).toMatchObject({ credentials: 'same-origin' });
  });

  it('on a 401 refreshes once, then repeats the call with the new token', async () => {
    let meCalls = 0;
    const { calls } = mockApi({
      'GET /me': (req) => (++meCalls === 1 ? problem(401) : { body: { id: 'u1', auth: req.headers.get('Authorization') } }),
      'POST /auth/refresh': { body: { ...tokens(), access_token: 'fresh' } },
    });
    setAccessToken('stale');
    const me = (await api.me()) as unknown as { auth: string };
    expect(me.auth).toBe('Bearer fresh');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me', 'POST /auth/refresh', 'GET /me']);
  });

  it('gives up after one refresh that fails, with a 401 ApiError', async () => {
    const { calls } = mockApi({ 'GET /me': problem(401), 'POST /auth/refresh': problem(401) });
    setAccessToken('stale');
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2);
  });

  it('reads a server out of reach, or a page that is not the API, as no signal, not as signed out', async () => {
    for (const answer of [{ status: 503, body: { title: 'The service is busy' } }, { status: 502 }, { status: 200, body: '<html>Sign in to the Wi-Fi</html>' }]) {
      mockApi({ 'POST /auth/refresh': answer });
      await expect(refresh()).rejects.toBeInstanceOf(NetworkError);
    }
    mockApi({ 'POST /auth/refresh': problem(401) });
    await expect(refresh()).resolves.toBeNull();
  });

  it('shares one refresh between calls that fail together', async () => {
    let refreshes = 0;
    let authorised = false;
    mockApi({
      'GET /me': () => (authorised ? { body: {} } : problem(401)),
      'GET /me/bookings': () => (authorised ? { body: { items: [], total: 0 } } : problem(401)),
      'POST /auth/refresh': () => {
        refreshes++;
        authorised = true;
        return { body: tokens() };
      },
    });
    await Promise.all([api.me(), api.bookings.mine()]);
    expect(refreshes).toBe(1);
  });

  it('turns a 422 problem into field errors with the request id', async () => {
    mockApi({
      'POST /auth/register': problem(422, { errors: [{ field: 'email', message: 'Enter an email address' }] }),
    });
    const err = await api.auth
      .register({ first_name: '', last_name: '', date_of_birth: '', postcode: '', email: '', password: '' })
      .catch((e: unknown) => e);
    expect(isValidation(err)).toBe(true);
    expect((err as ApiError).fieldErrors).toEqual([{ field: 'email', message: 'Enter an email address' }]);
    expect((err as ApiError).requestId).toBe('req-123');
  });

  it('takes the request id from the header when the body has none, and reads Retry-After', async () => {
    mockApi({ 'POST /auth/login': { status: 429, body: { title: 'Too many' }, headers: { 'X-Request-Id': 'hdr-9', 'Retry-After': '30' } } });
    const err = (await api.auth.login('a@b.c', 'x').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.requestId).toBe('hdr-9');
    expect(err.retryAfter).toBe(30);
  });

  it('does not try to refresh when the login itself answers 401', async () => {
    const { calls } = mockApi({ 'POST /auth/login': problem(401) });
    await expect(api.auth.login('a@b.c', 'wrong')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
  });

  it('reports a NetworkError when the server cannot be reached', async () => {
    const { fetch } = mockApi({});
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(api.me()).rejects.toBeInstanceOf(NetworkError);
  });

  it('sends an Idempotency-Key with each booking', async () => {
    const { calls } = mockApi({ 'POST /sessions/:id/bookings': { status: 201, body: { id: 'b1' } } });
    setAccessToken('tok');
    await api.sessions.book('o1');
    expect(calls[0]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(calls[0]!.body).toEqual({});
  });
});

describe('buildQuery', () => {
  it('repeats arrays and leaves out empty values', () => {
    expect(buildQuery({ a: 'x', b: ['1', '2'], c: undefined, d: '', e: false, f: true, g: 0 })).toBe('?a=x&b=1&b=2&f=true&g=0');
    expect(buildQuery({})).toBe('');
  });
});

describe('uuid', () => {
  it('makes distinct version 4 UUIDs', () => {
    const a = uuid();
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(uuid());
  });
});

describe('idempotencyKeys', () => {
  it('keeps one key while the body is the same and makes a new one when it changes', () => {
    const keyFor = idempotencyKeys();
    const first = keyFor({ name: 'Sale Hub', lat: 53.42 });
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyFor({ name: 'Sale Hub', lat: 53.42 })).toBe(first);
    const changed = keyFor({ name: 'Sale Youth Hub', lat: 53.42 });
    expect(changed).not.toBe(first);
    expect(keyFor({ name: 'Sale Youth Hub', lat: 53.42 })).toBe(changed);
    // Each form has its own keys.
    expect(idempotencyKeys()({ name: 'Sale Hub', lat: 53.42 })).not.toBe(first);
  });

  it('keeps the key for a retry after no answer, and makes a new one after an answer', () => {
    const keyFor = idempotencyKeys();
    const body = { first_name: 'Jess' };
    const first = keyFor(body);
    keyFor.answered(new NetworkError(new TypeError('Failed to fetch')));
    expect(keyFor(body)).toBe(first);
    keyFor.answered(new ApiError(409, { status: 409, code: 'in_progress' }));
    expect(keyFor(body)).toBe(first);
    keyFor.answered(new ApiError(503, { status: 503 }));
    expect(keyFor(body)).toBe(first);
    // A refusal was stored against the key: trying again later is a new request.
    keyFor.answered(new ApiError(409, { status: 409, code: 'full' }));
    const second = keyFor(body);
    expect(second).not.toBe(first);
    keyFor.answered();
    expect(keyFor(body)).not.toBe(second);
  });
});
