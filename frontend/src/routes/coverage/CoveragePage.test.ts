import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockApi, problem, tokens } from '../../test/api';
import { session } from '../../lib/auth/session.svelte';
import { start } from '../../lib/router/router.svelte';
import CoveragePage from './CoveragePage.svelte';
import { coverageApi, siting, summary, whatIf } from './testing/fixtures';

// jsdom draws no SVG: the Leaflet map is replaced by a stub that lists what it is given.
vi.mock('../../lib/map/CoverageMap.svelte', () => import('./testing/MapStub.svelte'));

const officer = () => session.start(tokens({ role: 'council_officer', council_id: 'k1' }));

/** rowsOf gives the text of each body row of the table captioned name. */
function rowsOf(name: string | RegExp): string[] {
  const table = screen.getByRole('table', { name });
  return within(table).getAllByRole('row').slice(1).map((r) => r.textContent ?? '');
}

describe('Coverage page', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/coverage');
    return start();
  });

  it('shows an officer their council’s figures, gaps, areas and centres, as text and tables', async () => {
    officer();
    const { calls } = mockApi(coverageApi());
    render(CoveragePage);
    expect(await screen.findByRole('heading', { level: 2, name: 'Figures' })).toBeInTheDocument();
    expect(screen.getByText('Trafford Council')).toBeInTheDocument();
    expect(calls.map((c) => c.path).sort()).toEqual(
      ['/councils/k1/coverage', '/councils/k1/coverage/areas', '/councils/k1/coverage/centres', '/councils/k1/coverage/gaps'].sort(),
    );
    expect(calls.every((c) => c.query.get('band') === '13-19')).toBe(true);

    // The headline figures, with the REYS benchmark in words.
    const covered = screen.getByText('Covered: an open centre within 2 km', { selector: 'dt' }).closest('div')!;
    expect(covered).toHaveTextContent('50.0% (300 young people)');
    expect(screen.getByText('Meets the benchmark')).toBeInTheDocument();
    expect(screen.getByText('The REYS benchmark is contact with 25% of young people aged 13 to 19.')).toBeInTheDocument();
    // Breakdowns, with counts under 10 withheld.
    // Reach by where attendees live (withheld under 10) and by where they went.
    expect(rowsOf('By deprivation (IMD decile)')).toEqual([
      '1 (most deprived)1 of 240075.0% (300)41.7% (250)65.610.0% (40)',
      '70 of 1Fewer than 100.0%41.7%65.6Fewer than 10',
    ]);
    expect(rowsOf('By who runs the nearest open centre')[0]).toBe('Council1 of 360050.0% (300)41.7% (250)65.625.0% (150)');
    expect(screen.getByText(/12 of those who attended live outside the council or gave no postcode/)).toBeInTheDocument();

    expect(rowsOf('2 areas without a centre within reach')[0]).toBe('1Trafford 002B (E01000002)2001 (most deprived)200.0Sale Hub2.6 km');
    const areaRows = rowsOf('Small areas of Trafford Council');
    expect(areaRows).toHaveLength(3);
    expect(areaRows[1]).toContain('Not covered: the nearest open centre is 2 to 3 km away');
    expect(areaRows[2]).toContain('Not covered: no open centre within 3 km');
    expect(rowsOf('Centres on the map (3 of 3)')).toHaveLength(3);

    // The map is drawn from the same data, with a legend that names each band.
    expect(within(await screen.findByTestId('map-shapes')).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByText('Covered: an open centre within 2 km', { selector: '.app-cov-legend span' })).toBeInTheDocument();
    expect(screen.getAllByText('(1 area)')).toHaveLength(3);
  });

  it('filters the centres on the map and in the table by who runs them and their access', async () => {
    const user = userEvent.setup();
    officer();
    mockApi(coverageApi());
    render(CoveragePage);
    await screen.findByRole('heading', { level: 2, name: 'Figures' });

    await user.click(screen.getByRole('checkbox', { name: 'Charity' }));
    expect(screen.getByText('Showing 1 of 3 centres')).toBeInTheDocument();
    expect(rowsOf('Centres on the map (1 of 3)')[0]).toContain('Sale Hub');
    expect(within(await screen.findByTestId('map-markers')).getAllByRole('listitem')).toHaveLength(1);

    await user.click(screen.getByRole('checkbox', { name: 'Charity' }));
    await user.click(screen.getByRole('checkbox', { name: 'Hearing loop' }));
    expect(rowsOf('Centres on the map (1 of 3)')[0]).toContain('Stretford Youth Centre');
  });

  it('closes a centre in a what-if and announces the API’s sentence with before and after', async () => {
    const user = userEvent.setup();
    officer();
    const { calls } = mockApi({ ...coverageApi(), 'POST /councils/:id/coverage/what-if': { body: whatIf() } });
    render(CoveragePage);
    await screen.findByRole('heading', { level: 2, name: 'What if' });

    const closeGroup = screen.getByRole('group', { name: 'Close these centres' });
    await user.click(within(closeGroup).getByRole('checkbox', { name: 'Stretford Youth Centre' }));
    // The map shows the centre crossed out before anything is sent.
    expect(within(screen.getByTestId('map-markers')).getByText(/Stretford Youth Centre/)).toHaveClass('app-cov-marker--closing');
    await user.click(screen.getByRole('button', { name: 'Show the effect' }));

    const sentence = await screen.findByText('Closing Stretford Youth Centre leaves 200 young people without a centre within 2 km.');
    expect(sentence.closest('[aria-live="polite"]')).not.toBeNull();
    expect(sentence.closest('.govuk-inset-text')).toHaveTextContent('Share of young people covered: 50.0% now, 16.7% after.');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.path).toBe('/councils/k1/coverage/what-if');
    expect(post.body).toEqual({ close: ['c1'], reopen: [], add: [] });
    expect(rowsOf('Before and after')[0]).toBe('Share covered50.0%16.7%−33.3 percentage points');
    // The area that loses cover gets the thick outline on the map, and the key says what it means.
    const shape = within(screen.getByTestId('map-shapes')).getByText(/Trafford 001A/);
    expect(shape).toHaveTextContent('Would lose cover');
    expect(JSON.parse(shape.dataset.style!)).toMatchObject({ color: '#d4351c', weight: 4 });
    expect(screen.getByText('Would lose cover (thick solid outline)')).toBeInTheDocument();
    expect(screen.queryByText('Would gain cover (thick dashed outline)')).not.toBeInTheDocument();

    // Changing the what-if afterwards says the results are out of date.
    expect(screen.queryByText(/You have changed the what-if since these results/)).not.toBeInTheDocument();
    await user.click(within(closeGroup).getByRole('checkbox', { name: 'Sale Hub' }));
    expect(screen.getByText(/You have changed the what-if since these results/)).toBeInTheDocument();
  });

  it('adds a centre by typing its place (or choosing it on the map), checking what was typed', async () => {
    const user = userEvent.setup();
    officer();
    const { calls } = mockApi({ ...coverageApi(), 'POST /councils/:id/coverage/what-if': { body: { ...whatIf(), sentence: 'Opening a new centre brings 200 young people within 2 km of one' } } });
    render(CoveragePage);
    await screen.findByRole('heading', { level: 2, name: 'What if' });

    await user.type(screen.getByLabelText('Latitude'), '63');
    await user.click(screen.getByRole('button', { name: 'Add this centre' }));
    expect(await screen.findByRole('link', { name: 'Latitude must be a number from 49 to 61, like 53.4285' })).toHaveAttribute('href', '#new-lat');
    expect(screen.getByRole('link', { name: 'Enter a longitude' })).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Latitude'));
    await user.type(screen.getByLabelText('Name (optional)'), 'Carrington hub');
    await user.type(screen.getByLabelText('Latitude'), '53.4301');
    await user.type(screen.getByLabelText('Longitude'), '−2.3912');
    // A typed place shows on the map straight away.
    expect(within(screen.getByTestId('map-markers')).getByText(/not added yet/)).toHaveClass('app-cov-marker--pending');
    await user.selectOptions(screen.getByLabelText('Who would run it'), 'Charity');
    await user.click(screen.getByRole('button', { name: 'Add this centre' }));
    expect(document.querySelector('.app-cov-added')).toHaveTextContent('Carrington hub – Charity, 10 hours a week, at 53.4301, -2.3912');
    expect(screen.getByText('Carrington hub added to your what-if.')).toBeInTheDocument();

    // Or by the map: the button turns picking on, and a click fills in the place.
    await user.click(screen.getByRole('button', { name: 'Choose the place on the map' }));
    expect(screen.getByRole('button', { name: 'Stop choosing on the map' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: 'Click the map' }));
    expect(screen.getByLabelText('Latitude')).toHaveValue('53.41235');
    expect(screen.getByLabelText('Longitude')).toHaveValue('-2.30988');
    expect(screen.getByLabelText('Latitude')).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Add this centre' }));

    await user.click(screen.getByRole('button', { name: 'Show the effect' }));
    await screen.findByText('Opening a new centre brings 200 young people within 2 km of one.');
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      close: [], reopen: [],
      add: [
        { name: 'Carrington hub', lat: 53.4301, lon: -2.3912, provider_type: 'charity', weekly_hours: 10 },
        // Who runs it stays as last chosen.
        { lat: 53.41235, lon: -2.30988, provider_type: 'charity', weekly_hours: 10 },
      ],
    });
  });

  it('asks for a change before showing the effect, and lists the API’s field errors', async () => {
    const user = userEvent.setup();
    officer();
    const far = 'This point is about 170 km from Trafford Council’s area: check the latitude and longitude';
    mockApi({ ...coverageApi(), 'POST /councils/:id/coverage/what-if': problem(422, { errors: [
      { field: 'close[0]', message: 'Stretford Youth Centre is not open, so it cannot be closed' },
      { field: 'add[0].lat', message: far }, { field: 'add[0].lon', message: far },
    ] }) });
    render(CoveragePage);
    await screen.findByRole('heading', { level: 2, name: 'What if' });
    await user.click(screen.getByRole('button', { name: 'Show the effect' }));
    expect(await screen.findByRole('link', { name: 'Select a centre to close or open, or add a new centre' })).toBeInTheDocument();

    await user.click(within(screen.getByRole('group', { name: 'Close these centres' })).getByRole('checkbox', { name: 'Stretford Youth Centre' }));
    await user.click(screen.getByRole('button', { name: 'Show the effect' }));
    expect(await screen.findByText('Stretford Youth Centre is not open, so it cannot be closed')).toBeInTheDocument();
    // The same words for two fields (lat and lon) are said once.
    expect(screen.getAllByText(far)).toHaveLength(1);
  });

  it('suggests k sites, lists their gain, draws them and can try one in the what-if', async () => {
    const user = userEvent.setup();
    officer();
    const { calls } = mockApi({ ...coverageApi(), 'POST /councils/:id/coverage/siting': { body: siting() } });
    render(CoveragePage);
    await screen.findByRole('heading', { level: 2, name: 'Where to open new centres' });

    const k = screen.getByLabelText('How many sites');
    await user.clear(k);
    await user.type(k, '0');
    await user.click(screen.getByRole('button', { name: 'Suggest sites' }));
    expect(await screen.findByRole('link', { name: 'How many sites must be a whole number from 1 to 20' })).toBeInTheDocument();

    await user.clear(k);
    await user.type(k, '2');
    await user.click(screen.getByRole('radio', { name: 'The council’s closed and planned centres' }));
    await user.click(screen.getByRole('button', { name: 'Suggest sites' }));
    expect(await screen.findByText('This site would raise the share covered from 50.0% to 83.3%.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ k: 2, candidates: 'centres' });
    expect(rowsOf('Suggested sites')[0]).toContain('Trafford 002B');
    expect(rowsOf('Suggested sites')[0]).toContain('200');
    expect(within(screen.getByTestId('map-markers')).getByText(/Suggested site/)).toHaveClass('app-cov-marker--pick');

    await user.click(screen.getByRole('button', { name: /^Try in what-if ?– Trafford 002B$/ }));
    expect(screen.getByText('1 new centre')).toBeInTheDocument();
    expect(screen.getByText('Added to what-if')).toBeInTheDocument();
  });

  it('downloads files with the access token and offers the address as a link', async () => {
    const user = userEvent.setup();
    officer();
    const { calls } = mockApi({ ...coverageApi() });
    const createObjectURL = vi.fn(() => 'blob:x');
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    render(CoveragePage);
    const link = await screen.findByRole('link', { name: 'Gaps (CSV)' });
    expect(link).toHaveAttribute('href', '/api/v1/councils/k1/coverage/gaps?band=13-19&format=csv');
    expect(screen.getByRole('link', { name: 'Areas (GeoJSON)' })).toHaveAttribute('href', '/api/v1/councils/k1/coverage/areas?band=13-19&format=geojson');
    await user.click(link);
    await expect.poll(() => createObjectURL.mock.calls.length).toBe(1);
    const call = calls.find((c) => c.query.get('format') === 'csv')!;
    expect(call.path).toBe('/councils/k1/coverage/gaps');
    expect(call.headers.get('Authorization')).toBe('Bearer access-1');
  });

  it('lets the admin choose a council, and keeps it in the address', async () => {
    const user = userEvent.setup();
    session.start(tokens({ role: 'admin', council_id: null }));
    const council = { coverage_threshold_km: 2, min_weekly_hours: 10, created_at: '2026-01-01T00:00:00Z' };
    const { calls } = mockApi({
      ...coverageApi(),
      'GET /councils': { body: { items: [{ id: 'k1', name: 'Trafford Council', lad_code: 'E08000009', ...council }, { id: 'k2', name: 'Cheltenham Borough Council', lad_code: 'E07000078', ...council }], total: 2 } },
    });
    render(CoveragePage);
    expect(await screen.findByText('Choose a council to see its coverage.')).toBeInTheDocument();
    await screen.findByRole('option', { name: 'Cheltenham Borough Council' });
    await user.selectOptions(screen.getByLabelText('Council'), 'Cheltenham Borough Council');
    await user.selectOptions(screen.getByLabelText('Age group'), '8 to 25');
    await user.click(screen.getByRole('button', { name: 'Show coverage' }));
    expect(window.location.search).toBe('?council=k2&band=8-25');
    await screen.findByRole('heading', { level: 2, name: 'Figures' });
    expect(calls.find((c) => c.path === '/councils/k2/coverage')!.query.get('band')).toBe('8-25');
  });

  it('compares reach with the REYS benchmark only for 13 to 19', async () => {
    officer();
    history.replaceState(null, '', '/coverage?band=8-25');
    window.dispatchEvent(new PopStateEvent('popstate'));
    const wide = summary({ band: '8-25', min_age: 8, max_age: 25, reach: { ...summary().reach, reach: 0.12, meets_reys: null } });
    mockApi({ ...coverageApi(), 'GET /councils/:id/coverage': { body: wide } });
    render(CoveragePage);
    expect(await screen.findByRole('heading', { level: 2, name: 'Figures' })).toBeInTheDocument();
    expect(screen.queryByText('Below the benchmark')).not.toBeInTheDocument();
    expect(screen.queryByText('Meets the benchmark')).not.toBeInTheDocument();
    expect(screen.getByText('The REYS benchmark is contact with 25% of young people aged 13 to 19. To compare reach with it, choose the 13 to 19 age group.')).toBeInTheDocument();
  });

  it('says when a council’s areas are not imported yet', async () => {
    officer();
    mockApi({ ...coverageApi(), 'GET /councils/:id/coverage': problem(409, { title: 'Areas not imported', detail: 'Import the small areas of this council first.' }) });
    render(CoveragePage);
    expect(await screen.findByText('Import the small areas of this council first.')).toBeInTheDocument();
  });

  it('is not for young people', async () => {
    session.start(tokens({ role: 'young_person' }));
    const { calls } = mockApi({});
    render(CoveragePage);
    expect(screen.getByText('You do not have permission to see this.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });
});
