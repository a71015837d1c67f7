// Test data for the coverage page: a small council of three areas and three centres.
import type { AreaFeature, CentreFeature, CoverageFigures, CoverageGaps, CoverageSummary, Siting, WhatIf } from '../../../lib/api/coverage';

const figures = (over: Partial<CoverageFigures> = {}): CoverageFigures => ({
  areas: 3, areas_covered: 1, young_people: 600, young_covered: 300, young_covered_min_hours: 250,
  covered_share: 0.5, covered_min_hours_share: 0.4167, places_per_1000: 65.64, suppressed: false, ...over,
});

export function summary(over: Partial<CoverageSummary> = {}): CoverageSummary {
  return {
    ...figures(),
    council_id: 'k1', council_name: 'Trafford Council', lad_code: 'E08000009', band: '13-19', min_age: 13, max_age: 19,
    threshold_km: 2, min_weekly_hours: 10, computed_at: '2026-01-01T00:00:00Z',
    reach: { attendees_12_months: 180, attendees_living_elsewhere: 12, regular_attendees: 60, regular_visits: 3, reach: 0.3, participation: 0.1, reys_benchmark: 0.25, meets_reys: true, basis: 'Distinct young people who attended.' },
    by_imd_decile: [
      {
        imd_decile: 1, ...figures({ areas: 2, areas_covered: 1, young_people: 400, young_covered: 300, covered_share: 0.75 }),
        reach: { attendees_12_months: 40, regular_attendees: 12, reach: 0.1, participation: 0.03, suppressed: false },
      },
      {
        imd_decile: 7, ...figures({ areas: 1, areas_covered: 0, young_people: null, young_covered: null, young_covered_min_hours: null, covered_share: 0, suppressed: true }),
        reach: { attendees_12_months: null, regular_attendees: null, reach: null, participation: null, suppressed: true },
      },
    ],
    by_provider_type: [
      { provider_type: 'council', ...figures(), reach: { attendees_12_months: 150, regular_attendees: 50, reach: 0.25, participation: 0.0833, suppressed: false } },
    ],
    supply: { centres_in_reach: 3, open_in_reach: 2, from_timetable: 1, from_hours_proxy: 1 },
    ...over,
  };
}

const square = (lon: number, lat: number): AreaFeature['geometry'] => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]],
});

function area(code: string, name: string, over: Partial<AreaFeature['properties']>, geometry: AreaFeature['geometry']): AreaFeature {
  return {
    type: 'Feature', id: code, geometry,
    properties: {
      code, name, young: 200, suppressed: false, imd_decile: 1, nearest_km: 0.8, nearest_centre_id: 'c1', nearest_centre_name: 'Stretford Youth Centre',
      covered: true, covered_min_hours: true, distance_band: '0-1', places_per_1000: 120, centroid: [-2.3, 53.45], centroid_kind: 'pwc2011', shape: 'boundary',
      ...over,
    },
  };
}

export const areas = (): AreaFeature[] => [
  area('E01000001', 'Trafford 001A', {}, square(-2.31, 53.44)),
  area('E01000002', 'Trafford 002B', { covered: false, covered_min_hours: false, nearest_km: 2.6, distance_band: '2-3', nearest_centre_name: 'Sale Hub', nearest_centre_id: 'c2', places_per_1000: 10 }, square(-2.33, 53.42)),
  area('E01000003', 'Trafford 003C', { young: null, suppressed: true, imd_decile: 7, covered: false, covered_min_hours: false, nearest_km: 4.2, distance_band: '3-5', nearest_centre_name: 'Sale Hub', nearest_centre_id: 'c2', places_per_1000: 0, shape: 'centroid' }, { type: 'Point', coordinates: [-2.4, 53.4] }),
];

function centre(id: string, name: string, over: Partial<CentreFeature['properties']>, lon: number, lat: number): CentreFeature {
  return {
    type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      id, name, council_id: 'k1', council_name: 'Trafford Council', own: true, status: 'open', provider_type: 'council',
      access_features: ['step_free'], weekly_hours: 13, weekly_places: 130, supply: 'hours_proxy', areas_nearest: 1, ...over,
    },
  };
}

export const centres = (): CentreFeature[] => [
  centre('c1', 'Stretford Youth Centre', { access_features: ['step_free', 'hearing_loop'], supply: 'timetable', weekly_places: 60 }, -2.305, 53.445),
  centre('c2', 'Sale Hub', { provider_type: 'charity', weekly_hours: 12, weekly_places: 120, areas_nearest: 2 }, -2.32, 53.425),
  centre('c3', 'Former Partington Youth Centre', { status: 'closed', areas_nearest: 0 }, -2.42, 53.41),
];

export const gaps = (): CoverageGaps => ({
  band: '13-19', threshold_km: 2, total: 2,
  items: [
    { rank: 1, code: 'E01000002', name: 'Trafford 002B', young: 200, suppressed: false, imd_decile: 1, deprivation_weight: 1, score: 200, nearest_km: 2.6, nearest_centre_id: 'c2', nearest_centre_name: 'Sale Hub' },
    { rank: 2, code: 'E01000003', name: 'Trafford 003C', young: null, suppressed: true, imd_decile: 7, deprivation_weight: 0.4, score: null, nearest_km: 4.2, nearest_centre_id: 'c2', nearest_centre_name: 'Sale Hub' },
  ],
});

export const whatIf = (): WhatIf => ({
  band: '13-19', threshold_km: 2,
  before: figures(),
  after: figures({ areas_covered: 0, young_covered: 100, covered_share: 0.1667, covered_min_hours_share: 0.1, places_per_1000: 40 }),
  difference: { covered_share: -0.3333, covered_min_hours_share: -0.3167, places_per_1000: -25.64, young_losing_cover: 200, young_gaining_cover: 0 },
  areas_losing_cover: ['E01000001'], areas_gaining_cover: [], added: [],
  sentence: 'Closing Stretford Youth Centre leaves 200 young people without a centre within 2 km',
});

export const siting = (): Siting => ({
  band: '13-19', threshold_km: 2, candidates: 'areas', candidate_count: 3, young_people: 600, young_covered: 300,
  covered_share: 0.5, covered_share_after: 0.8333,
  picks: [{ rank: 1, id: 'E01000002', name: 'Trafford 002B', lat: 53.425, lon: -2.325, gain: 200, areas: ['E01000002'], young_covered_after: 500, covered_share_after: 0.8333 }],
});

/** api is the answers of a council's coverage endpoints, for mockApi. */
export function coverageApi() {
  return {
    'GET /councils/:id/coverage': { body: summary() },
    'GET /councils/:id/coverage/areas': { body: { type: 'FeatureCollection', band: '13-19', threshold_km: 2, features: areas() } },
    'GET /councils/:id/coverage/centres': { body: { type: 'FeatureCollection', band: '13-19', threshold_km: 2, features: centres() } },
    'GET /councils/:id/coverage/gaps': { body: gaps() },
  };
}
