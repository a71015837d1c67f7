import type { Locator, Page } from '@playwright/test';
import { expect, tabTo, test, uniqueEmail } from './fixtures';

// Moving around by keyboard and with the browser's Back button: the place a person arrives at
// must be in sight and within reach.

/** inView reports whether the element is (at least partly) inside the window. */
async function inView(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  const height = page.viewportSize()!.height;
  return !!box && box.y + box.height > 0 && box.y < height;
}

test('on a wide screen, a keyboard user can jump past the results to the filters', async ({ page, a11y }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/sessions?postcode=M32+0JG');
  await expect(page.getByRole('heading', { level: 2, name: /sessions? near M32 0JG/ })).toBeVisible();
  await a11y('find, wide');

  const jump = page.getByRole('link', { name: 'Filter these sessions' });
  await tabTo(page, jump);
  // Shown while it has focus, not a 1-pixel box.
  const box = (await jump.boundingBox())!;
  expect(box.width).toBeGreaterThan(50);
  await a11y('find, wide, jump link focused');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Filter sessions' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: 'Any day' })).toBeFocused();
});

test('Back from the guardian step shows the details with their heading in sight and focused', async ({ page, a11y }) => {
  await page.goto('/register');
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
  await a11y('register');
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill('Backbutton');
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 10, d.getUTCMonth() - 1, 1);
  const group = page.getByRole('group', { name: /Date of birth/ });
  await group.getByLabel('Day').fill(String(d.getUTCDate()));
  await group.getByLabel('Month').fill(String(d.getUTCMonth() + 1));
  await group.getByLabel('Year').fill(String(d.getUTCFullYear()));
  await page.getByLabel('Home postcode').fill('M41 0RX');
  await page.getByLabel('Email address').fill(uniqueEmail('back'));
  await page.getByLabel('Create a password', { exact: true }).fill('teapot river comet lamp');
  // Continue is far down a phone's screen: the page is scrolled to reach it.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your parent or guardian' })).toBeFocused();
  await a11y('register, guardian step');

  await page.goBack();
  const h1 = page.getByRole('heading', { level: 1, name: 'Create an account' });
  await expect(h1).toBeFocused();
  // Give a late scroll restoration the time it would take.
  await page.waitForTimeout(500);
  expect(await inView(page, h1)).toBe(true);
  await expect(page.getByLabel('First name')).toHaveValue('Robin');
});

test('a link to a spot on the page still goes there, and Back still changes pages', async ({ page, a11y }) => {
  await page.goto('/sessions?postcode=M32+0JG');
  await expect(page.getByRole('heading', { level: 2, name: /sessions? near M32 0JG/ })).toBeVisible();
  await a11y('find, phone');
  await page.getByRole('link', { name: 'Filter these sessions' }).click();
  const filters = page.getByRole('heading', { level: 2, name: 'Filter sessions' });
  await expect(filters).toBeFocused();
  expect(await inView(page, filters)).toBe(true);
  expect(new URL(page.url()).hash).toBe('#filters-heading');
});
