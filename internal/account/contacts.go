package account

import (
	"context"

	"github.com/jmoiron/sqlx"

	"youthhub/internal/platform/postgres"
)

// MaxEmergencyContacts is how many emergency contacts a young person keeps.
const MaxEmergencyContacts = 3

// EmergencyContact is someone staff call if something happens to a young
// person at a session (the roll call shows them).
type EmergencyContact struct {
	Name         string `db:"name" json:"name"`
	Phone        string `db:"phone" json:"phone"`
	Relationship string `db:"relationship" json:"relationship"`
}

// FindEmergencyContacts lists a young person's own emergency contacts,
// oldest first.
func (s *Service) FindEmergencyContacts(ctx context.Context, youngPersonID string) ([]EmergencyContact, error) {
	out := []EmergencyContact{}
	err := s.DB.SelectContext(ctx, &out, `SELECT name, phone, relationship FROM emergency_contacts
		WHERE young_person_id = $1 ORDER BY created_at, id`, youngPersonID)
	return out, err
}

// ReplaceEmergencyContacts sets a young person's emergency contacts to
// these (checked by the caller), in one transaction: the ones staff took at
// the door are theirs to correct too.
func (s *Service) ReplaceEmergencyContacts(ctx context.Context, youngPersonID string, contacts []EmergencyContact) ([]EmergencyContact, error) {
	err := postgres.WithTx(ctx, s.DB, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM emergency_contacts WHERE young_person_id = $1`, youngPersonID); err != nil {
			return err
		}
		for _, c := range contacts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO emergency_contacts (young_person_id, name, phone, relationship, created_by)
				VALUES ($1, $2, $3, $4, $1)`, youngPersonID, c.Name, c.Phone, c.Relationship); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return s.FindEmergencyContacts(ctx, youngPersonID)
}
