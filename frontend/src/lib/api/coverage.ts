// Coverage of a council: its figures, map layers, gaps, what-ifs and siting
// (/api/v1/councils/{id}/coverage…, see api-spec/openapi.yaml). Only the coverage page uses it,
// so it lives in its own module and its own chunk.
import { request, type Query } from './client';
import type { AccessFeature, List, ProviderType } from './types';

/** Council is one council, as the platform admin lists them. */
export interface Council {
  id: string;
  name: string;
  lad_code: string | null;
  coverage_threshold_km: number;
  min_weekly_hours: number;
  created_at: string;
  /** officers (in the admin's list only) is how many active council officers it has. */
  officers?: number;
  /** pending_officer_invitations (in the admin's list only) counts officer invitations not yet accepted. */
  pending_officer_invitations?: number;
}

export const coverageBands = ['13-19', '11-19', '8-25'] as const;
/** CoverageBand is the age band the figures count young people in. */
export type CoverageBand = (typeof coverageBands)[number];
/** reysBand is the only band the REYS benchmark (contact with 25% of 13–19-year-olds) is set for. */
export const reysBand: CoverageBand = '13-19';

/** CoverageFigures are the figures of a council or of one group of its areas. */
export interface CoverageFigures {
  areas: number;
  areas_covered: number;
  /** null when fewer than 10 young people (withheld, with suppressed true). */
  young_people: number | null;
  young_covered: number | null;
  young_covered_min_hours: number | null;
  covered_share: number;
  covered_min_hours_share: number;
  /** 2SFCA: weekly places per 1,000 young people. */
  places_per_1000: number;
  suppressed: boolean;
}

/** CoverageReach is attendance against the REYS benchmark. */
export interface CoverageReach {
  attendees_12_months: number;
  /** attendees who live outside the council's areas or gave no postcode (in no decile's reach). */
  attendees_living_elsewhere: number;
  regular_attendees: number;
  regular_visits: number;
  reach: number;
  participation: number;
  reys_benchmark: number;
  /** null for bands other than 13–19, which the REYS benchmark is not set for. */
  meets_reys: boolean | null;
  basis: string;
}

/**
 * CoverageGroupReach is one breakdown group's reach: by IMD decile, attendees living in its areas over
 * their young people; by provider type, attendees at its centres over all the council's young people.
 * All null (suppressed) when the group has fewer than 10 young people or 1 to 9 attendees.
 */
export interface CoverageGroupReach {
  attendees_12_months: number | null;
  regular_attendees: number | null;
  reach: number | null;
  participation: number | null;
  suppressed: boolean;
}

/** CoverageSummary is GET /councils/{id}/coverage. */
export interface CoverageSummary extends CoverageFigures {
  council_id: string;
  council_name: string;
  lad_code: string;
  band: CoverageBand;
  min_age: number;
  max_age: number;
  threshold_km: number;
  min_weekly_hours: number;
  computed_at: string;
  reach: CoverageReach;
  by_imd_decile: (CoverageFigures & { imd_decile: number | null; reach: CoverageGroupReach })[];
  by_provider_type: (CoverageFigures & { provider_type: ProviderType; reach: CoverageGroupReach })[];
  supply: { centres_in_reach: number; open_in_reach: number; from_timetable: number; from_hours_proxy: number };
}

/** Geometry is a GeoJSON geometry as the coverage layers use them ([lon, lat] order). */
export type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };

/** Feature is one GeoJSON feature with typed properties. */
export interface Feature<P> {
  type: 'Feature';
  id: string;
  geometry: Geometry;
  properties: P;
}

/** FeatureCollection is a coverage map layer. */
export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  band: string;
  threshold_km: number;
  features: Feature<P>[];
}

export type DistanceBand = '0-1' | '1-2' | '2-3' | '3-5' | '5+' | 'none';

/** AreaProps describe one small area (LSOA) of the council. */
export interface AreaProps {
  code: string;
  name: string;
  young: number | null;
  suppressed: boolean;
  imd_decile: number | null;
  /** null when no centre is open at all. */
  nearest_km: number | null;
  nearest_centre_id: string | null;
  nearest_centre_name: string | null;
  covered: boolean;
  covered_min_hours: boolean;
  distance_band: DistanceBand;
  places_per_1000: number;
  /** [lon, lat] */
  centroid: [number, number];
  centroid_kind: 'pwc2011' | 'geometric2021';
  shape: 'boundary' | 'centroid';
}

/** CentreProps describe a centre of the council, or of a neighbour within reach. */
export interface CentreProps {
  id: string;
  name: string;
  council_id: string;
  council_name: string;
  own: boolean;
  status: 'open' | 'planned' | 'closed';
  provider_type: ProviderType;
  access_features: AccessFeature[];
  weekly_hours: number;
  weekly_places: number;
  supply: 'timetable' | 'hours_proxy';
  areas_nearest: number;
}

export type AreaFeature = Feature<AreaProps>;
export type CentreFeature = Feature<CentreProps>;

