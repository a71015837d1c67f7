-- Small areas (ONS LSOAs, 2021) for coverage: where each is, its council, its
-- deprivation and its young people by single year of age; and a record of
-- every import, whose latest id tells servers that their cached areas are stale.

-- +goose Up
CREATE TABLE areas (
    code           text PRIMARY KEY CHECK (code ~ '^[EW]01[0-9]{6}$'),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The council: councils.lad_code links a council to its areas.
    lad_code       text NOT NULL CHECK (lad_code ~ '^(E0[6-9]|W06)[0-9]{6}$'),
    lad_name       text NOT NULL CHECK (length(lad_name) BETWEEN 1 AND 200),
    -- Population-weighted centroid (2011, unchanged codes) or the 2021
    -- geometric centroid (new, split and merged codes): centroid_kind says which.
    lat            double precision NOT NULL CHECK (lat BETWEEN 49 AND 61),
    lon            double precision NOT NULL CHECK (lon BETWEEN -9 AND 2),
    centroid_kind  text NOT NULL CHECK (centroid_kind IN ('pwc2011', 'geometric2021')),
    -- 1 = most deprived 10 %; NULL when unknown. England IMD 2025, Wales WIMD 2019.
    imd_decile     smallint CHECK (imd_decile BETWEEN 1 AND 10),
    -- young_by_age[a + 1] = persons aged a, for a in 0..25.
    young_by_age   int[] NOT NULL CHECK (
        array_ndims(young_by_age) = 1 AND cardinality(young_by_age) = 26
        AND array_position(young_by_age, NULL) IS NULL AND 0 <= ALL (young_by_age)),
    -- GeoJSON geometry (RFC 7946, WGS84) of the generalised boundary, where imported.
    boundary       jsonb CHECK (boundary IS NULL OR boundary->>'type' IN ('Polygon', 'MultiPolygon')),
    imported_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX areas_lad_idx ON areas (lad_code);
CREATE INDEX areas_lat_lon_idx ON areas (lat, lon);

CREATE TABLE area_imports (
    id           bigserial PRIMARY KEY,
    scope        text NOT NULL CHECK (length(scope) BETWEEN 1 AND 50),
    areas        int NOT NULL CHECK (areas >= 0),
    inserted     int NOT NULL CHECK (inserted >= 0),
    updated      int NOT NULL CHECK (updated >= 0),
    unchanged    int NOT NULL CHECK (unchanged >= 0),
    boundaries   int NOT NULL CHECK (boundaries >= 0),
    imported_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (inserted + updated + unchanged = areas)
);

-- +goose Down
DROP TABLE area_imports;
DROP TABLE areas;
