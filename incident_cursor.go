package distans

import "time"

// IncidentCursor is the keyset cursor after inc in a list of incidents
// (IncidentFilter.After): its nearest open deadline, if any, in UTC to the
// microsecond as the stores keep instants, and its ID. Pages and the API
// hand it on for the next page; the store parses it.
func IncidentCursor(inc *Incident) string {
	if next := inc.NextDeadline(); next != nil {
		return next.DueAt.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z") + "|" + inc.ID
	}
	return "|" + inc.ID
}
