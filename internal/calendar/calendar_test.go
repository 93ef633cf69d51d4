package calendar_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/calendar"
)

func sampleFeed(t *testing.T) calendar.Feed {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	saved := time.Date(2025, 3, 26, 10, 0, 0, 0, time.UTC) // a Wednesday, before the switch to summer time
	day := func(d int) time.Time { return time.Date(2025, 4, d, 0, 0, 0, 0, time.UTC) }
	return calendar.Feed{
		PersonID: "p1",
		Name:     "Åsa Öberg, Socialtjänsten; enhet X1 med ett mycket långt namn som måste vikas",
		Location: loc,
		Statuses: []*distans.DayStatus{
			{PersonID: "p1", Date: day(1), Kind: distans.StatusRemote, Reason: "hemlig orsak", UpdatedAt: saved},
			{PersonID: "p1", Date: day(2), Kind: distans.StatusAway, Reason: "sjuk", UpdatedAt: saved},
		},
		Bookings: []calendar.Booking{
			{Booking: &distans.Booking{ID: "b1", Date: day(3), Part: distans.PartAM, Status: distans.BookingBooked, UpdatedAt: saved},
				DeskLabel: "N1", SiteName: "Stadshuset, plan 2"},
			{Booking: &distans.Booking{ID: "b2", Date: day(4), Part: distans.PartDay, Status: distans.BookingCancelled, UpdatedAt: saved},
				DeskLabel: "N2", SiteName: "Stadshuset"},
		},
		TeamDays: []*distans.TeamDay{{ID: "t1", Date: day(8), Note: "Planeringsdag", CreatedAt: saved}},
		PhoneHours: &distans.PhoneHours{PersonID: "p1", UpdatedAt: saved, Sessions: []distans.PhoneSession{
			{Weekday: "mon", Start: "09:00", End: "11:00"}, {Weekday: "thu", Start: "13:00", End: "15:30"},
		}},
		Now: saved,
	}
}

// parse runs Debian's python3-icalendar, an independent parser, over the
// feed and returns what it read: each event's UID, summary, start, end and
// recurrence rule, and the time zones.
func parse(t *testing.T, feed []byte) map[string]any {
	t.Helper()
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI: %v", py, err)
		}
		t.Skipf("no %s", py)
	}
	script := `
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"calname": str(cal.get("X-WR-CALNAME")), "events": [], "timezones": []}
for c in cal.walk("VTIMEZONE"):
    out["timezones"].append(str(c["TZID"]))
for e in cal.walk("VEVENT"):
    s, en = e.decoded("DTSTART"), e.decoded("DTEND")
    ev = {"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "start": s.isoformat(), "end": en.isoformat(),
          "tz": str(getattr(s, "tzinfo", None) or ""), "location": str(e.get("LOCATION", ""))}
    if "RRULE" in e:
        ev["rrule"] = e["RRULE"].to_ical().decode()
    out["events"].append(ev)
json.dump(out, sys.stdout)
`
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = bytes.NewReader(feed)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named 'icalendar'") && os.Getenv("CI") != "true" {
			t.Skip("python3-icalendar is not installed")
		}
		t.Fatalf("icalendar could not parse the feed: %v\n%s\n%s", err, stderr.String(), feed)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return out
}

