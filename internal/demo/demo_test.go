package demo_test

import (
	"context"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/demo"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

func stores(s *sqlstore.Store) demo.Stores {
	return demo.Stores{Organisations: s, Units: s, Sites: s, People: s, Roles: s, Accounts: s, Policies: s, Documents: s,
		Office: s, Availability: presence.New(s, policy.NewService(s, s), nil)}
}

// snapshot is what the test compares before and after a second Load: per
// organisation, the number of units, sites and people, the sequence
// number of the newest audit event, the number of policy versions and
// documents, and how many acknowledgements are outstanding.
type snapshot map[string][7]int64

func take(t *testing.T, s *sqlstore.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	list, err := s.ListOrganisations(distans.NewContext(ctx, distans.SystemActor("")))
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot{}
	for _, o := range list {
		octx := distans.NewContext(ctx, distans.SystemActor(o.ID))
		units, err := s.ListUnits(octx, distans.UnitFilter{IncludeEnded: true})
		if err != nil {
			t.Fatal(err)
		}
		sites, err := s.ListSites(octx, true)
		if err != nil {
			t.Fatal(err)
		}
		_, people, err := s.ListPeople(octx, distans.PersonFilter{Limit: 1, ExactCount: true})
		if err != nil {
			t.Fatal(err)
		}
		events, err := s.ListAuditEvents(octx, distans.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		var seq int64
		if len(events) > 0 {
			seq = events[0].Seq
		}
		versions, err := s.ListPolicyVersions(octx)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := s.ListDocuments(octx)
		if err != nil {
			t.Fatal(err)
		}
		outstanding, err := s.Outstanding(octx, "")
		if err != nil {
			t.Fatal(err)
		}
		snap[o.Slug] = [7]int64{int64(len(units)), int64(len(sites)), int64(people.Total), seq,
			int64(len(versions)), int64(len(docs)), int64(len(outstanding))}
	}
	return snap
}

func TestLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := demo.Load(ctx, stores(s), nil); err != nil {
			t.Fatal(err)
		}
		first := take(t, s)
		if len(first) != 5 {
			t.Fatalf("%d organisations, want 5: %v", len(first), first)
		}
		for slug, c := range first {
			if c[2] < 50 || c[2] > 200 {
				t.Errorf("%s: %d people, want 50–200", slug, c[2])
			}
			if c[3] == 0 {
				t.Errorf("%s: no audit events", slug)
			}
			if c[4] != 1 || c[5] != 1 {
				t.Errorf("%s: %d policy versions and %d documents, want 1 and 1", slug, c[4], c[5])
			}
			// About one in three has not acknowledged the document.
			if c[6] < c[2]/6 || c[6] > c[2]*2/3 {
				t.Errorf("%s: %d of %d people have not acknowledged", slug, c[6], c[2])
			}
		}

		t.Run("policy", func(t *testing.T) {
			for _, a := range demo.Accounts() {
				if a.Note != "" || (a.Role != distans.RoleManager && a.Role != distans.RoleEmployee) {
					continue
				}
				octx := orgContext(t, s, a.Org)
				v, err := s.ActivePolicyVersion(octx)
				if err != nil {
					t.Fatal(err)
				}
				pack, err := policy.Parse([]byte(v.Source))
				if err != nil {
					t.Fatal(err)
				}
				if v.Version != 1 || pack.Slug != a.Org || v.Reason != "Ursprunglig version enligt "+pack.Title {
					t.Errorf("%s: version %d of %s, reason %q", a.Org, v.Version, pack.Slug, v.Reason)
				}
				docs, _ := s.ListDocuments(octx)
				if len(docs) != 1 || docs[0].Title != pack.Title || !docs[0].Required || len(docs[0].Body) < 5000 {
					t.Fatalf("%s: documents %+v", a.Org, docs)
				}
				accs, err := s.FindAccounts(octx, a.Email)
				if err != nil {
					t.Fatal(err)
				}
				grants, err := s.Grants(octx, accs[0].OrganisationID, accs[0].PersonID)
				if err != nil {
					t.Fatal(err)
				}
				as := distans.NewContext(ctx, &distans.Actor{OrganisationID: accs[0].OrganisationID, PersonID: accs[0].PersonID,
					Name: a.Name, Grants: grants})
				switch a.Role {
				case distans.RoleEmployee:
					pending, err := s.Pending(as)
					if err != nil || len(pending) != 1 || pending[0].ID != docs[0].ID {
						t.Errorf("%s: the medarbetare's pending documents: %v %v", a.Org, pending, err)
					}
				case distans.RoleManager:
					out, err := s.Outstanding(as, "")
					if err != nil || len(out) == 0 {
						t.Errorf("%s: the chef's outstanding list: %d %v", a.Org, len(out), err)
					}
					if all, _ := s.Outstanding(octx, ""); len(out) >= len(all) {
						t.Errorf("%s: the chef sees %d of %d outstanding, want a subtree", a.Org, len(out), len(all))
					}
					acks, err := s.ListAcknowledgements(as, accs[0].PersonID)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%s: the chef sees %d outstanding; has acknowledged %d", a.Org, len(out), len(acks))
				}
			}
		})

		t.Run("named units and sites", func(t *testing.T) {
			for slug, names := range map[string][]string{
				"stockholm": {"Kulturförvaltningen", "Evenemangsavdelningen", "Liljevalchs konsthall",
					"Administrativa staben", "Kulturstrategiska staben", "Kommunikationsstaben"},
				"vara": {"FUS", "Socialförvaltningen", "Bildningsförvaltningen", "Tekniska förvaltningen",
					"Miljö- och byggnadsförvaltningen"},
				"kristianstad": {"Avdelningen för skydd och säkerhet", "IT-avdelningen"},
				"sorsele":      {"Kanslienheten", "IT-enheten"},
			} {
				octx := orgContext(t, s, slug)
				units, err := s.ListUnits(octx, distans.UnitFilter{})
				if err != nil {
					t.Fatal(err)
				}
				for _, name := range names {
					i := slices.IndexFunc(units, func(u *distans.Unit) bool { return u.Name == name })
					if i < 0 {
						t.Errorf("%s: no unit %s", slug, name)
					} else if units[i].ManagerID == "" {
						t.Errorf("%s: unit %s has no manager", slug, name)
					}
				}
			}
			sites, err := s.ListSites(orgContext(t, s, "stockholm"), false)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"Askebykroken", "Medborgarhuset", "Tranströmerbiblioteket"} {
				if !slices.ContainsFunc(sites, func(x *distans.Site) bool { return x.Name == name }) {
					t.Errorf("stockholm: no site %s", name)
				}
			}
		})

		t.Run("accounts", func(t *testing.T) {
			for _, a := range demo.Accounts() {
				accs, err := s.FindAccounts(distans.NewContext(ctx, distans.SystemActor("")), a.Email)
				if err != nil {
					t.Fatalf("%s: %v", a.Email, err)
				}
				i := slices.IndexFunc(accs, func(x *distans.Account) bool { return x.OrgSlug == a.Org })
				if i < 0 {
					t.Errorf("%s: no account in %s", a.Email, a.Org)
					continue
				}
				acc := accs[i]
				if acc.PasswordHash == "" || acc.Ended {
					t.Errorf("%s in %s: no password or ended", a.Email, a.Org)
				}
				grants, err := s.Grants(distans.NewContext(ctx, distans.SystemActor(acc.OrganisationID)), acc.OrganisationID, acc.PersonID)
				if err != nil {
					t.Fatal(err)
				}
				switch a.Role {
				case distans.RoleEmployee:
					if len(grants) != 0 {
						t.Errorf("%s: grants %v, want none", a.Email, grants)
					}
				case distans.RoleManager:
					if !slices.ContainsFunc(grants, func(g distans.Grant) bool { return g.Role == a.Role && g.UnitID != "" }) {
						t.Errorf("%s: grants %v, want chef of a unit", a.Email, grants)
					}
				default:
					if !slices.ContainsFunc(grants, func(g distans.Grant) bool { return g.Role == a.Role && g.UnitPath == "" }) {
						t.Errorf("%s: grants %v, want %s in the whole organisation", a.Email, grants, a.Role)
					}
				}
			}
			accs, err := s.FindAccounts(distans.NewContext(ctx, distans.SystemActor("")), "it-konsult@demo.example")
			if err != nil || len(accs) != 2 {
				t.Errorf("shared consultant: %d accounts, err %v; want 2", len(accs), err)
			}
		})

		t.Run("office and availability", func(t *testing.T) { testOffice(t, s) })

		t.Run("second load changes nothing", func(t *testing.T) {
			if err := demo.Load(ctx, stores(s), nil); err != nil {
				t.Fatal(err)
			}
			if second := take(t, s); !maps.Equal(first, second) {
				t.Errorf("second Load changed counts or wrote audit events:\nfirst  %v\nsecond %v", first, second)
			}
		})
	})
}

