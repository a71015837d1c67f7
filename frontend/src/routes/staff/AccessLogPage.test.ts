import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { navigate, start } from '../../lib/router/router.svelte';
import type { AuditEntry } from '../../lib/api/audit';
import AccessLogPage from './AccessLogPage.svelte';

const wes = { id: 'w1', name: 'Wes Worker', role: 'youth_worker' as const };
const sam = { id: 'y1', name: 'Sam J.', role: 'young_person' as const };
const priya = { id: 'w2', name: 'Priya Shah', role: 'youth_worker' as const };
const olu = { id: 'me', name: 'Olu Officer', role: 'council_officer' as const };

const entries: AuditEntry[] = [
  { id: 3, at: '2026-11-27T18:30:00+00:00', action: 'view_emergency_contact', reason: 'Fire drill', actor: wes, subject: sam },
  // Summer time: 17:05 UTC is 6:05pm in the UK.
  { id: 2, at: '2026-07-01T17:05:00Z', action: 'staff_changed', reason: 'role youth_worker → centre_manager', actor: olu, subject: priya },
  { id: 1, at: '2026-06-30T08:00:00Z', action: 'password_reset', reason: '', actor: null, subject: priya },
];

const page = (items: AuditEntry[], total = items.length) => ({ body: { items, total } });
const gets = (calls: Req[]) => calls.filter((c) => c.path === '/audit-log').map((c) => Object.fromEntries(c.query));

