import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type APIRequestContext, type APIResponse, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Tags checked on every page: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Fixtures = {
  /** a11y checks the page as it stands now with axe and fails on any violation. */
  a11y: (label?: string) => Promise<void>;
};

/**
 * test is Playwright's test with an axe check that every page visited must pass: each path the
 * browser shows is recorded, and a test that leaves one unchecked fails at teardown. Requests to
 * other origins (map tiles) are refused so that a run needs no internet. Uncaught errors and
 * Content Security Policy violations fail the test too.
 */
export const test = base.extend<Fixtures>({
  page: async ({ page, baseURL }, use) => {
    const origin = new URL(baseURL!).origin;
    await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // The server's CSP allows no inline script or style: anything it blocks is a bug here.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
    });
    await use(page);
    expect(errors, 'uncaught errors or CSP violations in the page').toEqual([]);
  },
  a11y: async ({ page }, use) => {
    const visited = new Set<string>();
    const checked = new Set<string>();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.add(new URL(frame.url()).pathname);
    });
    await use(async (label) => {
      await settle(page);
      const path = new URL(page.url()).pathname;
      const result = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
      const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
      expect(summary, `axe violations on ${label ?? path}`).toEqual([]);
      checked.add(path);
    });
    const unchecked = [...visited].filter((p) => !checked.has(p) && p !== 'blank');
    expect(unchecked, 'pages visited without an axe check').toEqual([]);
  },
});

/** settle waits for the page's h1 and for no "Loading…" text to remain. */
async function settle(page: Page): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.getByText('Loading…', { exact: true })).toHaveCount(0);
}

export { expect };

/** openMenu opens the service navigation at phone width, if it is collapsed. */
export async function openMenu(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Menu' });
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** navTo follows a link of the service navigation, as a person on a phone would. */
export async function navTo(page: Page, name: string): Promise<void> {
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name, exact: true }).click();
  // On a phone the menu closes once a link in it is followed, rather than pushing the new page down.
  const toggle = page.getByRole('button', { name: 'Menu' });
  if (await toggle.isVisible()) await expect(toggle).toHaveAttribute('aria-expanded', 'false');
}

/** tabTo presses Tab until `target` has focus, as a keyboard user would, and fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/** fitsPhone checks that nothing makes the page scroll sideways at the 360 px viewport. */
export async function fitsPhone(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'page width at a 360 px viewport').toBeLessThanOrEqual(page.viewportSize()!.width);
}

// The binary scripts/e2e.sh started (YOUTHHUB_BIN), or the one `make build` makes.
const binary = process.env.YOUTHHUB_BIN ?? fileURLToPath(new URL('../../bin/youthhub', import.meta.url));

/**
 * emailedLink finds, in the outbox the binary prints (`youthhub admin outbox`, against the
 * DATABASE_URL scripts/e2e.sh exports), the path of the newest link under `prefix` (such as
 * '/consent/') e-mailed to `to`, or null while there is none.
 */
