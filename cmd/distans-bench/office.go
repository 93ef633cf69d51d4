package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/sqlstore"
)

// The desk dataset of issue 5: -office seeds it and runs the office
// scenarios instead of the people scenarios.

// officeSize is the shape of the desk dataset.
type officeSize struct {
	Orgs, People, Desks, Bookings int
}

var officeSizes = map[string]officeSize{
	// The size issue 5 asks for.
	"full": {Orgs: 20, People: 500, Desks: 200, Bookings: 20000},
	// Enough to see that everything works, in seconds on SQLite.
	"small": {Orgs: 2, People: 120, Desks: 40, Bookings: 1000},
}

// officeSites is how many sites an organisation's desks are spread over,
// and raceDesks how many desks the racing clients fight for. Four clients
// fight for each desk and day whatever the number of desks; with 16 desks
// the year's slots last a run of several seconds, where 4 were all taken
// in under two and the race measured its own warm-up.
const (
	officeSites   = 4
	raceDesks     = 16
	officeHorizon = 365
)

// officeData is what the office scenarios need from the seeding.
type officeData struct {
	orgID      string
	siteID     string   // the first site of the first organisation: availability is read there
	readToken  string   // a person of the first organisation
	raceSite   string   // a site made for this run, with raceDesks desks
	raceDesks  []string // its desk IDs
	raceTokens []string // one per racing client, each a different person without bookings
	racePeople []string // their person IDs, for the final check
}

// seedOffice creates, for each of size.Orgs organisations "office-NN",
// officeSites sites with size.Desks desks between them, size.People people
// and size.Bookings bookings, resuming whatever an earlier run left, with
// workers organisations at a time. Bookings go through BookRecurring, one
// transaction per person: person i books desk i every day from tomorrow for
// as many days as the total asks. Then it makes a race site for this run
// and API tokens.
func seedOffice(ctx context.Context, st *sqlstore.Store, size officeSize, workers, raceClients int, out io.Writer) (*officeData, error) {
	if size.Bookings > size.Desks*officeHorizon {
		return nil, fmt.Errorf("%d bookings do not fit on %d desks within %d days", size.Bookings, size.Desks, officeHorizon)
	}
	if size.People < size.Desks+raceClients {
		return nil, fmt.Errorf("%d people are too few for %d desks and %d racing clients", size.People, size.Desks, raceClients)
	}
	var people, bookings atomic.Int64
	start := time.Now()
	orgIDs := make([]string, size.Orgs)
	sem := make(chan struct{}, workers)
	errc := make(chan error, size.Orgs)
	var wg sync.WaitGroup
	for k := range size.Orgs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			id, err := seedOfficeOrg(ctx, st, k, size, &people, &bookings)
			if err != nil {
				errc <- fmt.Errorf("organisation %d: %w", k+1, err)
				return
			}
			orgIDs[k] = id
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "office dataset: %d organisations × %d people × %d desks × %d bookings; created %d people and %d bookings in %s",
		size.Orgs, size.People, size.Desks, size.Bookings, people.Load(), bookings.Load(), elapsed.Round(time.Millisecond))
	if b := bookings.Load(); b > 0 {
		fmt.Fprintf(out, " (%.0f bookings/s)", float64(b)/elapsed.Seconds())
	}
	fmt.Fprintln(out)

	// The readers and the racers, all in the first organisation.
	d := &officeData{orgID: orgIDs[0]}
	ctx = distans.NewContext(ctx, distans.SystemActor(d.orgID))
	sites, err := st.ListSites(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, s := range sites {
		if s.Name == officeSiteName(0) {
			d.siteID = s.ID
		}
	}
	staff, err := allPeople(ctx, st)
	if err != nil {
		return nil, err
	}
	byEmail := map[string]*distans.Person{}
	for _, p := range staff {
		byEmail[distans.NormalizeEmail(p.Email)] = p
	}
	signin := auth.New(auth.Config{Accounts: st, Organisations: st, People: st})
	token := func(email string) (*distans.Person, string, error) {
		p := byEmail[email]
		if p == nil {
			return nil, "", fmt.Errorf("no person %s", email)
		}
		as := distans.NewContext(ctx, &distans.Actor{OrganisationID: d.orgID, PersonID: p.ID, Name: p.Name})
		secret, _, err := signin.CreateAPIToken(as, "", tokenName)
		return p, secret, err
	}
	if _, d.readToken, err = token(officeEmail(0, 0)); err != nil {
		return nil, fmt.Errorf("reader token: %w", err)
	}
	for i := range raceClients {
		p, secret, err := token(officeEmail(0, size.Desks+i))
		if err != nil {
			return nil, fmt.Errorf("racer token: %w", err)
		}
		d.raceTokens, d.racePeople = append(d.raceTokens, secret), append(d.racePeople, p.ID)
	}
	// The racers are the same people every run, and a person holds one
	// desk at a time: bookings left by earlier runs' races would refuse them
	// the days they won before, and the race would measure that instead.
	cancelled := 0
	for _, pid := range d.racePeople {
		left, err := st.ListBookings(ctx, distans.BookingFilter{PersonID: pid})
		if err != nil {
			return nil, fmt.Errorf("racer bookings: %w", err)
		}
		for _, b := range left {
			if err := st.CancelBooking(ctx, b.ID); err != nil {
				return nil, fmt.Errorf("cancel racer booking: %w", err)
			}
			cancelled++
		}
	}
	if cancelled > 0 {
		fmt.Fprintf(out, "cancelled %d bookings left by earlier races\n", cancelled)
	}
	// A race site of its own each run, so that earlier runs' bookings do
	// not fill its slots.
	race := &distans.Site{OrganisationID: d.orgID, Name: "Tävlingshuset " + time.Now().Format("20060102-150405.000"), Kind: distans.SiteSatellite}
	if err := st.CreateSite(ctx, race); err != nil {
		return nil, fmt.Errorf("race site: %w", err)
	}
	d.raceSite = race.ID
	rules := distans.DefaultBookingRules
	rules.SiteID, rules.HorizonDays = race.ID, officeHorizon
	if err := st.SetBookingRules(ctx, &rules); err != nil {
		return nil, err
	}
	z := &distans.Zone{OrganisationID: d.orgID, SiteID: race.ID, Name: "Arenan"}
	if err := st.CreateZone(ctx, z); err != nil {
		return nil, err
	}
	for i := range raceDesks {
		desk := &distans.Desk{OrganisationID: d.orgID, ZoneID: z.ID, Label: fmt.Sprintf("R%d", i+1)}
		if err := st.CreateDesk(ctx, desk); err != nil {
			return nil, err
		}
		d.raceDesks = append(d.raceDesks, desk.ID)
	}
	return d, nil
}

