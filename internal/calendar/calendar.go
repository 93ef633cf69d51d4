// Package calendar writes a person's private iCalendar feed (RFC 5545):
// remote days, desk bookings, team days and weekly phone hours. It knows
// nothing of where the data comes from; the API's feed handler gathers it
// and calls Write.
//
// Days (remote days, bookings, team days) are all-day events with
// VALUE=DATE, which carry no time zone. Phone hours are weekly recurring
// events (RRULE:FREQ=WEEKLY;BYDAY=…) at local wall-clock times with TZID
// set to the organisation's zone, whose VTIMEZONE the feed includes, so
// that a session at 09:00 stays at 09:00 across daylight saving time.
// Lines end in CRLF and are folded at 75 octets. UIDs are derived from the
// records, so that a calendar program that polls the feed again updates
// events instead of duplicating them.
package calendar

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/distans/distans"
)

// ProductID is the feed's PRODID.
const ProductID = "-//Distans//Distans kalender//SV"

// uidDomain ends every UID.
const uidDomain = "@distans"

// Booking is a desk booking with the names a person reads.
type Booking struct {
	*distans.Booking
	DeskLabel string
	SiteName  string
}

// Feed is everything one person's feed shows.
type Feed struct {
	PersonID string
	Name     string         // the person's name, for the calendar's name
	Location *time.Location // the organisation's time zone; nil means Europe/Stockholm
	// Statuses are the person's day statuses; only remote days are shown.
	Statuses []*distans.DayStatus
	// Bookings are shown when active (booked or checked in).
	Bookings []Booking
	TeamDays []*distans.TeamDay
	// PhoneHours are the person's own or their unit's; nil for none.
	PhoneHours *distans.PhoneHours
	// Now stamps events whose record carries no time of its own.
	Now time.Time
}

// Write writes the feed as text/calendar.
func Write(w io.Writer, f Feed) error {
	loc := f.Location
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation("Europe/Stockholm"); err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, ProductID)
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	name := "Distans"
	if f.Name != "" {
		name = "Distans – " + f.Name
	}
	setText(cal.Props, "X-WR-CALNAME", name)
	cal.Props.SetText("X-WR-TIMEZONE", loc.String())
	cal.Props.SetText("REFRESH-INTERVAL", "PT1H")
	cal.Props.Get("REFRESH-INTERVAL").SetValueType(ical.ValueDuration)
	cal.Props.SetText("X-PUBLISHED-TTL", "PT1H")

	var events []*ical.Component
	for _, s := range f.Statuses {
		if s.Kind != distans.StatusRemote {
			continue
		}
		ev := allDay("status-"+s.PersonID+"-"+day(s.Date), s.Date, stamp(s.UpdatedAt, f.Now),
			distans.StatusRemote.Label("sv"))
		events = append(events, ev)
	}
	for _, b := range f.Bookings {
		if !b.Status.Active() {
			continue
		}
		summary := "Skrivbord " + b.DeskLabel
		if b.Part != distans.PartDay {
			summary += " (" + b.Part.Label("sv") + ")"
		}
		ev := allDay("booking-"+b.ID, b.Date, stamp(b.UpdatedAt, f.Now), summary)
		if b.SiteName != "" {
			setText(ev.Props, ical.PropLocation, b.SiteName)
		}
		events = append(events, ev)
	}
	for _, d := range f.TeamDays {
		summary := "Gemensam dag"
		if n := strings.TrimSpace(d.Note); n != "" {
			summary += ": " + n
		}
		events = append(events, allDay("teamday-"+d.ID, d.Date, stamp(d.CreatedAt, f.Now), summary))
	}
	usesZone := false
	if h := f.PhoneHours; h != nil {
		for _, s := range h.Sessions {
			ev, err := phoneSession(f.PersonID, s, loc, stamp(h.UpdatedAt, f.Now))
			if err != nil {
				return err
			}
			events = append(events, ev)
			usesZone = true
		}
	}
	if usesZone {
		tz, err := vtimezone(loc)
		if err != nil {
			return err
		}
		cal.Children = append(cal.Children, tz)
	}
	// A stable order: by start, then UID.
	sort.SliceStable(events, func(i, j int) bool {
		si, sj := events[i].Props.Get(ical.PropDateTimeStart).Value, events[j].Props.Get(ical.PropDateTimeStart).Value
		if si != sj {
			return si < sj
		}
		return events[i].Props.Get(ical.PropUID).Value < events[j].Props.Get(ical.PropUID).Value
	})
	cal.Children = append(cal.Children, events...)
	if len(cal.Children) == 0 {
		// go-ical refuses an empty calendar; an empty feed is still a
		// valid answer, so write the frame by hand, with the values the
		// library escaped.
		var b bytes.Buffer
		b.WriteString("BEGIN:VCALENDAR\r\n")
		for _, p := range []string{ical.PropCalendarScale, ical.PropMethod, ical.PropProductID, ical.PropVersion, "X-WR-CALNAME"} {
			b.WriteString(p + ":" + cal.Props.Get(p).Value + "\r\n")
		}
		b.WriteString("END:VCALENDAR\r\n")
		_, err := w.Write(fold(b.Bytes()))
		return err
	}
	var b bytes.Buffer
	if err := ical.NewEncoder(&b).Encode(cal); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	_, err := w.Write(fold(b.Bytes()))
	return err
}

