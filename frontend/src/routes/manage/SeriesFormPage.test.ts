import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import { series } from '../rota/fixtures';
import SeriesFormPage from './SeriesFormPage.svelte';

const centres = { body: { items: [centre({ id: 'c1', name: 'Stretford Youth Centre' }), centre({ id: 'c2', name: 'Davyhulme Youth Centre' })], total: 2 } };

async function fillNew(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Title'), 'Board games');
  await user.type(screen.getByLabelText('Description (optional)'), 'Chess, Catan and cake.');
  await user.selectOptions(screen.getByLabelText('Type of session'), 'Other');
  await user.type(screen.getByLabelText('Youngest age'), '11');
  await user.type(screen.getByLabelText('Oldest age'), '22');
  await user.click(screen.getByLabelText('They drop in'));
  await user.type(screen.getByLabelText('Places'), '30');
  await user.click(screen.getByLabelText('Tuesday'));
  await user.click(screen.getByLabelText('Thursday'));
  await user.type(screen.getByLabelText('Start time'), '18:30');
  await user.type(screen.getByLabelText('Length in minutes'), '90');
  const first = screen.getByRole('group', { name: 'First date' });
  await user.type(within(first).getByLabelText('Day'), '7');
  await user.type(within(first).getByLabelText('Month'), '9');
  await user.type(within(first).getByLabelText('Year'), '2027');
}

