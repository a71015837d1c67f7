import { expect, officerToStaff, signUp, tabTo, test, uniqueEmail } from './fixtures';

// Correcting a date of birth: a young person who signed up as 15 (a typo: they are 12) walks in at
// today's seeded session (so the demo council has seen them; the demo youth worker adds them
// through the API). The demo officer, on a laptop, goes from Staff to "Correct a young person's
// date of birth" by keyboard, finds them by name and the date they signed up with, corrects it with
// a reason, is told they now need a guardian's consent and that the booking they had made was
// cancelled, and finds the correction in the access log.

const api = '/api/v1';
const password = 'youthhub-demo-password';
const desktop = { width: 1280, height: 800 };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const londonDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

test('a council officer corrects a young person’s date of birth, with a reason the access log keeps', async ({ page, request, a11y }) => {
  test.slow();

  // A name no other run uses (letters only), and the date of birth signUp gives a 15-year-old.
  const firstName = `Dob${Array.from({ length: 6 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;
  const youngToken = (await (await signUp(request, { firstName, age: 15, email: uniqueEmail('dob'), password: 'lantern pebble orchard' })).json()).access_token as string;
  const signedUp = new Date();
  signedUp.setUTCFullYear(signedUp.getUTCFullYear() - 15, signedUp.getUTCMonth() - 1, 15);
  const wrong = signedUp.toISOString().slice(0, 10);

  // The demo worker adds them as a walk-in at today's seeded session.
  const login = await request.post(`${api}/auth/login`, { data: { email: 'worker@demo.test', password } });
  expect(login.status()).toBe(200);
  const worker = (await login.json()).access_token as string;
  const today = londonDay(new Date());
  const tomorrow = londonDay(new Date(Date.now() + 86_400_000));
  const rota = await request.get(`${api}/me/rota?from=${today}&to=${tomorrow}`, { headers: bearer(worker) });
  expect(rota.status(), await rota.text()).toBe(200);
  const shift = ((await rota.json()).items as { occurrence_id: string; title: string; starts_at: string; occurrence_status: string }[])
    .find((s) => s.title === 'Games and chill' && s.occurrence_status === 'scheduled' && londonDay(new Date(s.starts_at)) === today);
  expect(shift, 'the seeded session "Games and chill" today, rostered to the demo worker').toBeTruthy();
  const search = await request.get(`${api}/walk-ins/search?q=${firstName}&date_of_birth=${wrong}`, { headers: bearer(worker) });
  const [match] = (await search.json()).items as { id: string }[];
  expect(match, 'the young person just signed up').toBeTruthy();
  const walkIn = await request.post(`${api}/sessions/${shift!.occurrence_id}/walk-ins`, {
    headers: { ...bearer(worker), 'Idempotency-Key': crypto.randomUUID() }, data: { young_person_id: match!.id, postcode: 'M32 0JG' }, // signUp's
  });
  expect(walkIn.status(), await walkIn.text()).toBe(201);

  // As a "15-year-old" they also booked a session later this week, which at 12 they cannot keep without consent.
  const later = londonDay(new Date(Date.now() + 2 * 86_400_000));
  const open = await request.get(`${api}/sessions?from=${later}&age=15&spaces_only=true&limit=1`);
  const [session] = (await open.json()).items as { id: string; title: string }[];
  expect(session, 'a bookable session with a place for a 15-year-old').toBeTruthy();
  const booked = await request.post(`${api}/sessions/${session!.id}/bookings`, { headers: bearer(youngToken), data: {} });
  expect(booked.status(), await booked.text()).toBe(201);

  // The officer, on a laptop.
  await page.setViewportSize(desktop);
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await a11y('sign in');
  await officerToStaff(page, a11y);

  const link = page.getByRole('link', { name: 'Correct a young person’s date of birth' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Correct a young person’s date of birth' })).toBeFocused();
  await expect(page).toHaveURL(/\/young-people$/);
  await a11y('correct date of birth');

  // Searching with nothing typed: an error summary that takes focus, linking to each field.
  const searchButton = page.getByRole('button', { name: 'Search' });
  await tabTo(page, searchButton);
  await page.keyboard.press('Enter');
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Enter at least 2 letters of their first name' })).toHaveAttribute('href', '#q');
  await a11y('search errors');

  // Find them by name and the date they signed up with, by keyboard.
  await tabTo(page, page.getByLabel('First name'));
  await page.keyboard.type(firstName);
  const [y, m, d] = wrong.split('-').map(Number) as [number, number, number];
  const born = page.getByRole('group', { name: /Date of birth they signed up with/ });
  await tabTo(page, born.getByLabel('Day'));
  await page.keyboard.type(String(d));
  await page.keyboard.press('Tab');
  await page.keyboard.type(String(m));
  await page.keyboard.press('Tab');
  await page.keyboard.type(String(y));
  await tabTo(page, searchButton);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '1 young person found' })).toBeFocused();
  await a11y('found');
  const choose = page.getByRole('button', { name: new RegExp(`^Correct date of birth of ${firstName} E\\.`) });
  await tabTo(page, choose);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: `Correct ${firstName} E.’s date of birth` })).toBeFocused();
  await a11y('correction form');

  // They are 12 in fact: three years later.
  const right = page.getByRole('group', { name: /New date of birth/ });
  await tabTo(page, right.getByLabel('Day'));
  await page.keyboard.type(String(d));
  await page.keyboard.press('Tab');
  await page.keyboard.type(String(m));
  await page.keyboard.press('Tab');
  await page.keyboard.type(String(y + 3));
  const reason = `They typed ${y} instead of ${y + 3} when signing up`;
  await tabTo(page, page.getByLabel('Reason'));
  await page.keyboard.type(reason);
  await tabTo(page, page.getByRole('button', { name: 'Save' }));
  await page.keyboard.press('Enter');
  const banner = page.locator('.govuk-notification-banner--success');
  await expect(banner).toContainText('Date of birth corrected');
  await expect(banner).toBeFocused();
  await expect(page.locator('.govuk-inset-text')).toContainText(`${firstName} E. is under 13, so they now need a parent’s or guardian’s consent before they can book.`);
  // Their booking went with it: the officer is told which.
  await expect(page.getByRole('heading', { level: 2, name: `1 booking of ${firstName} E.’s was cancelled, as it is not open to them now` })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: `${session!.title} on ` })).toHaveCount(1);
  const mine = await request.get(`${api}/me/bookings`, { headers: bearer(youngToken) });
  expect(((await mine.json()).items as { id: string; status: string }[]).map((b) => b.status)).toEqual(['cancelled']);
  await a11y('corrected');

  // The access log has it: by the officer, about them, with the reason.
  await page.goto('/access-log?action=date_of_birth_corrected');
  await expect(page.getByRole('heading', { level: 1, name: 'Access log' })).toBeVisible();
  const row = page.getByRole('table', { name: 'Entries, newest first' }).getByRole('row').filter({ hasText: reason });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Date of birth corrected');
  await expect(row).toContainText(`${firstName} E.`);
  await a11y('access log');
});
