import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem } from '../../test/api';
import ConsentPage from './ConsentPage.svelte';

describe('Guardian consent', () => {
  it('shows the child’s first name and records the decision', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /consent/:token': { body: { child_first_name: 'Ava', requested_at: '2025-11-20T10:00:00Z', status: 'pending' } },
      'POST /consent/:token': { body: { status: 'given' } },
    });
    render(ConsentPage, { token: 'tok-1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Give consent for Ava to use youthhub' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'What Ava signed up for' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Give consent' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Consent given' })).toBeInTheDocument();
    expect(calls[1]).toMatchObject({ method: 'POST', path: '/consent/tok-1', body: { decision: 'give' } });
  });

  it('records a refusal', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /consent/:token': { body: { child_first_name: 'Ava', requested_at: '2025-11-20T10:00:00Z', status: 'pending' } },
      'POST /consent/:token': { body: { status: 'refused' } },
    });
    render(ConsentPage, { token: 'tok-1' });
    await user.click(await screen.findByRole('button', { name: 'Do not give consent' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Consent not given' })).toBeInTheDocument();
    expect(calls[1]!.body).toEqual({ decision: 'refuse' });
  });

  it('withdraws consent with the same link once it is given, and offers nothing else', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /consent/:token': { body: { child_first_name: 'Ava', requested_at: '2025-11-20T10:00:00Z', status: 'given' } },
      'POST /consent/:token': { body: { status: 'withdrawn' } },
    });
    render(ConsentPage, { token: 'tok-1' });
    expect(await screen.findByText('You have already given consent.')).toBeInTheDocument();
    // Answered: the page says so, and no longer asks.
    expect(screen.getByRole('heading', { level: 1, name: 'You gave consent for Ava to use youthhub' })).toBeInTheDocument();
    expect(screen.queryByText(/asked you to say yes/)).not.toBeInTheDocument();
    expect(screen.queryByText('They cannot book a session until you give consent.')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Give consent' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Do not give consent' })).not.toBeInTheDocument();
    // Asked twice: the first press only warns, and "No" keeps it.
    await user.click(screen.getByRole('button', { name: 'Withdraw consent for Ava' }));
    expect(screen.getByText(/Are you sure\? Ava will not be able to book sessions/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'No, keep consent' }));
    expect(calls).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Withdraw consent for Ava' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Withdraw consent for Ava' }));
    await user.click(screen.getByRole('button', { name: 'Yes, withdraw consent' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Consent withdrawn' })).toBeInTheDocument();
    expect(screen.getByText('Ava cannot book sessions. Their bookings of sessions that had not started were cancelled.')).toBeInTheDocument();
    expect(calls[1]!.body).toEqual({ decision: 'withdraw' });
  });

  it('lets the guardian change their mind once consent was refused or withdrawn', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /consent/:token': { body: { child_first_name: 'Ava', requested_at: '2025-11-20T10:00:00Z', status: 'withdrawn' } },
      'POST /consent/:token': { body: { status: 'given' } },
    });
    render(ConsentPage, { token: 'tok-1' });
    expect(await screen.findByText('Consent has been withdrawn.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'You withdrew consent for Ava to use youthhub' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Do not give consent' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Give consent' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Consent given' })).toBeInTheDocument();
    expect(calls[1]!.body).toEqual({ decision: 'give' });
  });

  it('says when the link is not valid', async () => {
    mockApi({ 'GET /consent/:token': problem(404) });
    render(ConsentPage, { token: 'old' });
    expect(await screen.findByRole('heading', { name: 'This link is not valid' })).toBeInTheDocument();
  });
});
