import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { session } from '../../lib/auth/session.svelte';
import { navigate } from '../../lib/router/router.svelte';
import { tokens } from '../../test/api';
import HomePage from './HomePage.svelte';

describe('Home page', () => {
  afterEach(() => navigate('/', { replace: true }));

  it('says an account was deleted when it arrives from "Delete my account"', async () => {
    navigate('/?account_deleted=1', { replace: true });
    await session.signOut().catch(() => {});
    render(HomePage);
    expect(await screen.findByText('Your account and everything youthhub kept about you have been deleted.')).toBeInTheDocument();
  });

  it('says the password was changed when a new one was just chosen, and does not say it to someone signed out', async () => {
    navigate('/?password_changed=1', { replace: true });
    session.start(tokens());
    const { unmount } = render(HomePage);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Your password has been changed');
    expect(banner).toHaveTextContent('Anywhere else you were signed in, you have been signed out.');
    unmount();

    await session.signOut().catch(() => {});
    render(HomePage);
    expect(screen.queryByText('Your password has been changed')).not.toBeInTheDocument();
  });

  it('says nothing of the kind to someone signed in', () => {
    navigate('/?account_deleted=1', { replace: true });
    session.start(tokens());
    render(HomePage);
    expect(screen.queryByText(/have been deleted/)).not.toBeInTheDocument();
  });
});
