import { render, screen, within } from '@testing-library/svelte';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import type { WalkInMatch } from '../../lib/api/register';
import DateOfBirthPage from './DateOfBirthPage.svelte';

const sam: WalkInMatch = { id: 'y1', first_name: 'Sam', last_initial: 'J', date_of_birth: '2011-03-27', postcode_district: 'M32' };
const sami: WalkInMatch = { id: 'y2', first_name: 'Sami', last_initial: 'K', date_of_birth: '2011-03-27', postcode_district: 'M33' };
const found = { body: { items: [sam, sami], total: 2 } };
const corrected = (consent: string, cancelled: string[] = []) => ({
  body: { id: 'y1', first_name: 'Sam', date_of_birth: '2014-03-27', consent_status: consent, cancelled_bookings: cancelled },
});

async function typeDate(user: UserEvent, group: string | RegExp, d: string, m: string, y: string) {
  const g = screen.getByRole('group', { name: group });
  await user.type(within(g).getByLabelText('Day'), d);
  await user.type(within(g).getByLabelText('Month'), m);
  await user.type(within(g).getByLabelText('Year'), y);
}

// Finds Sam by name and the date they signed up with, and opens the correction form for them.
async function findSam(user: UserEvent) {
  await user.type(screen.getByLabelText('First name'), 'Sam');
  await typeDate(user, /Date of birth they signed up with/, '27', '3', '2011');
  await user.click(screen.getByRole('button', { name: 'Search' }));
  await expect.poll(() => document.activeElement?.textContent).toBe('2 young people found');
  await user.click(screen.getByRole('button', { name: 'Correct date of birth of Sam J., born 27 March 2011' }));
  await expect.poll(() => document.activeElement?.textContent).toBe('Correct Sam J.’s date of birth');
}

async function correct(user: UserEvent, reason = 'They typed 2011 instead of 2014 when signing up') {
  await typeDate(user, /New date of birth/, '27', '3', '2014');
  await user.type(screen.getByLabelText('Reason'), reason);
  await user.click(screen.getByRole('button', { name: 'Save' }));
}

const posts = (calls: Req[]) => calls.filter((c) => c.method === 'POST');

