import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { emailedLink, expect, fitsPhone, navTo, signUp, tabTo, test, uniqueEmail, wcagTags } from './fixtures';

// Consent for a child under 13, from both sides: a 10-year-old registers and names a parent or
// guardian; the e-mail with the single-use link is read from the server's outbox (the binary prints
// it: `youthhub admin outbox`, against the DATABASE_URL scripts/e2e.sh exports); the guardian, not
// signed in, opens the link in a browser of their own and gives consent by keyboard; the child then
// sees it on "My account", downloads their data and deletes the account. A second test has the demo
// guardian look at their children on "My account" and withdraw consent for a new child who named
// them (never for child@demo.test, whose consent the other scenarios rely on).

const password = 'correct horse battery staple';
const demoPassword = 'youthhub-demo-password';

/** dobYearsAgo gives the day, month and year of a birthday `years` years and a month ago. */
function dobYearsAgo(years: number): { day: string; month: string; year: string } {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCMonth(d.getUTCMonth() - 1, 1);
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) };
}


/**
 * guardianBrowser opens a fresh context (no cookies: the guardian is not signed in) with the same
 * guards the fixtures put on `page` (other origins refused, uncaught errors and CSP violations
 * collected) and an axe check like `a11y` for its own page.
 */
async function guardianBrowser(page: Page, baseURL: string) {
  const origin = new URL(baseURL).origin;
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
  });
  const axe = async (label: string) => {
    await expect(page.locator('h1').first()).toBeVisible();
    await expect(page.getByText('Loading…', { exact: true })).toHaveCount(0);
    const result = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
    const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
    expect(summary, `axe violations on ${label}`).toEqual([]);
  };
  return { page, axe, errors };
}

/** registerChild makes an account for a young person of `age` through the API, naming a guardian. */
async function registerChild(request: APIRequestContext, firstName: string, age: number, guardianEmail: string): Promise<void> {
  await signUp(request, { firstName, age, email: uniqueEmail(firstName.toLowerCase()), password, postcode: 'M41 0RX', guardianEmail });
}