func orgContext(t *testing.T, s *sqlstore.Store, slug string) context.Context {
	t.Helper()
	ctx := context.Background()
	o, err := s.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), slug)
	if err != nil {
		t.Fatal(err)
	}
	return distans.NewContext(ctx, distans.SystemActor(o.ID))
}

var updateReadme = flag.Bool("update-readme", false, "write the demo account table into README.md after the marker")

// readmeMarker is the line in README.md that the demo account table follows.
const readmeMarker = "<!-- demo-accounts -->"

// TestReadmeAccounts checks that the README lists the demo accounts as
// AccountsMarkdown renders them, once README.md exists and carries the
// marker comment. With -update-readme it writes the table after the marker,
// replacing the table lines that follow it:
//
//	go test ./internal/demo -run TestReadmeAccounts -update-readme
func TestReadmeAccounts(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), readmeMarker) {
		t.Skip("README.md has no " + readmeMarker + " marker yet")
	}
	table := demo.AccountsMarkdown()
	if *updateReadme {
		b = []byte(splice(string(b), table))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(string(b), table); n != 1 {
		t.Errorf("README.md contains the demo account table %d times, want once; run\n"+
			"\tgo test ./internal/demo -run TestReadmeAccounts -update-readme\nto write it after %s", n, readmeMarker)
	}
}

// splice puts table right after the marker line of readme, in place of the
// table lines already there.
func splice(readme, table string) string {
	before, after, _ := strings.Cut(readme, readmeMarker+"\n")
	lines := strings.SplitAfter(after, "\n")
	i := 0
	for i < len(lines) && strings.HasPrefix(lines[i], "|") {
		i++
	}
	return before + readmeMarker + "\n" + table + strings.Join(lines[i:], "")
}

func TestSplice(t *testing.T) {
	t.Parallel()
	table := "| a |\n|---|\n| 1 |\n"
	for _, readme := range []string{
		"# R\n" + readmeMarker + "\n\n## Next\n",
		"# R\n" + readmeMarker + "\n| old |\n|---|\n\n## Next\n",
		"# R\n" + readmeMarker + "\n" + table + "\n## Next\n",
	} {
		got := splice(readme, table)
		if want := "# R\n" + readmeMarker + "\n" + table + "\n## Next\n"; got != want {
			t.Errorf("splice(%q) = %q, want %q", readme, got, want)
		}
	}
}
