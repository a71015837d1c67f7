import { emailedLink, expect, fitsPhone, oldPasswordRefused, refreshCookie, signUp, tabTo, test, uniqueEmail } from './fixtures';

// On "My account", on a phone and by keyboard, a new young person corrects their home postcode
// (a made-up one is refused first) and their email address (confirmed by the link e-mailed to the
// new address), then changes their password (a wrong
// current password is refused first). Their other sessions end; they sign out and sign in with the
// new address and the new password; the old password no longer works.

const oldPassword = 'correct horse battery staple';
const newPassword = 'walnut harbour puddle lantern';


test('a young person corrects their postcode and email and changes their password by keyboard, then signs in with the new ones', async ({ page, a11y, request }) => {
  const oldEmail = uniqueEmail('jo');
  const newEmail = uniqueEmail('jo-new');
  // Signed up through the API in this browser: the refresh cookie signs the page in.
  await signUp(page.request, { firstName: 'Jo', age: 16, email: oldEmail, password: oldPassword });
  // Signed in on another device too: changing the password must sign that one out.
  const elsewhere = await request.post('/api/v1/auth/login', { data: { email: oldEmail, password: oldPassword } });
  expect(elsewhere.status(), await elsewhere.text()).toBe(200);
  const otherDevice = refreshCookie(elsewhere);

  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText(/Your date of birth decides which sessions you can book/)).toBeVisible();
  await fitsPhone(page);
  await a11y('my account');

  // 1. The postcode: a made-up one is refused beside the field, then a real one is saved.
  await tabTo(page, page.getByRole('link', { name: 'Change home postcode' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Change your home postcode' })).toBeFocused();
  await expect(page).toHaveURL(/\/account\/postcode$/);
  const postcode = page.getByLabel('Home postcode');
  await expect(postcode).toHaveValue('M32 0JG');
  await expect(postcode).toHaveAttribute('autocomplete', 'postal-code');
  await fitsPhone(page);
  await a11y('change postcode');
  await tabTo(page, postcode);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('M4');
  await page.keyboard.press('Enter');
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#postcode');
  await expect(page).toHaveTitle(/^Error: Change your home postcode/);
  await fitsPhone(page);
  await a11y('change postcode, not a real one');
  await summary.getByRole('link').press('Enter');
  await expect(postcode).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('m41 0rx');
  await page.keyboard.press('Enter');

  // Back on "My account", where a banner (which takes focus) says so, with the new postcode.
  await expect(page.getByRole('alert').filter({ hasText: 'Your details have been changed' })).toBeFocused();
  await expect(page).toHaveURL(/\/account\?changed=details$/);
  await expect(page.getByText('M41 0RX', { exact: true })).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, postcode changed');

  // 2. The email address.
  await tabTo(page, page.getByRole('link', { name: 'Change email address' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Change your email address' })).toBeFocused();
  const email = page.getByLabel('Email address');
  await expect(email).toHaveValue(oldEmail);
  await fitsPhone(page);
  await a11y('change email');
  await tabTo(page, email);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(newEmail);
  // The current password proves it is them (a new address is where a reset link would go).
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Your password')).toBeFocused();
  await page.keyboard.type(oldPassword);
  await page.keyboard.press('Enter');
  const asked = page.getByRole('alert').filter({ hasText: 'Check your new email address' });
  await expect(asked).toBeFocused();
  await expect(asked).toContainText(`We have sent a link to ${newEmail}`);
  await fitsPhone(page);
  await a11y('my account, new email asked');
  // The link e-mailed to the new address makes the change, with a button (not on opening).
  let link: string | null = null;
  await expect.poll(() => (link = emailedLink(newEmail, '/confirm-email/')), { message: `a confirmation e-mail to ${newEmail}` }).not.toBeNull();
  await page.goto(link!);
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your new email address' })).toBeVisible();
  await fitsPhone(page);
  await a11y('confirm new email');
  await page.getByRole('button', { name: 'Confirm my new email address' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your email address has been changed' })).toBeFocused();
  await a11y('new email confirmed');
  await page.getByRole('link', { name: 'My account', exact: true }).last().click();
  await expect(page.getByText(newEmail, { exact: true })).toBeVisible();

  // 2b. An emergency contact, which youth workers see on the roll call.
  await tabTo(page, page.getByRole('link', { name: 'Add emergency contact' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your emergency contact' })).toBeFocused();
  await fitsPhone(page);
  await a11y('emergency contact');
  await tabTo(page, page.getByLabel('Their name'));
  await page.keyboard.type('Dee Doyle');
  await page.keyboard.press('Tab');
  await page.keyboard.type('mum');
  await page.keyboard.press('Tab');
  await page.keyboard.type('07700 900123');
  await page.keyboard.press('Enter');
  const saved = page.getByRole('alert').filter({ hasText: 'Your emergency contact has been saved' });
  await expect(saved).toBeFocused();
  await expect(page.getByText('Dee Doyle (mum), 07700900123')).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, emergency contact saved');

  // 3. The password: a wrong current one is refused beside that field.
  await tabTo(page, page.getByRole('link', { name: 'Change password' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Change your password' })).toBeFocused();
  await expect(page).toHaveURL(/\/account\/password$/);
  const current = page.getByLabel('Current password', { exact: true });
  const next = page.getByLabel('New password', { exact: true });
  await expect(current).toHaveAttribute('autocomplete', 'current-password');
  await expect(next).toHaveAttribute('autocomplete', 'new-password');
  await fitsPhone(page);
  await a11y('change password');
  await tabTo(page, current);
  await page.keyboard.type('not my password at all');
  await tabTo(page, next);
  await page.keyboard.type(newPassword);
  await page.keyboard.press('Enter');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Your current password is not right' })).toHaveAttribute('href', '#current_password');
  await expect(page).toHaveTitle(/^Error: Change your password/);
  await fitsPhone(page);
  await a11y('change password, current one wrong');
  await summary.getByRole('link').press('Enter');
  await expect(current).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(oldPassword);
  await page.keyboard.press('Enter');

  const passwordChanged = page.getByRole('alert').filter({ hasText: 'Your password has been changed' });
  await expect(passwordChanged).toBeFocused();
  await expect(passwordChanged).toContainText('You have been signed out everywhere else.');
  await expect(page).toHaveURL(/\/account\?changed=password$/);
  await fitsPhone(page);
  await a11y('my account, password changed');

  // This device is still signed in (a reload swaps the new refresh cookie); the other is not.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText(newEmail, { exact: true })).toBeVisible();
  await a11y('my account, reloaded');
  const refreshed = await request.post('/api/v1/auth/refresh', { headers: { Cookie: otherDevice } });
  expect(refreshed.status(), 'refreshing the session of another device').toBe(401);

  // 4. Signed out, the old password no longer signs in; the new address and password do.
  await oldPasswordRefused(page, a11y, newEmail, oldPassword, newPassword);
});
