package distans

import (
	"fmt"
	"time"
)

// LastDayWithin returns the last day of a period of months calendar months
// that begins on start: the day before the same date months later. A year
// (12 months) from 2027-01-01 ends on 2027-12-31, never on 2028-01-01, however
// many days the year has. When that date does not exist (a year from 29
// February, a month from 31 January) the period ends on the last day of the
// month instead. Dates are calendar days at midnight UTC (DateOf).
//
// Every "at most one year" in the packs (Bjurholm 002 §11) is counted with
// this one function, so that no part of Distans counts a year as 365 or 366
// days.
func LastDayWithin(start time.Time, months int) time.Time {
	y, m, d := start.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1) // the last day of the month months later
	if d > last.Day() {
		return last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}

// MonthsSpanned is the number of calendar months, counted from start, that
// the period from start to end (both included) needs: the smallest n with
// end on or before LastDayWithin(start, n). 2027-01-01..2027-12-31 spans 12
// months, 2027-01-01..2028-01-01 spans 13. It is 0 when end is before start.
func MonthsSpanned(start, end time.Time) int {
	if end.Before(start) {
		return 0
	}
	sy, sm, _ := start.Date()
	ey, em, _ := end.Date()
	n := max((ey-sy)*12+int(em-sm), 1)
	for n > 1 && !end.After(LastDayWithin(start, n-1)) {
		n--
	}
	for end.After(LastDayWithin(start, n)) {
		n++
	}
	return n
}

// daysInFullWeek is the number of working days a remote share is a share
// of: a full-time week of five days.
const daysInFullWeek = 5

// RemoteShare is the share of a full-time week (percent) that the remote
// days make, given as weekdays or else as a number of days a week: each day
// is a fifth. It is 0 when neither is given.
func RemoteShare(weekdays []string, perWeek int) int {
	return shareOfDays(remoteDays(weekdays, perWeek))
}

func remoteDays(weekdays []string, perWeek int) int {
	if len(weekdays) > 0 {
		return min(len(weekdays), daysInFullWeek)
	}
	return min(max(perWeek, 0), daysInFullWeek)
}

func shareOfDays(days int) int { return days * 100 / daysInFullWeek }

// CheckRemoteShare refuses a share of working time remote that is lower
// than the remote days stated beside it make (weekdays, or a number of days
// a week): three remote weekdays are more than 40 % however the share is
// written, since each of them is at least partly remote. A lower share
// would hide from the rules what the days say (the office as the main
// workplace, Stockholm 000; the tjänsteställe above 50 %, Bjurholm 002 §4).
// A higher share is allowed: for someone who works part time a day is more
// than a fifth of their week. Without days there is nothing to compare.
func CheckRemoteShare(v *Validation, weekdays []string, perWeek, share int) {
	days := remoteDays(weekdays, perWeek)
	if days == 0 {
		return
	}
	least := shareOfDays(days-1) + 1
	if share >= least {
		return
	}
	v.Add("share_remote",
		fmt.Sprintf("Andelen på distans (%d %%) stämmer inte med %d distansdagar i veckan, som är %d %% av en heltidsvecka. Ange minst %d %%, eller färre dagar.",
			share, days, shareOfDays(days), least),
		fmt.Sprintf("The remote share (%d %%) does not agree with %d remote days a week, which are %d %% of a full-time week. Give at least %d %%, or fewer days.",
			share, days, shareOfDays(days), least))
}
