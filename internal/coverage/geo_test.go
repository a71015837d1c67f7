package coverage

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestDistanceKm(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		// One degree of a great circle: R × π/180.
		{"1° along the equator", 0, 0, 0, 1, 111.1950802335329},
		{"1° along a meridian", 53, -2, 54, -2, 111.1950802335329},
		// 2R asin(cos 60° sin 0.5°): a little under half a degree of the
		// equator, as the great circle bows towards the pole.
		{"1° along 60°N", 60, 0, 60, 1, 55.597010864896916},
		{"same point", 53.4, -2.3, 53.4, -2.3, 0},
		{"London to Manchester", 51.5074, -0.1278, 53.4808, -2.2426, 261.9831702090368},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadiusKm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DistanceKm(tc.lat1, tc.lon1, tc.lat2, tc.lon2)
			if math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("got %.12f km, want %.12f", got, tc.want)
			}
			if back := DistanceKm(tc.lat2, tc.lon2, tc.lat1, tc.lon1); back != got {
				t.Errorf("not symmetric: %v and %v", got, back)
			}
		})
	}
}

// destination is the point at angular distance delta (radians) on bearing
// theta (radians) from (lat, lon) in degrees.
func destination(lat, lon, theta, delta float64) (float64, float64) {
	p1, l1 := lat*degToRad, lon*degToRad
	p2 := math.Asin(math.Sin(p1)*math.Cos(delta) + math.Cos(p1)*math.Sin(delta)*math.Cos(theta))
	l2 := l1 + math.Atan2(math.Sin(theta)*math.Sin(delta)*math.Cos(p1), math.Cos(delta)-math.Sin(p1)*math.Sin(p2))
	return p2 / degToRad, l2 / degToRad
}

// The box must hold the whole circle — at 60°N its longitude half-width is
// about twice its latitude half-width — and not be much wider than it.
func TestCapBox(t *testing.T) {
	for _, lat := range []float64{0, 30, 49.9, 53.4, 55.8, 60, 75, -45} {
		for _, km := range []float64{0.05, 2, 25, 400} {
			t.Run(strconv.FormatFloat(lat, 'f', -1, 64)+"/"+strconv.FormatFloat(km, 'f', -1, 64), func(t *testing.T) {
				const lon = -2.3
				lo, hi := capBox(lat, lon, km)
				maxDLon := 0.0
				for deg := 0.0; deg < 360; deg += 0.25 {
					la, lo2 := destination(lat, lon, deg*degToRad, km/EarthRadiusKm)
					if la < lo[1] || la > hi[1] || lo2 < lo[0] || lo2 > hi[0] {
						t.Fatalf("point at %v km, bearing %v° (%v, %v) is outside the box %v–%v", km, deg, la, lo2, lo, hi)
					}
					maxDLon = max(maxDLon, math.Abs(lo2-lon))
				}
				half := (hi[0] - lo[0]) / 2
				if maxDLon < half*0.9999 {
					t.Errorf("box half-width %v° but the circle reaches only %v°", half, maxDLon)
				}
				latHalf := (hi[1] - lo[1]) / 2
				if ratio := half / latHalf; math.Abs(ratio*math.Cos(lat*degToRad)-1) > 0.01 {
					t.Errorf("longitude/latitude half-widths %v, want about 1/cos φ = %v", ratio, 1/math.Cos(lat*degToRad))
				}
			})
		}
	}
}

type region struct {
	name                   string
	lat0, lat1, lon0, lon1 float64
}

var regions = []region{
	{"England and Wales", 49.9, 55.8, -6.3, 1.8},
	{"Greater Manchester", 53.3, 53.7, -2.7, -2.0},
	{"Arctic Norway", 66, 71, 5, 30},
	{"equator", -2, 2, -2, 2},
}

func randomPoints(rng *rand.Rand, r region, n int) [][2]float64 {
	out := make([][2]float64, n)
	for i := range out {
		out[i] = [2]float64{r.lat0 + rng.Float64()*(r.lat1-r.lat0), r.lon0 + rng.Float64()*(r.lon1-r.lon0)}
	}
	return out
}

// nearest and within agree with a scan of every point, at every latitude.
func TestIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for _, reg := range regions {
		for _, n := range []int{1, 7, 300, 3000} {
			t.Run(reg.name+"/"+strconv.Itoa(n), func(t *testing.T) {
				var x pointIndex
				pts := randomPoints(rng, reg, n)
				for i, p := range pts {
					x.pts = append(x.pts, newPt(p[0], p[1]))
					x.insert(int32(i), x.pts[i])
				}
				for _, q := range randomPoints(rng, reg, 200) {
					qp := newPt(q[0], q[1])
					best, bestKm := int32(-1), math.Inf(1)
					for i := range pts {
						if d := distKm(qp, x.pts[i]); d < bestKm {
							best, bestKm = int32(i), d
						}
					}
					// From a tiny, a fair and a huge first radius, with and
					// without a known bound.
					for _, start := range []float64{0, 0.01, 2, 5000} {
						for _, known := range []float64{math.Inf(1), bestKm * 1.5, bestKm} {
							got, gotKm := x.nearest(qp, start, known)
							if got != best || gotKm != bestKm {
								t.Fatalf("nearest to %v from %v km, known %v: got %d at %v km, want %d at %v km",
									q, start, known, got, gotKm, best, bestKm)
							}
						}
					}
					radius := bestKm * (0.5 + rng.Float64()*2)
					var want, have []int32
					for i := range pts {
						if distKm(qp, x.pts[i]) <= radius {
							want = append(want, int32(i))
						}
					}
					x.within(qp, radius, func(i int32, d float64) {
						if d != distKm(qp, x.pts[i]) {
							t.Errorf("within reports %v km for %d, distance is %v", d, i, distKm(qp, x.pts[i]))
						}
						have = append(have, i)
					})
					slices.Sort(have)
					if !slices.Equal(have, want) {
						t.Fatalf("within %v km of %v: got %v, want %v", radius, q, have, want)
					}
				}
			})
		}
	}
}

// Two points at the same distance: the lower position wins.
func TestNearestTie(t *testing.T) {
	var x pointIndex
	for i, p := range [][2]float64{{53.5, -2.3}, {53.3, -2.3}, {53.3, -2.3}, {53.3, -2.3}} {
		x.pts = append(x.pts, newPt(p[0], p[1]))
		x.insert(int32(i), x.pts[i])
	}
	for _, start := range []float64{0, 1, 100} {
		if got, _ := x.nearest(newPt(53.31, -2.3), start, math.Inf(1)); got != 1 {
			t.Errorf("from %v km: got %d, want 1", start, got)
		}
	}
	var empty pointIndex
	if got, km := empty.nearest(newPt(53.3, -2.3), 1, math.Inf(1)); got != -1 || km != -1 {
		t.Errorf("empty index: got %d, %v", got, km)
	}
}
