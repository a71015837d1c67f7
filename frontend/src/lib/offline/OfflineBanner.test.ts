import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb } from './db';
import OfflineBanner from './OfflineBanner.svelte';
import { enqueue, refuse } from './queue';
import { offline, reachable, resetSync, setUser } from './sync.svelte';

const mark = (young_person_id: string, name: string) => ({
  occurrence_id: 'o1', user_id: 'w1', young_person_id, name, status: 'present' as const, session_ends_at: new Date(Date.now() + 3600_000).toISOString(),
});

beforeEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
  resetSync();
});

afterEach(() => resetSync());

describe('The offline banner', () => {
  it('is not there while online with nothing waiting', async () => {
    await setUser('w1');
    render(OfflineBanner, { here: '/register/o1' });
    expect(screen.queryByTestId('offline-banner')).not.toBeInTheDocument();
  });

  it('says the phone is offline and how many marks wait, in a live region', async () => {
    await enqueue(mark('yp1', 'Yasmin Y.'));
    await enqueue(mark('yp2', 'Charlie C.'));
    await setUser('w1');
    reachable(false);
    render(OfflineBanner, { here: '/register/o1' });
    const banner = screen.getByRole('region', { name: 'You are offline' });
    expect(within(banner).getByRole('status')).toHaveTextContent('Waiting to send: 2');
    expect(banner).toHaveTextContent('Marks are saved on this phone and sent when the connection comes back.');
    expect(banner).toHaveTextContent('signing out deletes them from this phone');
  });

  it('lists marks the server refused, with its reason, until the worker has read them', async () => {
    const user = userEvent.setup();
    const m = await enqueue(mark('yp1', 'Yasmin Y.'));
    await refuse([{ client_id: m.client_id, code: 'not_on_register', reason: 'This young person is not on the register of this session' }]);
    await setUser('w1');
    render(OfflineBanner, { here: '/register/o1' });
    const banner = screen.getByRole('region', { name: 'Some marks were not saved' });
    expect(within(banner).getByRole('listitem')).toHaveTextContent('Yasmin Y., present: This young person is not on the register of this session');
    expect(within(banner).getByRole('status')).toHaveTextContent('Waiting to send: 0');
    await user.click(within(banner).getByRole('button', { name: 'I have read this' }));
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).not.toBeInTheDocument());
    expect(offline.refused).toHaveLength(0);
  });
});
