import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { addDays, formatDateOnly, londonDate } from '../../lib/format';
import type { StaffRecord } from '../../lib/api/staffing';
import RecordPage from './RecordPage.svelte';

const today = londonDate(new Date());
const far = addDays(today, 400);
const soon = addDays(today, 10);
const past = addDays(today, -3);

function record(over: Partial<StaffRecord> = {}): StaffRecord {
  return {
    user_id: 'w1', council_id: 'k1', role: 'youth_worker', first_name: 'Wes', last_name: 'Worker', date_of_birth: '1995-04-01',
    recorded: true, qualification: 'jnc3', dbs_certificate_number: '001234567890', dbs_issue_date: '2024-03-01',
    dbs_update_service: true, dbs_next_check_due: far, dbs_enhanced: true, dbs_barred_list_checked: true, on_barred_list: false,
    first_aid_expires: soon, safeguarding_expires: past, contracted_hours: 22.5, opted_out_48h: false, volunteer: false,
    centre_ids: ['c1'], availability: [{ day: 'monday', from: '17:00', to: '22:00' }],
    leave: [{ from_date: '2026-08-03', to_date: '2026-08-14', note: 'Annual leave' }],
    calendar_subscribed: false, updated_at: '2025-11-20T10:00:00Z',
    ...over,
  };
}

const centres = { body: { items: [centre(), centre({ id: 'c2', name: 'Sale Youth Hub' })], total: 2 } };

// The row of the "Checks the rota needs" list for a check.
const checkRow = (name: string) => screen.getByText(name, { selector: 'dt' }).parentElement!;

async function setDate(user: ReturnType<typeof userEvent.setup>, group: HTMLElement, d: string, m: string, y: string) {
  for (const [label, v] of [['Day', d], ['Month', m], ['Year', y]] as const) {
    const box = within(group).getByLabelText(label);
    await user.clear(box);
    await user.type(box, v);
  }
}

