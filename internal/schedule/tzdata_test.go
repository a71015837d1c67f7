package schedule

// The tests carry their own copy of the time zone database so that they give the same
// answers on any machine, whatever its /usr/share/zoneinfo holds.
import _ "time/tzdata"
