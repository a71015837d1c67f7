import type { Page } from '@playwright/test';
import { expect, navTo, officerToStaff, tabTo, test } from './fixtures';

// The access log: the demo youth worker (Wes Worker, internal/seed), at today's seeded session at
// Lostock Youth Centre (its first arrivals, marked by the seed, have no emergency contact on
// record), checks in a walk-in with one and opens the emergency roll call, which shows it; then
// the demo officer, on a laptop, goes from Staff to the access log by keyboard, shows only
// "Emergency contacts viewed" for today, and finds those views recorded: by Wes, about each young
// person shown (first name and initial), with the reason given.

const password = 'youthhub-demo-password';
const title = 'Games and chill';
const desktop = { width: 1280, height: 800 };

type A11y = (label?: string) => Promise<void>;

/** ukDay is today in the UK as the page says it, as in "Friday 27 November 2026", and its day, month and year. */
function ukDay(now: Date) {
  const zone = 'Europe/London';
  const long = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .formatToParts(now)
    .filter((p) => p.type !== 'literal')
    .map((p) => p.value)
    .join(' ');
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { long, day: get('day'), month: get('month'), year: get('year') };
}

async function signOut(page: Page, a11y: A11y, label: string) {
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y(`signed out (${label})`);
}

test('a council officer sees in the access log that a youth worker opened the roll call, with whose contacts and why', async ({ page, a11y }) => {
  test.slow();

  // 1. The worker, on a phone, opens today's register and its roll call.
  await page.goto('/register/today');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await a11y('sign in (worker)');
  await page.getByLabel('Email address').fill('worker@demo.test');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Today’s registers' })).toBeVisible();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) }).first();
  await expect(item, `the seeded session "${title}" at Lostock Youth Centre today`).toBeVisible();
  await a11y('today');
  await item.getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await a11y('register');

  // The seed's arrivals have no emergency contact on record: a walk-in brings one.
  await page.getByRole('link', { name: 'Add a walk-in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a walk-in' })).toBeVisible();
  await a11y('walk-in');
  const dob = new Date();
  dob.setFullYear(dob.getFullYear() - 13, dob.getMonth(), dob.getDate() - 40);
  await page.getByLabel('First name').fill('Remi');
  await page.getByLabel('Last name (optional)').fill('Rowe');
  const born = page.getByRole('group', { name: 'Date of birth', exact: true });
  await born.getByLabel('Day').fill(String(dob.getDate()));
  await born.getByLabel('Month').fill(String(dob.getMonth() + 1));
  await born.getByLabel('Year').fill(String(dob.getFullYear()));
  await page.getByLabel('Home postcode').fill('M41 0RX');
  await page.getByLabel('Their name').fill('Rosa Rowe');
  await page.getByLabel('Phone number').fill('07700 900456');
  await page.getByLabel('Relationship to the young person').fill('mum');
  await page.getByRole('button', { name: 'Register and check in' }).click();
  await expect(page.getByText('Remi Rowe is on the register and checked in')).toBeVisible();
  await a11y('register, walk-in added');

  await page.getByRole('link', { name: 'Roll call' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Emergency roll call' })).toBeVisible();
  await a11y('roll call, reason');
  await page.getByRole('button', { name: 'Fire drill' }).click();
  await expect(page.getByRole('heading', { name: /young (person|people) on site$/ })).toBeFocused();
  const onSite = await page.getByRole('heading', { level: 3 }).allTextContents();
  expect(onSite.length, 'the seed’s first arrivals on site').toBeGreaterThan(0);
  await expect(page.getByRole('link', { name: 'Call 07700900456 (Rosa Rowe)' })).toBeVisible();
  await a11y('roll call');
  await signOut(page, a11y, 'worker');

  // 2. The officer, on a laptop: Staff, then the access log, by keyboard.
  await page.setViewportSize(desktop);
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  await navTo(page, 'Sign in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await a11y('sign in (officer)');
  await officerToStaff(page, a11y);

  const toLog = page.getByRole('link', { name: 'See the access log' });
  await tabTo(page, toLog);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Access log' })).toBeFocused();
  await expect(page).toHaveTitle('Access log – youthhub');
  await expect(page).toHaveURL(/\/access-log$/);
  await expect(page.getByRole('table', { name: 'Entries, newest first' })).toBeVisible();
  await a11y('access log');

  // A date that does not exist: an error summary that takes focus, linking to the field.
  const from = page.getByRole('group', { name: /^From/ });
  const to = page.getByRole('group', { name: /^To/ });
  await tabTo(page, from.getByLabel('Day'));
  await page.keyboard.type('31');
  await page.keyboard.press('Tab');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  await page.keyboard.type('2026');
  const show = page.getByRole('button', { name: 'Show' });
  await tabTo(page, show);
  await page.keyboard.press('Enter');
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'From must be a real date' })).toHaveAttribute('href', '#from-day');
  await expect(page).toHaveTitle('Error: Access log – youthhub');
  await a11y('access log, date error');

  // Only emergency contacts viewed, today.
  const today = ukDay(new Date());
  const what = page.getByLabel('What', { exact: true });
  await tabTo(page, what);
  await what.selectOption({ label: 'Emergency contacts viewed' });
  for (const [group, label] of [[from, 'from'], [to, 'to']] as const) {
    const day = group.getByLabel('Day');
    await tabTo(page, day);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(today.day);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(today.month);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(today.year);
    await expect(group.getByLabel('Year'), `${label} year`).toHaveValue(today.year);
  }
  await tabTo(page, show);
  await page.keyboard.press('Enter');

  const ymd = `${today.year}-${today.month.padStart(2, '0')}-${today.day.padStart(2, '0')}`;
  await expect(page).toHaveURL(new RegExp(`/access-log\\?action=view_emergency_contact&from=${ymd}&to=${ymd}$`));
  await expect(summary).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 2, name: /^\d+ entr(y|ies)$/ })).toBeFocused();
  const rows = page.getByRole('table', { name: 'Entries, newest first' }).getByRole('row').filter({ has: page.getByRole('rowheader') });
  const count = await rows.count();
  // A row for each young person whose contacts or medical notes the roll call showed: Remi at least.
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(onSite.length);
  await expect(rows.filter({ hasText: 'Remi R., Young person' })).toHaveCount(1);
  // Young people are named by first name and initial only.
  const shown = new Set(onSite.map((n) => n.replace(/^(\S+).*?\s(\S)\S*$/, '$1 $2.')));
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    await expect(row.getByRole('rowheader')).toHaveText(new RegExp(`^${today.long} at \\d{1,2}(:\\d{2})?(am|pm)$|^${today.long} at midday$`));
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toHaveText('WhoWes Worker, Youth worker');
    await expect(cells.nth(1)).toHaveText('WhatEmergency contacts viewed');
    await expect(cells.nth(3)).toHaveText('WhyFire drill');
    const about = ((await cells.nth(2).textContent()) ?? '').replace(/^About whom/, '');
    const [name, role] = about.split(', ');
    expect(shown, `"${name}" was on the roll call`).toContain(name);
    expect(role).toBe('Young person');
  }
  await a11y('access log, emergency contacts viewed today');

  // A reload keeps the filters.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Access log' })).toBeVisible();
  await expect(page.getByLabel('What', { exact: true })).toHaveValue('view_emergency_contact');
  await expect(from.getByLabel('Day')).toHaveValue(today.day);
  await expect(rows).toHaveCount(count);
  await a11y('access log, reloaded');
});