describe('A staff record', () => {
  beforeEach(() => {
    session.start(tokens({ id: 'm1', role: 'centre_manager', council_id: 'k1', first_name: 'Mo' }));
  });

  it('loads the record into the form, section by section, and tags checks expired or expiring soon', async () => {
    mockApi({ 'GET /staff/:id/record': { body: record() }, 'GET /centres': centres });
    render(RecordPage, { id: 'w1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Staff record for Wes Worker' })).toBeInTheDocument();
    expect(document.title).toBe('Staff record for Wes Worker – youthhub');
    for (const section of ['Qualifications', 'DBS check', 'First aid and safeguarding', 'Hours and Working Time', 'Centres', 'Availability', 'Leave']) {
      expect(screen.getByRole('heading', { level: 2, name: section })).toBeInTheDocument();
    }
    expect(screen.getByLabelText('JNC level 3')).toBeChecked();
    expect(screen.getByLabelText('Certificate number (optional)')).toHaveValue('001234567890');
    const issued = screen.getByRole('group', { name: 'Date of issue (optional)' });
    expect([within(issued).getByLabelText('Day'), within(issued).getByLabelText('Month'), within(issued).getByLabelText('Year')].map((i) => (i as HTMLInputElement).value)).toEqual(['1', '3', '2024']);
    expect(screen.getByLabelText('Enhanced check')).toBeChecked();
    expect(screen.getByLabelText('The children’s barred list was checked')).toBeChecked();
    expect(screen.getByLabelText('Subscribed to the DBS Update Service')).toBeChecked();
    expect(screen.getByLabelText('No')).toBeChecked();
    expect(within(screen.getByRole('group', { name: 'Safeguarding training valid until' })).getByLabelText('Year')).toHaveValue(past.slice(0, 4));
    expect(screen.getByLabelText('Contracted hours a week')).toHaveValue('22.5');
    expect(screen.getByLabelText('They have opted out of the 48-hour week')).not.toBeChecked();
    expect(screen.getByLabelText('Stretford Youth Centre')).toBeChecked();
    expect(screen.getByLabelText('Sale Youth Hub')).not.toBeChecked();
    const window1 = screen.getByRole('group', { name: 'Time they can work 1' });
    expect(within(window1).getByLabelText('Day')).toHaveValue('monday');
    expect(within(window1).getByLabelText('From')).toHaveValue('17:00');
    expect(within(screen.getByRole('group', { name: 'Leave 1' })).getByLabelText('Note (optional)')).toHaveValue('Annual leave');

    // Safeguarding ran out 3 days ago, first aid runs out in 10 days, the DBS check in over a year.
    expect(within(checkRow('Safeguarding training')).getByText('Expired')).toHaveClass('govuk-tag--red');
    expect(within(checkRow('Safeguarding training')).getByText(`Expired on ${formatDateOnly(past)}`)).toBeInTheDocument();
    expect(within(checkRow('First-aid certificate')).getByText('Expires soon')).toHaveClass('govuk-tag--yellow');
    expect(within(checkRow('DBS check')).getByText(`Valid until ${formatDateOnly(far)}`)).toBeInTheDocument();
    expect(within(checkRow('DBS check')).queryByText(/Expire/)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to staff' })).toHaveAttribute('href', '/staff');
  });

  it('saves the whole record, centres, availability and leave included, and says so', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /staff/:id/record': { body: record() },
      'GET /centres': centres,
      'PUT /staff/:id/record': (req) => ({ body: record({ ...(req.body as Partial<StaffRecord>), updated_at: new Date().toISOString() }) }),
    });
    render(RecordPage, { id: 'w1' });
    await setDate(user, await screen.findByRole('group', { name: 'First-aid certificate valid until (optional)' }), '31', '12', '2030');
    await setDate(user, screen.getByRole('group', { name: 'Safeguarding training valid until' }), '1', '1', '2031');
    await user.click(screen.getByLabelText('Sale Youth Hub'));
    await user.click(screen.getByRole('button', { name: 'Add a time they can work' }));
    const window2 = screen.getByRole('group', { name: 'Time they can work 2' });
    // The new row takes focus and starts on the day after the last.
    expect(within(window2).getByLabelText('Day')).toHaveFocus();
    expect(within(window2).getByLabelText('Day')).toHaveValue('tuesday');
    await user.type(within(window2).getByLabelText('From'), '9.30');
    await user.type(within(window2).getByLabelText('To'), '24:00');
    await user.click(screen.getByRole('button', { name: 'Remove leave 1' }));
    expect(screen.getByText('No leave added.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add leave' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save record' }));

    expect(await screen.findByText('Record saved')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe('/staff/w1/record');
    // PUT replaces the record: every field is sent, as it was unless changed.
    expect(put.body).toEqual({
      qualification: 'jnc3', dbs_certificate_number: '001234567890', dbs_issue_date: '2024-03-01', dbs_update_service: true,
      dbs_next_check_due: far, dbs_enhanced: true, dbs_barred_list_checked: true, on_barred_list: false,
      first_aid_expires: '2030-12-31', safeguarding_expires: '2031-01-01', contracted_hours: 22.5, opted_out_48h: false, volunteer: false,
      centre_ids: ['c1', 'c2'],
      availability: [{ day: 'monday', from: '17:00', to: '22:00' }, { day: 'tuesday', from: '09:30', to: '24:00' }],
      leave: [],
    });
    // The checks list shows what was saved: safeguarding is valid again.
    expect(within(checkRow('Safeguarding training')).queryByText('Expired')).not.toBeInTheDocument();
    expect(within(checkRow('Safeguarding training')).getByText('Valid until 1 January 2031')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Time they can work 2' })).getByLabelText('From')).toHaveValue('09:30');
  });

  it('shows the API’s field errors in a summary, each linked to its field and beside it', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /staff/:id/record': { body: record() },
      'GET /centres': centres,
      'PUT /staff/:id/record': problem(422, {
        title: 'Invalid request',
        errors: [
          { field: 'leave[0].note', message: 'Note must be 200 characters or fewer' },
          { field: 'availability[0].to', message: 'To must be after from' },
          { field: 'dbs_next_check_due', message: 'The next DBS check cannot be due before the certificate was issued' },
        ],
      }),
    });
    render(RecordPage, { id: 'w1' });
    await user.click(await screen.findByRole('button', { name: 'Save record' }));

    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    // In the order of the form.
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['The next DBS check cannot be due before the certificate was issued', '#dbs_next_check_due-day'],
      ['To must be after from', '#availability-1-to'],
      ['Note must be 200 characters or fewer', '#leave-1-note'],
    ]);
    expect(screen.getByRole('group', { name: 'Next check due' })).toHaveAccessibleDescription(/Error: The next DBS check cannot be due/);
    expect(within(screen.getByRole('group', { name: 'Time they can work 1' })).getByLabelText('To')).toHaveAccessibleDescription('Error: To must be after from');
    expect(within(screen.getByRole('group', { name: 'Time they can work 1' })).getByLabelText('From')).not.toHaveAccessibleDescription();
    expect(screen.getByLabelText('Note (optional)')).toHaveAccessibleDescription(/Error: Note must be 200 characters or fewer/);
    expect(document.title).toBe('Error: Staff record for Wes Worker – youthhub');
    expect(screen.queryByText('Record saved')).not.toBeInTheDocument();
  });

  it('refuses what is not a date, a number or a time before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /staff/:id/record': { body: record({ availability: [], leave: [] }) }, 'GET /centres': centres });
    render(RecordPage, { id: 'w1' });
    const number = await screen.findByLabelText('Certificate number (optional)');
    await user.clear(number);
    await user.type(number, '1234');
    await setDate(user, screen.getByRole('group', { name: 'First-aid certificate valid until (optional)' }), '30', '2', '2027');
    await user.clear(screen.getByLabelText('Contracted hours a week'));
    await user.type(screen.getByLabelText('Contracted hours a week'), 'lots');
    await user.click(screen.getByRole('button', { name: 'Add a time they can work' }));
    await user.click(screen.getByRole('button', { name: 'Add leave' }));
    expect(within(screen.getByRole('group', { name: 'First day' })).getByLabelText('Day')).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save record' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter the DBS certificate number as 12 digits, like 001234567890', '#dbs_certificate_number'],
      ['First-aid certificate must be a real date', '#first_aid_expires-day'],
      ['Enter contracted hours as a number from 0 to 100, like 22.5', '#contracted_hours'],
      ['Enter the time they can start, like 18:00', '#availability-1-from'],
      ['Enter the time they must stop, like 22:00, or 24:00 for the end of the day', '#availability-1-to'],
      ['Enter the first day of leave', '#leave-1-from_date-day'],
      ['Enter the last day of leave', '#leave-1-to_date-day'],
    ]);
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('says when no record has been saved yet, with the checks the rota needs missing', async () => {
    mockApi({
      'GET /staff/:id/record': {
        body: record({
          recorded: false, qualification: 'none', dbs_certificate_number: null, dbs_issue_date: null, dbs_update_service: false,
          dbs_next_check_due: null, dbs_enhanced: false, dbs_barred_list_checked: false, first_aid_expires: null, safeguarding_expires: null,
          contracted_hours: 0, centre_ids: [], availability: [], leave: [], updated_at: null,
        }),
      },
      'GET /centres': centres,
    });
    render(RecordPage, { id: 'w1' });
    expect(await screen.findByText(/No record has been saved for Wes Worker yet/)).toBeInTheDocument();
    expect(within(checkRow('DBS check')).getByText('Missing')).toBeInTheDocument();
    expect(within(checkRow('Safeguarding training')).getByText('Missing')).toBeInTheDocument();
    expect(within(checkRow('First-aid certificate')).getByText('None recorded (optional)')).toBeInTheDocument();
    expect(screen.getByLabelText('No recognised youth-work qualification')).toBeChecked();
    expect(screen.getByText('No times added: they can work at any time.')).toBeInTheDocument();
  });

  it('is only to read when it is the manager’s own: nobody changes their own record', async () => {
    const { calls } = mockApi({ 'GET /staff/:id/record': { body: record({ user_id: 'm1', role: 'centre_manager', first_name: 'Mo' }) }, 'GET /centres': centres });
    render(RecordPage, { id: 'm1' });
    expect(await screen.findByText('JNC level 3')).toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save record' })).not.toBeInTheDocument();
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('says when the member of staff is not found', async () => {
    mockApi({ 'GET /staff/:id/record': problem(404), 'GET /centres': centres });
    render(RecordPage, { id: 'nope' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Staff member not found' })).toBeInTheDocument();
  });
});

describe('A youth worker’s own staff record', () => {
  beforeEach(() => {
    session.start(tokens({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' }));
  });

  it('is a summary to read, not a form, with the same tags', async () => {
    const { calls } = mockApi({ 'GET /staff/:id/record': { body: record() }, 'GET /centres': centres });
    render(RecordPage, { id: 'w1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Your staff record' })).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save record' })).not.toBeInTheDocument();
    expect(screen.getByText('JNC level 3')).toBeInTheDocument();
    expect(screen.getByText('001234567890')).toBeInTheDocument();
    expect(screen.getByText('Monday, 5pm to 10pm')).toBeInTheDocument();
    expect(screen.getByText('Stretford Youth Centre')).toBeInTheDocument();
    expect(screen.queryByText('Sale Youth Hub')).not.toBeInTheDocument();
    expect(screen.getByText('3 August 2026 to 14 August 2026')).toBeInTheDocument();
    expect(within(checkRow('Safeguarding training')).getByText('Expired')).toBeInTheDocument();
    expect(within(checkRow('First-aid certificate')).getByText('Expires soon')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to my rota' })).toHaveAttribute('href', '/my-rota');
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('is not shown for a colleague: it points to their own', async () => {
    const { calls } = mockApi({});
    render(RecordPage, { id: 'w2' });
    expect(await screen.findByText('You can only see your own staff record.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See your own record' })).toHaveAttribute('href', '/staff/w1/record');
    expect(calls).toHaveLength(0);
  });

  it('is for staff only', async () => {
    session.start(tokens({ id: 'y1', role: 'young_person' }));
    const { calls } = mockApi({});
    render(RecordPage, { id: 'w1' });
    expect(await screen.findByText('Only youth workers, centre managers and council officers can see this page.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
