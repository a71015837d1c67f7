import { expect, navTo, test } from './fixtures';

const password = 'correct horse battery staple';

/** dobYearsAgo gives the day, month and year of a birthday `years` years and a month ago. */
function dobYearsAgo(years: number): { day: string; month: string; year: string } {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCMonth(d.getUTCMonth() - 1, 1);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}

test('a 15-year-old registers, signs in, looks at centres and signs out; an officer sees the council’s centres', async ({ page, a11y }) => {
  const email = `e2e-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

  await page.goto('/');
  await expect(page).toHaveTitle('Youth sessions near you – youthhub');
  await a11y('home');

  await page.getByRole('link', { name: 'Create an account' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeFocused();
  await a11y('register');

  await page.getByLabel('First name').fill('Casey');
  await page.getByLabel('Last name').fill('Endtoend');
  const dob = dobYearsAgo(15);
  const group = page.getByRole('group', { name: /Date of birth/ });
  await group.getByLabel('Day').fill(dob.day);
  await group.getByLabel('Month').fill(dob.month);
  await group.getByLabel('Year').fill(dob.year);
  await page.getByLabel('Home postcode').fill('M32 0JG');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account created' })).toBeVisible();
  await a11y('account created');

  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');

  await page.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await a11y('sign in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a session' })).toBeVisible();
  await a11y('find a session');

  await navTo(page, 'Youth centres');
  await expect(page.getByRole('heading', { level: 1, name: 'Youth centres' })).toBeFocused();
  await expect(page).toHaveTitle('Youth centres – youthhub');
  const firstCentre = page.getByRole('main').getByRole('listitem').getByRole('link').first();
  await expect(firstCentre).toBeVisible();
  await a11y('centres');

  const name = (await firstCentre.textContent())!.trim();
  await firstCentre.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused();
  await expect(page.getByText('Address')).toBeVisible();
  // The map (Leaflet, loaded on demand) is part of the page axe checks; tiles are refused offline.
  await expect(page.getByRole('region', { name: `Map showing where ${name} is` })).toHaveClass(/leaflet-container/);
  await a11y('centre');

  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out again');

  // A council officer signs in and lands on the council's own centres.
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await page.getByLabel('Email address').fill('officer@demo.test');
  await page.getByLabel('Password', { exact: true }).fill('youthhub-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('listitem').getByRole('link').first()).toBeVisible();
  await a11y('council centres');
});

test('an unknown address shows the page-not-found page', async ({ page, a11y }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveTitle('Page not found – youthhub');
  await a11y('404');
});

test('the keyboard reaches the main content through the skip link', async ({ page, a11y }) => {
  await page.goto('/');
  await a11y('home');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
});
