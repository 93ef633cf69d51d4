package distans_test

import (
	"context"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestToday holds the one "today" rule against the instants where it can go
// wrong: around midnight, where the organisation's day is not UTC's, and
// across the changes to and from summer time.
func TestToday(t *testing.T) {
	t.Parallel()
	stockholm, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		t.Helper()
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	for _, c := range []struct {
		name string
		now  time.Time
		loc  *time.Location
		want string
	}{
		{"winter, just before midnight in Stockholm", utc("2026-01-15T22:59:59Z"), stockholm, "2026-01-15"},
		{"winter, midnight in Stockholm, still the day before in UTC", utc("2026-01-15T23:00:00Z"), stockholm, "2026-01-16"},
		{"summer, 00:30 in Stockholm at 22:30 UTC", utc("2026-07-01T22:30:00Z"), stockholm, "2026-07-02"},
		{"summer, 23:59 in Stockholm", utc("2026-07-01T21:59:00Z"), stockholm, "2026-07-01"},
		{"the night summer time begins, 01:59 CET", utc("2026-03-29T00:59:00Z"), stockholm, "2026-03-29"},
		{"the night summer time begins, 03:00 CEST", utc("2026-03-29T01:00:00Z"), stockholm, "2026-03-29"},
		{"the evening before summer time, 23:30 CET", utc("2026-03-28T22:30:00Z"), stockholm, "2026-03-28"},
		{"the night summer time ends, 02:30 the first time", utc("2026-10-25T00:30:00Z"), stockholm, "2026-10-25"},
		{"the night summer time ends, 02:30 the second time", utc("2026-10-25T01:30:00Z"), stockholm, "2026-10-25"},
		{"the day after summer time ends, midnight CET", utc("2026-10-25T23:00:00Z"), stockholm, "2026-10-26"},
		{"new year in Stockholm before UTC's", utc("2026-12-31T23:30:00Z"), stockholm, "2027-01-01"},
		{"east of UTC: Tokyo is a day ahead", utc("2026-05-10T15:00:00Z"), tokyo, "2026-05-11"},
		{"west of UTC: New York is a day behind", utc("2026-05-10T03:00:00Z"), newYork, "2026-05-09"},
		{"an instant given in another zone counts as the same instant", utc("2026-01-15T23:00:00Z").In(newYork), stockholm, "2026-01-16"},
		{"UTC", utc("2026-01-15T23:00:00Z"), time.UTC, "2026-01-15"},
	} {
		got := distans.Today(c.now, c.loc)
		if got.Format(time.DateOnly) != c.want {
			t.Errorf("%s: Today(%s, %s) = %s, want %s", c.name, c.now.Format(time.RFC3339), c.loc, got.Format(time.DateOnly), c.want)
		}
		if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Errorf("%s: Today = %v, want midnight UTC", c.name, got)
		}
	}
}

// TestOrganisationToday: an organisation's day follows its own zone, and
// one without a zone, or with one that does not exist, falls back to
// Europe/Stockholm by the same rule as Location, never to UTC or the
// server's zone.
func TestOrganisationToday(t *testing.T) {
	t.Parallel()
	// 23:30 UTC is 00:30 the next day in Stockholm (winter) and 08:30 in Tokyo.
	now := time.Date(2026, 2, 3, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		zone, want string
	}{
		{"Europe/Stockholm", "2026-02-04"},
		{"Asia/Tokyo", "2026-02-04"},
		{"America/New_York", "2026-02-03"},
		{"UTC", "2026-02-03"},
		{"", "2026-02-04"},
		{"Mars/Olympus_Mons", "2026-02-04"},
	} {
		o := &distans.Organisation{TimeZone: c.zone}
		if got := o.Today(now).Format(time.DateOnly); got != c.want {
			t.Errorf("zone %q: Today = %s, want %s", c.zone, got, c.want)
		}
	}
}

// TestNowFrom: the instant set for a request or job round is what
// everything under it reads, in UTC; without one, the wall clock.
func TestNowFrom(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2031, 6, 15, 9, 0, 0, 0, tokyo)
	ctx := distans.WithNow(context.Background(), at)
	got := distans.NowFrom(ctx)
	if !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("NowFrom = %v, want %v in UTC", got, at)
	}
	// Values added to the context later keep the instant.
	type key struct{}
	if got := distans.NowFrom(context.WithValue(ctx, key{}, 1)); !got.Equal(at) {
		t.Errorf("NowFrom of a derived context = %v, want %v", got, at)
	}
	before := time.Now()
	wall := distans.NowFrom(context.Background())
	if wall.Before(before.Add(-time.Second)) || wall.Location() != time.UTC {
		t.Errorf("NowFrom without a clock = %v, want the wall clock in UTC", wall)
	}
}
