package coverage

import (
	"math"

	"github.com/tidwall/rtree"
)

// EarthRadiusKm is the mean Earth radius (IUGG R1) used for great-circle
// distances.
const EarthRadiusKm = 6371.0088

const degToRad = math.Pi / 180

// pt is a point with its latitude and longitude in degrees (as stored in
// the trees) and in radians with the cosine of the latitude, computed once:
// every distance between the same two points is then the same float,
// whichever path computed it.
type pt struct{ latDeg, lonDeg, lat, lon, cos float64 }

func newPt(latDeg, lonDeg float64) pt {
	lat := latDeg * degToRad
	return pt{latDeg: latDeg, lonDeg: lonDeg, lat: lat, lon: lonDeg * degToRad, cos: math.Cos(lat)}
}

// hav is the haversine of the central angle between a and b,
// hav(θ) = sin²(Δφ/2) + cos φa cos φb sin²(Δλ/2).
func hav(a, b pt) float64 {
	s := math.Sin((b.lat - a.lat) / 2)
	t := math.Sin((b.lon - a.lon) / 2)
	return s*s + a.cos*b.cos*t*t
}

func havKm(h float64) float64 {
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(max(h, 0), 1)))
}

func distKm(a, b pt) float64 { return havKm(hav(a, b)) }

// DistanceKm returns the great-circle (haversine) distance in km between two
// points given in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	return distKm(newPt(lat1, lon1), newPt(lat2, lon2))
}

// capBox returns a longitude/latitude box (degrees, [lon, lat] as stored in
// the trees) holding every point within km of (lat, lon). The latitude
// half-width is the angular radius d = km/R; the longitude half-width is the
// cap's true extent asin(sin d / cos φ), wider than d away from the equator
// (a degree of longitude is cos φ times shorter than a degree of latitude).
// A cap over a pole or the antimeridian gets every longitude. The box is
// padded by 1e-9° (0.1 mm) so that rounding never drops a point that the
// exact distance test keeps.
func capBox(latDeg, lonDeg, km float64) (lo, hi [2]float64) {
	const pad = 1e-9
	d := km / EarthRadiusKm
	dLat := d / degToRad
	lo[1], hi[1] = latDeg-dLat-pad, latDeg+dLat+pad
	lo[0], hi[0] = -180, 180
	if d < math.Pi/2 && math.Abs(latDeg)+dLat < 90 {
		dLon := math.Asin(math.Sin(d)/math.Cos(latDeg*degToRad)) / degToRad
		if lonDeg-dLon > -180 && lonDeg+dLon < 180 {
			lo[0], hi[0] = lonDeg-dLon-pad, lonDeg+dLon+pad
		}
	}
	return lo, hi
}

// pointIndex is an R-tree of points stored as [lon, lat] in degrees, each
// with its position in a slice of pt.
type pointIndex struct {
	tree rtree.RTreeG[int32]
	pts  []pt
}

func (x *pointIndex) insert(i int32, p pt) {
	k := [2]float64{p.lonDeg, p.latDeg}
	x.tree.Insert(k, k, i)
}

// within calls fn for every point within km of p, with its exact distance,
// in the tree's (deterministic) order.
func (x *pointIndex) within(p pt, km float64, fn func(i int32, d float64)) {
	lo, hi := capBox(p.latDeg, p.lonDeg, km)
	x.tree.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
		if d := distKm(p, x.pts[i]); d <= km {
			fn(i, d)
		}
		return true
	})
}

// nearest returns the point nearest to p by great-circle distance (ties: the
// lowest position) and its distance in km, or -1, -1 when the index is empty.
//
// It searches the box of the circle of radius r around p, starting from
// startKm and doubling, but never beyond maxKm, a distance within which a
// point is known to lie (+Inf when none is known). A search that finds
// points returns the nearest of them once its distance d <= r: every point
// outside the box is farther than r, so none can be nearer. When the nearest
// point found lies beyond r, one more search with r = d settles it.
func (x *pointIndex) nearest(p pt, startKm, maxKm float64) (int32, float64) {
	if x.tree.Len() == 0 {
		return -1, -1
	}
	const halfEarth = math.Pi * EarthRadiusKm // no two points are farther apart
	r := min(startKm, maxKm, halfEarth)
	for {
		best, bestKm := int32(-1), math.Inf(1)
		lo, hi := capBox(p.latDeg, p.lonDeg, r)
		x.tree.Search(lo, hi, func(_, _ [2]float64, i int32) bool {
			if d := distKm(p, x.pts[i]); d < bestKm || (d == bestKm && i < best) {
				best, bestKm = i, d
			}
			return true
		})
		switch {
		case best >= 0 && bestKm <= r:
			return best, bestKm
		case best >= 0:
			r = bestKm
		default:
			r = min(max(2*r, 1), maxKm, halfEarth)
		}
	}
}
