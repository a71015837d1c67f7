import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { occurrence } from '../../test/fixtures';
import { navigate, start } from '../../lib/router/router.svelte';
import FindPage from './FindPage.svelte';

describe('Find a session', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/sessions');
    return start();
  });

  it('lists sessions near a postcode with time, distance and spaces', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /sessions': {
        body: {
          items: [
            occurrence({ starts_at: '2030-07-06T17:00:00+01:00', ends_at: '2030-07-06T19:30:00+01:00' }),
            occurrence({ id: 'o2', title: 'Music studio', category: 'music', spaces_left: 0, waitlist_length: 3, distance_km: 2.05 }),
          ],
          total: 2,
        },
      },
    });
    render(FindPage);
    await user.type(screen.getByLabelText('Postcode'), 'm32 0jg');
    await user.click(screen.getByLabelText('Only show sessions with spaces left'));
    await user.click(screen.getByRole('button', { name: 'Search' }));

    expect(await screen.findByRole('heading', { name: '2 sessions near M32 0JG' })).toBeInTheDocument();
    const searched = calls.find((c) => c.path === '/sessions')!;
    expect(searched.query.get('postcode')).toBe('M32 0JG');
    expect(searched.query.get('spaces_only')).toBe('true');
    expect(window.location.search).toContain('postcode=M32+0JG');

    const football = screen.getByRole('link', { name: 'Football' }).closest('li')!;
    expect(within(football).getByText('Saturday 6 July 2030, 5pm to 7:30pm')).toBeInTheDocument();
    expect(within(football).getByText(/1\.2 km away/)).toBeInTheDocument();
    expect(within(football).getByText('4 spaces left')).toBeInTheDocument();

    const music = screen.getByRole('link', { name: 'Music studio' }).closest('li')!;
    expect(within(music).getByText('Full')).toBeInTheDocument();
    expect(within(music).getByText('3 people on the waiting list')).toBeInTheDocument();
    // On a phone the filters follow the results: a link above the results goes to them, saying how many are on.
    expect(screen.getByRole('link', { name: 'Change filters (1 filter on)' })).toHaveAttribute('href', '#filters-heading');
    expect(document.getElementById('filters-heading')).toHaveTextContent('Filter sessions');
  });

  it('finds sessions on the days ticked, kept in the address', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'GET /sessions': { body: { items: [occurrence()], total: 1 } } });
    navigate('/sessions?postcode=M32+0JG', { replace: true });
    render(FindPage);
    await screen.findByRole('heading', { name: '1 session near M32 0JG' });
    const daysGroup = screen.getByRole('group', { name: /Days/ });
    await user.click(within(daysGroup).getByLabelText('Friday'));
    await user.click(within(daysGroup).getByLabelText('Saturday'));
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await expect.poll(() => calls.filter((c) => c.path === '/sessions').length).toBe(2);
    expect(calls.at(-1)!.query.getAll('day')).toEqual(['friday', 'saturday']);
    expect(new URLSearchParams(window.location.search).getAll('day')).toEqual(['friday', 'saturday']);
    expect(await screen.findByRole('link', { name: 'Change filters (1 filter on)' })).toBeInTheDocument();
  });

  it('asks for a postcode before searching', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({});
    render(FindPage);
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('link', { name: 'Enter a postcode' })).toHaveAttribute('href', '#postcode');
    expect(calls.filter((c) => c.path === '/sessions')).toHaveLength(0);
  });

  it('shows the server’s word on a postcode it does not know', async () => {
    const user = userEvent.setup();
    mockApi({ 'GET /sessions': problem(422, { errors: [{ field: 'postcode', message: 'Enter a real postcode' }] }) });
    render(FindPage);
    await user.type(screen.getByLabelText('Postcode'), 'ZZ1 1ZZ');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('link', { name: 'Enter a real postcode' })).toBeInTheDocument();
    expect(screen.getByLabelText('Postcode')).toHaveAccessibleDescription(/Enter a real postcode/);
  });

  it('checks the age in the browser first: 8 to 25, beside the field', async () => {
    const user = userEvent.setup();
    navigate('/sessions?postcode=M32+0JG', { replace: true });
    const { calls } = mockApi({ 'GET /sessions': { body: { items: [occurrence()], total: 1 } } });
    render(FindPage);
    expect(await screen.findByRole('heading', { name: '1 session near M32 0JG' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Your age'), '99');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Age must be a whole number from 8 to 25, like 15' })).toHaveAttribute('href', '#age');
    expect(screen.getByLabelText('Your age')).toHaveAccessibleDescription(/Age must be a whole number from 8 to 25/);
    expect(document.title).toBe('Error: Find a session – youthhub');
    expect(calls).toHaveLength(1);
    expect(window.location.search).not.toContain('age=');
  });

  it('does not stay on “Loading…” when the API refuses the search', async () => {
    navigate('/sessions?postcode=M32+0JG&age=99', { replace: true });
    mockApi({ 'GET /sessions': problem(422, { errors: [{ field: 'age', message: 'Age must be a whole number from 8 to 25' }] }) });
    render(FindPage);
    expect(await screen.findByRole('link', { name: 'Age must be a whole number from 8 to 25' })).toHaveAttribute('href', '#age');
    expect(screen.getByText('Correct your search to see sessions.')).toBeInTheDocument();
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
  });

  it('names the postcode as the API normalised it, and spaces each result’s details', async () => {
    navigate('/sessions?postcode=M320JG', { replace: true });
    mockApi({
      'GET /sessions': {
        body: {
          items: [
            occurrence({ centre_name: 'Gorse Hill Youth Centre', distance_km: 0.5 }),
            occurrence({ id: 'o2', title: 'Music studio', spaces_left: 0, waitlist_length: 3 }),
          ],
          total: 24,
          near: { postcode: 'M32 0JG', exact: true, area: null },
        },
      },
    });
    render(FindPage);
    expect(await screen.findByRole('heading', { name: '24 sessions near M32 0JG' })).toBeInTheDocument();
    const football = screen.getByRole('link', { name: 'Football' }).closest('li')!;
    expect(within(football).getByText('at Gorse Hill Youth Centre · 0.5 km away')).toBeInTheDocument();
    const music = screen.getByRole('link', { name: 'Music studio' }).closest('li')!;
    expect(music).toHaveTextContent(/Full\. 3 people on the waiting list/);
    expect(screen.queryByText(/We do not have the exact place/)).not.toBeInTheDocument();
  });

  it('says when a postcode was placed by its area, as the API does for one it does not hold', async () => {
    navigate('/sessions?postcode=M329PL', { replace: true });
    mockApi({
      'GET /sessions': {
        body: { items: [occurrence({ centre_name: 'Gorse Hill Youth Centre', distance_km: 0.9 })], total: 1, near: { postcode: 'M32 9PL', exact: false, area: 'M32 9' } },
      },
    });
    render(FindPage);
    expect(await screen.findByRole('heading', { name: '1 session near M32 9PL' })).toBeInTheDocument();
    expect(screen.getByText('We do not have the exact place of M32 9PL yet, so distances are from the middle of the M32 9 area.')).toHaveClass('govuk-inset-text');
  });

  it('starts a signed-in young person from their home postcode and age, without searching yet', async () => {
    session.start(tokens());
    const dob = new Date();
    dob.setFullYear(dob.getFullYear() - 15, dob.getMonth(), dob.getDate() - 10);
    const { calls } = mockApi({ 'GET /me': { body: { postcode: 'M32 0JG', date_of_birth: dob.toISOString().slice(0, 10) } } });
    render(FindPage);
    await expect.poll(() => (screen.getByLabelText('Postcode') as HTMLInputElement).value).toBe('M32 0JG');
    expect(screen.getByLabelText(/Your age/)).toHaveValue('15');
    expect(calls.some((c) => c.path.startsWith('/sessions'))).toBe(false);
  });
});
