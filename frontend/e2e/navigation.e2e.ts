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