test('a 10-year-old registers, their guardian gives consent by keyboard from the e-mail, and the child sees it, downloads their data and deletes the account', async ({ page, browser, a11y, request, baseURL, viewport, locale, timezoneId }) => {
  const email = uniqueEmail('child');
  const guardianEmail = uniqueEmail('guardian');

  // 1. The child registers: under 13, the form asks for a parent's or guardian's email next.
  await page.goto('/register');
  await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
  await a11y('register');
  await page.getByLabel('First name').fill('Robin');
  await page.getByLabel('Last name').fill('Endtoend');
  const dob = dobYearsAgo(10);
  const group = page.getByRole('group', { name: /Date of birth/ });
  await group.getByLabel('Day').fill(dob.day);
  await group.getByLabel('Month').fill(dob.month);
  await group.getByLabel('Year').fill(dob.year);
  await page.getByLabel('Home postcode').fill('M41 0RX');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Create a password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Your parent or guardian' })).toBeFocused();
  await expect(page.getByText('Because you are under 13')).toBeVisible();
  await a11y('register, guardian step');
  await page.getByLabel('Your parent’s or guardian’s email address').fill(guardianEmail);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account created' })).toBeFocused();
  await expect(page.getByText(`We have asked ${guardianEmail} for consent. You can book sessions once they say yes.`)).toBeVisible();
  await a11y('account created, consent asked');

  // Before the guardian answers, "My account" says consent is awaited.
  await navTo(page, 'My account');
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeFocused();
  await expect(page.getByRole('heading', { level: 2, name: 'Parent or guardian consent' })).toBeVisible();
  await expect(page.getByText('Waiting', { exact: true })).toBeVisible();
  await expect(page.getByText(new RegExp(`We asked ${guardianEmail.replace(/[.]/g, '\\.')} for consent on `))).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, consent pending');

  // 2. The e-mail to the guardian, from the server's outbox.
  let path: string | null = null;
  await expect.poll(() => (path = emailedLink(guardianEmail, '/consent/')), { message: `a consent e-mail to ${guardianEmail} in the outbox` }).not.toBeNull();

  // 3. The guardian opens the link in a browser of their own, not signed in.
  const guardianContext = await browser.newContext({ baseURL, viewport, locale, timezoneId });
  try {
    const guardian = await guardianBrowser(await guardianContext.newPage(), baseURL!);
    const gp = guardian.page;
    await gp.goto(path!);
    await expect(gp.getByRole('heading', { level: 1, name: 'Give consent for Robin to use youthhub' })).toBeVisible();
    await expect(gp.getByRole('heading', { level: 2, name: 'What Robin signed up for' })).toBeVisible();
    await expect(gp.getByRole('link', { name: 'Sign out' })).toHaveCount(0);
    await fitsPhone(gp);
    await guardian.axe('consent');

    // By keyboard only: the skip link, then Tab through the page to "Give consent", then Enter.
    await gp.keyboard.press('Tab');
    await expect(gp.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await gp.keyboard.press('Enter');
    await expect(gp.locator('#main-content')).toBeFocused();
    const give = gp.getByRole('button', { name: 'Give consent', exact: true });
    await tabTo(gp, give);
    await expect(give).toBeVisible();
    await gp.keyboard.press('Enter');
    await expect(gp.getByRole('heading', { level: 1, name: 'Consent given' })).toBeFocused();
    await expect(gp.getByText('Robin can now book sessions.')).toBeVisible();
    await fitsPhone(gp);
    await guardian.axe('consent given');

    // The link works once: opened again it says consent was given and offers no second "Give consent".
    await gp.reload();
    await expect(gp.getByRole('heading', { level: 1, name: 'You gave consent for Robin to use youthhub' })).toBeVisible();
    await expect(gp.getByText('You have already given consent.')).toBeVisible();
    await expect(gp.getByRole('button', { name: 'Give consent', exact: true })).toHaveCount(0);
    await guardian.axe('consent link opened again');
    expect(guardian.errors, 'uncaught errors or CSP violations on the guardian’s pages').toEqual([]);
  } finally {
    await guardianContext.close();
  }

  // 4. Back as the child: "My account" now says consent was given.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText('Given', { exact: true })).toBeVisible();
  await expect(page.getByText(`${guardianEmail} gave consent. You can book sessions.`)).toBeVisible();
  await expect(page.getByText(email, { exact: true })).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, consent given');

  // Download my data: a JSON file with the account and the consent.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my data' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('my-youthhub-data.json');
  const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(JSON.stringify(data)).toContain(email);
  expect(JSON.stringify(data)).toContain(guardianEmail);
  await expect(page.getByRole('status').filter({ hasText: 'Your data has been downloaded as a file called my-youthhub-data.json.' })).toBeVisible();
  await a11y('my account, data downloaded');

  // The guardian withdraws consent with the same link (they have no account), by keyboard.
  const withdrawContext = await browser.newContext({ baseURL, viewport, locale, timezoneId });
  try {
    const guardian = await guardianBrowser(await withdrawContext.newPage(), baseURL!);
    const gp = guardian.page;
    await gp.goto(path!);
    const withdraw = gp.getByRole('button', { name: 'Withdraw consent for Robin' });
    await expect(withdraw).toBeVisible();
    await guardian.axe('consent link, to withdraw');
    await tabTo(gp, withdraw);
    await gp.keyboard.press('Enter');
    // Asked again before anything happens: focus goes to the warning, the answer is a Tab away.
    await expect(gp.getByText(/Are you sure\? Robin will not be able to book sessions/)).toBeVisible();
    await guardian.axe('consent link, are you sure');
    await tabTo(gp, gp.getByRole('button', { name: 'Yes, withdraw consent' }));
    await gp.keyboard.press('Enter');
    await expect(gp.getByRole('heading', { level: 1, name: 'Consent withdrawn' })).toBeFocused();
    await expect(gp.getByText('Robin cannot book sessions. Their bookings of sessions that had not started were cancelled.')).toBeVisible();
    await fitsPhone(gp);
    await guardian.axe('consent withdrawn');
    expect(guardian.errors, 'uncaught errors or CSP violations on the guardian’s pages').toEqual([]);
  } finally {
    await withdrawContext.close();
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText('Withdrawn', { exact: true })).toBeVisible();
  await a11y('my account, consent withdrawn');

  // Delete the account (their own, new one), after the warning, by keyboard; changing their mind
  // first puts focus back on the button.
  const del = page.getByRole('button', { name: 'Delete my account' });
  await tabTo(page, del);
  await page.keyboard.press('Enter');
  const warning = page.getByText(/It cannot be undone/);
  await expect(warning).toBeFocused();
  await a11y('my account, delete warning');
  await tabTo(page, page.getByRole('button', { name: 'No, keep my account' }));
  await page.keyboard.press('Space');
  await expect(del).toBeFocused();
  await expect(warning).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(warning).toBeFocused();
  // The password again (a phone left unlocked is not enough), typed by keyboard; Enter sends it.
  await tabTo(page, page.getByLabel('Enter your password to confirm'));
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  // Home, where a banner (which takes focus) says it is done.
  const gone = page.getByRole('alert').filter({ hasText: 'Your account and everything youthhub kept about you have been deleted.' });
  await expect(gone).toBeFocused();
  await expect(page.getByRole('heading', { level: 1, name: 'Youth sessions near you' })).toBeVisible();
  await expect(page).toHaveURL(/\/\?account_deleted=1$/);
  await a11y('home, after deleting the account');

  // The account is gone: its email and password no longer sign in.
  await navTo(page, 'Sign in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').getByText('Enter a correct email address and password')).toBeVisible();
  await a11y('sign in refused for the deleted account');
});