func TestFeedParsesWithIndependentParser(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := calendar.Write(&buf, sampleFeed(t)); err != nil {
		t.Fatal(err)
	}
	feed := buf.Bytes()

	// CRLF line endings throughout, no line over 75 octets, nothing private.
	if !bytes.HasSuffix(feed, []byte("\r\n")) || bytes.Count(feed, []byte("\n")) != bytes.Count(feed, []byte("\r\n")) {
		t.Fatalf("not CRLF:\n%q", feed)
	}
	for line := range bytes.SplitSeq(feed, []byte("\r\n")) {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
	for _, secret := range []string{"hemlig", "sjuk"} {
		if bytes.Contains(feed, []byte(secret)) {
			t.Errorf("the feed shows a reason for absence (%q)", secret)
		}
	}
	if !bytes.Contains(feed, []byte("BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm")) ||
		!bytes.Contains(feed, []byte("DTSTART;TZID=Europe/Stockholm:20250324T090000\r\n")) {
		t.Errorf("phone hours are not in local time with a VTIMEZONE:\n%s", feed)
	}

	got := parse(t, feed)
	if tz := got["timezones"].([]any); len(tz) != 1 || tz[0] != "Europe/Stockholm" {
		t.Errorf("time zones = %v", tz)
	}
	if !strings.HasPrefix(got["calname"].(string), "Distans – Åsa Öberg, Socialtjänsten; enhet X1") {
		t.Errorf("calendar name = %q", got["calname"])
	}
	events := map[string]map[string]any{}
	for _, e := range got["events"].([]any) {
		ev := e.(map[string]any)
		events[ev["uid"].(string)] = ev
	}
	want := map[string][3]string{ // uid → summary, start, end
		"status-p1-20250401@distans":     {"Distansarbete", "2025-04-01", "2025-04-02"},
		"booking-b1@distans":             {"Skrivbord N1 (förmiddag)", "2025-04-03", "2025-04-04"},
		"teamday-t1@distans":             {"Gemensam dag: Planeringsdag", "2025-04-08", "2025-04-09"},
		"phonehours-p1-mon-0900@distans": {"Telefontid", "2025-03-24T09:00:00+01:00", "2025-03-24T11:00:00+01:00"},
		"phonehours-p1-thu-1300@distans": {"Telefontid", "2025-03-27T13:00:00+01:00", "2025-03-27T15:30:00+01:00"},
	}
	if g, w := slices.Sorted(maps.Keys(events)), slices.Sorted(maps.Keys(want)); !slices.Equal(g, w) {
		t.Fatalf("events %v, want %v (the away day and the cancelled booking stay out)", g, w)
	}
	for uid, w := range want {
		ev := events[uid]
		if ev["summary"] != w[0] || ev["start"] != w[1] || ev["end"] != w[2] {
			t.Errorf("%s = %v, want %v", uid, ev, w)
		}
	}
	if loc := events["booking-b1@distans"]["location"]; loc != "Stadshuset, plan 2" {
		t.Errorf("booking location = %q", loc)
	}
	for uid, rule := range map[string]string{"phonehours-p1-mon-0900@distans": "FREQ=WEEKLY;BYDAY=MO", "phonehours-p1-thu-1300@distans": "FREQ=WEEKLY;BYDAY=TH"} {
		if got := events[uid]["rrule"]; got != rule {
			t.Errorf("%s RRULE = %v, want %s", uid, got, rule)
		}
		if tz := events[uid]["tz"].(string); !strings.Contains(tz, "Stockholm") && !strings.Contains(tz, "CET") {
			t.Errorf("%s time zone = %q", uid, tz)
		}
	}
	if n := regexp.MustCompile(`(?m)^RRULE:FREQ=WEEKLY;BYDAY=(MO|TH)\r$`).FindAll(feed, -1); len(n) != 2 {
		t.Errorf("%d weekly RRULEs in the feed, want 2", len(n))
	}
}

// TestFeedStable: the same data gives the same bytes, so calendar programs
// see no change between polls.
func TestFeedStable(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	f := sampleFeed(t)
	if err := calendar.Write(&a, f); err != nil {
		t.Fatal(err)
	}
	f.Now = f.Now.Add(time.Hour)
	if err := calendar.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("the feed changed between two writes of the same data")
	}
}

func TestEmptyFeedParses(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := calendar.Write(&buf, calendar.Feed{Name: "Nils"}); err != nil {
		t.Fatal(err)
	}
	got := parse(t, buf.Bytes())
	if evs := got["events"].([]any); len(evs) != 0 {
		t.Errorf("events in an empty feed: %v", evs)
	}
}

