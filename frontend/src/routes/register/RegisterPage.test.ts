import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import { start } from '../../lib/router/router.svelte';
import RegisterPage from './RegisterPage.svelte';

const thisYear = new Date().getFullYear();

async function fillDetails(user: ReturnType<typeof userEvent.setup>, age: number) {
  await user.type(screen.getByLabelText('First name'), 'Sam');
  await user.type(screen.getByLabelText('Last name'), 'Jones');
  const dob = screen.getByRole('group', { name: /Date of birth/ });
  await user.type(within(dob).getByLabelText('Day'), '1');
  await user.type(within(dob).getByLabelText('Month'), '1');
  await user.type(within(dob).getByLabelText('Year'), String(thisYear - age - 1));
  await user.type(screen.getByLabelText('Home postcode'), 'M32 0JG');
  await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
  await user.type(screen.getByLabelText('Create a password'), 'teapot river comet');
}

const guardianMissing = { field: 'guardian_email', message: 'Enter a parent\'s or guardian\'s email address: under 13, they need to agree before you can book' };

/** underThirteen answers as the server does for someone under 13: no guardian's email, no account. */
function underThirteen(req: Req) {
  const body = req.body as Record<string, string>;
  const errors = [];
  if (!body.first_name) errors.push({ field: 'first_name', message: 'Enter your first name' });
  if (!body.last_name) errors.push({ field: 'last_name', message: 'Enter your last name' });
  if (!body.postcode) errors.push({ field: 'postcode', message: 'Enter a real UK postcode, like M32 0JG' });
  if (!body.email) errors.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' });
  if ((body.password ?? '').length < 12) errors.push({ field: 'password', message: 'Password must be at least 12 characters' });
  if (!body.guardian_email) errors.push(guardianMissing);
  return errors.length ? problem(422, { errors }) : { status: 201, body: { ...tokens(), consent_required: true } };
}

