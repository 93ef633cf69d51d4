package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/sqlstore"
)

const (
	benchSlug     = "bench"
	benchEmail    = "hr@bench.example"
	benchPassword = "Distans-bench-1"
	tokenName     = "distans-bench"
	fanOut        = 10 // förvaltningar, avdelningar per förvaltning, enheter per avdelning
	spreadFanOut  = 3  // the same in each organisation of -orgs beside the bench organisation
)

// seed fills the bench organisation in c.DSN and returns a fresh API token
// for the HR account. It creates only what is missing, so an interrupted
// seeding resumes; the store is closed before the server starts.
func seed(ctx context.Context, c *config, out io.Writer) (token string, err error) {
	st, err := sqlstore.Open(ctx, c.DSN)
	if err != nil {
		return "", err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return "", err
	}

	sys := distans.NewContext(ctx, distans.SystemActor(""))
	o, err := st.FindOrganisationBySlug(sys, benchSlug)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		o = &distans.Organisation{Slug: benchSlug, Name: "Bench – syntetisk organisation", TimeZone: "Europe/Stockholm",
			Language: "sv"}
		err = st.CreateOrganisation(sys, o)
	}
	if err != nil {
		return "", fmt.Errorf("organisation: %w", err)
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))

	site, err := benchSite(ctx, st, o.ID)
	if err != nil {
		return "", err
	}
	enheter, err := benchUnits(ctx, st, o.ID, fanOut, out)
	if err != nil {
		return "", err
	}
	hr, err := benchHR(ctx, st, o.ID, enheter[0], site)
	if err != nil {
		return "", err
	}

	_, pg, err := st.ListPeople(ctx, distans.PersonFilter{Limit: 1, ExactCount: true})
	if err != nil {
		return "", err
	}
	if total := pg.Total; total-1 < c.perOrg() { // the HR account is one of them
		if err := benchPeople(ctx, st, o.ID, enheter, site, 0, c.perOrg(), c.SeedWorkers, out); err != nil {
			return "", err
		}
	} else {
		fmt.Fprintf(out, "organisation %s already has %d people; not seeding\n", benchSlug, total)
	}
	if err := seedSpread(ctx, st, c, out); err != nil {
		return "", err
	}

	// A fresh token each run; the previous runs' tokens are revoked.
	old, err := st.ListAPITokens(ctx, o.ID, hr.ID)
	if err != nil {
		return "", err
	}
	for _, t := range old {
		if t.Name == tokenName && t.RevokedAt == nil {
			if err := st.RevokeAPIToken(ctx, o.ID, t.ID); err != nil {
				return "", err
			}
		}
	}
	grants, err := st.Grants(ctx, o.ID, hr.ID)
	if err != nil {
		return "", err
	}
	actor := &distans.Actor{OrganisationID: o.ID, PersonID: hr.ID, Name: hr.Name, Grants: grants}
	signin := auth.New(auth.Config{Accounts: st, Organisations: st, People: st})
	token, _, err = signin.CreateAPIToken(distans.NewContext(ctx, actor), "", tokenName)
	if err != nil {
		return "", fmt.Errorf("API token: %w", err)
	}
	return token, nil
}

func benchSite(ctx context.Context, st *sqlstore.Store, orgID string) (string, error) {
	sites, err := st.ListSites(ctx, true)
	if err != nil {
		return "", err
	}
	if len(sites) > 0 {
		return sites[0].ID, nil
	}
	s := &distans.Site{OrganisationID: orgID, Name: "Benchhuset", Kind: distans.SiteMain,
		Street: "Storgatan", PostalCode: "111 22", City: "Stockholm"}
	if err := st.CreateSite(ctx, s); err != nil {
		return "", fmt.Errorf("site: %w", err)
	}
	return s.ID, nil
}

// perOrg is how many people the bench organisation and each other of
// -orgs hold.
func (c *config) perOrg() int { return c.People / c.Orgs }

