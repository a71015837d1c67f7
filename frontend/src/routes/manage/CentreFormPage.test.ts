import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { centre } from '../../test/fixtures';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import CentreFormPage from './CentreFormPage.svelte';

async function fillNew(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Name'), 'Sale Youth Hub');
  await user.type(screen.getByLabelText('Address (optional)'), '2 School Road, Sale');
  await user.type(screen.getByLabelText('Postcode (optional)'), 'M33 7XX');
  await user.type(screen.getByLabelText('Latitude'), '53.4245');
  await user.type(screen.getByLabelText('Longitude'), '-2.3225');
  await user.selectOptions(screen.getByLabelText('Who runs it'), 'Charity');
  await user.click(screen.getByLabelText('Quiet space'));
  await user.click(screen.getByLabelText('Step-free access'));
  await user.click(screen.getByRole('button', { name: 'Add opening hours' }));
  const first = screen.getByRole('group', { name: 'Opening hours 1' });
  // The new line takes focus, so a keyboard user carries on where they are.
  expect(within(first).getByLabelText('Day')).toHaveFocus();
  await user.selectOptions(within(first).getByLabelText('Day'), 'Friday');
  await user.type(within(first).getByLabelText('Opens'), '9:30');
  await user.type(within(first).getByLabelText('Closes'), '12:00');
  await user.click(screen.getByRole('button', { name: 'Add opening hours' }));
  const second = screen.getByRole('group', { name: 'Opening hours 2' });
  // A new line starts on the day after the last one.
  expect(within(second).getByLabelText('Day')).toHaveValue('saturday');
  await user.type(within(second).getByLabelText('Opens'), '10:00');
  await user.type(within(second).getByLabelText('Closes'), '09:00');
  await user.type(screen.getByLabelText('Website (optional)'), 'sale-youth.example');
}

