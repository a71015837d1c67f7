import { emailedLink, expect, fitsPhone, signUp, tabTo, test, uniqueEmail } from './fixtures';

// A 10-year-old mistyped their parent's address at sign-up, so the consent e-mail went nowhere.
// On "My account", by keyboard at 360 px, they correct it and send a new link; the old link stops
// working and the new one reaches the parent; sending again at once is refused with the time.


test('a child corrects a mistyped guardian address and sends a new consent link', async ({ page, a11y }) => {
  const mistyped = uniqueEmail('mum').replace('example.test', 'exmaple.test');
  const corrected = uniqueEmail('mum');
  // Signed up through the API in this browser: the refresh cookie signs the page in.
  await signUp(page.request, { firstName: 'Kit', age: 10, email: uniqueEmail('kit'), password: 'correct horse battery staple', postcode: 'M41 0RX', guardianEmail: mistyped });
  let oldLink: string | null = null;
  await expect.poll(() => (oldLink = emailedLink(mistyped, '/consent/'))).not.toBeNull();

  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'My account' })).toBeVisible();
  await expect(page.getByText(`We asked ${mistyped} for consent on`, { exact: false })).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, consent pending');

  const field = page.getByLabel('Parent or guardian’s email address');
  await tabTo(page, field);
  await expect(field).toHaveValue(mistyped);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(corrected);
  await tabTo(page, page.getByRole('button', { name: 'Send a new link' }));
  await page.keyboard.press('Enter');
  const banner = page.getByRole('alert').filter({ hasText: `We sent a new link to ${corrected}.` });
  await expect(banner).toBeVisible();
  await expect(page.getByText(`We asked ${corrected} for consent on`, { exact: false })).toBeVisible();
  await fitsPhone(page);
  await a11y('my account, new link sent');

  // Again at once: refused beside the address, saying when.
  await tabTo(page, page.getByRole('button', { name: 'Send a new link' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: /You can send it again after (\d{1,2}(:\d\d)?[ap]m|midday|midnight)/ })).toBeVisible();
  await expect(page.locator('.govuk-error-summary')).toBeFocused();
  await a11y('my account, asked too recently');

  // The new e-mail reached the corrected address; the mistyped one's link no longer works.
  let newLink: string | null = null;
  await expect.poll(() => (newLink = emailedLink(corrected, '/consent/'))).not.toBeNull();
  expect(newLink).not.toBe(oldLink);
  await page.goto(oldLink!);
  await expect(page.getByRole('heading', { level: 1, name: 'This link is not valid' })).toBeVisible();
  await a11y('old consent link');
  await page.goto(newLink!);
  await expect(page.getByRole('heading', { level: 1, name: 'Give consent for Kit to use youthhub' })).toBeVisible();
  await a11y('new consent link');
});
