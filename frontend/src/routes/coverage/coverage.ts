// The coverage page's arithmetic and wording, kept out of the components so that it is tested once.
import type { AccessFeature, ProviderType } from '../../lib/api';
import type { AreaProps, CentreProps } from '../../lib/api/coverage';
import { intlLocale, t } from '../../lib/i18n/index.svelte';

/** Reach is how far an area is from cover: covered, just beyond the threshold (up to 1 km more), or further. */
export type Reach = 'covered' | 'near' | 'beyond';
export const reaches: readonly Reach[] = ['covered', 'near', 'beyond'];

/** reachOf places an area in the legend: covered, within threshold + 1 km, or beyond (or no open centre at all). */
export function reachOf(a: Pick<AreaProps, 'covered' | 'nearest_km'>, thresholdKm: number): Reach {
  if (a.covered) return 'covered';
  if (a.nearest_km !== null && a.nearest_km <= thresholdKm + 1) return 'near';
  return 'beyond';
}

/** reachLabel names a legend entry, as in "Not covered: 2 to 3 km from an open centre". */
export function reachLabel(r: Reach, thresholdKm: number): string {
  const km = formatNumber(thresholdKm, 1);
  const next = formatNumber(thresholdKm + 1, 1);
  return t(`coverage.reach.${r}`, { km, next });
}

const number = (digits: number) =>
  new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** formatNumber gives a number with thousands separators and at most `digits` decimals. */
export function formatNumber(n: number, digits = 0): string {
  return number(digits).format(n);
}

/** formatFixed gives a number with exactly `digits` decimals, as in "65.6". */
export function formatFixed(n: number, digits = 1): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

/** formatShare gives a share (0 to 1) as a percentage with one decimal (or `digits`), as in "77.6%". */
export function formatShare(share: number, digits = 1): string {
  return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(share);
}

/** formatCount gives a count of young people, or says it is withheld (fewer than 10). */
export function formatCount(n: number | null): string {
  return n === null ? t('coverage.withheld') : formatNumber(n);
}

/** signed puts a real minus sign or a plus sign before a formatted number, and nothing before zero. */
function signed(n: number, text: string): string {
  if (text.replace(/[^1-9]/g, '') === '') return text.replace(/^[-−]/, '');
  return n < 0 ? `−${text.replace(/^[-−]/, '')}` : `+${text}`;
}

/** formatPointsChange gives a change in share as percentage points, as in "−5.0 percentage points". */
export function formatPointsChange(change: number): string {
  return t('coverage.points', { points: signed(change, formatFixed(Math.abs(change) * 100, 1)) });
}

/** formatChange gives a change of a number, as in "−1.7" or "+2,198". */
export function formatChange(change: number, digits = 1): string {
  return signed(change, digits ? formatFixed(Math.abs(change), digits) : formatNumber(Math.abs(change)));
}

/** formatKmValue gives a distance in km, as in "3.6 km", or "no open centre". */
export function formatDistance(km: number | null): string {
  return km === null ? t('coverage.noCentre') : t('coverage.km', { km: formatFixed(km, 1) });
}

/** decileLabel names an IMD decile, "1 (most deprived)" … "10 (least deprived)", or "Not known". */
export function decileLabel(d: number | null): string {
  if (d === null) return t('coverage.decileUnknown');
  if (d === 1) return t('coverage.decileMost', { decile: d });
  if (d === 10) return t('coverage.decileLeast', { decile: d });
  return String(d);
}

/** CentreFilter is the map's choice of centres: who runs them and the access they must all have. */
export interface CentreFilter {
  providers: ProviderType[];
  access: AccessFeature[];
}

/** matches reports whether a centre passes the filter (no provider chosen means any). */
export function matches(c: Pick<CentreProps, 'provider_type' | 'access_features'>, f: CentreFilter): boolean {
  if (f.providers.length && !f.providers.includes(c.provider_type)) return false;
  return f.access.every((a) => c.access_features.includes(a));
}

/** Place is a typed-in or clicked location for a new centre. */
export interface PlaceErrors {
  lat?: string;
  lon?: string;
  hours?: string;
}

// The API takes new centres within Great Britain's box: latitude 49 to 61, longitude −9 to 2.
const bounds = { lat: [49, 61], lon: [-9, 2] } as const;

/** parseCoordinate reads a typed decimal coordinate ("53.42", "-2.3", "−2.3"); NaN when it is not one. */
export function parseCoordinate(text: string): number {
  const s = text.trim().replace(/^−/, '-');
  return /^-?\d{1,3}(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

/** checkPlace checks a new centre's latitude, longitude and weekly hours as typed. */
export function checkPlace(lat: string, lon: string, hours: string): PlaceErrors {
  const errors: PlaceErrors = {};
  const la = parseCoordinate(lat);
  const lo = parseCoordinate(lon);
  if (!lat.trim()) errors.lat = t('coverage.error.latMissing');
  else if (!(la >= bounds.lat[0] && la <= bounds.lat[1])) errors.lat = t('coverage.error.lat');
  if (!lon.trim()) errors.lon = t('coverage.error.lonMissing');
  else if (!(lo >= bounds.lon[0] && lo <= bounds.lon[1])) errors.lon = t('coverage.error.lon');
  const h = Number(hours.trim());
  if (!hours.trim() || !Number.isFinite(h) || h < 0 || h > 168) errors.hours = t('coverage.error.hours');
  return errors;
}

/** roundCoordinate keeps 5 decimals (about a metre), enough for a clicked point. */
export function roundCoordinate(x: number): string {
  return x.toFixed(5);
}

/** saveFile hands a downloaded file to the browser under name. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
