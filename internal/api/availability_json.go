package api

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/distans/distans"
)

// A site's availability is the API's most read answer, and encoding/json
// took longer to encode it than the database took to answer: it walks 50
// desks by reflection and marshals, then re-scans, each of their hundred
// timestamps on its own. So availabilityJSON appends its JSON by hand,
// byte for byte what encoding/json writes for the same value;
// TestAvailabilityJSON holds the two together with every field set, so a
// field added to one of these types fails it until it is added here.

// appendJSON appends v's JSON, without the newline json.Encoder adds.
func (v availabilityJSON) appendJSON(b []byte) []byte {
	av := v.SiteAvailability
	b = append(b, `{"site":`...)
	b = appendSite(b, av.Site)
	b = append(b, `,"rules":`...)
	b = appendRules(b, av.Rules)
	b = append(b, `,"zones":`...)
	b = appendArray(b, av.Zones, appendZoneAvailability)
	b = appendIntField(b, "desks", av.Desks)
	b = appendIntField(b, "free_desks", av.FreeDesks)
	b = appendIntField(b, "free_am", av.FreeAM)
	b = appendIntField(b, "free_pm", av.FreePM)
	b = appendIntField(b, "booked_percent", av.BookedPercent)
	b = appendBoolField(b, "congested", av.Congested)
	b = append(b, `,"date":`...)
	if v.Date.IsZero() {
		b = append(b, "null"...)
	} else {
		b = append(b, '"')
		b = v.Date.t.AppendFormat(b, time.DateOnly)
		b = append(b, '"')
	}
	return append(b, '}')
}

func appendSite(b []byte, s *distans.Site) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = appendStringField(b, `{"id":`, s.ID)
	b = appendStringField(b, `,"organisation_id":`, s.OrganisationID)
	b = appendStringField(b, `,"name":`, s.Name)
	if s.Code != "" {
		b = appendStringField(b, `,"code":`, s.Code)
	}
	b = appendStringField(b, `,"kind":`, string(s.Kind))
	b = appendStringField(b, `,"street":`, s.Street)
	b = appendStringField(b, `,"postal_code":`, s.PostalCode)
	b = appendStringField(b, `,"city":`, s.City)
	if s.EndedOn != nil {
		b = appendTimeField(b, `,"ended_on":`, *s.EndedOn)
	}
	b = appendTimeField(b, `,"created_at":`, s.CreatedAt)
	b = appendTimeField(b, `,"updated_at":`, s.UpdatedAt)
	return append(b, '}')
}

func appendRules(b []byte, r *distans.BookingRules) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	b = appendStringField(b, `{"organisation_id":`, r.OrganisationID)
	b = appendStringField(b, `,"site_id":`, r.SiteID)
	b = appendIntField(b, "horizon_days", r.HorizonDays)
	b = appendIntField(b, "max_per_week", r.MaxPerWeek)
	b = appendBoolField(b, "check_in_required", r.CheckInRequired)
	b = appendIntField(b, "release_at", int(r.ReleaseAt))
	b = appendIntField(b, "pm_release_at", int(r.PMReleaseAt))
	b = appendIntField(b, "congestion_percent", r.CongestionPercent)
	b = appendTimeField(b, `,"updated_at":`, r.UpdatedAt)
	return append(b, '}')
}

