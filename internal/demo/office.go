package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The hybrid office and availability of the demo (issue 5). What is not
// tied to a date (zones, desks, rules, phone hours, on-call phones,
// keywords) comes from the plan's random source and is the same on every
// installation. What is (bookings, the team day, today's statuses,
// redirects, on-call duty) is worked out from today in Europe/Stockholm
// with a source seeded by the organisation and the date, so a second Load
// on the same day plans the same things, finds them and writes nothing.

// officeSpec is how a site is furnished and how full it is.
type officeSpec struct {
	desks int     // 10–40
	fill  float64 // share of desks booked on a weekday
	rules distans.BookingRules
}

// officeFor says how the site is furnished. In Stockholm people crowd into
// Medborgarhuset and Tranströmerbiblioteket while Askebykroken has free
// desks (000 §4c).
func officeFor(slug string, s siteSpec, r *rand.Rand) officeSpec {
	rules := distans.DefaultBookingRules
	rules.HorizonDays = 28
	o := officeSpec{desks: 20 + r.IntN(21), fill: 0.45, rules: rules}
	if s.Kind == distans.SiteSatellite {
		o.desks, o.fill = 10+r.IntN(7), 0.3
	}
	switch {
	case slug == "stockholm" && (s.Name == "Medborgarhuset" || s.Name == "Tranströmerbiblioteket"):
		o.desks, o.fill = 14+r.IntN(6), 0.95
		o.rules.CheckInRequired, o.rules.CongestionPercent, o.rules.MaxPerWeek = true, 80, 3
	case slug == "stockholm" && s.Name == "Askebykroken":
		o.desks, o.fill = 40, 0.2
	case slug == "stockholm":
		o.desks, o.fill = 12, 0.5
	}
	return o
}

// zoneNames are the zones of a site; the second is quiet, the third has
// the accessible desks.
var zoneNames = [][2]string{{"Kontorslandskap", "Plan 2"}, {"Tyst zon", "Plan 3"}, {"Entréplan", "Plan 1"}}

// office furnishes every site and books desks for the current and the next
// week; it is left out when Stores.Office is nil.
func (w *orgLoad) office(ctx context.Context) error {
	if w.s.Office == nil {
		return nil
	}
	r := w.plan.rand("office")
	specs := map[string]officeSpec{}
	desks := map[string][]*distans.Desk{} // by site ID
	for _, ss := range w.plan.spec.Sites {
		siteID := w.siteIDs[ss.Name]
		o := officeFor(w.org.Slug, ss, r)
		specs[siteID] = o
		list, err := w.furnish(ctx, siteID, o, r)
		if err != nil {
			return fmt.Errorf("furnish %s: %w", ss.Name, err)
		}
		desks[siteID] = list
		rules, err := w.s.Office.BookingRules(ctx, siteID)
		if err != nil {
			return fmt.Errorf("booking rules of %s: %w", ss.Name, err)
		}
		want := o.rules
		want.SiteID, want.OrganisationID = siteID, w.org.ID
		if rules.HorizonDays != want.HorizonDays || rules.MaxPerWeek != want.MaxPerWeek || rules.CheckInRequired != want.CheckInRequired ||
			rules.ReleaseAt != want.ReleaseAt || rules.PMReleaseAt != want.PMReleaseAt || rules.CongestionPercent != want.CongestionPercent {
			if err := w.s.Office.SetBookingRules(ctx, &want); err != nil {
				return fmt.Errorf("set booking rules of %s: %w", ss.Name, err)
			}
			w.n.rules++
		}
	}
	if err := w.bookings(ctx, specs, desks); err != nil {
		return err
	}
	return w.teamDay(ctx)
}