describe('Add or edit a centre', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/manage/centres/new');
    session.start(tokens({ role: 'council_officer', council_id: 'k1' }));
    return start();
  });

  it('sends the centre, shows the API’s field errors in a summary and beside each field, then adds it', async () => {
    const user = userEvent.setup();
    let tries = 0;
    const { calls } = mockApi({
      'POST /centres': () => {
        tries++;
        if (tries === 1) {
          return problem(422, {
            title: 'Invalid request',
            errors: [
              { field: 'website', message: 'Website must be a web address starting with https://' },
              { field: 'opening_hours[1].closes', message: 'Closing time must be after opening time' },
            ],
          });
        }
        return { status: 201, body: centre({ id: 'c9', name: 'Sale Youth Hub' }) };
      },
    });
    render(CentreFormPage);
    expect(await screen.findByRole('heading', { level: 1, name: 'Add a centre' })).toBeInTheDocument();
    expect(screen.getByLabelText('Open')).toBeChecked();
    await fillNew(user);
    await user.click(screen.getByRole('button', { name: 'Add centre' }));

    const summary = await screen.findByRole('alert');
    const links = within(summary).getAllByRole('link');
    // In the order of the form, each linking to its field.
    expect(links.map((l) => l.textContent)).toEqual(['Closing time must be after opening time', 'Website must be a web address starting with https://']);
    const closes = within(screen.getByRole('group', { name: 'Opening hours 2' })).getByLabelText('Closes');
    expect(links[0]!.getAttribute('href')).toBe(`#${closes.id}`);
    expect(links[1]).toHaveAttribute('href', '#website');
    expect(closes).toHaveAccessibleDescription('Error: Closing time must be after opening time');
    expect(within(screen.getByRole('group', { name: 'Opening hours 1' })).getByLabelText('Closes')).not.toHaveAccessibleDescription();
    expect(screen.getByLabelText('Website (optional)')).toHaveAccessibleDescription(/Error: Website must be a web address/);
    expect(document.title).toBe('Error: Add a centre – youthhub');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({
      name: 'Sale Youth Hub', address: '2 School Road, Sale', postcode: 'M33 7XX', lat: 53.4245, lon: -2.3225, provider_type: 'charity',
      // In the API's order, whatever order they were ticked in; 9:30 is sent as 09:30.
      access_features: ['step_free', 'quiet_space'],
      opening_hours: [{ day: 'friday', opens: '09:30', closes: '12:00' }, { day: 'saturday', opens: '10:00', closes: '09:00' }],
      status: 'open', phone: null, email: null, website: 'sale-youth.example',
    });
    expect(post.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);

    const second = screen.getByRole('group', { name: 'Opening hours 2' });
    await user.clear(within(second).getByLabelText('Closes'));
    await user.type(within(second).getByLabelText('Closes'), '16:00');
    await user.clear(screen.getByLabelText('Website (optional)'));
    await user.type(screen.getByLabelText('Website (optional)'), 'https://sale-youth.example');
    await user.click(screen.getByRole('button', { name: 'Add centre' }));
    await expect.poll(() => window.location.pathname).toBe('/centres/c9');
    expect(window.location.search).toBe('?created=1');
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[1]!.body).toMatchObject({ website: 'https://sale-youth.example', opening_hours: [{ closes: '12:00' }, { closes: '16:00' }] });
    // Other answers are another request, with another key.
    expect(posts[1]!.headers.get('Idempotency-Key')).not.toBe(post.headers.get('Idempotency-Key'));
  });

  it('refuses what is missing or not a place in the UK before asking the API', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({});
    render(CentreFormPage);
    await user.type(await screen.findByLabelText('Latitude'), 'fifty-three');
    await user.type(screen.getByLabelText('Longitude'), '12.5');
    await user.click(screen.getByRole('button', { name: 'Add centre' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Enter the centre’s name', '#name'],
      ['Latitude must be a number from 49 to 61, like 53.4285', '#lat'],
      ['Longitude must be a number from -9 to 2, like -2.3080', '#lon'],
      ['Choose who runs the centre', '#provider_type'],
    ]);
    expect(screen.getByLabelText('Who runs it')).toHaveAccessibleDescription('Error: Choose who runs the centre');
    expect(calls).toHaveLength(0);
  });

  it('keeps an error beside its line of opening hours when a line above it is removed', async () => {
    history.replaceState(null, '', '/manage/centres/c1/edit');
    const user = userEvent.setup();
    mockApi({
      'GET /centres/:id': { body: centre() },
      'PUT /centres/:id': problem(422, { errors: [{ field: 'opening_hours[1].opens', message: 'Opens must be a time like 18:00' }] }),
    });
    render(CentreFormPage, { id: 'c1' });
    await user.click(await screen.findByRole('button', { name: 'Save changes' }));
    await screen.findByRole('alert');
    expect(within(screen.getByRole('group', { name: 'Opening hours 2' })).getByLabelText('Opens')).toHaveAccessibleDescription(/Opens must be a time/);

    await user.click(screen.getByRole('button', { name: 'Remove opening hours 1' }));
    expect(screen.queryByRole('group', { name: 'Opening hours 2' })).not.toBeInTheDocument();
    const left = screen.getByRole('group', { name: 'Opening hours 1' });
    expect(within(left).getByLabelText('Day')).toHaveValue('monday');
    expect(within(left).getByLabelText('Day')).toHaveFocus();
    expect(within(left).getByLabelText('Opens')).toHaveAccessibleDescription(/Opens must be a time/);

    await user.click(screen.getByRole('button', { name: 'Remove opening hours 1' }));
    expect(screen.getByText('No opening hours added yet.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add opening hours' })).toHaveFocus();
  });

  it('edits a centre, and warns before closing one that is open that its sessions will be cancelled', async () => {
    history.replaceState(null, '', '/manage/centres/c1/edit');
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /centres/:id': { body: centre() },
      'PUT /centres/:id': (req) => ({ body: centre({ ...(req.body as object) }) }),
    });
    render(CentreFormPage, { id: 'c1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit Stretford Youth Centre' })).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveValue('Stretford Youth Centre');
    expect(screen.getByLabelText('Latitude')).toHaveValue('53.446');
    expect(screen.getByLabelText('Who runs it')).toHaveValue('council');
    expect(screen.getByLabelText('Hearing loop')).toBeChecked();
    expect(within(screen.getByRole('group', { name: 'Opening hours 1' })).getByLabelText('Day')).toHaveValue('tuesday');
    expect(screen.getByLabelText('Open')).toBeChecked();
    expect(screen.getByRole('link', { name: 'Back' })).toHaveAttribute('href', '/centres/c1');

    const warning = /Saving will cancel every session still to come at this centre/;
    expect(screen.queryByText(warning)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Planned'));
    expect(screen.queryByText(warning)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Closed'));
    expect(screen.getByText(warning)).toBeInTheDocument();
    await user.click(screen.getByLabelText('Open'));
    expect(screen.queryByText(warning)).not.toBeInTheDocument();
    await user.click(screen.getByLabelText('Closed'));
    expect(screen.getByText(warning)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await expect.poll(() => window.location.search).toBe('?closed=1');
    expect(window.location.pathname).toBe('/centres/c1');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe('/centres/c1');
    // PUT replaces the centre: every field is sent, as it was unless changed.
    expect(put.body).toEqual({
      name: 'Stretford Youth Centre', address: '1 Chester Road, Stretford, Manchester', postcode: 'M32 0JG', lat: 53.446, lon: -2.309,
      provider_type: 'council', access_features: ['step_free', 'hearing_loop'],
      opening_hours: [{ day: 'tuesday', opens: '18:00', closes: '21:00' }, { day: 'monday', opens: '18:00', closes: '21:00' }],
      status: 'closed', phone: '0161 000 0000', email: 'youth@example.org', website: null,
    });
  });

  it('does not warn again about a centre that is already closed', async () => {
    history.replaceState(null, '', '/manage/centres/c1/edit');
    const user = userEvent.setup();
    mockApi({
      'GET /centres/:id': { body: centre({ status: 'closed' }) },
      'PUT /centres/:id': (req) => ({ body: centre({ ...(req.body as object) }) }),
    });
    render(CentreFormPage, { id: 'c1' });
    expect(await screen.findByLabelText('Closed')).toBeChecked();
    expect(screen.queryByText(/Saving will cancel every session/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await expect.poll(() => window.location.search).toBe('?updated=1');
  });

  it('is only for council officers, and only for their own council’s centres', async () => {
    session.start(tokens({ role: 'centre_manager', council_id: 'k1' }));
    const { calls } = mockApi({});
    const { unmount } = render(CentreFormPage);
    expect(await screen.findByText('Only council officers can see this page.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add centre' })).not.toBeInTheDocument();
    expect(calls).toHaveLength(0);
    unmount();

    session.start(tokens({ role: 'council_officer', council_id: 'k2' }));
    mockApi({ 'GET /centres/:id': { body: centre() } });
    render(CentreFormPage, { id: 'c1' });
    expect(await screen.findByText('You can only edit your own council’s centres.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save changes' })).not.toBeInTheDocument();
  });

  it('says when the centre does not exist', async () => {
    mockApi({ 'GET /centres/:id': problem(404) });
    render(CentreFormPage, { id: 'nope' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Centre not found' })).toBeInTheDocument();
  });
});
