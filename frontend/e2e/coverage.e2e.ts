import { expect, navTo, test } from './fixtures';
import type { Page } from '@playwright/test';

/** share reads a percentage such as "77.6%" as a number. */
const share = (text: string | null): number => Number(/([\d.]+)%/.exec(text ?? '')?.[1]);

/** bodyRows counts the body rows of the table captioned name. */
const bodyRows = (page: Page, name: RegExp) => page.getByRole('table', { name }).locator('tbody tr');

test('a council officer sees Trafford’s coverage, closes a centre in a what-if and sees the covered share drop', async ({ page, a11y }) => {
  await page.goto('/sign-in');
  await a11y('sign in');
  await page.getByLabel('Email address').fill('officer@demo.test');
  await page.getByLabel('Password', { exact: true }).fill('youthhub-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await a11y('council centres');
  // On a laptop the officer’s eight links fit on one line of the header (then back to the phone).
  await page.setViewportSize({ width: 1280, height: 800 });
  const tops = await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').evaluateAll((links) => links.map((l) => Math.round(l.getBoundingClientRect().top)));
  expect(tops.length).toBe(8);
  expect(new Set(tops).size, `link tops ${tops.join(', ')}`).toBe(1);
  await page.setViewportSize({ width: 360, height: 740 });

  await navTo(page, 'Coverage');
  await expect(page.getByRole('heading', { level: 1, name: 'Youth centre coverage' })).toBeFocused();
  await expect(page).toHaveTitle('Youth centre coverage – youthhub');
  await expect(page.getByText('Trafford Council', { exact: true })).toBeVisible();

  // The map: Leaflet draws every area and every centre (tiles are refused: no network in tests).
  const map = page.getByRole('region', { name: /^Map of Trafford Council/ });
  await expect(map).toHaveClass(/leaflet-container/);
  await expect.poll(() => map.locator('path.leaflet-interactive').count()).toBeGreaterThan(100);
  await expect.poll(() => map.locator('.app-cov-marker').count()).toBeGreaterThan(10);
  // By keyboard the map is one stop, then its zoom buttons: the areas are not a hundred more.
  await map.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.leaflet-overlay-pane')), 'Tab went into the areas').toBe(false);

  // The same areas and centres as tables.
  const centres = bodyRows(page, /^Centres on the map/);
  await expect.poll(() => centres.count()).toBeGreaterThan(10);
  await expect(page.getByRole('table', { name: /^Centres on the map/ })).toContainText('The Hub (Altrincham Community Hub)');
  await page.getByText(/^Show the \d+ areas as a table$/).click();
  const areas = bodyRows(page, /^Small areas of Trafford Council$/);
  await expect.poll(() => areas.count()).toBeGreaterThan(100);
  await expect(page.getByRole('table', { name: /^Small areas of Trafford Council$/ })).toContainText('Trafford 001A');
  await expect.poll(() => bodyRows(page, /areas without a centre within reach$/).count()).toBeGreaterThan(0);

  // Usable at 360 px: wide tables scroll in their own box, the page itself does not.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  const before = share(await page.locator('[data-figure="covered-share"] .govuk-\\!-font-weight-bold').textContent());
  expect(before).toBeGreaterThan(0);
  await a11y('coverage');

  // What if The Hub closed?
  const close = page.getByRole('group', { name: 'Close these centres' });
  await close.getByRole('checkbox', { name: 'The Hub (Altrincham Community Hub)' }).check();
  await expect(map.locator('.app-cov-marker--closing')).toHaveCount(1);
  await page.getByRole('button', { name: 'Show the effect' }).click();
  const sentence = page.getByTestId('what-if-sentence');
  await expect(sentence).toContainText(/Closing The Hub \(Altrincham Community Hub\) leaves [\d,]+ young people without a centre within 2 km/);
  await expect(sentence.locator('xpath=ancestor::*[@aria-live="polite"]')).toHaveCount(1);
  const [now, after] = (await sentence.getByText(/^Share of young people covered:/).textContent())!.match(/[\d.]+%/g)!.map(share);
  expect(now).toBe(before);
  expect(after).toBeLessThan(before);
  await expect(bodyRows(page, /^Before and after$/).first()).toContainText(/Share covered.*−[\d.]+ percentage points/);
  // Areas that would lose cover are outlined on the map.
  await expect.poll(() => map.locator('path[stroke="#d4351c"]').count()).toBeGreaterThan(0);
  await a11y('coverage after a what-if');

  // Where would two new centres do most good?
  await page.getByLabel('How many sites').fill('2');
  await page.getByRole('button', { name: 'Suggest sites' }).click();
  await expect(bodyRows(page, /^Suggested sites$/)).toHaveCount(2);
  await expect(map.locator('.app-cov-marker--pick')).toHaveCount(2);
  await expect(page.getByText(/^These 2 sites would raise the share covered from [\d.]+% to [\d.]+%\.$/)).toBeVisible();
  await a11y('coverage with suggested sites');

  // Keep The Hub and add a centre by typing where it would be, with the keyboard only.
  await close.getByRole('checkbox', { name: 'The Hub (Altrincham Community Hub)' }).uncheck();
  await page.getByLabel('Name (optional)').fill('Stretford pop-up');
  await page.getByLabel('Latitude').fill('53.4115');
  await page.getByLabel('Longitude').fill('-2.3093');
  await expect(map.locator('.app-cov-marker--pending')).toHaveCount(1);
  await page.getByLabel('Longitude').press('Enter');
  await expect(page.getByText('Stretford pop-up added to your what-if.')).toBeAttached();
  await expect(map.locator('.app-cov-marker--new')).toHaveCount(1);
  await page.getByRole('button', { name: 'Show the effect' }).focus();
  await page.keyboard.press('Enter');
  await expect(sentence).toContainText(/^Opening new centre Stretford pop-up brings [\d,]+ young people within 2 km of a centre\./);
  const [, raised] = (await sentence.getByText(/^Share of young people covered:/).textContent())!.match(/[\d.]+%/g)!.map(share);
  expect(raised).toBeGreaterThan(before);
  await a11y('coverage with a new centre');
});