// furnish finds the site's zones and desks by name and label and creates
// those missing.
func (w *orgLoad) furnish(ctx context.Context, siteID string, o officeSpec, r *rand.Rand) ([]*distans.Desk, error) {
	zones, err := w.s.Office.ListZones(ctx, siteID)
	if err != nil {
		return nil, err
	}
	zoneByName := map[string]*distans.Zone{}
	for _, z := range zones {
		zoneByName[z.Name] = z
	}
	existing, err := w.s.Office.ListDesks(ctx, siteID, true)
	if err != nil {
		return nil, err
	}
	deskByLabel := map[string]*distans.Desk{}
	for _, d := range existing {
		deskByLabel[d.Label] = d
	}
	nz := min(len(zoneNames), 1+o.desks/12)
	var out []*distans.Desk
	for i := 0; i < o.desks; i++ {
		zi := i % nz
		zn := zoneNames[zi]
		z := zoneByName[zn[0]]
		if z == nil {
			z = &distans.Zone{OrganisationID: w.org.ID, SiteID: siteID, Name: zn[0], Floor: zn[1]}
			if err := w.s.Office.CreateZone(ctx, z); err != nil {
				return nil, fmt.Errorf("zone %s: %w", zn[0], err)
			}
			zoneByName[z.Name] = z
			w.n.zones++
		}
		// Drawn for every desk, created or not, so that the attributes do
		// not depend on what exists.
		screens, height := r.IntN(3), r.IntN(10) < 7
		label := fmt.Sprintf("%c%d", 'A'+zi, i/nz+1)
		d := deskByLabel[label]
		if d == nil {
			d = &distans.Desk{OrganisationID: w.org.ID, ZoneID: z.ID, Label: label, Screens: screens,
				HeightAdjustable: height, Quiet: zi == 1, Accessible: zi == 2 || i == 0}
			if err := w.s.Office.CreateDesk(ctx, d); err != nil {
				return nil, fmt.Errorf("desk %s: %w", label, err)
			}
			w.n.desks++
		}
		out = append(out, d)
	}
	return out, nil
}

// weekDates returns the weekdays from today to the Friday of next week.
func weekDates(today time.Time) []time.Time {
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	var out []time.Time
	for i := range 12 {
		d := monday.AddDate(0, 0, i)
		if d.Before(today) || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		out = append(out, d)
	}
	return out
}

// bookings books each site to its fill on every weekday of this and next
// week, people of the site first; about one in six books half a day. A
// person who already has a booking that day (any status: a cancelled or
// released one was their choice) is left alone, and so is a desk someone
// else has taken.
func (w *orgLoad) bookings(ctx context.Context, specs map[string]officeSpec, desks map[string][]*distans.Desk) error {
	today := w.today(ctx)
	dates := weekDates(today)
	if len(dates) == 0 {
		return nil
	}
	held := map[string]bool{}   // person ID + date
	perWeek := map[string]int{} // person ID + site ID + Monday, for the weekly maximum
	week := func(personID, siteID string, d time.Time) string {
		return personID + siteID + day(d.AddDate(0, 0, -((int(d.Weekday())+6)%7)))
	}
	for _, q := range w.people {
		list, err := w.s.Office.ListBookings(ctx, distans.BookingFilter{PersonID: q.ID, From: today, To: dates[len(dates)-1], IncludeInactive: true})
		if err != nil {
			return fmt.Errorf("list bookings of %s: %w", q.Email, err)
		}
		for _, b := range list {
			held[b.PersonID+day(b.Date)] = true
			if b.Status.Active() {
				perWeek[week(b.PersonID, b.SiteID, b.Date)]++
			}
		}
	}
	for _, date := range dates {
		r := w.plan.rand("bookings " + day(date))
		order := r.Perm(len(w.people))
		used := map[int]bool{}
		for _, ss := range w.plan.spec.Sites {
			siteID := w.siteIDs[ss.Name]
			o, list := specs[siteID], desks[siteID]
			n := int(float64(len(list))*o.fill + 0.5)
			// Home-site people first, then anyone: the crowded sites draw
			// people from elsewhere too.
			var pick []int
			for pass := range 2 {
				for _, i := range order {
					if len(pick) == n {
						break
					}
					home := w.plan.people[i].Site == ss.Name
					full := o.rules.MaxPerWeek > 0 && perWeek[week(w.people[i].ID, siteID, date)] >= o.rules.MaxPerWeek
					if used[i] || full || home != (pass == 0) || w.plan.people[i].Leave != nil {
						continue
					}
					used[i] = true
					pick = append(pick, i)
				}
			}
			for k, i := range pick {
				part := distans.PartDay
				switch r.IntN(12) {
				case 0:
					part = distans.PartAM
				case 1:
					part = distans.PartPM
				}
				q := w.people[i]
				if held[q.ID+day(date)] {
					continue
				}
				b := &distans.Booking{OrganisationID: w.org.ID, DeskID: list[k].ID, PersonID: q.ID, Date: date, Part: part}
				err := w.s.Office.Book(ctx, b)
				if code := distans.ErrorCode(err); code == distans.ECONFLICT {
					continue // the desk is taken, or the week's maximum reached
				} else if err != nil {
					return fmt.Errorf("book %s for %s on %s: %w", list[k].Label, q.Email, day(date), err)
				}
				held[q.ID+day(date)] = true
				perWeek[week(q.ID, siteID, date)]++
				w.n.bookings++
			}
		}
	}
	return nil
}