describe('Create an account', () => {
  beforeEach(() => {
    history.replaceState(null, '', '/register');
    return start();
  });

  it('suggests three random words in the password hint', () => {
    render(RegisterPage);
    expect(screen.getByText(/Use at least 12 characters\. Three random words work well, for example: \w+ \w+ \w+$/)).toBeInTheDocument();
  });

  it('registers a 15-year-old in one step, with no guardian question', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/register': { status: 201, body: { ...tokens(), consent_required: false } } });
    render(RegisterPage);
    await fillDetails(user, 15);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Account created' })).toBeInTheDocument();
    expect(calls[0]!.body).toEqual({
      first_name: 'Sam', last_name: 'Jones', date_of_birth: `${thisYear - 16}-01-01`, postcode: 'M32 0JG',
      email: 'sam@example.org', password: 'teapot river comet',
    });
    expect(screen.queryByLabelText(/guardian’s email/)).not.toBeInTheDocument();
  });

  it('signs in instead when a retry after no answer finds the account the first try made', async () => {
    const user = userEvent.setup();
    let tries = 0;
    const { calls } = mockApi({
      'POST /auth/register': () => {
        if (++tries === 1) throw new TypeError('Failed to fetch'); // made, but the answer was lost
        return problem(422, { errors: [{ field: 'email', message: 'An account already uses this email address. Sign in instead' }] });
      },
      'POST /auth/login': { body: tokens() },
    });
    render(RegisterPage);
    await fillDetails(user, 15);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await user.click(await screen.findByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Account created' })).toBeInTheDocument();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /auth/register', 'POST /auth/register', 'POST /auth/login']);
    expect(calls[2]!.body).toEqual({ email: 'sam@example.org', password: 'teapot river comet' });
  });

  it('says the email is taken when it is, without trying to sign in', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'POST /auth/register': problem(422, { errors: [{ field: 'email', message: 'An account already uses this email address. Sign in instead' }] }),
    });
    render(RegisterPage);
    await fillDetails(user, 15);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findAllByText('An account already uses this email address. Sign in instead')).not.toHaveLength(0);
    expect(calls.map((c) => c.path)).toEqual(['/auth/register']);
  });

  it('asks a 10-year-old for a parent’s or guardian’s email, and says what they will see', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/register': underThirteen });
    render(RegisterPage);
    await fillDetails(user, 10);
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Your parent or guardian' })).toBeInTheDocument();
    expect(screen.getByText(/before you can book a session/)).toBeInTheDocument();
    expect(screen.getByText(/They will see your first name/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Your parent’s or guardian’s email address'), 'mum@example.org');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText(/We have asked mum@example.org for consent/)).toBeInTheDocument();
    expect(calls.at(-1)!.body).toMatchObject({ guardian_email: 'mum@example.org' });
  });

  it('checks the first page of someone under 13 before asking for a guardian, with an error summary', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/register': underThirteen });
    render(RegisterPage);
    const dob = screen.getByRole('group', { name: /Date of birth/ });
    await user.type(within(dob).getByLabelText('Day'), '1');
    await user.type(within(dob).getByLabelText('Month'), '1');
    await user.type(within(dob).getByLabelText('Year'), String(thisYear - 11));
    await user.click(screen.getByRole('button', { name: 'Continue' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('heading', { name: 'There is a problem' })).toBeInTheDocument();
    expect(within(summary).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['#first_name', '#last_name', '#postcode', '#email', '#password']);
    expect(within(summary).queryByText(/guardian/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription(/Enter your first name/);
    expect(screen.getByRole('heading', { level: 1, name: 'Create an account' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1, name: 'Your parent or guardian' })).not.toBeInTheDocument();
    expect(document.title).toBe('Error: Create an account – youthhub');
    expect(calls[0]!.body).not.toHaveProperty('guardian_email');

    // Once the first page is right, Continue moves on with no error left over.
    await user.type(screen.getByLabelText('First name'), 'Sam');
    await user.type(screen.getByLabelText('Last name'), 'Jones');
    await user.type(screen.getByLabelText('Home postcode'), 'M32 0JG');
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.type(screen.getByLabelText('Create a password'), 'teapot river comet');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your parent or guardian' })).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(document.title).toBe('Your parent or guardian – youthhub');
  });

  it('shows the server’s field errors in a summary and beside each field', async () => {
    const user = userEvent.setup();
    mockApi({
      'POST /auth/register': problem(422, {
        errors: [
          { field: 'email', message: 'An account with this email address already exists' },
          { field: 'password', message: 'Password must be at least 12 characters' },
        ],
      }),
    });
    render(RegisterPage);
    await fillDetails(user, 15);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('heading', { name: 'There is a problem' })).toBeInTheDocument();
    expect(within(summary).getByRole('link', { name: 'Password must be at least 12 characters' })).toHaveAttribute('href', '#password');
    expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(/An account with this email address already exists/);
    expect(document.title).toBe('Error: Create an account – youthhub');
  });

  it('shows every mistake at once, a missing date of birth with the rest', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/register': underThirteen });
    render(RegisterPage);
    await user.type(screen.getByLabelText('First name'), 'Sam');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['#last_name', '#date_of_birth-day', '#postcode', '#email', '#password']);
    expect(within(summary).getByRole('link', { name: 'Enter your date of birth' })).toBeInTheDocument();
    expect(within(summary).queryByText(/guardian/)).not.toBeInTheDocument();
    // Sent without a date of birth, the server makes no account.
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({ date_of_birth: '' });
  });

  it('goes back to the details, saying why, when the server refuses them at the guardian step', async () => {
    const user = userEvent.setup();
    let tries = 0;
    mockApi({
      'POST /auth/register': (req) => {
        tries++;
        // The details passed the first check; by the time the guardian's address is sent, the email is taken.
        if ((req.body as Record<string, string>).guardian_email) {
          return problem(422, { errors: [{ field: 'email', message: 'An account already uses this email address. Sign in instead' }] });
        }
        return underThirteen(req);
      },
    });
    render(RegisterPage);
    await fillDetails(user, 10);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.type(await screen.findByLabelText('Your parent’s or guardian’s email address'), 'mum@example.org');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Create an account' })).toBeInTheDocument();
    const summary = screen.getByRole('alert');
    expect(within(summary).getByRole('link', { name: /already uses this email address/ })).toHaveAttribute('href', '#email');
    expect(window.location.search).toBe('');
    expect(tries).toBe(2);
  });

  it('says exactly what is wrong with a date of birth', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/register': underThirteen });
    render(RegisterPage);
    const dob = screen.getByRole('group', { name: /Date of birth/ });
    const tryDate = async (day: string, month: string, year: string) => {
      for (const [label, v] of [['Day', day], ['Month', month], ['Year', year]] as const) {
        await user.clear(within(dob).getByLabelText(label));
        if (v) await user.type(within(dob).getByLabelText(label), v);
      }
      await user.click(screen.getByRole('button', { name: /Create account|Continue/ }));
      const summary = await screen.findByRole('alert');
      return within(summary).getByRole('link', { name: /date of birth|Year/i }).textContent;
    };
    expect(await tryDate('', '', '2012')).toBe('Date of birth must include a day and a month');
    expect(await tryDate('3', '', '2012')).toBe('Date of birth must include a month');
    expect(await tryDate('3', '4', '12')).toBe('Year must include 4 numbers, like 2012');
    expect(await tryDate('31', '2', '2012')).toBe('Date of birth must be a real date');
    expect(await tryDate('1', '1', String(thisYear + 1))).toBe('Date of birth must be in the past');
  });

  it('goes back from the guardian question with the phone’s Back button, keeping what was typed', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/register': underThirteen });
    render(RegisterPage);
    await fillDetails(user, 10);
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your parent or guardian' })).toBeInTheDocument();
    expect(window.location.search).toBe('?step=guardian');

    history.back();
    expect(await screen.findByRole('heading', { level: 1, name: 'Create an account' })).toBeInTheDocument();
    expect(screen.getByLabelText('First name')).toHaveValue('Sam');
    expect(screen.getByLabelText('Create a password')).toHaveValue('teapot river comet');
    expect(window.location.pathname).toBe('/register');

    // Forward again, and the page's own Back link does the same.
    history.forward();
    expect(await screen.findByRole('heading', { level: 1, name: 'Your parent or guardian' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Back' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Create an account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Last name')).toHaveValue('Jones');
  });
});
