import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import CentresPage from './CentresPage.svelte';

describe('Youth centres', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/centres');
    return start();
  });

  it('filters by who runs a centre and by access features', async () => {
    const user = userEvent.setup();
    session.start({ ...tokens(), user: { id: 'u1', role: 'young_person', council_id: null, first_name: 'Sam' } });
    const { calls } = mockApi({ 'GET /centres': { body: { items: [centre()], total: 1 } } });
    render(CentresPage);
    expect(await screen.findByRole('link', { name: 'Stretford Youth Centre' })).toHaveAttribute('href', '/centres/c1');
    expect(screen.getByText('1 centre')).toBeInTheDocument();
    expect(screen.getByText('Run by: Council · Trafford Council')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Who runs it'), 'Charity');
    await user.click(screen.getByLabelText('Step-free access'));
    await user.click(screen.getByLabelText('Quiet space'));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    await expect.poll(() => calls.length).toBe(2);
    expect(calls[1]!.query.get('provider_type')).toBe('charity');
    expect(calls[1]!.query.getAll('access_feature')).toEqual(['step_free', 'quiet_space']);
    expect(calls[1]!.query.get('council_id')).toBeNull();
    // Closed centres are no use to someone looking for one: only open ones are listed.
    expect(calls.map((c) => c.query.get('status'))).toEqual(['open', 'open']);
  });

  it('shows council staff their own council’s centres', async () => {
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    const { calls } = mockApi({ 'GET /centres': { body: { items: [centre()], total: 1 } } });
    render(CentresPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeInTheDocument();
    await screen.findByRole('link', { name: 'Stretford Youth Centre' });
    expect(calls[0]!.query.get('council_id')).toBe('k1');
    expect(calls[0]!.query.get('status')).toBeNull(); // staff see closed and planned ones too
    expect(screen.getByRole('link', { name: 'Add a centre' })).toHaveAttribute('href', '/manage/centres/new');
  });

  it('offers “Add a centre” to council officers only', async () => {
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    mockApi({ 'GET /centres': { body: { items: [centre()], total: 1 } } });
    render(CentresPage);
    await screen.findByRole('link', { name: 'Stretford Youth Centre' });
    expect(screen.queryByRole('link', { name: 'Add a centre' })).not.toBeInTheDocument();
  });
});
