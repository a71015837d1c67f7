import type { APIRequestContext, Page } from '@playwright/test';
import { demoPassword, emailedLink, expect, fitsPhone, navTo, signInDemo as signIn, signOutDemo as signOut, tabTo, test } from './fixtures';

// Staff records and councils, against the seeded demo data (internal/seed): the demo manager
// changes Wes Worker's (worker@demo.test) record, Wes reads it on his phone from "My rota", and
// the platform admin (admin@demo.test) adds a council and invites its first officer.

const run = `${Date.now() % 1_000_000}`.padStart(6, '0');

// The id of a member of the demo council's staff, as its manager sees it.
async function staffId(request: APIRequestContext, email: string): Promise<string> {
  const login = await request.post('/api/v1/auth/login', { data: { email: 'manager@demo.test', password: demoPassword } });
  expect(login.ok()).toBeTruthy();
  const token = (await login.json()).access_token as string;
  const res = await request.get('/api/v1/staff', { headers: { Authorization: `Bearer ${token}` } });
  expect(res.ok()).toBeTruthy();
  const person = ((await res.json()).items as { id: string; email: string | null }[]).find((s) => s.email === email);
  expect(person, `${email} on the demo council's staff`).toBeTruthy();
  return person!.id;
}

// The three boxes of a GOV.UK date input.
async function fillDate(page: Page, legend: string, ymd: string) {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(d));
  await group.getByLabel('Month').fill(String(m));
  await group.getByLabel('Year').fill(String(y));
}

// The UK calendar date (YYYY-MM-DD) days from now.
function londonDay(days: number): string {
  const at = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const checkRow = (page: Page, name: string) => page.locator('.govuk-summary-list__row').filter({ has: page.locator('dt', { hasText: name }) });

test.describe('on a laptop', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('a manager records a first-aid certificate on a youth worker’s record, and it is kept', async ({ page, request, a11y }) => {
    const wes = await staffId(request, 'worker@demo.test');
    // Within 30 days, so that the record says it expires soon.
    const firstAid = londonDay(20);

    await signIn(page, a11y, 'manager@demo.test');
    await expect(page.getByRole('heading', { level: 1, name: 'Session timetable' })).toBeVisible();
    await a11y('timetable');

    await page.goto(`/staff/${wes}/record`);
    await expect(page.getByRole('heading', { level: 1, name: 'Staff record for Wes Worker' })).toBeVisible();
    await expect(page).toHaveTitle('Staff record for Wes Worker – youthhub');
    await expect(page.getByLabel('JNC level 3')).toBeChecked();
    await a11y('staff record');

    // A date that does not exist is refused before it is sent; the summary's link leads to it.
    await fillDate(page, 'First-aid certificate valid until (optional)', '2031-02-30');
    await page.getByRole('group', { name: 'First-aid certificate valid until (optional)' }).getByLabel('Year').press('Enter');
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary.getByRole('link', { name: 'First-aid certificate must be a real date' })).toBeVisible();
    await expect(page).toHaveTitle(/^Error: /);
    await a11y('staff record with an error');
    await summary.getByRole('link', { name: 'First-aid certificate must be a real date' }).click();
    await expect(page.getByRole('group', { name: 'First-aid certificate valid until (optional)' }).getByLabel('Day')).toBeFocused();

    // Keyboard only: the date typed, then Enter saves the form.
    await fillDate(page, 'First-aid certificate valid until (optional)', firstAid);
    await page.getByRole('group', { name: 'First-aid certificate valid until (optional)' }).getByLabel('Year').press('Enter');
    const saved = page.getByRole('alert').filter({ hasText: 'Record saved' });
    await expect(saved).toBeVisible();
    await expect(saved).toBeFocused();
    await expect(checkRow(page, 'First-aid certificate').getByText('Expires soon')).toBeVisible();
    await a11y('staff record saved');

    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Staff record for Wes Worker' })).toBeVisible();
    const kept = page.getByRole('group', { name: 'First-aid certificate valid until (optional)' });
    const [y, m, d] = firstAid.split('-').map(Number) as [number, number, number];
    await expect(kept.getByLabel('Day')).toHaveValue(String(d));
    await expect(kept.getByLabel('Month')).toHaveValue(String(m));
    await expect(kept.getByLabel('Year')).toHaveValue(String(y));
    await expect(checkRow(page, 'First-aid certificate').getByText('Expires soon')).toBeVisible();
    await a11y('staff record reloaded');
    await signOut(page, a11y);
  });

  test('the platform admin adds a council and invites its first council officer', async ({ page, a11y }) => {
    const council = `Test Borough Council ${run}`;
    const code = `W99${run}`;
    const officer = `first-officer-${run}@example.test`;

    await signIn(page, a11y, 'admin@demo.test');
    // Councils is the admin's home page.
    await expect(page.getByRole('heading', { level: 1, name: 'Councils' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Councils' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('table', { name: 'Councils on youthhub' }).getByRole('rowheader', { name: 'Trafford Council' })).toBeVisible();
    await a11y('councils');

    await page.getByLabel('Name').fill(council);
    await page.getByLabel('ONS local authority code (optional)').fill(code);
    await page.getByLabel('ONS local authority code (optional)').press('Enter');
    const added = page.getByRole('alert').filter({ hasText: `${council} has been added.` });
    await expect(added).toBeVisible();
    await expect(page.getByRole('table', { name: 'Councils on youthhub' }).getByRole('row', { name: new RegExp(council) })).toContainText(code);
    await a11y('council added');

    // The new council's invitation form is open; its own button opens it again, by keyboard.
    const row = page.getByRole('table', { name: 'Councils on youthhub' }).getByRole('row', { name: new RegExp(council) });
    await row.getByRole('button', { name: `Invite the first council officer of ${council}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: `Invite the first council officer of ${council}` })).toBeFocused();
    const email = page.getByLabel('Email address');
    await tabTo(page, email);
    await page.keyboard.type(officer);
    await page.keyboard.press('Enter');
    const sent = page.getByRole('alert').filter({ hasText: `We sent ${officer} an invitation to join ${council} as its council officer.` });
    await expect(sent).toBeVisible();
    await a11y('officer invited');

    let link: string | null = null;
    await expect.poll(() => (link = emailedLink(officer, '/invite/')), { message: `an invitation e-mail to ${officer} in the outbox` }).not.toBeNull();
    expect(link).toMatch(/^\/invite\/[A-Za-z0-9_~.-]+$/);
    await signOut(page, a11y);
  });
});

test('a youth worker reads their own record on their phone, from My rota', async ({ page, a11y }) => {
  await signIn(page, a11y, 'worker@demo.test');
  await a11y('worker home');
  await navTo(page, 'My rota');
  await expect(page.getByRole('heading', { level: 1, name: 'My rota' })).toBeFocused();
  await a11y('my rota');

  const link = page.getByRole('link', { name: 'My record (DBS, training, availability)' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your staff record' })).toBeFocused();
  await expect(page).toHaveTitle('Your staff record – youthhub');
  // To read, not to change.
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save record' })).toHaveCount(0);
  await expect(checkRow(page, 'Qualification')).toContainText('JNC level 3');
  await expect(checkRow(page, 'DBS check')).toContainText('Valid until');
  await expect(checkRow(page, 'Safeguarding training')).toContainText('Valid until');
  await fitsPhone(page);
  await a11y('own staff record');

  await page.getByRole('link', { name: 'Back to my rota' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My rota' })).toBeVisible();
  await a11y('my rota again');
  await signOut(page, a11y);
});
