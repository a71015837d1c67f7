import { emailedLink, expect, fitsPhone, navTo, oldPasswordRefused, refreshCookie, signUp, tabTo, test, uniqueEmail } from './fixtures';

// Forgotten password, on a phone and by keyboard: a young person with a new account signs out,
// follows "Forgotten your password?" from sign-in and asks for a link; the e-mail is read from the
// server's outbox (`youthhub admin outbox`); the link opens "Choose a new password", which signs
// them in and says so on the home page. Their other sessions end, the old password stops working,
// the new one works, and the link cannot be used twice.

const oldPassword = 'correct horse battery staple';
const newPassword = 'walnut harbour puddle lantern';


test('a young person who forgot their password gets a link by e-mail and chooses a new one by keyboard; the old password and the used link stop working', async ({ page, a11y, request }) => {
  const email = uniqueEmail('forgetful');

  // A 15-year-old's account, made through the sign-up API in this browser (so they are signed in).
  await signUp(page.request, { firstName: 'Alex', age: 15, email, password: oldPassword });
  // Signed in on another device too: choosing a new password must sign that one out.
  const elsewhere = await request.post('/api/v1/auth/login', { data: { email, password: oldPassword } });
  expect(elsewhere.status(), await elsewhere.text()).toBe(200);
  const otherDevice = refreshCookie(elsewhere);

  await page.goto('/');
  await expect(page.getByText('Hello, Alex')).toBeVisible();
  await a11y('home, signed in');
  await navTo(page, 'Sign out');
  await expect(page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await a11y('signed out');
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeFocused();
  await a11y('sign in');

  // 1. "Forgotten your password?", by keyboard.
  await tabTo(page, page.getByRole('link', { name: 'Forgotten your password?' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Forgotten your password?' })).toBeFocused();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await fitsPhone(page);
  await a11y('forgotten password');

  // An address that is not one: the error summary takes focus and links to the field.
  const field = page.getByLabel('Email address');
  await tabTo(page, field);
  await page.keyboard.type('alex.example.test');
  await page.keyboard.press('Enter');
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#email');
  await expect(page).toHaveTitle(/^Error: Forgotten your password\?/);
  await fitsPhone(page);
  await a11y('forgotten password, address not valid');
  await summary.getByRole('link').press('Enter');
  await expect(field).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(email);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeFocused();
  await expect(page.getByText(`If an account uses ${email}, we have sent a link to it.`)).toBeVisible();
  await expect(page.getByText('The link works for 1 hour, and only once.')).toBeVisible();
  await expect(page.getByText(/Check your spam or junk folder/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Send another link' })).toBeVisible();
  await fitsPhone(page);
  await a11y('check your email');

  // 2. The e-mail, from the server's outbox.
  let path: string | null = null;
  await expect.poll(() => (path = emailedLink(email, '/reset-password/')), { message: `a password reset e-mail to ${email} in the outbox` }).not.toBeNull();

  // 3. The link: a new password, by keyboard; one that is too short is refused first.
  await page.goto(path!);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByText(/^This link works until \d/)).toBeVisible();
  await fitsPhone(page);
  await a11y('choose a new password');
  const password = page.getByLabel('New password', { exact: true });
  await expect(password).toHaveAttribute('autocomplete', 'new-password');
  await tabTo(page, password);
  await page.keyboard.type('short');
  await page.keyboard.press('Enter');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#password');
  await expect(page).toHaveTitle(/^Error: Choose a new password/);
  await a11y('choose a new password, too short');
  await tabTo(page, password);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Enter');

  // Signed in, on the home page, where a banner (which takes focus) says it is done.
  const changed = page.getByRole('alert').filter({ hasText: 'Your password has been changed' });
  await expect(changed).toBeFocused();
  await expect(page).toHaveURL(/\/\?password_changed=1$/);
  await expect(page.getByText('Hello, Alex')).toBeVisible();
  await fitsPhone(page);
  await a11y('home, password changed');

  // The other device was signed out.
  const refreshed = await request.post('/api/v1/auth/refresh', { headers: { Cookie: otherDevice } });
  expect(refreshed.status(), 'refreshing the session of another device').toBe(401);

  // 4. The old password no longer signs in; the new one does.
  await oldPasswordRefused(page, a11y, email, oldPassword, newPassword);

  // 5. The link works once: opened again, it says so and offers a new one.
  await page.goto(path!);
  await expect(page.getByRole('heading', { level: 1, name: 'This link has already been used' })).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
  const ask = page.getByRole('link', { name: 'Ask for a new link' });
  await expect(ask).toHaveAttribute('href', '/forgot-password');
  await fitsPhone(page);
  await a11y('password reset link used');
  await tabTo(page, ask);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Forgotten your password?' })).toBeFocused();
  await a11y('forgotten password, from a used link');
});
