import { bookFirstNear, expect, fitsPhone, navTo, signUp, test, uniqueEmail } from './fixtures';

// A young person at a youth centre door with no signal, on a phone: they book a session, open My
// bookings while online (the service worker keeps the app, IndexedDB the ticket), lose the signal,
// reload My bookings and still see the QR code and door code, read-only, with a notice saying so
// and no trip to sign in. Back online the page reads the list again; signing out wipes the ticket.

test('a young person’s QR ticket still shows after a reload with no signal, and goes on sign-out', async ({ page, context, a11y }) => {
  // A new young person (15, near M32 0JG), signed in in this browser by the sign-up's cookie.
  await signUp(page.request, { firstName: 'Tia', age: 15, email: uniqueEmail('tickets'), password: 'lantern pebble orchard' });

  await page.goto('/sessions');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a session' })).toBeVisible();
  await a11y('find');
  const title = await bookFirstNear(page, a11y, 'M32 0JG');

  // My bookings with a signal: the ticket, and the service worker installed for a later reload.
  await page.getByRole('link', { name: 'See my bookings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  const card = page.getByRole('article').filter({ hasText: title }).filter({ has: page.getByRole('img', { name: /QR code for/ }) });
  await expect(card.getByRole('button', { name: /Cancel booking/ })).toBeVisible();
  const doorCode = (await card.locator('.app-short-code').textContent())!.trim();
  expect(doorCode).toMatch(/^\w{6,}$/);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
  await a11y('bookings');

  // No signal, and a reload: the shell from the service worker, the ticket from IndexedDB.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My bookings' })).toBeVisible();
  expect(new URL(page.url()).pathname, 'not sent to sign in').toBe('/bookings');
  // Nobody is known offline, but nobody signed out either: no "Sign in" in the header's menu.
  const menu = page.getByRole('navigation', { name: 'Menu', includeHidden: true });
  await expect(menu.getByRole('link', { name: 'Sign in', includeHidden: true })).toHaveCount(0);
  const notice = page.getByRole('region', { name: 'You’re offline' });
  await expect(notice.getByText(/^These are your bookings as they were at \d{1,2}(:\d\d)?(am|pm)\.$|^These are your bookings as they were at midday\.$/)).toBeVisible();
  await expect(notice.getByText(/Cancelling a booking needs a signal/)).toBeVisible();
  const kept = page.getByRole('article', { name: title });
  await expect(kept.getByRole('img', { name: new RegExp(`^QR code for ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on `) })).toBeVisible();
  await expect(kept.locator('svg')).toBeVisible();
  await expect(kept.getByText(doorCode, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /Cancel booking/ })).toHaveCount(0);
  await fitsPhone(page);
  await a11y('bookings, reloaded offline');

  // The signal is back: the list is read again, and cancelling is offered again.
  await context.setOffline(false);
  await expect(card.getByRole('button', { name: /Cancel booking/ })).toBeVisible({ timeout: 30_000 });
  await expect(notice).toHaveCount(0);
  await expect(menu.getByRole('link', { name: 'My bookings', includeHidden: true })).toHaveCount(1);

  // Signing out wipes the tickets kept on the phone.
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('youthhub-tickets');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('tickets', 'readonly').objectStore('tickets').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
  );
  expect(left, 'tickets left on the phone after sign-out').toBe(0);
});
