import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockApi } from '../../test/api';
import { booking } from '../../test/fixtures';
import SignOutPage from '../../routes/sign-out/SignOutPage.svelte';
import { setAccessToken } from '../api/client';
import { loadIdentity, saveIdentity } from './cache';
import { closeDb } from './db';
import { enqueue, queued } from './queue';
import { resetSync } from './sync.svelte';
import { closeTickets, keepTickets, loadTickets } from './tickets';

const worker = { id: 'w1', role: 'youth_worker' as const, council_id: 'k1', first_name: 'Wes' };

beforeEach(async () => {
  await closeDb();
  await closeTickets();
  globalThis.indexedDB = new IDBFactory();
  resetSync();
  setAccessToken('access-1');
});

afterEach(() => {
  resetSync();
  setAccessToken(null);
});

describe('Signing out with register marks on the phone', () => {
  it('asks before deleting marks it could not send, then wipes the phone’s copy', async () => {
    const user = userEvent.setup();
    await saveIdentity(worker);
    await enqueue({ occurrence_id: 'o1', user_id: 'w1', young_person_id: 'yp1', name: 'Yasmin Y.', status: 'present', session_ends_at: new Date(Date.now() + 3600_000).toISOString() });
    const { calls } = mockApi({
      'POST /sessions/:id/register/marks': () => {
        throw new TypeError('Failed to fetch');
      },
      'POST /auth/logout': { status: 204 },
    });
    render(SignOutPage);

    expect(await screen.findByRole('heading', { level: 1, name: 'Marks not sent yet' })).toBeInTheDocument();
    expect(screen.getByText(/1 register mark made on this phone has not been sent\. If you sign out now, it will be deleted\./)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go back to the register' })).toHaveAttribute('href', '/register/today');
    expect(calls.some((c) => c.path === '/auth/logout')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Sign out and delete them' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'You have signed out' })).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/auth/logout')).toBe(true);
    expect(await queued()).toEqual([]);
    expect(await loadIdentity()).toBeUndefined();
  });

  it('sends the marks it can first, and then signs out without asking', async () => {
    await saveIdentity(worker);
    const m = await enqueue({ occurrence_id: 'o1', user_id: 'w1', young_person_id: 'yp1', name: 'Yasmin Y.', status: 'present', session_ends_at: new Date(Date.now() + 3600_000).toISOString() });
    const { calls } = mockApi({
      'POST /sessions/:id/register/marks': { body: { results: [{ client_id: m.client_id, outcome: 'stored' }], stored: 1, superseded: 0, duplicate: 0, refused: 0 } },
      'POST /auth/logout': { status: 204 },
    });
    render(SignOutPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'You have signed out' })).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toEqual(['/sessions/o1/register/marks', '/auth/logout']);
    expect(await queued()).toEqual([]);
  });
});

describe('Signing out a young person', () => {
  it('wipes their tickets kept for the door', async () => {
    await keepTickets('u1', [booking()]);
    const { calls } = mockApi({ 'POST /auth/logout': { status: 204 } });
    render(SignOutPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'You have signed out' })).toBeInTheDocument();
    expect(calls.map((c) => c.path)).toEqual(['/auth/logout']);
    expect(await loadTickets(null)).toBeUndefined();
    // A young person's sign-out makes no register database on the phone.
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('youthhub-offline');
  });
});
