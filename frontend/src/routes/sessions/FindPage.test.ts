import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem } from '../../test/api';
import { occurrence } from '../../test/fixtures';
import { start } from '../../lib/router/router.svelte';
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
    expect(calls[0]!.query.get('postcode')).toBe('M32 0JG');
    expect(calls[0]!.query.get('spaces_only')).toBe('true');
    expect(window.location.search).toContain('postcode=M32+0JG');

    const football = screen.getByRole('link', { name: 'Football' }).closest('li')!;
    expect(within(football).getByText('Saturday 6 July 2030, 5pm to 7:30pm')).toBeInTheDocument();
    expect(within(football).getByText(/1\.2 km away/)).toBeInTheDocument();
    expect(within(football).getByText('4 spaces left')).toBeInTheDocument();

    const music = screen.getByRole('link', { name: 'Music studio' }).closest('li')!;
    expect(within(music).getByText('Full')).toBeInTheDocument();
    expect(within(music).getByText(/Waiting list: 3/)).toBeInTheDocument();
  });

  it('asks for a postcode before searching', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({});
    render(FindPage);
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('link', { name: 'Enter a postcode' })).toHaveAttribute('href', '#postcode');
    expect(calls).toHaveLength(0);
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
});