export function emailedLink(to: string, prefix: string): string | null {
  expect(process.env.DATABASE_URL, 'DATABASE_URL (scripts/e2e.sh exports it) to read the outbox').toBeTruthy();
  const out = execFileSync(binary, ['admin', 'outbox'], { encoding: 'utf8', env: process.env, timeout: 30_000 });
  const linkRe = new RegExp(`https?://[^/\\s]+(${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[A-Za-z0-9_~.-]+)`);
  // Each message: "#<id> <time> <queued|sent> to <address>: <subject>" then the body (newest first).
  for (const message of out.split(/^(?=#\d+ \S+ (?:queued|sent) to )/m)) {
    const head = /^#\d+ \S+ (?:queued|sent) to (\S+): /.exec(message);
    if (head?.[1] !== to) continue;
    const link = linkRe.exec(message);
    if (link) return link[1]!;
  }
  return null;
}

/** uniqueEmail is an address no other run or scenario uses. */
export const uniqueEmail = (who: string) => `e2e-${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

/** YoungPerson is what signUp registers; guardianEmail is needed under 13. */
export interface YoungPerson {
  firstName: string;
  age: number;
  email: string;
  password: string;
  postcode?: string;
  guardianEmail?: string;
}

/**
 * signUp registers a young person of `age` (their birthday a month and a half ago) through the API.
 * With `page.request` the refresh cookie lands in the page's browser, which is then signed in.
 */
export async function signUp(request: APIRequestContext, p: YoungPerson): Promise<APIResponse> {
  const dob = new Date();
  dob.setUTCFullYear(dob.getUTCFullYear() - p.age, dob.getUTCMonth() - 1, 15);
  const res = await request.post('/api/v1/auth/register', {
    data: {
      first_name: p.firstName, last_name: 'Endtoend', date_of_birth: dob.toISOString().slice(0, 10), postcode: p.postcode ?? 'M32 0JG',
      email: p.email, password: p.password, ...(p.guardianEmail ? { guardian_email: p.guardianEmail } : {}),
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res;
}

/** refreshCookie is the `name=value` of the refresh cookie a sign-in answer set, to send by hand. */
export function refreshCookie(res: APIResponse): string {
  const set = res.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie');
  expect(set, 'a refresh cookie in the sign-in answer').toBeTruthy();
  return set!.value.split(';')[0]!;
}

/** demoPassword is every demo account's password (internal/seed). */
export const demoPassword = 'youthhub-demo-password';

/** signInDemo signs a demo account in through the sign-in page, with an axe check of it. */
export async function signInDemo(page: Page, a11y: (label?: string) => Promise<void>, email: string): Promise<void> {
  await page.goto('/sign-in');
  await a11y('sign in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Sign in');
}

/** signOutDemo signs out from the service navigation, with an axe check of the page after. */
export async function signOutDemo(page: Page, a11y: (label?: string) => Promise<void>): Promise<void> {
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');
}

/** officerToStaff fills in the demo officer's sign-in form, lands on the council's centres and goes on to Staff, with axe checks. */
export async function officerToStaff(page: Page, a11y: (label?: string) => Promise<void>): Promise<void> {
  await page.getByLabel('Email address').fill('officer@demo.test');
  await page.getByLabel('Password', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await a11y('council centres');
  await navTo(page, 'Staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeFocused();
  await a11y('staff');
}

/**
 * oldPasswordRefused signs out, then on "Sign in again" shows that the old password is refused and
 * the new one signs the young person in, with axe checks.
 */
export async function oldPasswordRefused(page: Page, a11y: (label?: string) => Promise<void>, email: string, oldPassword: string, newPassword: string): Promise<void> {
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(oldPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').getByText('Enter a correct email address and password')).toBeVisible();
  await a11y('sign in refused with the old password');
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find a session' })).toBeVisible();
  await a11y('find a session, signed in with the new password');
}

/**
 * bookFirstNear searches sessions with spaces near postcode from the find page, opens the first
 * result and books a place, checking focus and axe on each page on the way; it returns the title.
 */
export async function bookFirstNear(page: Page, a11y: (label?: string) => Promise<void>, postcode: string): Promise<string> {
  await page.getByLabel('Postcode').fill(postcode);
  await page.getByLabel('Only show sessions with spaces left').check();
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`sessions? near ${postcode}`) })).toBeFocused();
  await a11y('results');

  const results = page.getByRole('main').getByRole('heading', { level: 3 }).getByRole('link');
  await expect(results.first()).toBeVisible();
  const title = (await results.first().textContent())!.trim();
  await results.first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeFocused();
  await a11y('session');

  await page.getByRole('button', { name: 'Book a place' }).click();
  await expect(page.getByRole('heading', { name: 'You’re booked' })).toBeFocused();
  await a11y('booked');
  return title;
}