// teamDay sets a team day for the chef's unit on the Tuesday of next week,
// unless the unit has one in the next two weeks.
func (w *orgLoad) teamDay(ctx context.Context) error {
	unit := w.units[w.plan.unitIndex(w.plan.spec.ChefUnit)]
	today := w.today(ctx)
	existing, err := w.s.Office.ListTeamDays(ctx, unit.ID, today, today.AddDate(0, 0, 14))
	if err != nil {
		return fmt.Errorf("list team days: %w", err)
	}
	for _, d := range existing {
		if d.UnitID == unit.ID {
			return nil
		}
	}
	monday := today.AddDate(0, 0, 7-(int(today.Weekday())+6)%7)
	d := &distans.TeamDay{OrganisationID: w.org.ID, UnitID: unit.ID, Date: monday.AddDate(0, 0, 1),
		Note: "Gemensam dag på kontoret: planering och fika kl. 10."}
	if err := w.s.Office.SetTeamDay(ctx, d); err != nil {
		return fmt.Errorf("set team day: %w", err)
	}
	w.n.teamDays++
	return nil
}

// availability sets today's statuses for some people, a redirect or two,
// Sorsele's phone hours and on-call phones, and directory keywords for most
// people; it is left out when Stores.Availability is nil.
func (w *orgLoad) availability(ctx context.Context) error {
	if w.s.Availability == nil {
		return nil
	}
	for _, step := range []func(context.Context) error{w.keywords, w.statuses, w.redirects, w.phoneHours, w.onCall} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// hasKeywords reports whether a planned person keeps directory keywords:
// about four in five, never the medarbetare demo account, so that its chef
// sees whom to remind.
func hasKeywords(p plannedPerson) bool {
	if p.Account && p.Role == distans.RoleEmployee {
		return false
	}
	return hash(p.Email)%5 != 0
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// keywords gives most people keywords from their title and unit, and some
// a work mobile, unless they have a profile already.
func (w *orgLoad) keywords(ctx context.Context) error {
	for i, pp := range w.plan.people {
		if !hasKeywords(pp) {
			continue
		}
		q := w.people[i]
		prof, err := w.s.Availability.FindDirectoryProfile(ctx, q.ID)
		if err != nil {
			return fmt.Errorf("directory profile of %s: %w", pp.Email, err)
		}
		if len(prof.Keywords) > 0 || prof.WorkMobile != "" {
			continue
		}
		kws := []string{strings.ToLower(pp.Title), w.plan.units[pp.Unit].Name}
		if extra := titleKeywords[pp.Title]; extra != "" {
			kws = append(kws, strings.Split(extra, ",")...)
		}
		d := &distans.DirectoryProfile{OrganisationID: w.org.ID, PersonID: q.ID, Keywords: kws}
		if h := hash(pp.Email + "mobile"); h%3 == 0 {
			d.WorkMobile = fmt.Sprintf("070-174 06 %02d", 5+h%95)
		}
		if err := w.s.Availability.SaveDirectoryProfile(ctx, d); err != nil {
			return fmt.Errorf("save keywords of %s: %w", pp.Email, err)
		}
		w.n.keywords++
	}
	return nil
}

// titleKeywords are what callers ask the switchboard for.
var titleKeywords = map[string]string{
	"Bygglovshandläggare": "bygglov,bygganmälan,attefall",
	"Socialsekreterare":   "försörjningsstöd,orosanmälan",
	"Registrator":         "diarium,allmänna handlingar,post",
	"HR-konsult":          "rekrytering,arbetsmiljö",
	"Lönespecialist":      "lön,semester,frånvaro",
	"IT-tekniker":         "dator,lösenord,support",
	"Miljöinspektör":      "tillsyn,avlopp,buller",
	"Bibliotekarie":       "lån,e-böcker,läsfrämjande",
	"Nämndsekreterare":    "protokoll,sammanträden",
	"Växeltelefonist":     "växel,telefon",
}

// statuses sets today's status for about one person in three: those
// booked at a site today are there, the rest remote or away with a private
// reason that only they see.
func (w *orgLoad) statuses(ctx context.Context) error {
	now := distans.NowFrom(ctx)
	today := w.today(ctx)
	loc := w.org.Location()
	r := w.plan.rand("statuses " + day(today))
	booked := map[string]string{} // person ID → site ID
	if w.s.Office != nil {
		for _, q := range w.people {
			list, err := w.s.Office.ListBookings(ctx, distans.BookingFilter{PersonID: q.ID, From: today, To: today})
			if err != nil {
				return fmt.Errorf("list bookings of %s: %w", q.Email, err)
			}
			for _, b := range list {
				booked[q.ID] = b.SiteID
			}
		}
	}
	tomorrow := time.Date(today.Year(), today.Month(), today.Day()+1, 8, 0, 0, 0, loc)
	for i, q := range w.people {
		roll := r.IntN(9) // drawn for everyone, so the choice does not depend on the store
		if w.plan.people[i].Account && roll > 5 {
			roll = 5 // the demo accounts are never away, to keep the demo usable
		}
		d := &distans.DayStatus{OrganisationID: w.org.ID, PersonID: q.ID, Date: today}
		switch {
		case booked[q.ID] != "":
			d.Kind, d.SiteID = distans.StatusAtSite, booked[q.ID]
		case roll < 2:
			d.Kind = distans.StatusRemote
		case roll == 8:
			d.Kind, d.BackAt = distans.StatusAway, &tomorrow
			d.Reason = []string{"Sjuk", "Vård av barn", "Tandläkarbesök", "Semester"}[hash(q.Email)%4]
		default:
			continue
		}
		set, err := w.s.Availability.ListStatuses(ctx, q.ID, today, today)
		if err != nil {
			return fmt.Errorf("statuses of %s: %w", q.Email, err)
		}
		if len(set) > 0 {
			continue
		}
		if err := w.s.Availability.SetStatus(ctx, d, now); err != nil {
			return fmt.Errorf("set status of %s: %w", q.Email, err)
		}
		w.n.statuses++
	}
	return nil
}

// redirects redirects two people of the chef's unit (never the demo
// accounts): one in a meeting until two hours from now, calls to the
// switchboard; one away until the next working day 08:00, calls to the
// unit's manager.
func (w *orgLoad) redirects(ctx context.Context) error {
	now := distans.NowFrom(ctx)
	loc := w.org.Location()
	local := now.In(loc)
	startOfDay := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	chefUnit := w.plan.unitIndex(w.plan.spec.ChefUnit)
	manager := w.people[w.plan.units[chefUnit].Manager]
	var who []int
	for i, pp := range w.plan.people {
		if pp.Unit == chefUnit && !pp.Account && w.people[i].ID != manager.ID && len(who) < 2 {
			who = append(who, i)
		}
	}
	meeting := local.Truncate(time.Hour).Add(2 * time.Hour)
	next := startOfDay.AddDate(0, 0, 1)
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = next.AddDate(0, 0, 1)
	}
	next = next.Add(8 * time.Hour)
	for k, i := range who {
		q := w.people[i]
		// Found from the start of the day, so that one that lapsed since
		// the first Load today is not made again.
		if _, err := w.s.Availability.FindRedirect(ctx, q.ID, startOfDay); err == nil {
			continue
		} else if distans.ErrorCode(err) != distans.ENOTFOUND {
			return fmt.Errorf("find redirect of %s: %w", q.Email, err)
		}
		r := &distans.Redirect{OrganisationID: w.org.ID, PersonID: q.ID, Phone: distans.PhonePersonal,
			Text: "I möte, åter " + meeting.Format("15:04"), Until: &meeting, Target: distans.RedirectSwitchboard}
		if k == 1 {
			r.Text, r.Until, r.Target, r.ColleagueID = "Ledig, åter "+swedishWeekday(next)+" 08:00", &next, distans.RedirectColleague, manager.ID
		}
		if err := w.s.Availability.SetRedirect(ctx, r, now); err != nil {
			return fmt.Errorf("redirect %s: %w", q.Email, err)
		}
		w.n.redirects++
	}
	return nil
}

func swedishWeekday(t time.Time) string {
	return []string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"}[t.Weekday()]
}

// phoneHours gives every Sorsele unit phone hours that meet its pack (004
// §3: none without the kommunchef's exception, which is recorded with them;
// at least five hours a week, at least one hour a session): every weekday
// 09:00–10:00, and 13:00–14:00 on Tuesdays and Thursdays.
func (w *orgLoad) phoneHours(ctx context.Context) error {
	if w.org.Slug != "sorsele" {
		return nil
	}
	var sessions []distans.PhoneSession
	for _, d := range distans.Weekdays[:5] {
		sessions = append(sessions, distans.PhoneSession{Weekday: d, Start: "09:00", End: "10:00"})
		if d == "tue" || d == "thu" {
			sessions = append(sessions, distans.PhoneSession{Weekday: d, Start: "13:00", End: "14:00"})
		}
	}
	for _, u := range w.units {
		if _, err := w.s.Availability.FindPhoneHours(ctx, u.ID); err == nil {
			continue
		} else if distans.ErrorCode(err) != distans.ENOTFOUND {
			return fmt.Errorf("phone hours of %s: %w", u.Name, err)
		}
		h := &distans.PhoneHours{OrganisationID: w.org.ID, UnitID: u.ID, Sessions: sessions,
			Exception: &distans.PhoneHoursDecision{Reason: "Kommunchefens undantag: enheten tar emot samtal från medborgare på fasta tider."}}
		if err := w.s.Availability.SavePhoneHours(ctx, h, distans.NowFrom(ctx)); err != nil {
			return fmt.Errorf("save phone hours of %s: %w", u.Name, err)
		}
		w.n.phoneHours++
	}
	return nil
}

// onCall gives every Sorsele unit an on-call phone (jourtelefon) with its
// manager on duty this week, Monday 00:00 to Monday 00:00.
func (w *orgLoad) onCall(ctx context.Context) error {
	if w.org.Slug != "sorsele" {
		return nil
	}
	phones, err := w.s.Availability.ListOnCallPhones(ctx, "")
	if err != nil {
		return fmt.Errorf("list on-call phones: %w", err)
	}
	byUnit := map[string]*distans.OnCallPhone{}
	for _, p := range phones {
		byUnit[p.UnitID] = p
	}
	now := distans.NowFrom(ctx)
	loc := w.org.Location()
	today := w.today(ctx)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	starts := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	for i, u := range w.units {
		p := byUnit[u.ID]
		if p == nil {
			// Numbers from the series kept for fiction, like the people's.
			p = &distans.OnCallPhone{OrganisationID: w.org.ID, UnitID: u.ID, Name: "Jourtelefon " + u.Name,
				Number: fmt.Sprintf("070-174 06 %02d", 60+i%40)}
			if err := w.s.Availability.CreateOnCallPhone(ctx, p); err != nil {
				return fmt.Errorf("on-call phone of %s: %w", u.Name, err)
			}
			w.n.onCallPhones++
		}
		duties, err := w.s.Availability.ListOnCallDuties(ctx, p.ID, now, now.Add(time.Second))
		if err != nil {
			return fmt.Errorf("on-call duties of %s: %w", u.Name, err)
		}
		if len(duties) > 0 {
			continue
		}
		d := &distans.OnCallDuty{OrganisationID: w.org.ID, PhoneID: p.ID, PersonID: w.people[w.plan.units[i].Manager].ID,
			Starts: starts, Ends: starts.AddDate(0, 0, 7)}
		if err := w.s.Availability.AddOnCallDuty(ctx, d); err != nil && distans.ErrorCode(err) != distans.ECONFLICT {
			return fmt.Errorf("on-call duty of %s: %w", u.Name, err)
		} else if err == nil {
			w.n.onCallDuties++
		}
	}
	return nil
}

// today is the organisation's calendar day at the load's instant.
func (w *orgLoad) today(ctx context.Context) time.Time { return w.org.Today(distans.NowFrom(ctx)) }

// rand returns a source for one purpose in this organisation's plan.
func (p *plan) rand(purpose string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(p.spec.Slug + "/" + purpose))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