describe('Access log, as a council officer', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/access-log');
    session.start(tokens({ id: 'me', role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('lists who did what about whom, in plain words and UK time, newest first', async () => {
    const { calls } = mockApi({ 'GET /audit-log': page(entries) });
    render(AccessLogPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Access log' })).toBeInTheDocument();
    expect(document.title).toBe('Access log – youthhub');
    const table = await screen.findByRole('table', { name: 'Entries, newest first' });
    expect(screen.getByRole('heading', { level: 2, name: '3 entries' })).toBeInTheDocument();
    const cells = (name: RegExp) => within(within(table).getByRole('row', { name })).getAllByRole('cell').map((c) => c.textContent);

    expect(within(table).getAllByRole('rowheader').map((h) => h.textContent)).toEqual([
      'Friday 27 November 2026 at 6:30pm', 'Wednesday 1 July 2026 at 6:05pm', 'Tuesday 30 June 2026 at 9am',
    ]);
    expect(cells(/Friday 27 November 2026 at 6:30pm/)).toEqual([
      'WhoWes Worker, Youth worker', 'WhatEmergency contacts viewed', 'About whomSam J., Young person', 'WhyFire drill',
    ]);
    expect(cells(/Wednesday 1 July 2026 at 6:05pm/)).toEqual([
      'WhoOlu Officer, Council officer', 'WhatStaff account changed', 'About whomPriya Shah, Youth worker', 'Whyrole youth_worker → centre_manager',
    ]);
    // Nobody recorded, and no reason given, are said rather than left blank.
    expect(cells(/Tuesday 30 June 2026 at 9am/)).toEqual(['WhoNot known', 'WhatPassword reset by email', 'About whomPriya Shah, Youth worker', 'WhyNot given']);
    expect(gets(calls)).toEqual([{ limit: '50' }]);
    expect(screen.queryByRole('navigation', { name: /Page/ })).not.toBeInTheDocument();
  });

  it('puts the filters in the request and in the address, and asks again with them', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /audit-log': page(entries.slice(0, 1)) });
    render(AccessLogPage);
    await screen.findByRole('table');
    const what = screen.getByLabelText('What');
    expect(within(what).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Everything', 'Emergency contacts viewed', 'Staff account changed', 'Password changed', 'Password reset by email', 'Email address changed', 'Date of birth corrected',
      'Walk-in refused: wrong postcode', 'Found by a walk-in search', 'New email address asked for', 'Emergency details added at the door',
      'Consent given by a parent or guardian', 'Consent refused by a parent or guardian', 'Consent withdrawn by a parent or guardian',
    ]);
    await user.selectOptions(what, 'Emergency contacts viewed');
    const from = screen.getByRole('group', { name: 'From' });
    await user.type(within(from).getByLabelText('Day'), '1');
    await user.type(within(from).getByLabelText('Month'), '11');
    await user.type(within(from).getByLabelText('Year'), '2026');
    const to = screen.getByRole('group', { name: 'To' });
    await user.type(within(to).getByLabelText('Day'), '27');
    await user.type(within(to).getByLabelText('Month'), '11');
    await user.type(within(to).getByLabelText('Year'), '2026');
    await user.click(screen.getByRole('button', { name: 'Show' }));

    await expect.poll(() => gets(calls).length).toBe(2);
    expect(gets(calls)[1]).toEqual({ action: 'view_emergency_contact', from: '2026-11-01', to: '2026-11-27', limit: '50' });
    expect(window.location.pathname).toBe('/access-log');
    expect(window.location.search).toBe('?action=view_emergency_contact&from=2026-11-01&to=2026-11-27');
    // The count of what the filters found takes focus, as the top of new results would.
    await expect.poll(() => document.activeElement?.textContent).toBe('1 entry');
  });

  it('shows a bookmarked address’s filters in the form and asks for them', async () => {
    navigate('/access-log?action=password_changed&from=2026-03-07', { replace: true });
    const { calls } = mockApi({ 'GET /audit-log': page([]) });
    render(AccessLogPage);
    expect(await screen.findByText('Nothing recorded matches what you chose. Try other dates, or choose Everything.')).toBeInTheDocument();
    expect(gets(calls)).toEqual([{ action: 'password_changed', from: '2026-03-07', limit: '50' }]);
    expect(screen.getByLabelText('What')).toHaveValue('password_changed');
    const from = screen.getByRole('group', { name: 'From' });
    expect([within(from).getByLabelText('Day'), within(from).getByLabelText('Month'), within(from).getByLabelText('Year')].map((i) => (i as HTMLInputElement).value)).toEqual(['7', '3', '2026']);
    expect(within(screen.getByRole('group', { name: 'To' })).getByLabelText('Day')).toHaveValue('');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says when nothing has been recorded at all', async () => {
    mockApi({ 'GET /audit-log': page([]) });
    render(AccessLogPage);
    expect(await screen.findByText('Nothing has been recorded yet.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: '0 entries' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('pages through the log with Previous and Next, keeping the filters', async () => {
    const user = userEvent.setup();
    navigate('/access-log?action=view_emergency_contact&offset=50', { replace: true });
    const { calls } = mockApi({ 'GET /audit-log': page(entries.slice(0, 1), 120) });
    render(AccessLogPage);
    const pages = await screen.findByRole('navigation', { name: 'Page 2 of 3' });
    expect(within(pages).getByRole('link', { name: 'Previous' })).toHaveAttribute('href', '/access-log?action=view_emergency_contact');
    expect(within(pages).getByRole('link', { name: 'Next' })).toHaveAttribute('href', '/access-log?action=view_emergency_contact&offset=100');
    expect(gets(calls)[0]).toEqual({ action: 'view_emergency_contact', limit: '50', offset: '50' });

    await user.click(within(pages).getByRole('link', { name: 'Next' }));
    const last = await screen.findByRole('navigation', { name: 'Page 3 of 3' });
    expect(gets(calls)[1]).toEqual({ action: 'view_emergency_contact', limit: '50', offset: '100' });
    expect(window.location.search).toBe('?action=view_emergency_contact&offset=100');
    expect(within(last).queryByRole('link', { name: 'Next' })).not.toBeInTheDocument();
    expect(within(last).getByRole('link', { name: 'Previous' })).toHaveAttribute('href', '/access-log?action=view_emergency_contact&offset=50');
    await expect.poll(() => document.activeElement?.textContent).toBe('120 entries');
  });

  it('finds a date that does not exist before asking, and says so beside it', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /audit-log': page(entries) });
    render(AccessLogPage);
    await screen.findByRole('table');
    const from = screen.getByRole('group', { name: /From/ });
    await user.type(within(from).getByLabelText('Day'), '31');
    await user.type(within(from).getByLabelText('Month'), '2');
    await user.type(within(from).getByLabelText('Year'), '2026');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'From must be a real date' })).toHaveAttribute('href', '#from-day');
    expect(screen.getByRole('group', { name: /From/ })).toHaveAccessibleDescription(/Error: From must be a real date/);
    expect(document.title).toBe('Error: Access log – youthhub');
    expect(gets(calls)).toHaveLength(1);
  });

  it('shows the API’s field errors in a summary linking to each field', async () => {
    navigate('/access-log?action=peeked&to=2026-02-30', { replace: true });
    mockApi({
      'GET /audit-log': problem(422, {
        errors: [
          { field: 'to', message: 'To must be a real date' },
          { field: 'action', message: 'Choose what to show from the list' },
        ],
      }),
    });
    render(AccessLogPage);
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Choose what to show from the list', '#action'],
      ['To must be a real date', '#to-day'],
    ]);
    expect(screen.getByLabelText('What')).toHaveAccessibleDescription('Error: Choose what to show from the list');
    expect(document.title).toBe('Error: Access log – youthhub');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });
});

describe('Access log, as anyone else', () => {
  it('tells a centre manager the page is for council officers, and asks the API nothing', async () => {
    history.replaceState(null, '', '/access-log');
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    const { calls } = mockApi({});
    render(AccessLogPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Access log' })).toBeInTheDocument();
    expect(screen.getByText('Only council officers can see this page.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show' })).not.toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