describe('Start or change a session series', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/manage/sessions/new?centre=c2');
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    return start();
  });

  it('sends the series, shows the API’s field errors in a summary and beside each field, then starts it', async () => {
    const user = userEvent.setup();
    let tries = 0;
    const { calls } = mockApi({
      'GET /centres': centres,
      'POST /series': () => {
        tries++;
        if (tries === 1) {
          return problem(422, {
            title: 'Invalid request',
            errors: [
              { field: 'age_max', message: 'Only SEND sessions can be for young people over 19: set send to true, or make the oldest age 19 or less' },
              { field: 'title', message: 'Title must be 120 characters or fewer' },
            ],
          });
        }
        return { status: 201, body: series({ id: 's9', title: 'Board games' }) };
      },
    });
    render(SeriesFormPage);
    expect(await screen.findByLabelText('Centre')).toHaveValue('c2');
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Start series' }));

    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    // In the order of the form, each linking to its field.
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['#title', '#age_max']);
    expect(links[1]).toHaveTextContent('Only SEND sessions can be for young people over 19');
    expect(screen.getByLabelText('Oldest age')).toHaveAccessibleDescription(/Error: Only SEND sessions/);
    expect(document.title).toBe('Error: Start a new session series – youthhub');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      centre_id: 'c2', title: 'Board games', description: 'Chess, Catan and cake.', what_to_bring: '', category: 'other',
      age_min: 11, age_max: 22, send: false, booking_mode: 'drop_in', capacity: 30, days: ['tuesday', 'thursday'],
      start_time: '18:30', duration_minutes: 90, first_date: '2027-09-07', last_date: null,
    });

    await user.click(screen.getByLabelText(/This session is for young people with special educational needs/));
    await user.click(screen.getByRole('button', { name: 'Start series' }));
    await expect.poll(() => window.location.pathname).toBe('/manage/sessions/s9');
    expect(window.location.search).toBe('?created=1');
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[1]!.body).toMatchObject({ send: true });
    // Each save carries an Idempotency-Key; other answers are another request, with another key.
    expect(posts[0]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[1]!.headers.get('Idempotency-Key')).not.toBe(posts[0]!.headers.get('Idempotency-Key'));
  });

  it('refuses what is not a number or not a date before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /centres': centres });
    render(SeriesFormPage);
    await user.type(await screen.findByLabelText('Places'), 'twenty');
    const last = screen.getByRole('group', { name: 'Last date (optional)' });
    await user.type(within(last).getByLabelText('Day'), '31');
    await user.type(within(last).getByLabelText('Month'), '2');
    await user.type(within(last).getByLabelText('Year'), '2028');
    await user.click(screen.getByRole('button', { name: 'Start series' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Places must be a whole number, like 24' })).toHaveAttribute('href', '#capacity');
    expect(within(summary).getByRole('link', { name: 'Last date must be a real date' })).toHaveAttribute('href', '#last_date-day');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('changes a series: only what can change is offered and sent', async () => {
    history.replaceState(null, '', '/manage/sessions/s1/edit');
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /series/:id': { body: series() },
      'PATCH /series/:id': (req) => ({ body: series({ ...(req.body as object) }) }),
    });
    render(SeriesFormPage, { id: 's1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Change Tuesday football' })).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveValue('Tuesday football');
    expect(screen.queryByLabelText('Start time')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Centre')).not.toBeInTheDocument();
    expect(screen.getByText('Tuesday, 6pm to 7:30pm')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Places'));
    await user.type(screen.getByLabelText('Places'), '30');
    const last = screen.getByRole('group', { name: 'Last date (optional)' });
    // Before the manager saves an end date, the form says what it does to booked sessions and that it can be undone.
    expect(last).toHaveTextContent(/Sessions after a new end date are cancelled, and anyone booked on them .* are told\. If you change it back, the sessions come back/);
    await user.type(within(last).getByLabelText('Day'), '18');
    await user.type(within(last).getByLabelText('Month'), '7');
    await user.type(within(last).getByLabelText('Year'), '2028');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await expect.poll(() => window.location.search).toBe('?updated=1');
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({
      title: 'Tuesday football', description: 'Five-a-side.', what_to_bring: 'Trainers', category: 'sport', age_min: 11,
      age_max: 16, send: false, capacity: 30, staff_ratio: 10, last_date: '2028-07-18',
    });
  });

  it('names the SEND box to tick, not the API’s field, when the oldest age is over 19', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /centres': centres,
      'POST /series': problem(422, {
        errors: [{ field: 'age_max', message: 'Only SEND sessions can be for young people over 19: set send to true, or make the oldest age 19 or less' }],
      }),
    });
    render(SeriesFormPage);
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Start series' }));

    const message =
      'Only SEND sessions can be for young people over 19: tick ‘This session is for young people with special educational needs and disabilities (SEND)’, or make the oldest age 19 or less';
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: message })).toHaveAttribute('href', '#age_max');
    expect(screen.getByLabelText('Oldest age')).toHaveAccessibleDescription(`Error: ${message}`);
    expect(screen.queryByText(/set send to true/)).not.toBeInTheDocument();
  });

  it('gives the hint under Places that fits how young people come', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /centres': centres });
    render(SeriesFormPage);
    const places = await screen.findByLabelText('Places');
    expect(screen.getByLabelText('They book a place')).toBeChecked();
    expect(places).toHaveAccessibleDescription('How many young people can book a place at each session');
    await user.click(screen.getByLabelText('They drop in'));
    expect(places).toHaveAccessibleDescription('How many young people the space can take at each session');
    await user.click(screen.getByLabelText('They book a place'));
    expect(places).toHaveAccessibleDescription('How many young people can book a place at each session');
  });

  it('gives a drop-in series’ hint under Places when changing it', async () => {
    history.replaceState(null, '', '/manage/sessions/s1/edit');
    mockApi({ 'GET /series/:id': { body: series({ booking_mode: 'drop_in' }) } });
    render(SeriesFormPage, { id: 's1' });
    expect(await screen.findByLabelText('Places')).toHaveAccessibleDescription('How many young people the space can take at each session');
  });

  it('asks for a type of session in words, not the API’s category codes', async () => {
    const user = userEvent.setup();
    mockApi({
      'GET /centres': centres,
      'POST /series': problem(422, {
        errors: [
          { field: 'title', message: 'Enter title' },
          { field: 'category', message: 'Choose a category: sport, arts, music, digital, cooking, advice_support, outdoor, send or other' },
        ],
      }),
    });
    render(SeriesFormPage);
    expect(await screen.findByLabelText('Centre')).toHaveValue('c2');
    await user.click(screen.getByRole('button', { name: 'Start series' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Choose a type of session' })).toHaveAttribute('href', '#category');
    expect(screen.getByLabelText('Type of session')).toHaveAccessibleDescription(/Error: Choose a type of session/);
    expect(screen.queryByText(/advice_support/)).not.toBeInTheDocument();
  });
});
