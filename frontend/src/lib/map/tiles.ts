import type * as Leaflet from 'leaflet';
import { t } from '../i18n/index.svelte';

const osmTiles = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** setting reads a run-time setting the server writes into index.html as a meta tag. */
function setting(name: string): string | undefined {
  return document.querySelector<HTMLMetaElement>(`meta[name="youthhub:${name}"]`)?.content || undefined;
}

/**
 * tileUrl is the map tile template: the server's TILE_URL (the origin its Content-Security-Policy
 * allows images from), else VITE_TILE_URL at build time, else OpenStreetMap's own tiles.
 */
export function tileUrl(): string {
  return setting('tile-url') ?? import.meta.env.VITE_TILE_URL ?? osmTiles;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * tileAttribution is the credit shown on the map, as Leaflet's HTML: OpenStreetMap's tiles link
 * to its copyright page; other tiles show the server's TILE_ATTRIBUTION as text.
 */
export function tileAttribution(): string {
  const url = tileUrl();
  const text = setting('tile-attribution');
  if (url === osmTiles || !text) return `<a href="https://www.openstreetmap.org/copyright">${escapeHtml(t('footer.osm'))}</a>`;
  return escapeHtml(text);
}

/** loadLeaflet fetches Leaflet and its CSS, on demand: pages without a map never download them. */
export async function loadLeaflet(): Promise<typeof Leaflet> {
  const [L] = await Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]);
  return L;
}

/**
 * addBaseMap adds the tiles, their attribution and labelled zoom buttons. With no network (or
 * tiles blocked) the tiles just fail: whatever is drawn on top still shows on a plain background.
 */
export function addBaseMap(L: typeof Leaflet, map: Leaflet.Map): void {
  L.control.zoom({ zoomInTitle: t('centres.zoomIn'), zoomOutTitle: t('centres.zoomOut') }).addTo(map);
  L.tileLayer(tileUrl(), { maxZoom: 19, attribution: tileAttribution() }).addTo(map);
  map.attributionControl.setPrefix(false);
}
