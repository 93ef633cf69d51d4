package demo

import (
	"reflect"
	"strings"
	"testing"

	"github.com/distans/distans"
)

func TestPlans(t *testing.T) {
	t.Parallel()
	for i := range orgs {
		spec := &orgs[i]
		t.Run(spec.Slug, func(t *testing.T) {
			t.Parallel()
			p := newPlan(spec)
			if !reflect.DeepEqual(p, newPlan(spec)) {
				t.Fatal("two plans of the same spec differ")
			}
			names := map[string]bool{}
			for i, u := range p.units {
				if names[u.Name] {
					t.Errorf("unit name %q twice", u.Name)
				}
				names[u.Name] = true
				if u.Manager < 0 || p.people[u.Manager].Unit != i {
					t.Errorf("unit %q: manager missing or employed elsewhere", u.Name)
				}
			}
			if n := len(p.people); n < 50 || n > 200 {
				t.Errorf("%d people, want 50–200", n)
			}
			emails := map[string]bool{}
			var withPnr, withLeave int
			for _, q := range p.people {
				if emails[q.Email] {
					t.Errorf("e-mail %s twice", q.Email)
				}
				emails[q.Email] = true
				if excludedNames[q.Name] {
					t.Errorf("%s is a real person in the seed documents", q.Name)
				}
				person := &distans.Person{Name: q.Name, Email: q.Email, Phone: q.Phone,
					EmployeeNumber: q.EmployeeNumber, PersonalNumber: q.PersonalNumber, Language: q.Language}
				if err := person.Validate(); err != nil {
					t.Errorf("%s: %v", q.Email, err)
				}
				if q.PersonalNumber != "" {
					withPnr++
					if n, ok := distans.NormalizePersonalNumber(q.PersonalNumber); !ok || n != q.PersonalNumber {
						t.Errorf("personal number %s: normalised %q, valid %v", q.PersonalNumber, n, ok)
					}
				}
				if q.Leave != nil {
					withLeave++
				}
				if q.Title == "" || q.Site == "" {
					t.Errorf("%s: no title or site", q.Email)
				}
			}
			if withPnr == 0 || withLeave == 0 {
				t.Errorf("%d with personal numbers, %d with leave; want some of each", withPnr, withLeave)
			}
			for _, s := range spec.Sites {
				site := &distans.Site{Name: s.Name, Kind: s.Kind, Street: s.Street, PostalCode: s.PostalCode, City: s.City}
				if err := site.Validate(); err != nil {
					t.Errorf("site %s: %v", s.Name, err)
				}
			}
		})
	}
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	accounts := Accounts()
	if want := len(orgs)*len(distans.Roles) + len(shared.Units); len(accounts) != want {
		t.Fatalf("%d accounts, want %d", len(accounts), want)
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		key := a.Org + " " + a.Email
		if seen[key] {
			t.Errorf("%s twice", key)
		}
		seen[key] = true
		if a.Password != Password {
			t.Errorf("%s: password %q", a.Email, a.Password)
		}
		if a.Email != shared.Email && a.Email != AccountEmail(a.Org, a.Role) {
			t.Errorf("%s in %s: not the scheme <role>@<slug>.example", a.Email, a.Org)
		}
	}
	md := AccountsMarkdown()
	if got := strings.Count(md, "\n"); got != len(accounts)+2 {
		t.Errorf("table has %d lines, want %d", got, len(accounts)+2)
	}
	if !strings.Contains(md, "| vara | Chef | ") || !strings.Contains(md, "`"+shared.Email+"`") {
		t.Errorf("table lacks expected rows:\n%s", md)
	}
}

func TestLuhn(t *testing.T) {
	t.Parallel()
	// The example from Skatteverket's description of the check digit.
	if got := luhnCheck("811218987"); got != 6 {
		t.Errorf("luhnCheck(811218987) = %d, want 6", got)
	}
}
