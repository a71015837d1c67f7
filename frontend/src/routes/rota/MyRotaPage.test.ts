import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { myShift, swap } from './fixtures';
import MyRotaPage from './MyRotaPage.svelte';

describe('My rota', () => {
  beforeEach(() => {
    session.start(tokens({ id: 'me', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' }));
  });

  it('lists my shifts and offers one to colleagues', async () => {
    const user = userEvent.setup();
    let offered = false;
    const mine = swap({ id: 'sw2', shift_id: 'sh1', offered_by: 'me', offered_by_name: 'Wes Worker', title: 'Friday youth club' });
    const { calls } = mockApi({
      'GET /me/rota': { body: { items: [myShift(), myShift({ id: 'sh2', title: 'Music studio', occurrence_status: 'cancelled' })], total: 2 } },
      'GET /swaps': () => ({ body: { items: offered ? [mine] : [], total: offered ? 1 : 0 } }),
      'POST /shifts/:id/swap': () => {
        offered = true;
        return { status: 201, body: mine };
      },
    });
    render(MyRotaPage);
    const club = await screen.findByRole('article', { name: 'Friday youth club' });
    expect(within(club).getByText('at Gorse Hill Youth Centre')).toBeInTheDocument();
    expect(within(club).getByText('Role: Worker')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'Music studio' })).getByText('Session cancelled')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'Music studio' })).queryByRole('button')).not.toBeInTheDocument();

    await user.click(within(club).getByRole('button', { name: /Offer this shift to a colleague/ }));
    expect(await screen.findByText(/You have offered Friday youth club to your colleagues/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.path).toBe('/shifts/sh1/swap');
    expect(within(club).getByText('Offered to colleagues')).toBeInTheDocument();
    expect(within(club).getByRole('button', { name: /Withdraw offer/ })).toBeInTheDocument();
  });

  it('links to my own staff record', async () => {
    mockApi({ 'GET /me/rota': { body: { items: [], total: 0 } }, 'GET /swaps': { body: { items: [], total: 0 } } });
    render(MyRotaPage);
    expect(await screen.findByRole('link', { name: 'My record (DBS, training, availability)' })).toHaveAttribute('href', '/staff/me/record');
  });

  it('tries an offer again with the same Idempotency-Key after no answer came', async () => {
    const user = userEvent.setup();
    let offered = false;
    let tries = 0;
    const mine = swap({ id: 'sw2', shift_id: 'sh1', offered_by: 'me', offered_by_name: 'Wes Worker', title: 'Friday youth club' });
    const { calls } = mockApi({
      'GET /me/rota': { body: { items: [myShift()], total: 1 } },
      'GET /swaps': () => ({ body: { items: offered ? [mine] : [], total: offered ? 1 : 0 } }),
      'POST /shifts/:id/swap': () => {
        if (++tries === 1) throw new TypeError('Failed to fetch'); // the signal dropped
        offered = true;
        return { status: 201, body: mine };
      },
    });
    render(MyRotaPage);
    const club = await screen.findByRole('article', { name: 'Friday youth club' });
    await user.click(within(club).getByRole('button', { name: /Offer this shift to a colleague/ }));
    await user.click(await within(club).findByRole('button', { name: /Offer this shift to a colleague/ }));
    expect(await screen.findByText(/You have offered Friday youth club to your colleagues/)).toBeInTheDocument();
    const keys = calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it('takes a colleague’s offered shift', async () => {
    const user = userEvent.setup();
    let accepted = false;
    const offer = swap();
    const { calls } = mockApi({
      'GET /me/rota': { body: { items: [], total: 0 } },
      'GET /swaps': () => ({ body: { items: [accepted ? { ...offer, status: 'accepted', accepted_by: 'me', accepted_by_name: 'Wes Worker' } : offer], total: 1 } }),
      'POST /swaps/:id/accept': () => {
        accepted = true;
        return { body: { ...offer, status: 'accepted' } };
      },
    });
    render(MyRotaPage);
    expect(await screen.findByText('You have no shifts in the next 8 weeks.')).toBeInTheDocument();
    const card = screen.getByRole('article', { name: 'Music studio' });
    expect(within(card).getByText('Offered by Tom Evans')).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: /Take this shift/ }));
    expect(await screen.findByText(/You have asked to take Music studio\. A manager needs to approve it/)).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.path).toBe('/swaps/sw1/accept');
    expect(within(screen.getByRole('article', { name: 'Music studio' })).getByText('Waiting for a manager')).toBeInTheDocument();
  });

  it('shows a refusal to take a shift in the API’s words', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /me/rota': { body: { items: [], total: 0 } },
      'GET /swaps': { body: { items: [swap()], total: 1 } },
      'POST /swaps/:id/accept': problem(422, { title: 'This shift breaks a rule', detail: 'Wes Worker is already on a shift from 17:00 to 19:00 on Wednesday 4 December, which overlaps this one.' }),
    });
    render(MyRotaPage);
    await user.click(await screen.findByRole('button', { name: /Take this shift/ }));
    expect(await screen.findByText(/Wes Worker is already on a shift from 17:00 to 19:00/)).toBeInTheDocument();
  });

  it('makes a private calendar address, explains it and copies it', async () => {
    const user = userEvent.setup();
    const url = 'http://localhost:8080/api/v1/calendar/rota/s3cr3t.ics';
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { calls } = mockApi({
      'GET /me/rota': { body: { items: [myShift()], total: 1 } },
      'GET /swaps': { body: { items: [], total: 0 } },
      'POST /me/rota/calendar': { body: { url } },
    });
    render(MyRotaPage);
    await user.click(await screen.findByRole('button', { name: 'Subscribe to my rota' }));
    const address = await screen.findByLabelText('Your private calendar address');
    expect(address).toHaveValue(url);
    expect(address).toHaveFocus();
    expect(address).toHaveAccessibleDescription(/From URL.*Keep this address private/);
    expect(calls.find((c) => c.method === 'POST')!.path).toBe('/me/rota/calendar');

    await user.click(screen.getByRole('button', { name: 'Copy address' }));
    expect(writeText).toHaveBeenCalledWith(url);
    expect(await screen.findByRole('status')).toHaveTextContent('Address copied');
  });
});
