import type { Page } from '@playwright/test';
import { emailedLink, expect, fitsPhone, navTo, tabTo, test } from './fixtures';

// A council takes on a new youth worker: the demo officer (Trafford, internal/seed) invites them
// from "Staff" on a laptop; the e-mail with the single-use link is read from the server's outbox
// (`youthhub admin outbox`); the new worker accepts it on a phone, by keyboard, and lands signed
// in; the officer then sees them listed and switches their account off, after which their email
// and password no longer sign in.

const demoPassword = 'youthhub-demo-password';
const password = 'lantern meadow biscuit harbour';
const desktop = { width: 1280, height: 800 };
const phone = { width: 360, height: 740 };

type A11y = (label?: string) => Promise<void>;

async function signIn(page: Page, a11y: A11y, email: string, pass: string, label: string) {
  await navTo(page, 'Sign in');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await a11y(`sign in (${label})`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(pass);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(page: Page, a11y: A11y, label: string) {
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y(`signed out (${label})`);
}

test('an officer invites a youth worker, who accepts on a phone by keyboard; the officer then switches their account off', async ({ page, a11y }) => {
  // Three people sign in, and every page state gets an axe check: longer than one journey.
  test.slow();
  const email = `e2e-worker-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

  // 1. The officer, on a laptop, opens Staff.
  await page.setViewportSize(desktop);
  await page.goto('/');
  await a11y('home');
  await signIn(page, a11y, 'officer@demo.test', demoPassword, 'officer');
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await a11y('council centres');
  await navTo(page, 'Staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeFocused();
  await expect(page).toHaveTitle('Staff – youthhub');
  const table = page.getByRole('table', { name: 'Your council’s staff' });
  await expect(table.getByRole('row').filter({ hasText: 'worker@demo.test' }).getByRole('link', { name: 'Wes Worker' })).toBeVisible();
  // Their own row offers nothing to change.
  const own = table.getByRole('row').filter({ hasText: 'officer@demo.test' });
  await expect(own.getByText('This is you')).toBeVisible();
  await expect(own.getByRole('button')).toHaveCount(0);
  await a11y('staff');

  // Sending with nothing filled in: an error summary that takes focus.
  await page.getByRole('button', { name: 'Send invitation' }).click();
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Choose a role' })).toHaveAttribute('href', '#role-input');
  await expect(page).toHaveTitle('Error: Staff – youthhub');
  await a11y('staff, invitation errors');

  // 2. The invitation: email and role; a success banner takes focus.
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Youth worker').check();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  const sent = page.getByRole('alert').filter({ hasText: `We sent an invitation to ${email}` });
  await expect(sent).toBeFocused();
  await a11y('staff, invitation sent');
  await signOut(page, a11y, 'officer');

  // 3. The link, from the e-mail in the outbox.
  let link: string | null = null;
  await expect.poll(() => (link = emailedLink(email, '/invite/')), { message: `an invitation e-mail to ${email} in the outbox` }).not.toBeNull();

  // 4. The new worker, on a phone, by keyboard only.
  await page.setViewportSize(phone);
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Create your staff account' })).toBeVisible();
  await expect(page.getByText(/^You have been invited to join .+ as a youth worker\.$/)).toBeVisible();
  await expect(page.getByText(`This invitation is for ${email}.`, { exact: false })).toBeVisible();
  await fitsPhone(page);
  await a11y('invitation');

  const create = page.getByRole('button', { name: 'Create account' });
  await tabTo(page, create);
  await page.keyboard.press('Enter');
  const problems = page.locator('.govuk-error-summary');
  await expect(problems).toBeFocused();
  await expect(problems.getByRole('link', { name: 'Enter your first name' })).toBeVisible();
  await fitsPhone(page);
  await a11y('invitation, errors');

  // The summary's first link leads to the field, as it would for someone using a keyboard.
  await page.keyboard.press('Tab');
  await expect(problems.getByRole('link', { name: 'Enter your first name' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('First name')).toBeFocused();
  await page.keyboard.type('Kai');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Last name')).toBeFocused();
  await page.keyboard.type('Newstaff');
  const dob = page.getByRole('group', { name: /Date of birth/ });
  await page.keyboard.press('Tab');
  await expect(dob.getByLabel('Day')).toBeFocused();
  await page.keyboard.type('12');
  await page.keyboard.press('Tab');
  await page.keyboard.type('4');
  await page.keyboard.press('Tab');
  await expect(dob.getByLabel('Year')).toBeFocused();
  await page.keyboard.type('1995');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Create a password', { exact: true })).toBeFocused();
  await page.keyboard.type(password);
  await tabTo(page, create);
  await page.keyboard.press('Enter');

  // Signed in, on a youth worker's home (today's registers), with a youth worker's links.
  await expect(page.getByRole('heading', { level: 1, name: 'Today’s registers' })).toBeFocused();
  await expect(page).toHaveURL(/\/register\/today$/);
  await fitsPhone(page);
  await a11y('worker signed in');
  await navTo(page, 'My rota');
  await expect(page.getByRole('heading', { level: 1, name: 'My rota' })).toBeFocused();
  await a11y('worker, my rota');

  // The link works once.
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'This invitation has already been used' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await fitsPhone(page);
  await a11y('invitation used');
  await signOut(page, a11y, 'worker');

  // 5. The officer, back on the laptop, sees them and switches their account off.
  await page.setViewportSize(desktop);
  // The navigation shows in full again once GOV.UK's script has seen the wider screen.
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
  await signIn(page, a11y, 'officer@demo.test', demoPassword, 'officer again');
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await navTo(page, 'Staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeFocused();
  const row = page.getByRole('table', { name: 'Your council’s staff' }).getByRole('row').filter({ hasText: email });
  await expect(row.getByRole('link', { name: 'Kai Newstaff' })).toBeVisible();
  await expect(row.getByText('Youth worker')).toBeVisible();
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await a11y('staff, new worker listed');

  const off = row.getByRole('button', { name: 'Switch off account for Kai Newstaff' });
  await off.click();
  const warning = page.getByText('Kai Newstaff will be signed out and will not be able to sign in until you switch their account back on.');
  await expect(warning).toBeFocused();
  await a11y('staff, switch off warning');
  await page.getByRole('button', { name: 'Yes, switch off account' }).click();
  const done = page.getByRole('alert').filter({ hasText: 'Kai Newstaff’s account is switched off.' });
  await expect(done).toBeFocused();
  await expect(row.getByText('Switched off', { exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Switch account back on for Kai Newstaff' })).toBeVisible();
  await a11y('staff, account switched off');
  await signOut(page, a11y, 'officer again');

  // 6. The worker's email and password no longer sign in.
  await signIn(page, a11y, email, password, 'switched-off worker');
  await expect(page.getByRole('alert').getByText('Enter a correct email address and password')).toBeVisible();
  await a11y('sign in refused for the switched-off account');
});

test('an officer withdraws an invitation sent to a mistyped address, and its link stops working', async ({ page, a11y }) => {
  const mistyped = `e2e-nia-${Date.now()}-${Math.floor(Math.random() * 1e6)}@exmaple.test`;
  await page.setViewportSize(desktop);
  await page.goto('/');
  await a11y('home');
  await signIn(page, a11y, 'officer@demo.test', demoPassword, 'officer');
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await a11y('council centres');
  await navTo(page, 'Staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeFocused();
  await page.getByLabel('Email address').fill(mistyped);
  await page.getByRole('radio', { name: /Youth worker/ }).check();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `We sent an invitation to ${mistyped}` })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Invitations not yet accepted' })).toBeVisible();
  await a11y('staff, invitation pending');
  let link: string | null = null;
  await expect.poll(() => (link = emailedLink(mistyped, '/invite/'))).not.toBeNull();

  const withdraw = page.getByRole('button', { name: `Withdraw invitation to ${mistyped}` });
  await tabTo(page, withdraw);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: `Invitation to ${mistyped} withdrawn` })).toBeVisible();
  await expect(withdraw).toHaveCount(0);
  await a11y('staff, invitation withdrawn');
  await signOut(page, a11y, 'officer');

  await page.setViewportSize(phone);
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'This invitation was withdrawn' })).toBeVisible();
  await expect(page.getByLabel('First name')).toHaveCount(0);
  await fitsPhone(page);
  await a11y('withdrawn invitation link');
});
