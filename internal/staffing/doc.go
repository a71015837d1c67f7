// Package staffing stores youth-worker rotas and keeps them inside the rules of
// package rota: staff records (credentials, contracted hours, centres,
// availability, leave), shifts, auto-fill, shift swaps and each worker's own
// rota.
//
// Every write runs in one transaction that first locks what the rules read,
// always in the same order so that concurrent writes cannot deadlock: the
// occurrence row(s) by id (FOR UPDATE, as a booking or a cancellation does),
// then the staff records of the workers concerned by id (FOR UPDATE), then
// any swap row. With the worker's record locked, the worker's
// shifts cannot change under the check, so [rota.CheckShift] sees exactly what
// the write will join: two requests putting one worker on overlapping sessions
// at once are serialised and the second is refused by the rules. The schema's
// EXCLUDE constraint refuses the overlap as well, whatever the Go code does.
//
// Rota and bookings are one system. After every shift write, in the same
// transaction, the occurrence's staffed_limit is set to the places the adult
// staff now rostered can supervise (adults × ratio, not capped by the
// occurrence's capacity, so that raising the capacity later offers the new
// places at once; a bookable session offers no more places than the lower
// of the two), with two exceptions:
//
//   - It is never set below the occurrence's confirmed bookings. Removing a
//     worker must not take a place from a young person who already holds one;
//     the occurrence's rota turns red instead and says how many adults are
//     missing, so the manager finds cover. The booking layer offers
//     min(capacity, staffed_limit) places, so a limit equal to the confirmed
//     count simply closes the session to new bookings.
//   - Before its first shift, staffed_limit is NULL: no rota yet means the
//     session's own capacity applies. Once rostered, removing every shift
//     does not bring that back (fewer adults must never mean more places):
//     the limit falls to the confirmed bookings, closing the session to new
//     ones until adults are rostered again. Drop-in sessions take no bookings, so
//     their staffed_limit stays NULL too; their rota status shows whether
//     their adults can supervise their capacity.
//
// When a write raises the places an occurrence offers, Service.Promote fills
// them from the waiting list in the same transaction, in order.
//
// Shifts on cancelled occurrences are kept (the schema still refuses a worker
// an overlapping shift while they exist) but do not count towards working
// time; the rota lists scheduled occurrences only.
package staffing