func appendZoneAvailability(b []byte, z *distans.ZoneAvailability) []byte {
	if z == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"zone":`...)
	b = appendZone(b, z.Zone)
	b = append(b, `,"desks":`...)
	b = appendArray(b, z.Desks, appendDeskAvailability)
	b = appendIntField(b, "free", z.Free)
	return append(b, '}')
}

func appendZone(b []byte, z *distans.Zone) []byte {
	if z == nil {
		return append(b, "null"...)
	}
	b = appendStringField(b, `{"id":`, z.ID)
	b = appendStringField(b, `,"organisation_id":`, z.OrganisationID)
	b = appendStringField(b, `,"site_id":`, z.SiteID)
	b = appendStringField(b, `,"name":`, z.Name)
	b = appendStringField(b, `,"floor":`, z.Floor)
	if !z.CreatedAt.IsZero() {
		b = appendTimeField(b, `,"created_at":`, z.CreatedAt)
	}
	if !z.UpdatedAt.IsZero() {
		b = appendTimeField(b, `,"updated_at":`, z.UpdatedAt)
	}
	return append(b, '}')
}

func appendDeskAvailability(b []byte, d *distans.DeskAvailability) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"desk":`...)
	b = appendDesk(b, d.Desk)
	b = appendStringField(b, `,"state":`, string(d.State))
	if d.AM != nil {
		b = append(b, `,"am":`...)
		b = appendSlotHolder(b, d.AM)
	}
	if d.PM != nil {
		b = append(b, `,"pm":`...)
		b = appendSlotHolder(b, d.PM)
	}
	return append(b, '}')
}

func appendDesk(b []byte, d *distans.Desk) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	b = appendStringField(b, `{"id":`, d.ID)
	b = appendStringField(b, `,"organisation_id":`, d.OrganisationID)
	b = appendStringField(b, `,"site_id":`, d.SiteID)
	b = appendStringField(b, `,"zone_id":`, d.ZoneID)
	b = appendStringField(b, `,"label":`, d.Label)
	b = appendIntField(b, "screens", d.Screens)
	b = appendBoolField(b, "height_adjustable", d.HeightAdjustable)
	b = appendBoolField(b, "quiet", d.Quiet)
	b = appendBoolField(b, "accessible", d.Accessible)
	if d.EndedOn != nil {
		b = appendTimeField(b, `,"ended_on":`, *d.EndedOn)
	}
	b = appendTimeField(b, `,"created_at":`, d.CreatedAt)
	b = appendTimeField(b, `,"updated_at":`, d.UpdatedAt)
	return append(b, '}')
}

// appendSlotHolder starts with part, the first field always written, so
// the omitted ones before it need no comma bookkeeping.
func appendSlotHolder(b []byte, h *distans.SlotHolder) []byte {
	b = append(b, '{')
	if h.BookingID != "" {
		b = appendStringField(b, `"booking_id":`, h.BookingID)
		b = append(b, ',')
	}
	if h.PersonID != "" {
		b = appendStringField(b, `"person_id":`, h.PersonID)
		b = append(b, ',')
	}
	if h.Name != "" {
		b = appendStringField(b, `"name":`, h.Name)
		b = append(b, ',')
	}
	b = appendStringField(b, `"part":`, string(h.Part))
	b = appendStringField(b, `,"status":`, string(h.Status))
	b = appendBoolField(b, "mine", h.Mine)
	return append(b, '}')
}

// appendArray appends xs as a JSON array, each element by appendOne, or
// null for a nil slice, as encoding/json does.
func appendArray[T any](b []byte, xs []T, appendOne func([]byte, T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOne(b, x)
	}
	return append(b, ']')
}

// appendBoolField appends ,"name":v.
func appendBoolField(b []byte, name string, v bool) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return strconv.AppendBool(b, v)
}

// appendIntField appends ,"name":n.
func appendIntField(b []byte, name string, n int) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return strconv.AppendInt(b, int64(n), 10)
}

// appendStringField appends key, which holds the punctuation around the
// name, and s as a JSON string.
func appendStringField(b []byte, key, s string) []byte {
	return appendString(append(b, key...), s)
}

// appendTimeField appends key and t as time.Time.MarshalJSON writes it.
func appendTimeField(b []byte, key string, t time.Time) []byte {
	b = append(append(b, key...), '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendString appends s as a JSON string. Strings that need no escaping
// (IDs, labels, names, Swedish letters included) are copied; any other is
// left to encoding/json, so escaping stays exactly its own.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !plain[c] {
				return appendEscaped(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendEscaped(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plain marks the ASCII bytes encoding/json writes as they are: not control
// characters, quotes, backslashes or the HTML characters it escapes.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(`"\<>&`, rune(c))
	}
	return t
}()

func appendEscaped(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
