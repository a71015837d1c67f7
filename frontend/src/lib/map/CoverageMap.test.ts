import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import CoverageMap, { type MapMarker, type MapShape } from './CoverageMap.svelte';

// jsdom has SVG elements but no geometry: Leaflet looks for createSVGRect to decide it can draw
// SVG, and this is all it needs of it here.
(SVGSVGElement.prototype as unknown as { createSVGRect: () => object }).createSVGRect ??= () => ({});

const shapes: MapShape[] = [
  {
    id: 'E01000001',
    geometry: { type: 'Polygon', coordinates: [[[-2.31, 53.44], [-2.3, 53.44], [-2.3, 53.45], [-2.31, 53.45], [-2.31, 53.44]]] },
    style: { color: '#00703c', fillColor: 'url(#app-cov-covered)', fillOpacity: 1 },
    tooltip: 'Trafford 001A – Covered',
  },
  { id: 'E01000003', geometry: { type: 'Point', coordinates: [-2.4, 53.4] }, style: { color: '#942514', dashArray: '1 3' }, tooltip: 'Trafford 003C' },
];
const markers: MapMarker[] = [
  { id: 'c1', lat: 53.445, lon: -2.305, text: 'C', className: 'app-cov-marker--council', tooltip: 'Stretford Youth Centre' },
  { id: 'pick-1', lat: 53.42, lon: -2.32, text: '1', className: 'app-cov-marker--pick', tooltip: 'Suggested site 1' },
];

describe('CoverageMap', () => {
  it('draws the areas with the page’s fill and the markers with their labels, and reports a click only while picking', async () => {
    const onpick = vi.fn();
    const { container, rerender } = render(CoverageMap, { label: 'Map of Trafford', shapes, markers, onpick });
    const region = screen.getByRole('region', { name: 'Map of Trafford' });
    await waitFor(() => expect(region).toHaveClass('leaflet-container'));
    await waitFor(() => expect(container.querySelectorAll('path.leaflet-interactive')).toHaveLength(2));
    const paths = [...container.querySelectorAll('path.leaflet-interactive')];
    expect(paths[0]).toHaveAttribute('fill', 'url(#app-cov-covered)');
    expect(paths[1]).toHaveAttribute('stroke-dasharray', '1 3');
    const badges = [...container.querySelectorAll('.app-cov-marker')];
    expect(badges.map((b) => b.textContent)).toEqual(['C', '1']);
    expect(badges[1]).toHaveClass('app-cov-marker--pick');
    expect(screen.getByRole('link', { name: '© OpenStreetMap contributors' })).toHaveAttribute('href', 'https://www.openstreetmap.org/copyright');

    region.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 10, clientY: 10 }));
    expect(onpick).not.toHaveBeenCalled();
    await rerender({ label: 'Map of Trafford', shapes, markers: markers.slice(0, 1), onpick, picking: true });
    await waitFor(() => expect(container.querySelectorAll('.app-cov-marker')).toHaveLength(1));
    expect(region).toHaveClass('app-cov-map--picking');
    region.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 10, clientY: 10 }));
    expect(onpick).toHaveBeenCalledTimes(1);
    const [lat, lon] = onpick.mock.calls[0]!;
    expect(lat).toBeGreaterThan(49);
    expect(lon).toBeLessThan(2);
  });
});
