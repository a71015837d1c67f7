// Package schedule turns weekly session rules into dated occurrences in
// Europe/London wall-clock time, and holds the civil-date rules (such as age on a
// day) that sessions need. It is pure Go: no database and no clock.
//
// # Clock changes
//
// A series keeps its local start time across the clock changes: an 18:00 session is
// 18:00 BST (17:00 UTC) in summer and 18:00 GMT (18:00 UTC) in winter. Recurrence is
// expanded by rrule-go in floating wall-clock time (DTSTART carries the wall-clock
// date and time in UTC, used as a zone-free calendar), and each wall-clock time is
// then placed in Europe/London with the rules of RFC 5545 §3.3.5:
//   - a time that does not exist because the clocks go forward (01:00–01:59 on the
//     last Sunday of March) is read with the offset in force before the change, so it
//     moves forward by an hour: 01:30 becomes 02:30 BST;
//   - a time that happens twice because the clocks go back (01:00–01:59 on the last
//     Sunday of October) means the first of the two: 01:30 BST, not 01:30 GMT.
//
// Expanding in floating time rather than in Europe/London is deliberate: rrule-go
// builds each occurrence with time.Date in DTSTART's location, which leaves the gap
// and overlap cases to time.Date's unspecified choice, and a DTSTART given as a UTC
// instant would hold the UTC time fixed and drift the local time by an hour across
// each change.
//
// The program must have the time zone database: the package panics at start-up if
// Europe/London cannot be loaded, so import time/tzdata in main when the host may
// lack /usr/share/zoneinfo.
package schedule