func TestUnknownWeekdayRefused(t *testing.T) {
	t.Parallel()
	f := calendar.Feed{PhoneHours: &distans.PhoneHours{Sessions: []distans.PhoneSession{{Weekday: "xyz", Start: "09:00", End: "10:00"}}}}
	if err := calendar.Write(&bytes.Buffer{}, f); err == nil {
		t.Error("an unknown weekday was written")
	}
}

// TestFeedWritesTypedText: notes come from textareas, which send CRLF, and
// from people who type commas, semicolons and backslashes. Every such note
// is written so that an independent parser reads it back, and one note
// never breaks the feed.
func TestFeedWritesTypedText(t *testing.T) {
	t.Parallel()
	notes := []struct {
		name, note, want string
		// unescapeBug: python3-icalendar 4.0 reads the escaped `\\n` as a line
		// break (it unescapes \n before \\); go-ical's decoder checks it.
		unescapeBug bool
	}{
		{"crlf", "Planering\r\nTa med dator", "Planering\nTa med dator", false},
		{"lf", "Planering\nTa med dator", "Planering\nTa med dator", false},
		{"cr", "Planering\rTa med dator", "Planering\nTa med dator", false},
		{"blank lines", "Rad 1\r\n\r\nRad 3", "Rad 1\n\nRad 3", false},
		{"comma", "Fika, lunch, möte", "Fika, lunch, möte", false},
		{"semicolon", "Sal A; sal B", "Sal A; sal B", false},
		{"backslash", `G:\Gemensamt\Plan`, `G:\Gemensamt\Plan`, false},
		{"backslash n", `inte\n en radbrytning`, `inte\n en radbrytning`, true},
		{"control", "tab\there\x01slut", "tab\there slut", false},
		{"long", strings.Repeat("Lång anteckning; med, tecken\r\n", 8), strings.TrimSpace(strings.Repeat("Lång anteckning; med, tecken\n", 8)), false},
	}
	f := calendar.Feed{PersonID: "p1", Name: "Kalle\r\nAnka; test, \\", Now: time.Date(2025, 3, 26, 10, 0, 0, 0, time.UTC)}
	for i, n := range notes {
		f.TeamDays = append(f.TeamDays, &distans.TeamDay{ID: n.name, Date: time.Date(2025, 4, 1+i, 0, 0, 0, 0, time.UTC), Note: n.note})
	}
	var buf bytes.Buffer
	if err := calendar.Write(&buf, f); err != nil {
		t.Fatalf("the feed was refused: %v", err)
	}
	feed := buf.Bytes()
	if bytes.Count(feed, []byte("\n")) != bytes.Count(feed, []byte("\r\n")) || bytes.Count(feed, []byte("\r")) != bytes.Count(feed, []byte("\r\n")) {
		t.Fatalf("a bare CR or LF in the feed:\n%q", feed)
	}
	got := parse(t, feed)
	if got["calname"] != "Distans – Kalle\nAnka; test, \\" {
		t.Errorf("calendar name = %q", got["calname"])
	}
	summaries := map[string]string{}
	for _, e := range got["events"].([]any) {
		ev := e.(map[string]any)
		summaries[ev["uid"].(string)] = ev["summary"].(string)
	}
	decoded, err := ical.NewDecoder(bytes.NewReader(feed)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	goical := map[string]string{}
	for _, ev := range decoded.Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		if goical[uid], err = ev.Props.Text(ical.PropSummary); err != nil {
			t.Errorf("%s: %v", uid, err)
		}
	}
	for _, n := range notes {
		uid, want := "teamday-"+n.name+"@distans", "Gemensam dag: "+n.want
		if s := summaries[uid]; s != want && !n.unescapeBug {
			t.Errorf("%s: python3-icalendar reads %q, want %q", n.name, s, want)
		}
		if s := goical[uid]; s != want {
			t.Errorf("%s: go-ical reads %q, want %q", n.name, s, want)
		}
	}
}