/** CoverageGap is one uncovered area, ranked. */
export interface CoverageGap {
  rank: number;
  code: string;
  name: string;
  young: number | null;
  suppressed: boolean;
  imd_decile: number | null;
  deprivation_weight: number;
  score: number | null;
  nearest_km: number | null;
  nearest_centre_id: string | null;
  nearest_centre_name: string | null;
}

/** CoverageGaps is GET …/coverage/gaps. */
export interface CoverageGaps extends List<CoverageGap> {
  band: string;
  threshold_km: number;
}

/** NewCentre is a centre a what-if adds. */
export interface NewCentre {
  name?: string;
  lat: number;
  lon: number;
  provider_type: ProviderType;
  weekly_hours: number;
  weekly_places?: number;
}

/** WhatIfInput closes, reopens or adds centres. */
export interface WhatIfInput {
  close?: string[];
  reopen?: string[];
  add?: NewCentre[];
}

/** WhatIf is the council's figures before and after the changes. */
export interface WhatIf {
  band: string;
  threshold_km: number;
  before: CoverageFigures;
  after: CoverageFigures;
  difference: {
    covered_share: number;
    covered_min_hours_share: number;
    places_per_1000: number;
    young_losing_cover: number;
    young_gaining_cover: number;
  };
  areas_losing_cover: string[];
  areas_gaining_cover: string[];
  added: (Required<Omit<NewCentre, 'weekly_places'>> & { id: string; weekly_places: number })[];
  /** sentence is the API's own summary, as in "Closing X leaves N young people without a centre within 2 km". */
  sentence: string;
}

/** SitingCandidates are where new centres may go. */
export type SitingCandidates = 'areas' | 'centres' | { name?: string; lat: number; lon: number }[];

/** SitingPick is one suggested site with its gain. */
export interface SitingPick {
  rank: number;
  id: string;
  name: string;
  lat: number;
  lon: number;
  /** gain is the number of the council's young people newly covered. */
  gain: number;
  areas: string[];
  young_covered_after: number;
  covered_share_after: number;
}

/** Siting is POST …/coverage/siting. */
export interface Siting {
  band: string;
  threshold_km: number;
  candidates: 'centres' | 'areas' | 'points';
  candidate_count: number;
  young_people: number;
  young_covered: number;
  covered_share: number;
  covered_share_after: number;
  picks: SitingPick[];
}

/** CoverageQuery is what every coverage call may narrow by. */
export interface CoverageQuery {
  band?: CoverageBand;
  threshold_km?: number;
}

/** Download names a file the coverage page offers. */
export type Download = 'summary' | 'areas' | 'centres' | 'gaps';

const base = (council: string) => `/councils/${encodeURIComponent(council)}/coverage`;
const geo = { Accept: 'application/geo+json, application/json, application/problem+json' };

/** downloadPath is the API path of a download, for the link's href. */
export function downloadPath(council: string, what: Download, format: 'csv' | 'geojson', q: CoverageQuery = {}): string {
  const params = new URLSearchParams();
  if (q.band) params.set('band', q.band);
  if (q.threshold_km) params.set('threshold_km', String(q.threshold_km));
  params.set('format', format);
  return `/api/v1${base(council)}${what === 'summary' ? '' : `/${what}`}?${params}`;
}

/** coverage groups the coverage endpoints. */
export const coverage = {
  /** councils lists every council (platform admin only). */
  councils: () => request<List<Council>>('GET', '/councils'),
  summary: (council: string, q: CoverageQuery = {}) => request<CoverageSummary>('GET', base(council), { query: { ...q } }),
  areas: (council: string, q: CoverageQuery = {}) =>
    request<FeatureCollection<AreaProps>>('GET', `${base(council)}/areas`, { query: { ...q }, headers: geo }),
  centres: (council: string, q: CoverageQuery = {}) =>
    request<FeatureCollection<CentreProps>>('GET', `${base(council)}/centres`, { query: { ...q }, headers: geo }),
  gaps: (council: string, q: CoverageQuery & { limit?: number; offset?: number } = {}) =>
    request<CoverageGaps>('GET', `${base(council)}/gaps`, { query: { ...q } }),
  whatIf: (council: string, body: WhatIfInput, q: CoverageQuery = {}) =>
    request<WhatIf>('POST', `${base(council)}/what-if`, { body, query: { ...q } }),
  siting: (council: string, k: number, candidates: SitingCandidates = 'areas', q: CoverageQuery = {}) =>
    request<Siting>('POST', `${base(council)}/siting`, { body: { k, candidates }, query: { ...q } }),
  /** download fetches a CSV or GeoJSON file (it needs the access token, which a plain link cannot send). */
  download: (council: string, what: Download, format: 'csv' | 'geojson', q: CoverageQuery = {}) =>
    request<Blob>('GET', `${base(council)}${what === 'summary' ? '' : `/${what}`}`, {
      query: { ...q, format } satisfies Query,
      as: 'blob',
      headers: { Accept: format === 'csv' ? 'text/csv, application/problem+json' : 'application/geo+json, application/problem+json' },
    }),
};
