import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockApi, problem, tokens, type Req } from '../../test/api';
import type { EmergencyContact, Me } from '../../lib/api';
import { navigate } from '../../lib/router/router.svelte';
import App from '../../App.svelte';

const ava: Me = {
  id: 'u1', role: 'young_person', council_id: null, first_name: 'Ava', last_name: 'Jones', email: 'ava@example.org',
  date_of_birth: '2009-03-27', postcode: 'M32 0JG', consent_status: 'not_needed', guardian_email: null,
  consent_requested_at: null, consent_link_expires_at: null,
};

/** contacts answers GET and PUT /me/emergency-contacts from one list, as the server would. */
function contacts(start: EmergencyContact[]) {
  let items = [...start];
  return {
    'GET /me/emergency-contacts': () => ({ body: { items, total: items.length } }),
    'PUT /me/emergency-contacts': (req: Req) => {
      items = (req.body as { items: EmergencyContact[] }).items.map((c) => ({ ...c, phone: c.phone.replace(/[^+\d]/g, '') }));
      return { body: { items, total: items.length } };
    },
  };
}

const puts = (calls: Req[]) => calls.filter((c) => c.method === 'PUT').map((c) => c.body);

describe('My emergency contact', () => {
  beforeEach(() => navigate('/account', { replace: true }));

  it('is added from My account, checked first, and shown there after', async () => {
    const { calls } = mockApi({ 'POST /auth/refresh': { body: tokens({ first_name: 'Ava' }) }, 'GET /me': { body: ava }, ...contacts([]) });
    const user = userEvent.setup();
    render(App);
    expect(await screen.findByText(/None yet\. Add someone staff can call/)).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Add emergency contact' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Your emergency contact' })).toBeInTheDocument();
    expect(window.location.pathname).toBe('/account/emergency-contact');

    await user.click(await screen.findByRole('button', { name: 'Save emergency contact' }));
    expect(await screen.findByRole('link', { name: 'Enter their name' })).toHaveAttribute('href', '#name');
    expect(puts(calls)).toEqual([]);

    await user.type(screen.getByLabelText('Their name'), 'Dee Doyle');
    await user.type(screen.getByLabelText('How they are related to you'), 'mum');
    await user.type(screen.getByLabelText('Their phone number'), '07700 900123');
    await user.click(screen.getByRole('button', { name: 'Save emergency contact' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your emergency contact has been saved');
    expect(puts(calls)).toEqual([{ items: [{ name: 'Dee Doyle', phone: '07700 900123', relationship: 'mum' }] }]);
    expect(await screen.findByText('Dee Doyle (mum), 07700900123')).toBeInTheDocument();
  });

  it('shows the API’s word on a phone number beside the field, and can remove the contact', async () => {
    const { calls } = mockApi({
      'POST /auth/refresh': { body: tokens({ first_name: 'Ava' }) },
      'GET /me': { body: ava },
      'GET /me/emergency-contacts': { body: { items: [{ name: 'Dee Doyle', phone: '07700900123', relationship: 'mum' }], total: 1 } },
      'PUT /me/emergency-contacts': (req: Req) =>
        (req.body as { items: EmergencyContact[] }).items.length
          ? problem(422, { errors: [{ field: 'items[0].phone', message: 'Enter a phone number with 10 to 15 digits, like 07700 900123' }] })
          : { body: { items: [], total: 0 } },
    });
    navigate('/account/emergency-contact', { replace: true });
    const user = userEvent.setup();
    render(App);
    const phone = await screen.findByLabelText('Their phone number');
    await expect.poll(() => (phone as HTMLInputElement).value).toBe('07700900123');
    await user.clear(phone);
    await user.type(phone, '999');
    await user.click(screen.getByRole('button', { name: 'Save emergency contact' }));
    expect(await screen.findByRole('link', { name: 'Enter a phone number with 10 to 15 digits, like 07700 900123' })).toHaveAttribute('href', '#phone');

    await user.click(screen.getByRole('button', { name: 'Remove emergency contact' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your emergency contact has been saved');
    expect(puts(calls).at(-1)).toEqual({ items: [] });
  });
});
