import { describe, expect, it } from 'vitest';
import {
  checkPlace, decileLabel, formatChange, formatCount, formatDistance, formatPointsChange, formatShare, matches, parseCoordinate,
  reachLabel, reachOf,
} from './coverage';

describe('coverage arithmetic and wording', () => {
  it('places an area in the key: covered, up to 1 km beyond the threshold, or further', () => {
    expect(reachOf({ covered: true, nearest_km: 1.9 }, 2)).toBe('covered');
    expect(reachOf({ covered: false, nearest_km: 2.01 }, 2)).toBe('near');
    expect(reachOf({ covered: false, nearest_km: 3 }, 2)).toBe('near');
    expect(reachOf({ covered: false, nearest_km: 3.01 }, 2)).toBe('beyond');
    expect(reachOf({ covered: false, nearest_km: null }, 2)).toBe('beyond');
    expect(reachOf({ covered: false, nearest_km: 3.2 }, 2.5)).toBe('near');
    expect(reachLabel('near', 2)).toBe('Not covered: the nearest open centre is 2 to 3 km away');
    expect(reachLabel('beyond', 1.5)).toBe('Not covered: no open centre within 2.5 km');
  });

  it('formats shares, changes, counts and distances', () => {
    expect(formatShare(0.7761)).toBe('77.6%');
    expect(formatShare(0.25, 0)).toBe('25%');
    expect(formatPointsChange(-0.0503)).toBe('−5.0 percentage points');
    expect(formatPointsChange(0.0123)).toBe('+1.2 percentage points');
    expect(formatPointsChange(-0.00001)).toBe('0.0 percentage points');
    expect(formatChange(-1099, 0)).toBe('−1,099');
    expect(formatChange(2.25, 1)).toBe('+2.3');
    expect(formatCount(21849)).toBe('21,849');
    expect(formatCount(null)).toBe('Fewer than 10');
    expect(formatDistance(3.551)).toBe('3.6 km');
    expect(formatDistance(null)).toBe('No open centre');
    expect(decileLabel(1)).toBe('1 (most deprived)');
    expect(decileLabel(10)).toBe('10 (least deprived)');
    expect(decileLabel(null)).toBe('Not known');
  });

  it('filters centres: any of the providers chosen, all of the access features', () => {
    const c = { provider_type: 'charity' as const, access_features: ['step_free' as const, 'hearing_loop' as const] };
    expect(matches(c, { providers: [], access: [] })).toBe(true);
    expect(matches(c, { providers: ['council', 'charity'], access: [] })).toBe(true);
    expect(matches(c, { providers: ['council'], access: [] })).toBe(false);
    expect(matches(c, { providers: [], access: ['step_free', 'hearing_loop'] })).toBe(true);
    expect(matches(c, { providers: [], access: ['step_free', 'quiet_space'] })).toBe(false);
  });

  it('reads typed coordinates, with a typographic minus too, and checks them', () => {
    expect(parseCoordinate(' 53.4285 ')).toBe(53.4285);
    expect(parseCoordinate('−2.308')).toBe(-2.308);
    expect(parseCoordinate('53,4')).toBeNaN();
    expect(parseCoordinate('1e2')).toBeNaN();
    expect(checkPlace('53.4', '-2.3', '10')).toEqual({});
    expect(checkPlace('', '', '')).toEqual({ lat: 'Enter a latitude', lon: 'Enter a longitude', hours: 'Hours open a week must be a number from 0 to 168' });
    expect(checkPlace('48.9', '2.1', '169')).toEqual({
      lat: 'Latitude must be a number from 49 to 61, like 53.4285',
      lon: 'Longitude must be a number from -9 to 2, like -2.3080',
      hours: 'Hours open a week must be a number from 0 to 168',
    });
  });
});
