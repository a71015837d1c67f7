import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { mockApi } from '../../test/api';
import type { Me } from '../../lib/api';
import AccountPage from './AccountPage.svelte';

const me: Me = {
  id: 'u1', role: 'young_person', council_id: null, first_name: 'Ava', last_name: 'Jones', email: 'ava@example.org',
  date_of_birth: '2015-03-27', postcode: 'M32 0JG', consent_status: 'pending', guardian_email: 'mum@example.org',
  consent_requested_at: '2025-11-20T10:00:00Z',
};

describe('My account', () => {
  it('says when and whom we asked for consent', async () => {
    mockApi({ 'GET /me': { body: me } });
    render(AccountPage);
    expect(await screen.findByText('We asked mum@example.org for consent on Thursday 20 November 2025.')).toBeInTheDocument();
    expect(screen.getByText('27 March 2015')).toBeInTheDocument();
  });

  it('shows consent given and withdrawn', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'given' } } });
    const { unmount } = render(AccountPage);
    expect(await screen.findByText('mum@example.org gave consent. You can book sessions.')).toBeInTheDocument();
    unmount();

    mockApi({ 'GET /me': { body: { ...me, consent_status: 'withdrawn' } } });
    render(AccountPage);
    expect(await screen.findByText('mum@example.org withdrew consent. You cannot book new sessions.')).toBeInTheDocument();
  });

  it('says nothing about consent to someone who does not need it', async () => {
    mockApi({ 'GET /me': { body: { ...me, consent_status: 'not_needed', guardian_email: null } } });
    render(AccountPage);
    expect(await screen.findByText('ava@example.org')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Parent or guardian consent' })).not.toBeInTheDocument();
  });
});
