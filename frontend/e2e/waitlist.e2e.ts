import { expect, navTo, test } from './fixtures';

// The waiting list, end to end: the demo young person takes the only place at a one-to-one
// session, a second young person joins the waiting list, the first cancels, and the second is
// promoted and sees it in their bookings and notifications.
test('a young person on the waiting list is promoted when a place comes up', async ({ page, browser, request, a11y }) => {
  const list = await request.get('/api/v1/sessions?postcode=M32%200JG&category=advice_support&limit=50');
  expect(list.ok()).toBeTruthy();
  const items = (await list.json()).items as { id: string; title: string; spaces_left: number | null }[];
  const session = items.find((s) => s.title === 'One-to-one mentoring' && s.spaces_left === 1);
  expect(session, 'a one-to-one mentoring session with its place free').toBeTruthy();

  // A second young person, aged 15, registers (set up through the API, as the register page has
  // its own test).
  const email = `waiting-${Date.now()}@example.test`;
  const dob = new Date();
  dob.setFullYear(dob.getFullYear() - 15, dob.getMonth(), dob.getDate() - 20);
  const reg = await request.post('/api/v1/auth/register', {
    data: {
      first_name: 'Wren', last_name: 'Waiting', date_of_birth: dob.toISOString().slice(0, 10),
      postcode: 'M32 0JG', email, password: 'lantern pebble orchard',
    },
  });
  expect(reg.status()).toBe(201);

  // The demo young person takes the only place.
  await page.goto('/sign-in');
  await a11y('sign in');
  await signIn(page, 'young@demo.test', 'youthhub-demo-password');
  await a11y('find');
  await page.goto(`/sessions/${session!.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'One-to-one mentoring' })).toBeVisible();
  await a11y('session');
  await page.getByRole('button', { name: 'Book a place' }).click();
  await expect(page.getByRole('heading', { name: 'You’re booked' })).toBeFocused();
  await a11y('booked');

  // The second young person, on their own phone, joins the waiting list.
  const other = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const second = await other.newPage();
  await second.route('**/*', (route) => (new URL(route.request().url()).origin === new URL(page.url()).origin ? route.continue() : route.abort()));
  await signIn(second, email, 'lantern pebble orchard');
  await second.goto(`/sessions/${session!.id}`);
  await second.getByRole('button', { name: 'Join the waiting list' }).click();
  await expect(second.getByRole('heading', { name: 'You’re on the waiting list' })).toBeFocused();
  await expect(second.getByText('You are number 1 on the waiting list.')).toBeVisible();

  // The first cancels.
  await navTo(page, 'My bookings');
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  await a11y('bookings');
  const card = page.getByRole('article').filter({ hasText: 'One-to-one mentoring' }).filter({ has: page.getByRole('img', { name: /QR code for/ }) });
  await card.getByRole('button', { name: /Cancel booking/ }).click();
  await card.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('Your booking for One-to-one mentoring has been cancelled.')).toBeVisible();

  // The second is promoted: a ticket in their bookings and a notification.
  await second.goto('/bookings');
  const promoted = second.getByRole('article').filter({ hasText: 'One-to-one mentoring' });
  await expect(promoted.getByRole('img', { name: /QR code for One-to-one mentoring/ })).toBeVisible();
  await second.goto('/notifications');
  await expect(second.getByText(/a place came up and you are now booked for One-to-one mentoring/)).toBeVisible();
  await other.close();
});

async function signIn(page: import('@playwright/test').Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a session' })).toBeVisible();
}