describe('Correcting a date of birth, as a council officer', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/young-people');
    session.start(tokens({ id: 'me', role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('finds the young person, sends the new date and the reason, and says it is corrected', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /walk-ins/search': found, 'POST /young-people/:id/date-of-birth': corrected('not_needed') });
    render(DateOfBirthPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Correct a young person’s date of birth' })).toBeInTheDocument();
    expect(document.title).toBe('Correct a young person’s date of birth – youthhub');

    await findSam(user);
    const search = calls.find((c) => c.path === '/walk-ins/search')!;
    expect(Object.fromEntries(search.query)).toEqual({ q: 'Sam', date_of_birth: '2011-03-27' });
    expect(screen.getByText('Their date of birth now is 27 March 2011.')).toBeInTheDocument();
    expect(screen.getByLabelText('Reason')).toHaveAccessibleDescription('For example: they typed 2011 instead of 2010 when signing up');

    await correct(user);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Date of birth corrected');
    expect(banner).toHaveTextContent('Sam J.’s date of birth is now 27 March 2014.');
    expect(posts(calls)).toHaveLength(1);
    expect(posts(calls)[0]!.path).toBe('/young-people/y1/date-of-birth');
    expect(posts(calls)[0]!.body).toEqual({ date_of_birth: '2014-03-27', reason: 'They typed 2011 instead of 2014 when signing up' });
    expect(screen.queryByText(/consent/)).not.toBeInTheDocument();

    // And back to a new search.
    await user.click(screen.getByRole('button', { name: 'Correct another date of birth' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByLabelText('First name')).toHaveValue('');
    await expect.poll(() => document.activeElement?.textContent).toBe('Find them');
  });

  it('says that someone now under 13 needs a guardian’s consent, asked for on their account page', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /walk-ins/search': found, 'POST /young-people/:id/date-of-birth': corrected('pending') });
    render(DateOfBirthPage);
    await findSam(user);
    await correct(user);
    await screen.findByRole('alert');
    expect(screen.getByText('Sam J. is under 13, so they now need a parent’s or guardian’s consent before they can book. They can ask for it on their account page.'))
      .toHaveClass('govuk-body');
    expect(document.querySelector('.govuk-inset-text')).toHaveTextContent(/need a parent’s or guardian’s consent/);
  });

  it('lists the bookings the new date ruled out, which the server cancelled', async () => {
    const user = userEvent.setup();
    const cancelled = ['Teen boxing on Tuesday 3 March at 18:00', 'Open art on Friday 6 March at 17:30 (waiting list)'];
    mockApi({ 'GET /walk-ins/search': found, 'POST /young-people/:id/date-of-birth': corrected('pending', cancelled) });
    render(DateOfBirthPage);
    await findSam(user);
    await correct(user);
    await screen.findByRole('alert');
    expect(screen.getByRole('heading', { level: 2, name: '2 bookings of Sam J.’s were cancelled, as they are not open to them now' })).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(cancelled);
    expect(screen.getByText('The places went to the next on each waiting list. Sam J. has been told by notification and e-mail.')).toBeInTheDocument();
  });

  it('says nothing about cancelled bookings when none were', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /walk-ins/search': found, 'POST /young-people/:id/date-of-birth': corrected('not_needed') });
    render(DateOfBirthPage);
    await findSam(user);
    await correct(user);
    await screen.findByRole('alert');
    expect(screen.queryByText(/were cancelled|was cancelled/)).not.toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('checks the form before sending it, with a summary linking to each field', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /walk-ins/search': found });
    render(DateOfBirthPage);
    await user.click(screen.getByRole('button', { name: 'Search' }));
    let summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter at least 2 letters of their first name', '#q'],
      ['Enter the date of birth they signed up with', '#search_dob-day'],
    ]);
    expect(calls).toEqual([]);

    await findSam(user);
    await typeDate(user, /New date of birth/, '27', '3', '2011');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter a date of birth different from the one they have now', '#date_of_birth-day'],
      ['Enter why you are correcting their date of birth', '#reason'],
    ]);
    expect(posts(calls)).toEqual([]);
  });

  it('shows the API’s field errors beside the fields and in a summary linking to them', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /walk-ins/search': found,
      'POST /young-people/:id/date-of-birth': problem(422, {
        errors: [
          { field: 'reason', message: 'Reason must be 500 characters or fewer' },
          { field: 'date_of_birth', message: 'Date of birth must be between 8 and 25 years ago' },
        ],
      }),
    });
    render(DateOfBirthPage);
    await findSam(user);
    await correct(user);
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Date of birth must be between 8 and 25 years ago', '#date_of_birth-day'],
      ['Reason must be 500 characters or fewer', '#reason'],
    ]);
    expect(screen.getByRole('group', { name: /New date of birth/ })).toHaveAccessibleDescription(/Error: Date of birth must be between 8 and 25 years ago/);
    expect(screen.getByLabelText('Reason')).toHaveAccessibleDescription(/Error: Reason must be 500 characters or fewer/);
    expect(document.title).toBe('Error: Correct a young person’s date of birth – youthhub');
    // What was typed is still there to fix.
    expect(screen.getByLabelText('Reason')).toHaveValue('They typed 2011 instead of 2014 when signing up');
  });

  it('says when the council has never seen the young person', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /walk-ins/search': found, 'POST /young-people/:id/date-of-birth': problem(404) });
    render(DateOfBirthPage);
    await findSam(user);
    await correct(user);
    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent(
      'You cannot correct Sam J.’s date of birth: they have never booked, walked in or been marked at a session of your council.',
    );
    expect(screen.queryByText('Date of birth corrected')).not.toBeInTheDocument();
    // The officer can choose someone else from the people found.
    await user.click(screen.getByRole('button', { name: 'Choose someone else' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Correct date of birth of Sami K\./ })).toBeInTheDocument();
  });
});

describe('Correcting a date of birth, as anyone else', () => {
  it('tells a centre manager the page is for council officers, and asks the API nothing', async () => {
    history.replaceState(null, '', '/young-people');
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    const { calls } = mockApi({});
    render(DateOfBirthPage);
    expect(screen.getByRole('heading', { level: 1, name: 'Correct a young person’s date of birth' })).toBeInTheDocument();
    expect(screen.getByText('Only council officers can see this page.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Search' })).not.toBeInTheDocument();
    expect(calls).toEqual([]);
  });
});
