package view

import (
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// The hybrid office's pages (issue 5): sites and their desks on a day,
// one's own bookings, recurring bookings, team days, utilisation and the
// site administrator's zones, desks and booking rules.

// OfficePage lists the open sites with their load on a day.
type OfficePage struct {
	Layout
	Day            string // YYYY-MM-DD
	Sites          []OfficeSiteRow
	CanManage      bool
	CanUtilisation bool
}

// Template implements Page.
func (*OfficePage) Template() string { return "office" }

// OfficeSiteRow is one site's load on the page's day.
type OfficeSiteRow struct {
	Site          *distans.Site
	Desks         int
	FreeDesks     int
	BookedPercent int
	Congested     bool
}

// OfficeSitePage is a site's desks on one day, with Book buttons.
type OfficeSitePage struct {
	Layout
	Avail     *distans.SiteAvailability
	Day       string
	PrevDate  string
	NextDate  string
	Nearest   []*distans.SiteLoad
	TeamDays  []*distans.TeamDay
	Team      []*distans.TeamBooking
	HasUnit   bool
	Bookable  bool // the day is not in the past
	CanManage bool
}

// Template implements Page.
func (*OfficeSitePage) Template() string { return "office_site" }

// FreeParts returns the parts of the day that can still be booked at d.
func (p *OfficeSitePage) FreeParts(d *distans.DeskAvailability) []distans.DayPart {
	if !p.Bookable {
		return nil
	}
	switch d.State {
	case distans.DeskFree:
		return []distans.DayPart{distans.PartDay, distans.PartAM, distans.PartPM}
	case distans.DeskAMTaken:
		return []distans.DayPart{distans.PartPM}
	case distans.DeskPMTaken:
		return []distans.DayPart{distans.PartAM}
	}
	return nil
}

// Holder names who holds a half day: the viewer, a colleague by name, or
// just "booked" when the viewer may not see who.
func (p *OfficeSitePage) Holder(h *distans.SlotHolder) string {
	switch {
	case h == nil:
		return p.T("office.slot.free")
	case h.Mine:
		return p.T("office.slot.mine")
	case h.Name != "":
		return h.Name
	}
	return p.T("office.slot.booked")
}

// Attributes lists a desk's attributes for people to read.
func (l *Layout) Attributes(d *distans.Desk) string {
	var out []string
	if d.Screens > 0 {
		out = append(out, l.T("office.attr.screens", d.Screens))
	}
	if d.HeightAdjustable {
		out = append(out, l.T("office.attr.height"))
	}
	if d.Quiet {
		out = append(out, l.T("office.attr.quiet"))
	}
	if d.Accessible {
		out = append(out, l.T("office.attr.accessible"))
	}
	if len(out) == 0 {
		return "–"
	}
	return strings.Join(out, ", ")
}

// PartLabel names a part of the day in the page's language.
func (l *Layout) PartLabel(p distans.DayPart) string { return p.Label(l.Lang) }

// BookingsPage is the person's own bookings.
type BookingsPage struct {
	Layout
	Upcoming []BookingRow
	Past     []BookingRow
}

// Template implements Page.
func (*BookingsPage) Template() string { return "office_bookings" }

// BookingRow is a booking with its desk and site named.
type BookingRow struct {
	*distans.Booking
	SiteName    string
	DeskLabel   string
	StatusLabel string
	CanCancel   bool
	CanCheckIn  bool
}

// RecurringPage is the form for a weekly recurring booking.
type RecurringPage struct {
	Layout
	Form     *Form
	Desks    []Option
	Parts    []Option
	Weekdays []WeekdayOption
}

// Template implements Page.
func (*RecurringPage) Template() string { return "office_recurring" }

// WeekdayOption is one checkbox of the weekdays.
type WeekdayOption struct {
	Value   string
	Label   string
	Checked bool
}

// RecurringResultPage reports every date of a recurring booking.
type RecurringResultPage struct {
	Layout
	DeskLabel string
	SiteName  string
	Result    *distans.RecurringResult
}

// Template implements Page.
func (*RecurringResultPage) Template() string { return "office_recurring_result" }

// ConflictMessage is a conflict's reason in the page's language.
func (p *RecurringResultPage) ConflictMessage(c *distans.DateConflict) string {
	if p.Lang == "en" {
		return c.En
	}
	return c.Sv
}

// TeamDaysPage lists the team days of the person's unit and lets a
// manager set them for the units they manage.
type TeamDaysPage struct {
	Layout
	UnitName string
	Days     []*distans.TeamDay
	Managed  []ManagedTeamDays
	Form     *Form
	Units    []Option
}

// Template implements Page.
func (*TeamDaysPage) Template() string { return "office_teamdays" }

// ManagedTeamDays is a managed unit with its coming team days.
type ManagedTeamDays struct {
	UnitName string
	Days     []*distans.TeamDay
}

// UtilisationPage is the utilisation per site and weekday, as a heat map
// and a table with the same numbers.
type UtilisationPage struct {
	Layout
	Form     *Form
	From, To string
	Rows     []UtilisationRow
	Heat     *HeatMap
	CSVURL   string
}

// Template implements Page.
func (*UtilisationPage) Template() string { return "office_utilisation" }

// UtilisationRow is a row of the table.
type UtilisationRow struct {
	*distans.UtilisationRow
	WeekdayName string
	Percent     int
}

// Num writes a count of desk-days the Swedish or English way.
func (l *Layout) Num(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if l.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// HeatMap is the SVG grid: one row per site, one column per weekday.
type HeatMap struct {
	Width, Height int
	Columns       []HeatLabel
	RowLabels     []HeatLabel
	Cells         []HeatCell
}

// HeatLabel is a column or row heading placed at X, Y.
type HeatLabel struct {
	X, Y int
	Text string
}

// HeatCell is one site on one weekday.
type HeatCell struct {
	X, Y, W, H int
	TX, TY     int
	Fill, Ink  string
	Text       string
	Title      string
}

// Heat is the fill and text colour for a share booked, from light to dark;
// every pair has a contrast of at least 4.5:1.
func Heat(percent int) (fill, ink string) {
	switch {
	case percent >= 80:
		return "#12355b", "#ffffff"
	case percent >= 60:
		return "#2b6cb0", "#ffffff"
	case percent >= 40:
		return "#9ecae1", "#1a1a1a"
	case percent >= 20:
		return "#c6dbef", "#1a1a1a"
	}
	return "#eef4fb", "#1a1a1a"
}

// OfficeAdminPage is a site's zones, desks and booking rules for the site
// administrator.
type OfficeAdminPage struct {
	Layout
	Site      *distans.Site
	Zones     []*distans.Zone
	Desks     []DeskRow
	ZoneForm  *Form
	DeskForm  *Form
	RulesForm *Form
	ZoneOpts  []Option
}

// Template implements Page.
func (*OfficeAdminPage) Template() string { return "office_admin" }

// DeskRow is a desk with its zone named.
type DeskRow struct {
	*distans.Desk
	ZoneName string
}

// DeskEditPage edits or ends one desk.
type DeskEditPage struct {
	Layout
	Site     *distans.Site
	Desk     *distans.Desk
	Form     *Form
	ZoneOpts []Option
}

// Template implements Page.
func (*DeskEditPage) Template() string { return "office_desk" }

// Checked reports whether a checkbox of the form is ticked.
func (f *Form) Checked(name string) bool { return f.Value(name) == "1" }