func day(t time.Time) string { return t.Format("20060102") }

func stamp(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Truncate(time.Second)
}

// allDay is an event for the calendar day of date (midnight UTC, as the
// domain keeps days): DTSTART;VALUE=DATE and DTEND the next day.
func allDay(uid string, date, stamped time.Time, summary string) *ical.Component {
	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, uid+uidDomain)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, stamped)
	ev.Props.SetDate(ical.PropDateTimeStart, date)
	ev.Props.SetDate(ical.PropDateTimeEnd, date.AddDate(0, 0, 1))
	setText(ev.Props, ical.PropSummary, summary)
	ev.Props.SetText(ical.PropTransparency, "TRANSPARENT")
	return ev.Component
}

var byDay = map[string]string{"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}

// phoneSession is a weekly recurring event. DTSTART is the session's
// first occurrence on or after the week the hours were saved, so that it
// agrees with BYDAY as RFC 5545 asks.
func phoneSession(personID string, s distans.PhoneSession, loc *time.Location, stamped time.Time) (*ical.Component, error) {
	bd, ok := byDay[s.Weekday]
	if !ok {
		return nil, fmt.Errorf("calendar: unknown weekday %q", s.Weekday)
	}
	start, err := time.Parse("15:04", s.Start)
	if err != nil {
		return nil, fmt.Errorf("calendar: phone session start %q: %w", s.Start, err)
	}
	end, err := time.Parse("15:04", s.End)
	if err != nil {
		return nil, fmt.Errorf("calendar: phone session end %q: %w", s.End, err)
	}
	saved := stamped.In(loc)
	first := time.Date(saved.Year(), saved.Month(), saved.Day(), 0, 0, 0, 0, loc)
	first = first.AddDate(0, 0, -(int(first.Weekday())+6)%7) // that week's Monday
	for distans.WeekdayOf(first) != s.Weekday {
		first = first.AddDate(0, 0, 1)
	}
	dtStart := time.Date(first.Year(), first.Month(), first.Day(), start.Hour(), start.Minute(), 0, 0, loc)
	dtEnd := time.Date(first.Year(), first.Month(), first.Day(), end.Hour(), end.Minute(), 0, 0, loc)

	ev := ical.NewEvent()
	ev.Props.SetText(ical.PropUID, "phonehours-"+personID+"-"+s.Weekday+"-"+strings.ReplaceAll(s.Start, ":", "")+uidDomain)
	ev.Props.SetDateTime(ical.PropDateTimeStamp, stamped)
	ev.Props.SetDateTime(ical.PropDateTimeStart, dtStart)
	ev.Props.SetDateTime(ical.PropDateTimeEnd, dtEnd)
	rrule := ical.NewProp(ical.PropRecurrenceRule)
	rrule.Value = "FREQ=WEEKLY;BYDAY=" + bd
	ev.Props.Set(rrule)
	ev.Props.SetText(ical.PropSummary, "Telefontid")
	ev.Props.SetText(ical.PropTransparency, "OPAQUE")
	return ev.Component, nil
}

// vtimezone describes loc for the TZIDs of the phone sessions. Swedish
// municipalities keep Europe/Stockholm, which follows the EU's rule (summer
// time from the last Sunday of March at 01:00 UTC to the last Sunday of
// October at 01:00 UTC); a zone without daylight saving gets a single
// STANDARD. Any other zone is refused rather than described wrongly.
func vtimezone(loc *time.Location) (*ical.Component, error) {
	year := time.Now().Year()
	_, winter := time.Date(year, 1, 15, 12, 0, 0, 0, loc).Zone()
	_, summer := time.Date(year, 7, 15, 12, 0, 0, 0, loc).Zone()
	stdName, _ := time.Date(year, 1, 15, 12, 0, 0, 0, loc).Zone()
	dstName, _ := time.Date(year, 7, 15, 12, 0, 0, 0, loc).Zone()
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	sub := func(name, tzname string, from, to int, start, rule string) *ical.Component {
		c := ical.NewComponent(name)
		c.Props.SetText(ical.PropTimezoneName, tzname)
		for p, v := range map[string]int{ical.PropTimezoneOffsetFrom: from, ical.PropTimezoneOffsetTo: to} {
			pr := ical.NewProp(p)
			pr.Value = offset(v)
			c.Props.Set(pr)
		}
		st := ical.NewProp(ical.PropDateTimeStart)
		st.Value = start
		c.Props.Set(st)
		if rule != "" {
			r := ical.NewProp(ical.PropRecurrenceRule)
			r.Value = rule
			c.Props.Set(r)
		}
		return c
	}
	if winter == summer {
		tz.Children = append(tz.Children, sub(ical.CompTimezoneStandard, stdName, winter, winter, "19700101T000000", ""))
		return tz, nil
	}
	if !followsEURule(loc, year) {
		return nil, fmt.Errorf("calendar: time zone %s does not follow the EU summer-time rule", loc)
	}
	local := func(utcHour, off int) string { return fmt.Sprintf("T%02d0000", (utcHour*3600+off)/3600) }
	tz.Children = append(tz.Children,
		sub(ical.CompTimezoneDaylight, dstName, winter, summer, "19810329"+local(1, winter), "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		sub(ical.CompTimezoneStandard, stdName, summer, winter, "19961027"+local(1, summer), "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"))
	return tz, nil
}

// followsEURule reports whether loc changes offset at 01:00 UTC on the last
// Sundays of March and October of year.
func followsEURule(loc *time.Location, year int) bool {
	lastSunday := func(m time.Month) time.Time {
		t := time.Date(year, m+1, 1, 1, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for t.Weekday() != time.Sunday {
			t = t.AddDate(0, 0, -1)
		}
		return t
	}
	changes := func(at time.Time) bool {
		_, before := at.Add(-time.Second).In(loc).Zone()
		_, after := at.In(loc).Zone()
		return before != after
	}
	return changes(lastSunday(time.March)) && changes(lastSunday(time.October))
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// setText sets a TEXT property from what people typed. go-ical escapes
// backslashes, commas, semicolons and LF, but refuses to encode a value
// with a CR in it, and a textarea sends CRLF: a single team-day note would
// break the whole unit's feed. Every line break (CRLF, CR, LF) becomes LF,
// which the library writes as \n; other control characters, which RFC 5545
// does not allow in TEXT, become spaces.
func setText(props ical.Props, name, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, text)
	props.SetText(name, text)
}

// fold folds every content line longer than 75 octets (RFC 5545 3.1),
// never inside a UTF-8 sequence. b holds CRLF-terminated lines.
func fold(b []byte) []byte {
	var out bytes.Buffer
	for line := range bytes.SplitSeq(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		limit := 75
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out.Write(line[:cut])
			out.WriteString("\r\n ")
			line = line[cut:]
			limit = 74 // the leading space counts
		}
		out.Write(line)
		out.WriteString("\r\n")
	}
	return out.Bytes()
}