// seedSpread fills the organisations bench-002… beside the bench
// organisation, with perOrg people each (the people after the bench
// organisation's in the same numbering), their own tree of spreadFanOut³
// enheter and a site. An organisation that has its people is left alone.
func seedSpread(ctx context.Context, st *sqlstore.Store, c *config, out io.Writer) error {
	if c.Orgs == 1 {
		return nil
	}
	start := time.Now()
	for k := 2; k <= c.Orgs; k++ {
		slug := fmt.Sprintf("%s-%03d", benchSlug, k)
		sys := distans.NewContext(ctx, distans.SystemActor(""))
		o, err := st.FindOrganisationBySlug(sys, slug)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			o = &distans.Organisation{Slug: slug, Name: fmt.Sprintf("Bench %03d – syntetisk organisation", k),
				TimeZone: "Europe/Stockholm", Language: "sv"}
			err = st.CreateOrganisation(sys, o)
		}
		if err != nil {
			return fmt.Errorf("organisation %s: %w", slug, err)
		}
		octx := distans.NewContext(ctx, distans.SystemActor(o.ID))
		_, pg, err := st.ListPeople(octx, distans.PersonFilter{Limit: 1, ExactCount: true})
		if err != nil {
			return err
		}
		if pg.Total >= c.perOrg() {
			continue
		}
		site, err := benchSite(octx, st, o.ID)
		if err != nil {
			return err
		}
		enheter, err := benchUnits(octx, st, o.ID, spreadFanOut, io.Discard)
		if err != nil {
			return err
		}
		if err := benchPeople(octx, st, o.ID, enheter, site, (k-1)*c.perOrg(), c.perOrg(), c.SeedWorkers, io.Discard); err != nil {
			return err
		}
		if k%50 == 0 {
			fmt.Fprintf(out, "  %d organisations seeded (%s)\n", k, time.Since(start).Round(time.Second))
		}
	}
	fmt.Fprintf(out, "seeded %d more organisations of %d people in %s\n", c.Orgs-1, c.perOrg(), time.Since(start).Round(time.Millisecond))
	return nil
}

// benchUnits makes the tree of fan³ enheter and returns their IDs.
func benchUnits(ctx context.Context, st *sqlstore.Store, orgID string, fan int, out io.Writer) ([]string, error) {
	existing, err := st.ListUnits(ctx, distans.UnitFilter{IncludeEnded: true})
	if err != nil {
		return nil, err
	}
	byKey := map[string]string{}
	for _, u := range existing {
		byKey[u.ParentID+"/"+u.Name] = u.ID
	}
	created := 0
	unit := func(parent, name string, kind distans.UnitKind) (string, error) {
		if id := byKey[parent+"/"+name]; id != "" {
			return id, nil
		}
		u := &distans.Unit{OrganisationID: orgID, ParentID: parent, Name: name, Kind: kind}
		if err := st.CreateUnit(ctx, u); err != nil {
			return "", fmt.Errorf("unit %s: %w", name, err)
		}
		created++
		return u.ID, nil
	}
	var enheter []string
	for i := 1; i <= fan; i++ {
		f, err := unit("", fmt.Sprintf("Förvaltning %02d", i), distans.UnitAdministration)
		if err != nil {
			return nil, err
		}
		for j := 1; j <= fan; j++ {
			a, err := unit(f, fmt.Sprintf("Avdelning %02d.%02d", i, j), distans.UnitDepartment)
			if err != nil {
				return nil, err
			}
			for k := 1; k <= fan; k++ {
				e, err := unit(a, fmt.Sprintf("Enhet %02d.%02d.%02d", i, j, k), distans.UnitSection)
				if err != nil {
					return nil, err
				}
				enheter = append(enheter, e)
			}
		}
	}
	if created > 0 {
		fmt.Fprintf(out, "created %d units\n", created)
	}
	return enheter, nil
}

