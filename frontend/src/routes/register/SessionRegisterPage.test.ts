import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freshPages } from './fresh';
import { formatDay, formatTime } from '../../lib/format';
import { mockApi, problem, tokens, type Reply, type Req } from '../../test/api';
import type { Register, RegisterEntry } from '../../lib/api/register';
import type { MyShift } from '../../lib/api/staffing';

const occ = '7b1e4a52-9c1d-4f7e-8a61-2f3c4d5e6f70';
const bookingOfBen = '0f0e0d0c-0b0a-4908-8706-050403020100';
const start = new Date(Date.now() - 10 * 60_000);
const end = new Date(Date.now() + 80 * 60_000);
const worker = tokens({ id: 'w1', role: 'youth_worker', council_id: 'k1', first_name: 'Wes' });

function entry(first: string, last: string, over: Partial<RegisterEntry> = {}): RegisterEntry {
  return {
    young_person_id: `yp-${first.toLowerCase()}`, first_name: first, last_name: last, date_of_birth: '2011-05-01', booking_id: `b-${first}`,
    booking_status: 'confirmed', walk_in: false, on_site: false, has_emergency_contact: true, mark: null, ...over,
  };
}

function register(): Register {
  return {
    session: {
      id: occ, title: 'Tuesday football', centre_id: 'c1', centre_name: 'Old Trafford Youth Centre', starts_at: start.toISOString(), ends_at: end.toISOString(),
      booking_mode: 'bookable', capacity: 24, spaces_left: 21, status: 'scheduled', register_closed_at: null, locks_at: end.toISOString(), locked: false,
    },
    counts: { booked: 3, walk_ins: 0, present: 1, on_site: 1, absent: 0, unmarked: 2 },
    entries: [
      entry('Ava', 'Ashworth', {
        on_site: true,
        mark: { status: 'present', checked_in_at: start.toISOString(), checked_out_at: null, recorded_by: 'w2', recorded_by_name: 'Priya Shah', recorded_at: start.toISOString(), client_id: 'c-0' },
      }),
      entry('Ben', 'Bailey', { booking_id: bookingOfBen }),
      entry('Cara', 'Clarke'),
    ],
    generated_at: new Date().toISOString(),
  };
}

const shift: MyShift = {
  id: 'sh1', occurrence_id: occ, role: 'lead', starts_at: start.toISOString(), ends_at: end.toISOString(), title: 'Tuesday football', centre_id: 'c1',
  centre_name: 'Old Trafford Youth Centre', centre_address: '1 Road', centre_postcode: 'M16 0AA', occurrence_status: 'scheduled', updated_at: start.toISOString(),
};

/** stored answers a batch of marks as the server would: every one stored. */
function stored(req: Req): Reply {
  const marks = (req.body as { marks: { client_id: string }[] }).marks;
  return { body: { results: marks.map((m) => ({ client_id: m.client_id, outcome: 'stored' })), stored: marks.length, superseded: 0, duplicate: 0, refused: 0 } };
}

const b64url = (uuid: string) => Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');

// Each test gets fresh modules (who is signed in, the queue's state) and a fresh IndexedDB, as a
// new page load on a new phone would.
const fresh = freshPages(async () => ({
  cache: await import('../../lib/offline/cache'),
  Page: (await import('./SessionRegisterPage.svelte')).default,
}));

afterEach(() => {
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
});