test('the demo guardian sees their children on My account, says no for a new one and then gives consent, by keyboard', async ({ page, a11y, request }) => {
  // A new child names the demo guardian: they are the one whose consent is withdrawn here, never
  // child@demo.test (Charlie), whose consent the other scenarios need.
  await registerChild(request, 'Quinn', 10, 'guardian@demo.test');

  await page.goto('/sign-in');
  await a11y('sign in');
  await page.getByLabel('Email address').fill('guardian@demo.test');
  await page.getByLabel('Password', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A guardian lands on My account, where their children's consent is.
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Young people you gave consent for' })).toBeVisible();
  const charlie = page.getByRole('listitem').filter({ hasText: 'Charlie' });
  await expect(charlie.getByText('Consent: given')).toBeVisible();
  await expect(charlie.getByRole('button', { name: 'Withdraw consent for Charlie' })).toBeVisible();
  const quinn = page.getByRole('listitem').filter({ hasText: 'Quinn' }).filter({ has: page.getByRole('button') });
  await expect(quinn.getByText('Consent: waiting for your answer')).toBeVisible();
  // A guardian has no data of a young person's own to download; they can delete their own account.
  await expect(page.getByRole('button', { name: 'Download my data' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete my account' })).toHaveCount(1);
  await fitsPhone(page);
  await a11y('my account, guardian');

  // Quinn's request was never answered: the guardian says no (not "withdraw"), after an "are you sure?".
  await expect(quinn.getByRole('button', { name: 'Withdraw consent for Quinn' })).toHaveCount(0);
  const refuse = quinn.getByRole('button', { name: 'Do not give consent for Quinn' });
  await tabTo(page, refuse, 60);
  await page.keyboard.press('Enter');
  await expect(quinn.getByText(/Are you sure\? Quinn will not be able to book sessions/)).toBeVisible();
  await a11y('my account, are you sure');
  await tabTo(page, quinn.getByRole('button', { name: 'Yes, do not give consent' }));
  await page.keyboard.press('Enter');
  // The button has gone: focus moves to the success banner that says what happened.
  const banner = page.getByRole('alert').filter({ hasText: 'You did not give consent for Quinn. They cannot book sessions.' });
  await expect(banner).toBeFocused();
  await expect(quinn.getByText('Consent: not given')).toBeVisible();
  // Charlie's consent is untouched.
  await expect(charlie.getByText('Consent: given')).toBeVisible();
  await a11y('my account, consent withdrawn');
  // Changing their mind, they give consent for Quinn after all.
  await tabTo(page, quinn.getByRole('button', { name: 'Give consent for Quinn' }), 60);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'You gave consent for Quinn. They can book sessions.' })).toBeFocused();
  await expect(quinn.getByText('Consent: given')).toBeVisible();

  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');
});