// benchHR returns the HR account, creating the person, employment, role and
// password as needed.
func benchHR(ctx context.Context, st *sqlstore.Store, orgID, unitID, siteID string) (*distans.Person, error) {
	page, _, err := st.ListPeople(ctx, distans.PersonFilter{Query: benchEmail, Limit: 10})
	if err != nil {
		return nil, err
	}
	var hr *distans.Person
	for _, p := range page {
		if distans.NormalizeEmail(p.Email) == benchEmail {
			hr = p
		}
	}
	if hr == nil {
		hr = &distans.Person{OrganisationID: orgID, Name: "Bench HR", Email: benchEmail, Language: "sv"}
		if err := st.CreatePerson(ctx, hr); err != nil {
			return nil, fmt.Errorf("HR person: %w", err)
		}
	}
	if hr.UnitID == "" {
		e := &distans.Employment{OrganisationID: orgID, PersonID: hr.ID, UnitID: unitID, Title: "HR-specialist",
			SiteID: siteID, StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
		if err := st.CreateEmployment(ctx, e); err != nil {
			return nil, fmt.Errorf("HR employment: %w", err)
		}
	}
	roles, err := st.ListRoleAssignments(ctx, distans.RoleFilter{PersonID: hr.ID, Role: distans.RoleHR})
	if err != nil {
		return nil, err
	}
	if len(roles) == 0 {
		if err := st.AssignRole(ctx, &distans.RoleAssignment{OrganisationID: orgID, PersonID: hr.ID, Role: distans.RoleHR}); err != nil {
			return nil, fmt.Errorf("HR role: %w", err)
		}
	}
	acc, err := st.FindAccount(ctx, orgID, hr.ID)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		return nil, err
	}
	if acc == nil || acc.PasswordHash == "" {
		h, err := auth.HashPassword(benchPassword)
		if err != nil {
			return nil, err
		}
		if err := st.SetPasswordHash(ctx, orgID, hr.ID, h); err != nil {
			return nil, fmt.Errorf("HR password: %w", err)
		}
	}
	return hr, nil
}

// benchPeople creates the n people p<from>… of the organisation, skipping
// those that exist, with workers goroutines. Names are drawn from the demo's
// name lists with a fixed seed per person, so that every bench database
// holds the same people.
func benchPeople(ctx context.Context, st *sqlstore.Store, orgID string, enheter []string, siteID string, from, n, workers int, out io.Writer) error {
	var next, created, skipped atomic.Int64
	next.Store(int64(from))
	start := time.Now()
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= from+n || ctx.Err() != nil {
					return
				}
				r := rand.New(rand.NewPCG(uint64(i), 42))
				p := &distans.Person{OrganisationID: orgID, Name: demo.PersonName(r),
					Email: fmt.Sprintf("p%06d@bench.example", i), Language: "sv",
					EmployeeNumber: fmt.Sprintf("B%06d", i)}
				err := st.CreatePerson(ctx, p)
				if distans.ErrorCode(err) == distans.ECONFLICT {
					skipped.Add(1)
					continue
				}
				if err == nil {
					err = st.CreateEmployment(ctx, &distans.Employment{OrganisationID: orgID, PersonID: p.ID,
						UnitID: enheter[i%len(enheter)], Title: titles[r.IntN(len(titles))], SiteID: siteID,
						StartsOn: time.Date(2000+r.IntN(26), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)})
				}
				if err != nil {
					errc <- fmt.Errorf("person %d: %w", i, err)
					return
				}
				if n := created.Add(1); n%5000 == 0 {
					fmt.Fprintf(out, "  %d people created (%.0f/s)\n", n, float64(n)/time.Since(start).Seconds())
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return err
	}
	fmt.Fprintf(out, "created %d people (%d already there) in %s\n", created.Load(), skipped.Load(), time.Since(start).Round(time.Millisecond))
	return ctx.Err()
}

var titles = []string{"Handläggare", "Administratör", "Utredare", "Samordnare", "Ekonom", "Socialsekreterare",
	"Undersköterska", "Lärare", "Förskollärare", "IT-tekniker", "Kommunikatör", "Bygglovshandläggare"}