describe('The register at the door', () => {
  it('counts booked, present and on site, finds as you type, and sends a tap as a mark with its own id and time', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: register() },
      'POST /sessions/:id/register/marks': stored,
    });
    render(Page, { occurrenceId: occ });

    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    expect(screen.getByTestId('count-booked')).toHaveTextContent('3');
    expect(screen.getByTestId('count-present')).toHaveTextContent('1');
    expect(screen.getByTestId('count-on-site')).toHaveTextContent('1');
    expect(screen.getByText('3 young people')).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Ava Ashworth' })).getByRole('button', { name: 'Present' })).toHaveAttribute('aria-pressed', 'true');

    await user.type(screen.getByLabelText('Find a young person'), 'bai');
    expect(screen.getByText('Showing 1 of 3')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Ava Ashworth' })).not.toBeInTheDocument();

    const before = Date.now();
    await user.click(within(screen.getByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name: 'Late' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === `/sessions/${occ}/register/marks`)).toBe(true));
    const sent = calls.find((c) => c.path.endsWith('/register/marks'))!.body as { device_id: string; marks: { client_id: string; recorded_at: string; young_person_id: string; status: string }[] };
    expect(sent.marks).toHaveLength(1);
    expect(sent.marks[0]).toMatchObject({ young_person_id: 'yp-ben', status: 'late' });
    expect(sent.marks[0]!.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(sent.marks[0]!.recorded_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(screen.getByText('Ben Bailey marked late')).toBeInTheDocument();
    // The search is emptied for the next name, with focus still in it.
    const search = screen.getByLabelText('Find a young person');
    await waitFor(() => expect(search).toHaveFocus());
    expect(search).toHaveValue('');
    expect(screen.getByText('3 young people')).toBeInTheDocument();
    await user.keyboard('car');
    expect(screen.getByText('Showing 1 of 3')).toBeInTheDocument();
    // Once sent, the register is read again from the server.
    await waitFor(() => expect(calls.filter((c) => c.path === `/sessions/${occ}/register`).length).toBe(2));
  });

  it('flags who has no emergency contact, before an emergency', async () => {
    const { Page, render } = await fresh();
    const reg = register();
    reg.entries = [entry('Ben', 'Bailey', { has_emergency_contact: false }), entry('Cara', 'Clarke')];
    mockApi({ 'POST /auth/refresh': { body: worker }, 'GET /sessions/:id/register': { body: reg } });
    render(Page, { occurrenceId: occ });
    const ben = (await screen.findByRole('heading', { level: 2, name: 'Ben Bailey' })).closest('li')!;
    expect(within(ben).getByText('No emergency contact')).toBeInTheDocument();
    expect(within(screen.getByRole('heading', { level: 2, name: 'Cara Clarke' }).closest('li')!).queryByText('No emergency contact')).not.toBeInTheDocument();
  });

  it('says "Did not come" for a booking left unmarked when the register closed, not "Not marked yet"', async () => {
    const { Page, render } = await fresh();
    const reg = register();
    reg.entries = [entry('Ben', 'Bailey', { booking_status: 'no_show' }), entry('Cara', 'Clarke')];
    mockApi({ 'POST /auth/refresh': { body: worker }, 'GET /sessions/:id/register': { body: reg } });
    render(Page, { occurrenceId: occ });
    const ben = (await screen.findByRole('heading', { level: 2, name: 'Ben Bailey' })).closest('li')!;
    expect(within(ben).getByText('Did not come')).toBeInTheDocument();
    expect(within(screen.getByRole('heading', { level: 2, name: 'Cara Clarke' }).closest('li')!).getByText('Not marked yet')).toBeInTheDocument();
  });

  it('keeps the arrival time when a Left tapped by mistake is put right at once, not when they come back later', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    const reg = register();
    const leftAt = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const left = (minutesAgo: number) => ({
      status: 'left' as const, checked_in_at: start.toISOString(), checked_out_at: leftAt(minutesAgo), recorded_by: 'w1', recorded_by_name: 'Wes Tester',
      recorded_at: leftAt(minutesAgo), client_id: `c-${minutesAgo}`,
    });
    reg.entries = [entry('Ava', 'Ashworth', { mark: left(2) }), entry('Ben', 'Bailey', { booking_id: bookingOfBen, mark: left(40) })];
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: reg },
      'POST /sessions/:id/register/marks': stored,
    });
    render(Page, { occurrenceId: occ });
    await user.click(within(await screen.findByRole('group', { name: 'Ava Ashworth' })).getByRole('button', { name: 'Present' }));
    await user.click(within(screen.getByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name: 'Present' }));
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/register/marks')).flatMap((c) => (c.body as { marks: unknown[] }).marks)).toHaveLength(2));
    const sent = calls.filter((c) => c.path.endsWith('/register/marks')).flatMap((c) => (c.body as { marks: { young_person_id: string; checked_in_at?: string | null }[] }).marks);
    expect(sent.find((m) => m.young_person_id === 'yp-ava')!.checked_in_at).toBe(start.toISOString());
    expect(sent.find((m) => m.young_person_id === 'yp-ben')!.checked_in_at ?? null).toBeNull();
  });

  it('lets a worker mark as left anyone still on site at a session cancelled after they arrived, and nothing else', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    const cancelled = register();
    cancelled.session.status = 'cancelled';
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: cancelled },
      'POST /sessions/:id/register/marks': stored,
    });
    render(Page, { occurrenceId: occ });

    expect(await screen.findByText('This session was cancelled. Mark anyone still here as left when they go.')).toBeInTheDocument();
    const ava = within(screen.getByRole('group', { name: 'Ava Ashworth' }));
    for (const name of ['Present', 'Late', 'Absent']) expect(ava.getByRole('button', { name })).toBeDisabled();
    for (const name of ['Present', 'Late', 'Left', 'Absent']) expect(within(screen.getByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name })).toBeDisabled();
    await user.click(ava.getByRole('button', { name: 'Left' }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/register/marks'))).toBe(true));
    const sent = calls.find((c) => c.path.endsWith('/register/marks'))!.body as { marks: { young_person_id: string; status: string }[] };
    expect(sent.marks).toEqual([expect.objectContaining({ young_person_id: 'yp-ava', status: 'left' })]);
  });

  it('keeps the door code open with focus in the field: a wrong code is announced beside it, a right one clears it for the next', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    let answer: (r: Reply) => void = () => {};
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': { body: register() },
      'POST /sessions/:id/register/scan': () => new Promise<Reply>((resolve) => (answer = resolve)),
    });
    render(Page, { occurrenceId: occ });
    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    await user.click(screen.getByText('Camera not working? Type the door code'));
    const field = screen.getByLabelText('Door code');
    const details = field.closest('details')!;

    await user.type(field, 'AAAA-BBBB{Enter}');
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/register/scan'))).toHaveLength(1));
    expect(details).toHaveAttribute('open');
    answer(problem(422, { code: 'unknown_short_code', detail: 'No booking has this door code' }));
    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('No booking has this door code');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('No booking has this door code'));
    expect(details).toHaveAttribute('open');
    expect(field).toHaveFocus();

    // Checking the next try keeps the section open and the error where it was.
    await user.clear(field);
    await user.type(field, 'k7p2 qx9m{Enter}');
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/register/scan'))).toHaveLength(2));
    expect((calls.at(-1)!.body as { short_code: string }).short_code).toBe('K7P2QX9M');
    expect(details).toHaveAttribute('open');
    answer({ body: { already_present: false, entry: { ...register().entries[1]!, on_site: true } } });

    expect(await screen.findByRole('alert', { name: 'Success' })).toHaveTextContent('Ben Bailey is checked in');
    expect(screen.queryByText('No booking has this door code')).not.toBeInTheDocument();
    expect(details).toHaveAttribute('open');
    await waitFor(() => expect(field).toHaveFocus());
    expect(field).toHaveValue('');
    expect(field).toHaveAccessibleDescription('The 8 letters and numbers under the QR code in the young person’s bookings');
  });

  it('tells a worker not on the rota, or with a session not found, what is wrong and the way back to today’s registers', async () => {
    for (const [answer, title, text] of [
      [problem(403, { title: 'Forbidden', detail: 'Only staff on the rota for this session, its centre managers and council officers can see its register' }),
        'You are not on the rota for this session', 'Ask a centre manager to add you to the rota if you are working at it.'],
      [problem(404, { title: 'Not found', detail: 'session not found' }), 'Session not found', 'Check the link, or open the register from Today’s registers.'],
    ] as const) {
      const { Page, render } = await fresh();
      mockApi({ 'POST /auth/refresh': { body: worker }, 'GET /sessions/:id/register': answer });
      const { unmount } = render(Page, { occurrenceId: occ });
      expect(await screen.findByRole('heading', { level: 1, name: title })).toBeInTheDocument();
      expect(screen.getByText(text)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Today’s registers' })).toHaveAttribute('href', '/register/today');
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.queryByText(/req-123/)).not.toBeInTheDocument();
      unmount();
    }
  });

  it('puts the day in the caption, and says plainly when the session has ended', async () => {
    const { Page, render } = await fresh();
    const past = register();
    past.session = { ...past.session, starts_at: '2025-11-26T18:00:00Z', ends_at: '2025-11-26T19:30:00Z', locks_at: '2025-12-03T19:30:00Z', locked: true };
    mockApi({ 'POST /auth/refresh': { body: worker }, 'GET /sessions/:id/register': { body: past } });
    render(Page, { occurrenceId: occ });
    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    expect(screen.getByText('Old Trafford Youth Centre, Wednesday 26 November 2025, 6pm to 7:30pm')).toBeInTheDocument();
    expect(screen.getByText('This session ended on Wednesday 26 November 2025 at 7:30pm.')).toBeInTheDocument();
    expect(screen.getByText('This register locked 7 days after the session. Ask a centre manager to change it.')).toBeInTheDocument();
  });

  it('does not tell a centre manager to ask a centre manager to change a locked register', async () => {
    const { Page, render } = await fresh();
    const past = register();
    past.session = { ...past.session, starts_at: '2025-11-26T18:00:00Z', ends_at: '2025-11-26T19:30:00Z', locks_at: '2025-12-03T19:30:00Z', locked: true };
    const manager = tokens({ id: 'm1', role: 'centre_manager', council_id: 'k1', first_name: 'Mo' });
    mockApi({ 'POST /auth/refresh': { body: manager }, 'GET /sessions/:id/register': { body: past } });
    render(Page, { occurrenceId: occ });
    expect(await screen.findByText('This register locked 7 days after the session.')).toBeInTheDocument();
    expect(screen.queryByText(/Ask a centre manager/)).not.toBeInTheDocument();
  });

  it('does not say a session today has ended while it is on', async () => {
    const { Page, render } = await fresh();
    mockApi({ 'POST /auth/refresh': { body: worker }, 'GET /sessions/:id/register': { body: register() } });
    render(Page, { occurrenceId: occ });
    expect(await screen.findByText(`Old Trafford Youth Centre, ${formatDay(start.toISOString())}, ${formatTime(start.toISOString())} to ${formatTime(end.toISOString())}`)).toBeInTheDocument();
    expect(screen.queryByText(/^This session ended/)).not.toBeInTheDocument();
  });

  it('keeps the arrival time when a present mark is corrected to late', async () => {
    const user = userEvent.setup();
    const { Page, render } = await fresh();
    // The server answers the register again as it would after the correction.
    let corrected = false;
    const { calls } = mockApi({
      'POST /auth/refresh': { body: worker },
      'GET /sessions/:id/register': () => {
        const r = register();
        if (corrected) r.entries[0]!.mark = { ...r.entries[0]!.mark!, status: 'late', recorded_at: new Date().toISOString(), client_id: 'c-1' };
        return { body: r };
      },
      'POST /sessions/:id/register/marks': (req) => {
        corrected = true;
        return stored(req);
      },
    });
    render(Page, { occurrenceId: occ });

    const ava = await screen.findByRole('group', { name: 'Ava Ashworth' });
    await user.click(within(ava).getByRole('button', { name: 'Late' }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/register/marks'))).toBe(true));
    const sent = calls.find((c) => c.path.endsWith('/register/marks'))!.body as { marks: { status: string; checked_in_at?: string }[] };
    expect(sent.marks[0]).toMatchObject({ status: 'late', checked_in_at: start.toISOString() });
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Ava Ashworth' })).getByRole('button', { name: 'Late' })).toHaveAttribute('aria-pressed', 'true'));
    const row = screen.getByRole('heading', { level: 2, name: 'Ava Ashworth' }).closest('li')!;
    expect(within(row).getByText(`Late, in at ${formatTime(start.toISOString())}`)).toBeInTheDocument();
  });

  it('works from the phone’s copy with no signal, shows the marks waiting to be sent, and sends them when the signal is back', async () => {
    const user = userEvent.setup();
    const { cache, Page, render } = await fresh();
    // An earlier visit with a signal kept today's list and this register on the phone.
    await cache.saveIdentity(worker.user);
    await cache.saveToday('w1', [shift]);
    expect(await cache.saveRegister('w1', register())).toBe(true);

    let up = false;
    const { calls } = mockApi({
      'POST /auth/refresh': () => {
        if (!up) throw new TypeError('Failed to fetch');
        return { body: worker };
      },
      'GET /sessions/:id/register': () => {
        if (!up) throw new TypeError('Failed to fetch');
        return { body: register() };
      },
      'POST /sessions/:id/register/marks': stored,
    });
    render(Page, { occurrenceId: occ });

    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    expect(screen.getByText(/^Saved on this phone at/)).toBeInTheDocument();
    const banner = await screen.findByRole('region', { name: 'You are offline' });
    expect(within(banner).getByText('Waiting to send: 0')).toBeInTheDocument();

    await user.click(within(screen.getByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name: 'Present' }));
    await user.click(within(screen.getByRole('group', { name: 'Cara Clarke' })).getByRole('button', { name: 'Absent' }));
    expect(await within(banner).findByText('Waiting to send: 2')).toBeInTheDocument();
    expect(screen.getAllByText('Waiting to send')).toHaveLength(2);
    expect(screen.getByTestId('count-on-site')).toHaveTextContent('2');
    expect(calls.filter((c) => c.path.endsWith('/register/marks'))).toHaveLength(0);

    up = true;
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(screen.queryByRole('region', { name: /offline|Marks not sent/ })).not.toBeInTheDocument());
    const batches = calls.filter((c) => c.path.endsWith('/register/marks'));
    expect(batches).toHaveLength(1);
    expect((batches[0]!.body as { marks: { status: string }[] }).marks.map((m) => m.status)).toEqual(['present', 'absent']);
  });

  it('says when the worker must sign in again to send, and keeps the marks', async () => {
    const user = userEvent.setup();
    const { cache, Page, render } = await fresh();
    await cache.saveIdentity(worker.user);
    await cache.saveToday('w1', [shift]);
    await cache.saveRegister('w1', register());
    let up = false;
    mockApi({
      'POST /auth/refresh': () => {
        if (!up) throw new TypeError('Failed to fetch');
        return problem(401);
      },
      'GET /sessions/:id/register': problem(401),
    });
    render(Page, { occurrenceId: occ });
    await user.click(within(await screen.findByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name: 'Present' }));
    expect(await screen.findByText('Waiting to send: 1')).toBeInTheDocument();
    up = true;
    window.dispatchEvent(new Event('online'));

    const banner = await screen.findByRole('region', { name: 'Sign in to send marks' });
    expect(await within(banner).findByText('Waiting to send: 1')).toBeInTheDocument();
    expect(within(banner).getByRole('link', { name: 'Sign in to send them' })).toHaveAttribute('href', `/sign-in?next=${encodeURIComponent(`/register/${occ}`)}`);
  });

  it('checks in a QR ticket with no signal by its booking, and says the code could not be fully checked', async () => {
    const { cache, Page, render } = await fresh();
    await cache.saveIdentity(worker.user);
    await cache.saveToday('w1', [shift]);
    await cache.saveRegister('w1', register());
    mockApi({
      'POST /auth/refresh': () => {
        throw new TypeError('Failed to fetch');
      },
      'POST /sessions/:id/register/scan': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    // A camera and the browser's BarcodeDetector that reads Ben's ticket to this session.
    const token = `YH1.${b64url(bookingOfBen)}.${b64url(occ)}.${'A'.repeat(22)}`;
    const stop = vi.fn();
    Object.defineProperty(navigator, 'mediaDevices', {
      configurable: true,
      value: { getUserMedia: vi.fn(async () => ({ getTracks: () => [{ stop }] })) },
    });
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.stubGlobal('BarcodeDetector', Object.assign(class {
      async detect() {
        return [{ rawValue: token }];
      }
    }, { getSupportedFormats: async () => ['qr_code'] }));

    render(Page, { occurrenceId: occ });
    const user = userEvent.setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Tuesday football' })).toBeInTheDocument();
    await user.click(screen.getByText('Camera not working? Type the door code'));
    await user.type(screen.getByLabelText('Door code'), 'k7p2-qx9m');
    await user.click(screen.getByRole('button', { name: 'Check in' }));
    expect(await screen.findByText('Checking a door code needs a connection. Find them in the list below instead.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Scan a QR code' }));
    expect(await screen.findByText(/Ben Bailey is checked in\. You are offline, so the QR code could not be fully checked/)).toBeInTheDocument();
    expect(within(screen.getByRole('group', { name: 'Ben Bailey' })).getByRole('button', { name: 'Present' })).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByText('Waiting to send: 1')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Stop scanning' }));
    expect(stop).toHaveBeenCalled();
  });
});
