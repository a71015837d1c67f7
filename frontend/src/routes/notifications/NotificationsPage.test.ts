import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { mockApi } from '../../test/api';
import NotificationsPage from './NotificationsPage.svelte';

describe('Notifications', () => {
  it('lists notifications, marks the new ones, and tells the server they were seen', async () => {
    const { calls } = mockApi({
      'GET /me/notifications': {
        body: {
          items: [
            { id: 'n1', kind: 'waitlist_promoted', message: 'A place came up at Football.', created_at: '2025-11-20T18:00:00Z', read_at: null },
            { id: 'n2', kind: 'booking_confirmed', message: 'You are booked on Music studio.', created_at: '2025-11-19T18:00:00Z', read_at: '2025-11-19T19:00:00Z' },
          ],
          total: 2,
        },
      },
      'POST /me/notifications/read': { status: 204 },
    });
    render(NotificationsPage);
    expect(await screen.findByText('A place came up at Football.')).toBeInTheDocument();
    expect(screen.getAllByText('New')).toHaveLength(1);
    await expect.poll(() => calls.some((c) => c.method === 'POST' && c.path === '/me/notifications/read')).toBe(true);
  });

  it('says when there are none', async () => {
    mockApi({ 'GET /me/notifications': { body: { items: [], total: 0 } } });
    render(NotificationsPage);
    expect(await screen.findByText('You have no notifications.')).toBeInTheDocument();
  });
});
