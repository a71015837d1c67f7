import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import CentrePage from './CentrePage.svelte';

describe('Centre page', () => {
  it('always shows the address as text, with access, hours and contact', async () => {
    mockApi({ 'GET /centres/:id': { body: centre() } });
    render(CentrePage, { id: 'c1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Stretford Youth Centre' })).toBeInTheDocument();
    expect(screen.getByText(/1 Chester Road, Stretford, Manchester/)).toBeInTheDocument();
    expect(screen.getByText('Hearing loop')).toBeInTheDocument();
    const hours = screen.getByRole('table', { name: 'Opening hours' });
    const rows = within(hours).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Monday18:00 to 21:00');
    expect(screen.getByRole('link', { name: '0161 000 0000' })).toHaveAttribute('href', 'tel:01610000000');
    expect(screen.getByRole('heading', { name: 'Map' })).toBeInTheDocument();
  });

  it('says when the centre does not exist', async () => {
    mockApi({ 'GET /centres/:id': problem(404) });
    render(CentrePage, { id: 'nope' });
    expect(await screen.findByRole('heading', { name: 'Centre not found' })).toBeInTheDocument();
  });

  it('offers only an officer of the centre’s council to edit it', async () => {
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    mockApi({ 'GET /centres/:id': { body: centre() } });
    const first = render(CentrePage, { id: 'c1' });
    expect(await screen.findByRole('link', { name: 'Edit centre' })).toHaveAttribute('href', '/manage/centres/c1/edit');
    first.unmount();

    for (const user of [{ role: 'council_officer', council_id: 'k2' }, { role: 'centre_manager', council_id: 'k1' }, { role: 'young_person', council_id: null }] as const) {
      session.start(tokens(user));
      const page = render(CentrePage, { id: 'c1' });
      await screen.findByRole('heading', { level: 1, name: 'Stretford Youth Centre' });
      expect(screen.queryByRole('link', { name: 'Edit centre' }), user.role).not.toBeInTheDocument();
      page.unmount();
    }
  });

  it('says what the centre form just saved', async () => {
    history.replaceState(null, '', '/centres/c1?closed=1');
    const stop = start();
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    mockApi({ 'GET /centres/:id': { body: centre({ status: 'closed' }) } });
    render(CentrePage, { id: 'c1' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The centre is closed. Its sessions still to come have been cancelled, and everyone booked or on the waiting list has been told.',
    );
    stop();
  });
});
