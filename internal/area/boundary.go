package area

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// BoundaryFiles is where the LSOA 2021 boundary files sit in the data folder:
// ONS LSOA (December 2021) Boundaries EW BGC, one GeoJSON FeatureCollection
// per council (Trafford and Manchester in shared/data).
const BoundaryFiles = "boundaries/lsoa21_bgc_*.geojson"

// Boundaries reads every boundary file of the data folder (BoundaryFiles)
// and returns the geometry of each area whose code keep accepts (nil keeps
// every area), as GeoJSON (RFC 7946) to store as it is. Missing files are not
// an error: the map then shows those areas as their centroid.
//
// Every feature is checked: an LSOA 2021 code in properties.LSOA21CD, a
// Polygon or MultiPolygon whose rings are closed, with at least four
// positions, inside England and Wales. A bad feature returns an error naming
// the file, the feature (1-based) and the code, e.g.
//
//	lsoa21_bgc_trafford_E08000009.geojson feature 12 (E01006074): ring 1 is not closed
func (l *Loader) Boundaries(keep func(code string) bool) (map[string]json.RawMessage, error) {
	paths, err := filepath.Glob(filepath.Join(l.Dir, BoundaryFiles))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	out := make(map[string]json.RawMessage)
	for _, p := range paths {
		n, err := readBoundaries(p, keep, out)
		if err != nil {
			return nil, err
		}
		if l.Progress != nil {
			rel, _ := filepath.Rel(l.Dir, p)
			l.Progress(FileProgress{File: rel, Rows: n, Done: true})
		}
	}
	return out, nil
}

type feature struct {
	Type       string `json:"type"`
	Properties struct {
		Code string `json:"LSOA21CD"`
	} `json:"properties"`
	Geometry json.RawMessage `json:"geometry"`
}

// readBoundaries adds the kept features of one file to out and returns how
// many features the file holds.
func readBoundaries(path string, keep func(string) bool, out map[string]json.RawMessage) (int, error) {
	name := filepath.Base(path)
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var fc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return 0, fmt.Errorf("%s: not GeoJSON: %w", name, err)
	}
	if fc.Type != "FeatureCollection" {
		return 0, fmt.Errorf("%s: type %q, want FeatureCollection", name, fc.Type)
	}
	for i, f := range fc.Features {
		code := f.Properties.Code
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s feature %d (%s): %s", name, i+1, code, fmt.Sprintf(format, args...))
		}
		if f.Type != "Feature" {
			return 0, bad("type %q, want Feature", f.Type)
		}
		if !validCode(code, lsoaPrefixes) {
			return 0, fmt.Errorf("%s feature %d: LSOA21CD: not a code E01/W01…: %q", name, i+1, code)
		}
		if _, dup := out[code]; dup {
			return 0, bad("appears twice")
		}
		if err := checkGeometry(f.Geometry); err != nil {
			return 0, bad("%v", err)
		}
		if keep == nil || keep(code) {
			out[code] = slices.Clip(f.Geometry)
		}
	}
	return len(fc.Features), nil
}

// checkGeometry checks a Polygon or MultiPolygon: closed rings of four or
// more positions, each [lon, lat] inside England and Wales.
func checkGeometry(raw json.RawMessage) error {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil || len(raw) == 0 || string(raw) == "null" {
		return fmt.Errorf("no geometry")
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return fmt.Errorf("coordinates are not a Polygon's rings of positions")
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return fmt.Errorf("coordinates are not a MultiPolygon's polygons of rings")
		}
	default:
		return fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", g.Type)
	}
	ring := 0
	for _, p := range polys {
		if len(p) == 0 {
			return fmt.Errorf("a polygon has no rings")
		}
		for _, r := range p {
			ring++
			if len(r) < 4 {
				return fmt.Errorf("ring %d has %d positions, want 4 or more", ring, len(r))
			}
			for _, pos := range r {
				if len(pos) < 2 || pos[0] < minLon || pos[0] > maxLon || pos[1] < minLat || pos[1] > maxLat {
					return fmt.Errorf("ring %d: position %v is not a [lon, lat] in England and Wales", ring, pos)
				}
			}
			if !slices.Equal(r[0][:2], r[len(r)-1][:2]) {
				return fmt.Errorf("ring %d is not closed", ring)
			}
		}
	}
	return nil
}