func officeSiteName(i int) string { return fmt.Sprintf("Kontor %d", i+1) }

func officeEmail(org, i int) string { return fmt.Sprintf("p%04d@office-%02d.example", i, org+1) }

// seedOfficeOrg seeds organisation k and returns its ID.
func seedOfficeOrg(ctx context.Context, st *sqlstore.Store, k int, size officeSize, people, bookings *atomic.Int64) (string, error) {
	slug := fmt.Sprintf("office-%02d", k+1)
	sys := distans.NewContext(ctx, distans.SystemActor(""))
	o, err := st.FindOrganisationBySlug(sys, slug)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		o = &distans.Organisation{Slug: slug, Name: fmt.Sprintf("Kontorskommun %02d", k+1), TimeZone: "Europe/Stockholm",
			Language: "sv"}
		err = st.CreateOrganisation(sys, o)
	}
	if err != nil {
		return "", err
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))

	// One unit for everyone.
	units, err := st.ListUnits(ctx, distans.UnitFilter{})
	if err != nil {
		return "", err
	}
	var unitID string
	for _, u := range units {
		if u.ParentID == "" && u.Name == "Förvaltningen" {
			unitID = u.ID
		}
	}
	if unitID == "" {
		u := &distans.Unit{OrganisationID: o.ID, Name: "Förvaltningen", Kind: distans.UnitAdministration}
		if err := st.CreateUnit(ctx, u); err != nil {
			return "", err
		}
		unitID = u.ID
	}

	// Sites, zones of ten desks, desks, and rules that let bookings reach
	// a year ahead with no weekly maximum.
	sites, err := st.ListSites(ctx, false)
	if err != nil {
		return "", err
	}
	siteByName := map[string]string{}
	for _, s := range sites {
		siteByName[s.Name] = s.ID
	}
	var desks []string
	for si := range officeSites {
		name := officeSiteName(si)
		siteID := siteByName[name]
		if siteID == "" {
			s := &distans.Site{OrganisationID: o.ID, Name: name, Kind: distans.SiteMain, City: "Stockholm"}
			if err := st.CreateSite(ctx, s); err != nil {
				return "", err
			}
			siteID = s.ID
			rules := distans.DefaultBookingRules
			rules.SiteID, rules.HorizonDays = siteID, officeHorizon
			if err := st.SetBookingRules(ctx, &rules); err != nil {
				return "", err
			}
		}
		existing, err := st.ListDesks(ctx, siteID, false)
		if err != nil {
			return "", err
		}
		byLabel := map[string]string{}
		for _, d := range existing {
			byLabel[d.Label] = d.ID
		}
		zones, err := st.ListZones(ctx, siteID)
		if err != nil {
			return "", err
		}
		zoneByName := map[string]string{}
		for _, z := range zones {
			zoneByName[z.Name] = z.ID
		}
		n := size.Desks/officeSites + min(1, max(0, size.Desks%officeSites-si))
		for i := range n {
			label := fmt.Sprintf("%c%d", 'A'+i/10, i%10+1)
			if id := byLabel[label]; id != "" {
				desks = append(desks, id)
				continue
			}
			zname := fmt.Sprintf("Zon %c", 'A'+i/10)
			if zoneByName[zname] == "" {
				z := &distans.Zone{OrganisationID: o.ID, SiteID: siteID, Name: zname, Floor: fmt.Sprint(1 + i/40)}
				if err := st.CreateZone(ctx, z); err != nil {
					return "", err
				}
				zoneByName[zname] = z.ID
			}
			d := &distans.Desk{OrganisationID: o.ID, ZoneID: zoneByName[zname], Label: label, Screens: i % 3,
				HeightAdjustable: i%4 != 0, Quiet: i%10 == 9, Accessible: i%20 == 0}
			if err := st.CreateDesk(ctx, d); err != nil {
				return "", err
			}
			desks = append(desks, d.ID)
		}
	}

	// People p0000…, skipping those there.
	existing, err := allPeople(ctx, st)
	if err != nil {
		return "", err
	}
	byEmail := map[string]string{}
	for _, p := range existing {
		byEmail[distans.NormalizeEmail(p.Email)] = p.ID
	}
	ids := make([]string, size.People)
	for i := range size.People {
		email := officeEmail(k, i)
		if id := byEmail[email]; id != "" {
			ids[i] = id
			continue
		}
		p := &distans.Person{OrganisationID: o.ID, Name: fmt.Sprintf("Person %04d", i), Email: email, Language: "sv"}
		if err := st.CreatePerson(ctx, p); err != nil {
			return "", fmt.Errorf("person %d: %w", i, err)
		}
		if err := st.CreateEmployment(ctx, &distans.Employment{OrganisationID: o.ID, PersonID: p.ID, UnitID: unitID,
			Title: titles[i%len(titles)], StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			return "", fmt.Errorf("employment %d: %w", i, err)
		}
		ids[i] = p.ID
		people.Add(1)
	}

	// Bookings: person i on desk i, every day from tomorrow.
	today := distans.DateOf(time.Now().In(o.Location()))
	from := today.AddDate(0, 0, 1)
	all := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	for i, deskID := range desks {
		days := size.Bookings / len(desks)
		if i < size.Bookings%len(desks) {
			days++
		}
		if days == 0 {
			continue
		}
		until := from.AddDate(0, 0, days-1)
		have, err := st.ListBookings(ctx, distans.BookingFilter{PersonID: ids[i], From: from, To: until})
		if err != nil {
			return "", err
		}
		if len(have) >= days {
			continue
		}
		res, err := st.BookRecurring(ctx, distans.RecurringBooking{DeskID: deskID, PersonID: ids[i], Weekdays: all,
			Part: distans.PartDay, From: from, Until: until})
		if err != nil {
			return "", fmt.Errorf("bookings of desk %d: %w", i, err)
		}
		bookings.Add(int64(len(res.Booked)))
	}
	return o.ID, nil
}

// allPeople lists everyone in the actor's organisation, page by page.
func allPeople(ctx context.Context, st *sqlstore.Store) ([]*distans.Person, error) {
	var out []*distans.Person
	for after := ""; ; {
		page, pg, err := st.ListPeople(ctx, distans.PersonFilter{After: after, Limit: 500})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if after = pg.Next; after == "" {
			return out, nil
		}
	}
}
