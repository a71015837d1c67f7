import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import DateInput from './DateInput.svelte';
import ErrorSummary from './ErrorSummary.svelte';
import Footer from './Footer.svelte';
import Header from './Header.svelte';
import Input from './Input.svelte';

describe('GOV.UK wrappers', () => {
  it('Input ties its label, hint and error to the field', () => {
    render(Input, { id: 'postcode', label: 'Postcode', hint: 'For example, M32 0JG', error: 'Enter a postcode' });
    const input = screen.getByLabelText('Postcode');
    expect(input).toHaveAccessibleDescription('For example, M32 0JG Error: Enter a postcode');
    expect(input).toHaveClass('govuk-input--error');
  });

  it('DateInput is a labelled group of day, month and year', () => {
    render(DateInput, { id: 'dob', legend: 'Date of birth', bday: true });
    const group = screen.getByRole('group', { name: 'Date of birth' });
    expect(group).toBeInTheDocument();
    expect(screen.getByLabelText('Year')).toHaveAttribute('autocomplete', 'bday-year');
  });

  it('ErrorSummary links each error to its field', () => {
    render(ErrorSummary, { errors: [{ text: 'Enter a postcode', href: '#postcode' }] });
    expect(screen.getByRole('link', { name: 'Enter a postcode' })).toHaveAttribute('href', '#postcode');
  });

  it('Header has the service name, no crown, and the navigation given', () => {
    const { container } = render(Header, { items: [{ href: '/sessions', text: 'Find a session', active: true }] });
    expect(screen.getByRole('link', { name: 'youthhub' })).toHaveAttribute('href', '/');
    expect(container.querySelector('svg')).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Menu' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Find a session' })).toHaveAttribute('aria-current', 'page');
  });

  it('Footer carries the data attributions', () => {
    render(Footer);
    expect(screen.getByRole('link', { name: 'Open Government Licence v3.0' })).toBeInTheDocument();
    expect(screen.getByText(/Contains public sector information licensed under the/)).toBeInTheDocument();
    expect(screen.getByText(/Contains OS data © Crown copyright and database right/)).toBeInTheDocument();
    expect(screen.getByText(/Contains Royal Mail data © Royal Mail copyright and database right/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '© OpenStreetMap contributors' })).toBeInTheDocument();
  });
});
