package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestDemoOrganisations drives the API over the five demo organisations:
// each role's account sees its own organisation, the chef only their
// subtree, and nobody anything of the other four.
func TestDemoOrganisations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the demo organisations")
	}
	ctx := context.Background()
	store := storetest.SQLite(t)
	must(t, demo.Load(ctx, demo.Stores{Organisations: store, Units: store, Sites: store, People: store, Roles: store, Accounts: store,
		Policies: store, Documents: store}, nil))
	h, signin := newHandler(t, store)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{store: store, signin: signin, srv: srv, ids: map[string]string{}, tokens: map[string]string{}}

	orgs, err := store.ListOrganisations(ctx)
	must(t, err)
	if len(orgs) != 5 {
		t.Fatalf("%d demo organisations, want 5", len(orgs))
	}
	// token returns an API token for the demo account of role in org.
	token := func(org *distans.Organisation, role distans.Role) string {
		t.Helper()
		accs, err := store.FindAccounts(distans.NewContext(ctx, distans.SystemActor("")), demo.AccountEmail(org.Slug, role))
		must(t, err)
		for _, acc := range accs {
			if acc.OrganisationID != org.ID {
				continue
			}
			grants, err := store.Grants(distans.NewContext(ctx, distans.SystemActor(org.ID)), org.ID, acc.PersonID)
			must(t, err)
			actor := &distans.Actor{OrganisationID: org.ID, PersonID: acc.PersonID, Name: acc.Name, Grants: grants}
			secret, _, err := signin.CreateAPIToken(distans.NewContext(ctx, actor), "", "demo")
			must(t, err)
			return secret
		}
		t.Fatalf("no %s account in %s", role, org.Slug)
		return ""
	}
	type page struct {
		Items []struct {
			ID             string `json:"id"`
			OrganisationID string `json:"organisation_id"`
			UnitID         string `json:"unit_id"`
			PersonalNumber string `json:"personal_number"`
		} `json:"items"`
		Total int `json:"total"`
	}
	for _, org := range orgs {
		t.Run(org.Slug, func(t *testing.T) {
			admin, hr, chef := token(org, distans.RoleAdmin), token(org, distans.RoleHR), token(org, distans.RoleManager)
			var me struct {
				Organisation struct{ Slug string }
				Roles        []struct {
					Role   string `json:"role"`
					UnitID string `json:"unit_id"`
				}
			}
			e.doJSON(t, "GET", "/api/v1/me", chef, "", &me)
			if me.Organisation.Slug != org.Slug || len(me.Roles) == 0 {
				t.Fatalf("chef's me: %+v", me)
			}

			var all page
			e.doJSON(t, "GET", "/api/v1/people?limit=500", admin, "", &all)
			if all.Total < 50 || len(all.Items) != all.Total {
				t.Errorf("administrator sees %d of %d people", len(all.Items), all.Total)
			}
			for _, p := range all.Items {
				if p.OrganisationID != org.ID || p.PersonalNumber != "" {
					t.Fatalf("listed %+v", p)
				}
			}

			// The chef sees exactly the people whose unit is in the subtree of
			// the unit they manage.
			var units struct {
				Items []struct{ ID, Path string }
			}
			e.doJSON(t, "GET", "/api/v1/units?include_ended=true", chef, "", &units)
			var root string
			for _, u := range units.Items {
				for _, r := range me.Roles {
					if r.Role == "chef" && r.UnitID == u.ID {
						root = u.Path
					}
				}
			}
			inSubtree := map[string]bool{}
			for _, u := range units.Items {
				inSubtree[u.ID] = root != "" && strings.HasPrefix(u.Path, root)
			}
			var mine page
			e.doJSON(t, "GET", "/api/v1/people?limit=500", chef, "", &mine)
			want := 0
			for _, p := range all.Items {
				if inSubtree[p.UnitID] {
					want++
				}
			}
			if mine.Total != want || want == 0 || want == all.Total {
				t.Errorf("chef sees %d people, the subtree has %d of %d", mine.Total, want, all.Total)
			}
			for _, p := range mine.Items {
				if !inSubtree[p.UnitID] {
					t.Errorf("chef sees %s in unit %s outside the subtree", p.ID, p.UnitID)
				}
			}

			// The organisation runs its own seed pack, and its seed document
			// waits for acknowledgements that the manager can follow.
			var active struct {
				Version struct{ Version int } `json:"version"`
				Pack    struct{ Slug string } `json:"pack"`
			}
			e.doJSON(t, "GET", "/api/v1/policy", chef, "", &active)
			if active.Version.Version != 1 || active.Pack.Slug != org.Slug {
				t.Errorf("active pack: %+v", active)
			}
			var docs struct{ Items []struct{ ID string } }
			e.doJSON(t, "GET", "/api/v1/documents", chef, "", &docs)
			if len(docs.Items) == 0 {
				t.Errorf("no policy document")
			}
			e.doJSON(t, "GET", "/api/v1/documents/outstanding", chef, "", nil)
			var report struct {
				Blocking bool
				Findings []struct {
					RuleID string `json:"rule_id"`
				}
			}
			e.doJSON(t, "POST", "/api/v1/policy/check", chef, checkBody("agreement", longAgreement), &report)
			if org.Slug == "bjurholm" && (!report.Blocking || !strings.Contains(fmt.Sprint(report.Findings), "bjurholm-11-max-length")) {
				t.Errorf("Bjurholm lets an agreement run over a year: %+v", report)
			}

			// Nobody here finds a person of another organisation.
			for _, other := range orgs {
				if other.ID == org.ID {
					continue
				}
				var theirs page
				e.doJSON(t, "GET", "/api/v1/people?limit=1", token(other, distans.RoleAdmin), "", &theirs)
				if status, b := e.do(t, "GET", "/api/v1/people/"+theirs.Items[0].ID, hr, ""); status != 404 {
					t.Errorf("%s's HR reads a person of %s: %d %s", org.Slug, other.Slug, status, b)
				}
				break
			}

			// HR reveals a personal identity number, if someone has one, and
			// the reveal is in the audit trail.
			revealed := false
			for _, p := range all.Items {
				status, b := e.do(t, "POST", "/api/v1/people/"+p.ID+"/personal-number/reveal", hr, "")
				if status == 404 {
					continue // no number on record
				}
				var got struct {
					PersonalNumber string `json:"personal_number"`
				}
				if status != 200 || json.Unmarshal(b, &got) != nil || got.PersonalNumber == "" {
					t.Fatalf("reveal: %d %s", status, b)
				}
				_, b = e.do(t, "GET", "/api/v1/audit-events?action=person.secret_read&record_id="+p.ID, admin, "")
				if !strings.Contains(string(b), "person.secret_read") || strings.Contains(string(b), got.PersonalNumber) {
					t.Errorf("reveal audit: %s", b)
				}
				revealed = true
				break
			}
			if !revealed {
				t.Logf("no demo person in %s has a personal identity number", org.Slug)
			}
		})
	}
}
