import type * as Leaflet from 'leaflet';
import { t } from '../i18n/index.svelte';

/** tileUrl is the map tile template: VITE_TILE_URL at build time, else OpenStreetMap's own tiles. */
export const tileUrl = import.meta.env.VITE_TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

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
  L.tileLayer(tileUrl, {
    maxZoom: 19,
    attribution: `<a href="https://www.openstreetmap.org/copyright">${t('footer.osm')}</a>`,
  }).addTo(map);
  map.attributionControl.setPrefix(false);
}
