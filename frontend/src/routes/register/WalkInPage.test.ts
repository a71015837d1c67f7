import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { freshPages } from './fresh';
import { mockApi, problem, tokens, type Reply, type Req } from '../../test/api';
import type { Register, RegisterEntry } from '../../lib/api/register';

const occ = '7b1e4a52-9c1d-4f7e-8a61-2f3c4d5e6f70';
const start = new Date(Date.now() - 10 * 60_000);
const end = new Date(Date.now() + 80 * 60_000);
const worker = tokens({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' });
// Born on 1 January fifteen years ago: 15 today.
const bornYear = String(new Date().getFullYear() - 15);

const register: Register = {
  session: {
    id: occ, title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(), ends_at: end.toISOString(),
    booking_mode: 'bookable', capacity: 24, spaces_left: 21, status: 'scheduled', register_closed_at: null, locks_at: end.toISOString(), locked: false,
  },
  counts: { booked: 0, walk_ins: 0, present: 0, on_site: 0, absent: 0, unmarked: 0 },
  entries: [],
  generated_at: new Date().toISOString(),
};

const dara: RegisterEntry = {
  young_person_id: 'yp-dara', first_name: 'Dara', last_name: 'Doyle', date_of_birth: `${bornYear}-01-01`, booking_id: null,
  booking_status: null, walk_in: true, on_site: false, has_emergency_contact: true, mark: null,
};

// Fresh modules and a fresh IndexedDB for each test, as for the register at the door.
const fresh = freshPages(async () => ({ Page: (await import('./WalkInPage.svelte')).default }));

async function open(walkIns: Reply | ((req: Req) => Reply), more: Record<string, Reply> = {}) {
  const { Page, render } = await fresh();
  const api = mockApi({
    ...more,
    'POST /auth/refresh': { body: worker },
    'GET /sessions/:id/register': { body: register },
    'POST /sessions/:id/walk-ins': walkIns,
    'POST /sessions/:id/register/marks': { body: { results: [], stored: 0, superseded: 0, duplicate: 0, refused: 0 } },
  });
  render(Page, { occurrenceId: occ });
  expect(await screen.findByRole('heading', { level: 1, name: /Add a walk-in/ })).toBeInTheDocument();
  return api;
}

async function fillNew(user: ReturnType<typeof userEvent.setup>, over: { day?: string; month?: string; year?: string; postcode?: string; phone?: string } = {}) {
  await user.type(screen.getByLabelText('First name'), 'Dara');
  await user.type(screen.getByLabelText('Last name (optional)'), 'Doyle');
  const dob = screen.getByRole('group', { name: 'Date of birth' });
  await user.type(within(dob).getByLabelText('Day'), over.day ?? '1');
  await user.type(within(dob).getByLabelText('Month'), over.month ?? '1');
  await user.type(within(dob).getByLabelText('Year'), over.year ?? bornYear);
  await user.type(screen.getByLabelText('Home postcode'), over.postcode ?? 'm32 0jg');
  await user.type(screen.getByLabelText('Their name'), 'Pat Doyle');
  await user.type(screen.getByLabelText('Phone number'), over.phone ?? '07700 900123');
  await user.type(screen.getByLabelText('Relationship to the young person'), 'Mum');
}

describe('Adding a walk-in', () => {
  it('shows every mistake it can see at once, in the summary and beside each field, before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = await open({ status: 201, body: dara });
    await fillNew(user, { day: '31', month: '2', year: '2011', postcode: 'XYZ', phone: 'abc' });
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));

    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Date of birth must be a real date', '#date_of_birth-day'],
      ['Enter a real UK postcode, like M32 0JG', '#postcode'],
      ['Enter a phone number with 10 to 15 digits, like 07700 900123', '#contact_phone'],
    ]);
    expect(screen.getByRole('group', { name: 'Date of birth' })).toHaveTextContent('Error: Date of birth must be a real date');
    expect(screen.getByLabelText('Home postcode')).toHaveAccessibleDescription(/Error: Enter a real UK postcode, like M32 0JG$/);
    expect(screen.getByLabelText('Phone number')).toHaveAccessibleDescription(/Error: Enter a phone number with 10 to 15 digits/);
    expect(calls.some((c) => c.path.endsWith('/walk-ins'))).toBe(false);
  });

  it('says a date of birth is outside 8 to 25, and a phone number is too short, before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = await open({ status: 201, body: dara });
    await fillNew(user, { year: '1990', phone: '0161 496 00' });
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Young people must be 8 to 25 years old: check the date of birth',
      'Enter a phone number with 10 to 15 digits, like 07700 900123',
    ]);
    expect(calls.some((c) => c.path.endsWith('/walk-ins'))).toBe(false);
  });

  it('shows all the API’s field errors, each linked to its field', async () => {
    const user = userEvent.setup();
    await open(
      problem(422, {
        errors: [
          { field: 'postcode', message: 'We could not find postcode M32 0JG. Check it and try again' },
          { field: 'emergency_contact.phone', message: 'Enter a phone number with 10 to 15 digits, like 07700 900123' },
          { field: 'last_name', message: 'Last name must be 100 characters or fewer' },
          { field: 'emergency_contact.relationship', message: 'Enter how they are related, like mum or carer' },
        ],
      }),
    );
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));

    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Last name must be 100 characters or fewer', '#last_name'],
      ['We could not find postcode M32 0JG. Check it and try again', '#postcode'],
      ['Enter a phone number with 10 to 15 digits, like 07700 900123', '#contact_phone'],
      ['Enter how they are related, like mum or carer', '#contact_relationship'],
    ]);
    expect(screen.getByLabelText('Last name (optional)')).toHaveAccessibleDescription(/Error: Last name must be 100 characters/);
    expect(screen.getByLabelText('Home postcode')).toHaveAccessibleDescription(/Error: We could not find postcode M32 0JG/);
    expect(screen.getByLabelText('Phone number')).toHaveAccessibleDescription(/Error: Enter a phone number with 10 to 15 digits/);
    expect(screen.getByLabelText('Relationship to the young person')).toHaveAccessibleDescription(/Error: Enter how they are related/);
  });

  it('sends a postcode and phone number as typed when they are well formed', async () => {
    const user = userEvent.setup();
    const { calls } = await open({ status: 201, body: dara });
    await fillNew(user, { postcode: 'm320jg', phone: '+44 (0)7700-900.123' });
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));

    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/walk-ins'))).toBe(true));
    expect(calls.find((c) => c.path.endsWith('/walk-ins'))!.body).toEqual({
      first_name: 'Dara', last_name: 'Doyle', date_of_birth: `${bornYear}-01-01`, postcode: 'm320jg',
      emergency_contact: { name: 'Pat Doyle', phone: '+44 (0)7700-900.123', relationship: 'Mum' },
    });
    await waitFor(() => expect(window.location.pathname).toBe(`/register/${occ}`));
  });

  it('tries again after a refusal as a new request, and after no answer as the same one', async () => {
    const user = userEvent.setup();
    let n = 0;
    const { calls } = await open(() => {
      n++;
      if (n === 1) throw new TypeError('Failed to fetch');
      if (n === 2) return problem(409, { code: 'full', detail: 'This session is full: there is no place left for a walk-in' });
      return { status: 201, body: dara };
    });
    await fillNew(user);
    const send = () => user.click(screen.getByRole('button', { name: 'Register and check in' }));
    await send();
    await send();
    expect(await screen.findByText('This session is full: there is no place left for a walk-in')).toBeInTheDocument();
    await send();
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/walk-ins'))).toHaveLength(3));
    const keys = calls.filter((c) => c.path.endsWith('/walk-ins')).map((c) => c.headers.get('idempotency-key'));
    expect(keys[1]).toBe(keys[0]); // no answer came: the same request again
    expect(keys[2]).not.toBe(keys[1]); // refused: a new request
  });

  it('clears an earlier refusal on the next try, and shows a refusal for age on the date of birth', async () => {
    const user = userEvent.setup();
    let n = 0;
    await open(() => (++n === 1
      ? problem(409, { code: 'full', detail: 'This session is full: there is no place left for a walk-in' })
      : problem(422, { code: 'not_eligible_age', title: 'Not eligible', detail: 'This session is for ages 11 to 18; on the day this young person is 10' })));
    await fillNew(user);
    const send = () => user.click(screen.getByRole('button', { name: 'Register and check in' }));
    await send();
    expect(await screen.findByText('This session is full: there is no place left for a walk-in')).toBeInTheDocument();

    // A mistake the page sees itself: the old refusal goes, the new error shows.
    await user.clear(screen.getByLabelText('Phone number'));
    await send();
    expect(await screen.findByRole('link', { name: 'Enter the emergency contact’s phone number' })).toBeInTheDocument();
    expect(screen.queryByText('This session is full: there is no place left for a walk-in')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Phone number'), '07700 900123');
    await send();
    const age = 'This session is for ages 11 to 18; on the day this young person is 10';
    expect(await screen.findByRole('link', { name: age })).toHaveAttribute('href', '#date_of_birth-day');
    expect(screen.getByRole('group', { name: 'Date of birth' })).toHaveTextContent(`Error: ${age}`);
    expect(screen.queryByText(/req-123/)).not.toBeInTheDocument();
    expect(screen.queryByText('Sorry, there is a problem with the service')).not.toBeInTheDocument();
  });

  it('warns of someone registered with the same first name and date of birth: find them, or register someone else', async () => {
    const user = userEvent.setup();
    const { calls } = await open((req: Req) => ((req.body as { someone_else?: boolean }).someone_else
      ? { status: 201, body: dara }
      : problem(409, { code: 'possible_duplicate', detail: `A young person called Dara, born on 1 January ${bornYear}, is already registered. Find them by name and date of birth, or say this is someone else` })));
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));
    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent(/Dara, born on 1 January .*is already registered/);
    expect(warning).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Register and check in' })).not.toBeInTheDocument();
    // Corrected after the warning (a medical need remembered): what is sent is the form as it is now.
    await user.type(screen.getByLabelText(/Medical/), 'Severe nut allergy');
    await user.click(screen.getByRole('button', { name: 'This is someone else: register them' }));
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/walk-ins'))).toHaveLength(2));
    expect(calls.filter((c) => c.path.endsWith('/walk-ins'))[1]!.body).toMatchObject({ first_name: 'Dara', someone_else: true, medical_notes: 'Severe nut allergy' });
  });

  it('finds the registered young person a duplicate warning is about', async () => {
    const user = userEvent.setup();
    const { calls } = await open(problem(409, { code: 'possible_duplicate', detail: 'A young person called Dara is already registered.' }), {
      'GET /walk-ins/search': { body: { items: [], total: 0 } },
    });
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Register and check in' }));
    await user.click(await screen.findByRole('button', { name: 'Find them' }));
    await waitFor(() => expect(calls.some((c) => c.path === '/walk-ins/search')).toBe(true));
    const q = calls.find((c) => c.path === '/walk-ins/search')!.query;
    expect([q.get('q'), q.get('date_of_birth')]).toEqual(['Dara', `${bornYear}-01-01`]);
  });

  it('lets in someone found by the search only with their home postcode, and says when it is not theirs', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    let tries = 0;
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: register },
      'GET /walk-ins/search': { body: { items: [{ id: 'yp-dara', first_name: 'Dara', last_initial: 'D', date_of_birth: `${bornYear}-01-01`, postcode_district: 'M32' }], total: 1 } },
      'POST /sessions/:id/walk-ins': () => (++tries === 1
        ? problem(422, { errors: [{ field: 'postcode', message: 'That is not the home postcode we have for them. Check it with them, or register them as a new young person' }] })
        : { status: 201, body: dara }),
      'POST /sessions/:id/register/marks': { body: { results: [], stored: 0, superseded: 0, duplicate: 0, refused: 0 } },
    });
    render(Page, { occurrenceId: occ });
    await user.type(await screen.findByLabelText('Name'), 'Dara');
    // A name alone is not a search: their date of birth is asked for, and nothing is sent.
    await user.click(screen.getByRole('button', { name: 'Search' }));
    const born = screen.getByRole('group', { name: /^Their date of birth/ });
    expect(born).toHaveTextContent('Error: Enter their date of birth');
    expect(calls.filter((c) => c.path === '/walk-ins/search')).toHaveLength(0);
    await user.type(within(born).getByLabelText('Day'), '1');
    await user.type(within(born).getByLabelText('Month'), '1');
    await user.type(within(born).getByLabelText('Year'), bornYear);
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await user.click(await screen.findByRole('button', { name: /^Add and check in/ }));
    expect(calls.find((c) => c.path === '/walk-ins/search')!.query.get('date_of_birth')).toBe(`${bornYear}-01-01`);
    const proof = screen.getByLabelText('Ask Dara D. for their home postcode');
    expect(proof).toHaveFocus();
    // Nothing typed: said at once, nothing sent.
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    expect(proof).toHaveAccessibleDescription(/Enter their home postcode/);
    expect(calls.filter((c) => c.path.endsWith('/walk-ins'))).toHaveLength(0);
    await user.type(proof, 'M32 0JH');
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    expect(await screen.findByRole('link', { name: /not the home postcode we have for them/ })).toHaveAttribute('href', '#match-postcode');
    await user.clear(proof);
    await user.type(proof, 'm32 0jg');
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/walk-ins'))).toHaveLength(2));
    expect(calls.filter((c) => c.path.endsWith('/walk-ins'))[1]!.body).toEqual({ young_person_id: 'yp-dara', postcode: 'm32 0jg' });
  });
});
