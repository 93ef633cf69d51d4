package distans

import (
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestLastDayWithin: a year is a calendar year, the end at most the day
// before the same date a year later, whatever the number of days.
func TestLastDayWithin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		start  string
		months int
		want   string
	}{
		{"2027-01-01", 12, "2027-12-31"},
		{"2027-03-01", 12, "2028-02-29"}, // the year holds a leap day: 366 days
		{"2028-03-01", 12, "2029-02-28"},
		{"2028-02-29", 12, "2029-02-28"}, // no 29 February a year later
		{"2028-02-28", 12, "2029-02-27"},
		{"2027-02-28", 12, "2028-02-27"},
		{"2027-12-31", 12, "2028-12-30"},
		{"2027-01-31", 1, "2027-02-28"}, // no 31 February
		{"2027-01-28", 1, "2027-02-27"},
		{"2027-03-31", 1, "2027-04-30"},
		{"2027-06-15", 6, "2027-12-14"},
		{"2027-06-15", 24, "2029-06-14"},
	} {
		if got := LastDayWithin(date(tc.start), tc.months).Format(time.DateOnly); got != tc.want {
			t.Errorf("LastDayWithin(%s, %d) = %s, want %s", tc.start, tc.months, got, tc.want)
		}
	}
}

func TestMonthsSpanned(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		start, end string
		want       int
	}{
		{"2027-01-01", "2027-12-31", 12},
		{"2027-01-01", "2028-01-01", 13}, // a year and a day
		{"2027-03-01", "2028-02-29", 12}, // 366 days, one year
		{"2028-03-01", "2029-03-01", 13}, // 366 days, a year and a day
		{"2028-02-29", "2029-02-28", 12},
		{"2028-02-29", "2029-03-01", 13},
		{"2027-01-01", "2027-01-01", 1},
		{"2027-01-15", "2027-02-14", 1},
		{"2027-01-15", "2027-02-15", 2},
		{"2027-01-31", "2027-02-28", 1},
		{"2027-01-31", "2027-03-01", 2},
		{"2027-06-02", "2027-06-01", 0},
	} {
		if got := MonthsSpanned(date(tc.start), date(tc.end)); got != tc.want {
			t.Errorf("MonthsSpanned(%s, %s) = %d, want %d", tc.start, tc.end, got, tc.want)
		}
	}
}

// TestCheckRemoteShare: the share may not be lower than the remote days
// make of a full-time week.
func TestCheckRemoteShare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		weekdays []string
		perWeek  int
		share    int
		ok       bool
	}{
		{"three weekdays, 60 %", []string{"mon", "tue", "wed"}, 0, 60, true},
		{"three weekdays, 20 %", []string{"mon", "tue", "wed"}, 0, 20, false},
		{"three weekdays, 0 %", []string{"mon", "tue", "wed"}, 0, 0, false},
		{"three weekdays, a part day", []string{"mon", "tue", "wed"}, 0, 41, true},
		{"three weekdays, two days' worth", []string{"mon", "tue", "wed"}, 0, 40, false},
		{"three weekdays, part time", []string{"mon", "tue", "wed"}, 0, 75, true},
		{"two days a week, 20 %", nil, 2, 20, false},
		{"two days a week, 40 %", nil, 2, 40, true},
		{"seven days", []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, 0, 80, false},
		{"seven days, all of it", []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, 0, 100, true},
		{"no days", nil, 0, 10, true},
	} {
		var v Validation
		CheckRemoteShare(&v, tc.weekdays, tc.perWeek, tc.share)
		if err := v.Err(); (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok %v", tc.name, err, tc.ok)
		} else if err != nil && err.(*Error).Fields[0].Field != "share_remote" {
			t.Errorf("%s: field %v", tc.name, err.(*Error).Fields)
		}
	}
	if got := RemoteShare([]string{"mon", "tue", "wed"}, 0); got != 60 {
		t.Errorf("RemoteShare of three weekdays = %d", got)
	}
	if got := RemoteShare(nil, 2); got != 40 {
		t.Errorf("RemoteShare of two days a week = %d", got)
	}
}

// TestTermsShareAgreesWithDays: terms whose share hides their remote days
// are refused.
func TestTermsShareAgreesWithDays(t *testing.T) {
	t.Parallel()
	terms := Terms{Start: date("2027-01-01"), End: date("2027-12-31"), Weekdays: []string{"mon", "tue", "wed"}, ShareRemote: 20}
	err := terms.Validate()
	if ErrorCode(err) != EINVALID || err.(*Error).Fields[0].Field != "share_remote" {
		t.Fatalf("three weekdays at 20 %%: %v", err)
	}
	terms.ShareRemote = 60
	if err := terms.Validate(); err != nil {
		t.Fatalf("three weekdays at 60 %%: %v", err)
	}
}
