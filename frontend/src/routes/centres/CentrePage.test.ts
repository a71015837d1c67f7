import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { mockApi, problem } from '../../test/api';
import { centre } from '../../test/fixtures';
import CentrePage from './CentrePage.svelte';

describe('Centre page', () => {
  it('always shows the address as text, with access, hours and contact', async () => {
    mockApi({ 'GET /centres/:id': { body: centre() } });
    render(CentrePage, { id: 'c1' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Stretford Youth Centre' })).toBeInTheDocument();
    expect(screen.getByText(/1 Chester Road, Stretford, Manchester/)).toBeInTheDocument();
    expect(screen.getByText('Hearing loop')).toBeInTheDocument();
    const hours = screen.getByRole('table', { name: 'Opening hours' });
    const rows = within(hours).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Monday18:00 to 21:00');
    expect(screen.getByRole('link', { name: '0161 000 0000' })).toHaveAttribute('href', 'tel:01610000000');
    expect(screen.getByRole('heading', { name: 'Map' })).toBeInTheDocument();
  });

  it('says when the centre does not exist', async () => {
    mockApi({ 'GET /centres/:id': problem(404) });
    render(CentrePage, { id: 'nope' });
    expect(await screen.findByRole('heading', { name: 'Centre not found' })).toBeInTheDocument();
  });
});
