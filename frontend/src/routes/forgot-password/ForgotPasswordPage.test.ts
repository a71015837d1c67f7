import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, problem } from '../../test/api';
import ForgotPasswordPage from './ForgotPasswordPage.svelte';

describe('Forgotten your password', () => {
  it('sends a link and says to check the email, however long it takes, and where else to look', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/password-reset': { status: 202, body: { message: 'If an account uses that address, we have sent a link.' } } });
    render(ForgotPasswordPage);
    const email = screen.getByLabelText('Email address');
    expect(email).toHaveAttribute('autocomplete', 'email');
    await user.type(email, ' sam@example.org ');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));

    const heading = await screen.findByRole('heading', { level: 1, name: 'Check your email' });
    expect(heading).toHaveFocus();
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/password-reset', body: { email: 'sam@example.org' } });
    expect(screen.getByText('If an account uses sam@example.org, we have sent a link to it. Follow the link to choose a new password.')).toBeInTheDocument();
    expect(screen.getByText('The link works for 1 hour, and only once.')).toBeInTheDocument();
    expect(screen.getByText(/may take a few minutes to arrive\. Check your spam or junk folder/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to sign in' })).toHaveAttribute('href', '/sign-in');
    expect(screen.queryByLabelText('Email address')).not.toBeInTheDocument();
  });

  it('goes back to the form, address kept, to send another link', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({ 'POST /auth/password-reset': { status: 202, body: { message: 'Sent.' } } });
    render(ForgotPasswordPage);
    await user.type(screen.getByLabelText('Email address'), 'sam@example.org');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    await user.click(await screen.findByRole('link', { name: 'Send another link' }));

    expect(screen.getByRole('heading', { level: 1, name: 'Forgotten your password?' })).toHaveFocus();
    expect(screen.getByLabelText('Email address')).toHaveValue('sam@example.org');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Check your email' })).toBeInTheDocument();
    expect(calls).toHaveLength(2);
  });

  it('shows the server’s field error in an error summary that links to the field', async () => {
    const user = userEvent.setup();
    mockApi({ 'POST /auth/password-reset': problem(422, { errors: [{ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' }] }) });
    render(ForgotPasswordPage);
    await user.type(screen.getByLabelText('Email address'), 'sam.example.org');
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));

    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' })).toHaveAttribute('href', '#email');
    expect(screen.getByLabelText('Email address')).toHaveAccessibleDescription(/Enter an email address in the correct format/);
    expect(document.title).toBe('Error: Forgotten your password? – youthhub');
    expect(screen.queryByRole('heading', { name: 'Check your email' })).not.toBeInTheDocument();
  });

  it('asks for an address before sending anything', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({});
    render(ForgotPasswordPage);
    await user.click(screen.getByRole('button', { name: 'Send me a link' }));
    expect(within(await screen.findByRole('alert')).getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
    expect(calls).toHaveLength(0);
  });
});
