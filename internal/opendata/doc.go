// Package opendata publishes the council's youth offer as open data, for
// anyone to reuse with no sign-in and no personal data:
//
//   - OpenActive: session series and their occurrences as two Realtime Paged
//     Data Exchange (RPDE 1.0) feeds of JSON-LD items that follow the
//     Modelling Opportunity Data 2.0 specification ("SessionSeries" and
//     "ScheduledSession"). Items are ordered by (modified, id); see
//     migrations/00007_open_data.sql for why modified is a transaction id and
//     how the feeds never let an item appear behind a consumer's position.
//   - Open Referral UK (the UK profile of HSDS 3.0): one service per centre,
//     "the youth service at that centre", with its organisation (the council),
//     its location (address, coordinates, accessibility), its opening hours as
//     schedules and its activities as attributes.
//
// The package is a read model: it reads the centres, session_series,
// occurrences and councils tables with its own SQL and writes nothing. What
// it publishes is limited to what the public listings already show: no
// bookings, no names of young people or staff, no counts of who is on a
// waiting list. Occurrence counts are published only as places left.
package opendata
