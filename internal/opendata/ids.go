package opendata

import (
	"crypto/sha256"

	"github.com/google/uuid"
)

// Open Referral gives every record its own UUID, where youthhub has one row
// (a centre) for a service, its location and the link between the two. The
// service takes the centre's id; the others are derived from it so that they
// never change and can be turned back into the centre's id to answer
// GET /service_at_locations/{id} with one primary-key read.
//
// A derived id is the centre's id XOR a mask fixed per kind (from SHA-256 of
// the kind's name), with the mask's version and variant bits cleared so the
// result is a valid UUID of the same version. XOR with a fixed mask is its own
// inverse and maps distinct ids to distinct ids; ids of two kinds could only
// meet if two centres' random ids differed by exactly the two masks.
const (
	kindLocation          = "location"
	kindServiceAtLocation = "service_at_location"
)

func kindMask(kind string) uuid.UUID {
	sum := sha256.Sum256([]byte("youthhub/openreferral/" + kind))
	var m uuid.UUID
	copy(m[:], sum[:16])
	m[6] &= 0x0f // version nibble
	m[8] &= 0x3f // variant bits
	return m
}

var masks = map[string]uuid.UUID{
	kindLocation:          kindMask(kindLocation),
	kindServiceAtLocation: kindMask(kindServiceAtLocation),
}

// derivedID is the id of a centre's record of the given kind.
func derivedID(centreID, kind string) string {
	id, err := uuid.Parse(centreID)
	if err != nil {
		return ""
	}
	m := masks[kind]
	for i := range id {
		id[i] ^= m[i]
	}
	return id.String()
}

// centreOf turns a derived id of the given kind back into its centre's id;
// ok is false for a string that is not a UUID.
func centreOf(derived, kind string) (string, bool) {
	if _, err := uuid.Parse(derived); err != nil {
		return "", false
	}
	return derivedID(derived, kind), true
}

// recordNS is the namespace of the name-based (version 5) ids of records that
// are only ever read inside their service: addresses, accessibility entries,
// schedules, cost options, attributes and taxonomy terms.
var recordNS = uuid.MustParse("8c0e6a57-2f0e-4d6b-9a53-3f1d2b7c9e41")

// recordID is the stable id of a record named by its parts.
func recordID(parts ...string) string {
	name := ""
	for i, p := range parts {
		if i > 0 {
			name += "/"
		}
		name += p
	}
	return uuid.NewSHA1(recordNS, []byte(name)).String()
}
