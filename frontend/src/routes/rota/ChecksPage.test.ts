import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import ChecksPage from './ChecksPage.svelte';

const due = {
  user_id: 'w5', name: 'Jack Murphy', check: 'dbs', due: '2026-12-17', days_left: 20, status: 'due_soon',
  message: 'Jack Murphy’s DBS check runs out on 17 December 2026, in 20 days',
};
const missing = { user_id: 'w6', name: 'Olivia Brown', check: 'first_aid', due: null, days_left: null, status: 'missing', message: 'Olivia Brown has no first-aid certificate recorded' };

describe('Checks due', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/rota/checks');
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('lists each check with its status in words, and looks further ahead when asked', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /rota/expiring': { body: { items: [missing, due], total: 2 } } });
    render(ChecksPage);
    const table = await screen.findByRole('table', { name: 'Checks missing, out of date or due within 30 days' });
    const jack = within(table).getByRole('row', { name: /Jack Murphy/ });
    expect(jack).toHaveTextContent('DBS check');
    expect(jack).toHaveTextContent('17 December 2026');
    expect(within(jack).getByText('Due soon')).toHaveClass('govuk-tag');
    expect(within(table).getByRole('row', { name: /Olivia Brown/ })).toHaveTextContent('Not recorded');
    expect(calls[0]!.query.get('days')).toBe('30');

    await user.selectOptions(screen.getByLabelText('Due within'), '90 days');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await expect.poll(() => calls.at(-1)!.query.get('days')).toBe('90');
  });

  it('says when nothing is due', async () => {
    mockApi({ 'GET /rota/expiring': { body: { items: [], total: 0 } } });
    render(ChecksPage);
    expect(await screen.findByText('No checks are missing, out of date or due within 30 days.')).toBeInTheDocument();
  });
});
