// Package rota holds youthhub's rota rules as pure functions: the staffing
// minimums of a session, the checks on every worker's credentials and working
// time, and an auto-fill that proposes a week's rota which keeps them.
//
// Nothing here touches a database, the network or the clock: the caller loads
// a [Rota] (workers, the occurrences in scope and the shifts already held,
// including enough history for the 17-week working-time average) and gets back
// plain values. Three entry points:
//
//   - [CheckShift] before a single write: the hard rules a proposed shift would
//     break. Any result means "refuse the write".
//   - [Evaluate] to show a rota: every occurrence's status (green, amber, red)
//     with each reason in words a centre manager understands.
//   - [AutoFill] to propose the shifts that cover a week's occurrences, with
//     every need it could not meet and why.
//
// All times are Europe/London wall-clock times carried in [time.Time]; the
// package converts every instant to [London] before reading a date or a time
// of day, and measures durations (rest, hours worked) in real elapsed time, so
// the night the clocks go forward is an hour shorter than it looks.
//
// Working-time simplifications, stated once here:
//   - A shift belongs to the working day on which it starts. Rest is checked
//     between two shifts that start on different days; two shifts on the same
//     day need no rest between them (but may not overlap).
//   - Hours are split across local days (and Monday–Sunday weeks) at midnight
//     for the under-18 daily and weekly limits and for the weekly totals.
//   - The 48-hour average is the hours of the shifts given to the engine in the
//     17 Monday–Sunday weeks ending with the week in question, divided by 17.
//     Weeks with no shifts given count as zero hours; leave, sickness and
//     the regulations' "additional days" are not adjusted for. A proposed shift
//     is checked against every window that contains it and ends in a week in
//     which the worker works and is 18 or over by that week's Sunday.
//   - A worker's age is taken on the day a shift starts: shifts before the
//     18th birthday are under-18 shifts, shifts from it are adult shifts. The
//     under-18 daily and weekly limits count only hours worked in under-18
//     shifts. The rest after an under-18 shift must be 12 hours even if the
//     next shift falls on or after the birthday.
package rota
