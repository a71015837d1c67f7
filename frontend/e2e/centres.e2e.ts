import { expect, test } from './fixtures';

// A council officer adds a centre, fixes what the form refuses, edits it, and closes it, being
// warned first that closing cancels its sessions still to come. All by keyboard where it matters;
// axe checks every state.
test('a council officer adds a centre, edits it and closes it', async ({ page, a11y }) => {
  await page.goto('/sign-in');
  await a11y('sign in');
  await page.getByLabel('Email address').fill('officer@demo.test');
  await page.getByLabel('Password', { exact: true }).fill('youthhub-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your council’s centres' })).toBeVisible();
  await a11y('council centres');

  await page.getByRole('link', { name: 'Add a centre' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Add a centre' })).toBeVisible();
  await a11y('add a centre');

  // Nothing filled in: the error summary names the fields and links to them.
  await page.getByRole('button', { name: 'Add centre' }).click();
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('link', { name: 'Enter the centre’s name' })).toBeVisible();
  await a11y('add a centre, with errors');
  await summary.getByRole('link', { name: 'Enter the centre’s name' }).click();
  await expect(page.getByLabel('Name')).toBeFocused();

  await page.keyboard.type('Stretford Pop-up Youth Space');
  await page.getByLabel('Latitude').fill('53.4462');
  await page.getByLabel('Longitude').fill('-2.3087');
  await page.getByLabel('Who runs it').selectOption({ label: 'Community organisation' });
  await page.getByLabel('Step-free access').check();
  await page.getByRole('button', { name: 'Add opening hours' }).click();
  const row = page.getByRole('group', { name: 'Opening hours 1' });
  await expect(row.getByLabel('Day')).toBeFocused();
  await row.getByLabel('Day').selectOption({ label: 'Wednesday' });
  await row.getByLabel('Opens').fill('18:00');
  await row.getByLabel('Closes').fill('21:00');
  await page.getByRole('button', { name: 'Add centre' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Stretford Pop-up Youth Space' })).toBeVisible();
  await expect(page.getByText('Centre added.')).toBeVisible();
  await a11y('the new centre');

  await page.getByRole('link', { name: 'Edit centre' }).click();
  await expect(page.getByLabel('Name')).toHaveValue('Stretford Pop-up Youth Space');
  await page.getByLabel('Phone number (optional)').fill('0161 000 0000');
  await expect(page.getByText(/Saving will cancel every session still to come/)).toHaveCount(0);
  await page.getByRole('radio', { name: 'Closed' }).check();
  await expect(page.getByText(/Saving will cancel every session still to come/)).toBeVisible();
  await a11y('edit a centre, closing it');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page.getByText(/The centre is closed\. Its sessions still to come have been cancelled/)).toBeVisible();
  await expect(page.getByText('0161 000 0000')).toBeVisible();
  await a11y('the closed centre');
});
