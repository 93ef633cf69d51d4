// Package demo loads the five demo organisations of Distans: Stockholms stad
// (Kulturförvaltningen), Vara, Bjurholm, Kristianstad and Sorsele, the
// municipalities whose documents the policy packs come from. Each gets a unit
// tree, its sites, 60–200 made-up people with employments, managers and some
// leave, and one demo account per role (see Accounts).
//
// With Stores.Office and Stores.Availability it also furnishes the sites
// with zones and desks (Stockholm's Medborgarhuset and Tranströmerbiblioteket
// crowded, Askebykroken with room, 000 §4c), books desks for this week and
// the next, and sets today's statuses, redirects, keywords and Sorsele's
// phone hours and on-call phones (see office.go).
//
// Load is idempotent and deterministic: it works out the same organisations
// and people on every installation and creates only what is missing, so
// running it again changes nothing and writes no audit events.
package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/policy"
)

// Password is the password of every demo account.
const Password = "Distans-demo-1"

// Stores is what Load writes to; cmd/distans passes the same SQL store for
// every field.
type Stores struct {
	Organisations distans.OrganisationService
	Units         distans.UnitService
	Sites         distans.SiteService
	People        distans.PersonService
	Roles         distans.RoleService
	Accounts      distans.AccountStore
	// Policies and Documents, when set, receive each organisation's seed
	// policy pack and its source document with acknowledgements; Load
	// leaves policies alone when either is nil.
	Policies  distans.PolicyStore
	Documents distans.DocumentService
	// Office, when set, receives zones, desks, booking rules, bookings for
	// this week and the next, and a team day; Availability, when set (the
	// presence service, so that the policy pack checks what is saved),
	// today's statuses, redirects, directory keywords, and Sorsele's phone
	// hours and on-call phones. Load leaves each alone when it is nil.
	Office       distans.OfficeService
	Availability distans.AvailabilityService
	// Agreements, when set, receives remote-work agreements in every state
	// in the chef's unit (see agreements.go); Load leaves them alone when it
	// is nil or the organisation already has one.
	Agreements distans.AgreementStore
	// Incidents, when set, receives a few incidents reported in the chef's
	// unit and handled by the incident accounts (see incidents.go); Load
	// leaves them alone when it is nil or the organisation already has one.
	Incidents distans.IncidentService
	// Equipment, when set, receives the organisation's equipment terms (a
	// policy document), a few models and items, and a couple of issues in
	// the chef's unit (see equipment.go); Load leaves it alone when it is
	// nil or the organisation already has items.
	Equipment distans.EquipmentService
	// Training, when set, records DISA for some of the chef's staff, and
	// the step adds an employment starting today and one ending in three
	// weeks (see training.go); Checklists, when set, then runs the
	// checklist job's round as the system so that their checklists open.
	Training   distans.TrainingService
	Checklists func(ctx context.Context, now time.Time) (int, error)
}

// Account is a demo account: a person in an organisation with a role and the
// demo password. The chef account manages a unit; the medarbetare account
// works in that unit and holds no role; every other account holds its role
// in the whole organisation.
type Account struct {
	Org      string       // organisation slug
	Role     distans.Role // the role the account demonstrates
	Name     string
	Email    string
	Password string
	Note     string // for the one person in two organisations
}

// AccountEmail returns the e-mail address of the demo account for role in
// the organisation with slug: "<role>@<slug>.example". The .example domain
// is reserved (RFC 2606), so no demo e-mail can reach anyone.
func AccountEmail(slug string, role distans.Role) string {
	return string(role) + "@" + slug + ".example"
}

// Accounts lists every demo account, organisation by organisation in the
// order of distans.Roles, then the account shared by two organisations.
func Accounts() []Account {
	var list, sharedRows []Account
	for i := range orgs {
		for _, q := range newPlan(&orgs[i]).people {
			if !q.Account {
				continue
			}
			a := Account{Org: orgs[i].Slug, Role: q.Role, Name: q.Name, Email: q.Email, Password: Password}
			if q.Email == shared.Email {
				a.Note = "samma konto i två organisationer"
				sharedRows = append(sharedRows, a)
				continue
			}
			list = append(list, a)
		}
	}
	return append(list, sharedRows...)
}

// AccountsMarkdown renders Accounts as a Markdown table for the README.
func AccountsMarkdown() string {
	var b strings.Builder
	b.WriteString("| Organisation | Roll | Namn | E-post | Lösenord |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, a := range Accounts() {
		role := a.Role.Label("sv")
		if a.Note != "" {
			role += " (" + a.Note + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s` | `%s` |\n", a.Org, role, a.Name, a.Email, a.Password)
	}
	return b.String()
}

// Load creates whatever is missing of the demo organisations, as the system.
// It hashes the demo password once, and only if some account still lacks it.
func Load(ctx context.Context, s Stores, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// The demo is worked out from one instant, as a job round is.
	ctx = distans.WithNow(ctx, distans.NowFrom(ctx))
	l := &loader{s: s, log: logger}
	for i := range orgs {
		if err := l.org(ctx, newPlan(&orgs[i])); err != nil {
			return fmt.Errorf("demo: %s: %w", orgs[i].Slug, err)
		}
	}
	return nil
}

type loader struct {
	s    Stores
	log  *slog.Logger
	hash string // the demo password's hash, made on first use
}

func (l *loader) passwordHash() (string, error) {
	if l.hash == "" {
		h, err := auth.HashPassword(Password)
		if err != nil {
			return "", err
		}
		l.hash = h
	}
	return l.hash, nil
}

// counts is what one Load created in one organisation, for the log.
type counts struct {
	sites, units, people, employments, leaves, managers, roles, passwords int
	policyVersions, documents, acknowledgements                           int
	zones, desks, rules, bookings, teamDays                               int
	keywords, statuses, redirects, phoneHours, onCallPhones, onCallDuties int
}

// orgLoad is the loading of one organisation: its plan, and the records
// found or created so far, by the plan's indexes.
type orgLoad struct {
	*loader
	plan    *plan
	org     *distans.Organisation
	siteIDs map[string]string // by name
	units   []*distans.Unit
	people  []*distans.Person
	n       counts
}

func (l *loader) org(ctx context.Context, p *plan) error {
	o, err := l.s.Organisations.FindOrganisationBySlug(distans.NewContext(ctx, distans.SystemActor("")), p.spec.Slug)
	switch {
	case distans.ErrorCode(err) == distans.ENOTFOUND:
		o = &distans.Organisation{Slug: p.spec.Slug, Name: p.spec.Name, TimeZone: "Europe/Stockholm",
			Language: "sv"}
		if err := l.s.Organisations.CreateOrganisation(distans.NewContext(ctx, distans.SystemActor("")), o); err != nil {
			return fmt.Errorf("create organisation: %w", err)
		}
		l.log.InfoContext(ctx, "demo organisation created", "slug", o.Slug, "id", o.ID)
	case err != nil:
		return fmt.Errorf("find organisation: %w", err)
	}
	ctx = distans.NewContext(ctx, distans.SystemActor(o.ID))
	w := &orgLoad{loader: l, plan: p, org: o}
	for _, step := range []func(context.Context) error{w.sites, w.unitTree, w.staff, w.managers, w.accounts, w.policy, w.office, w.availability, w.agreements, w.incidents, w.equipment, w.training} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	n := w.n
	l.log.InfoContext(ctx, "demo organisation loaded", "slug", o.Slug,
		"sites_created", n.sites, "units_created", n.units, "people_created", n.people,
		"employments_created", n.employments, "leaves_created", n.leaves, "managers_set", n.managers,
		"roles_granted", n.roles, "passwords_set", n.passwords, "policy_versions_saved", n.policyVersions,
		"documents_published", n.documents, "acknowledgements_made", n.acknowledgements,
		"zones_created", n.zones, "desks_created", n.desks, "booking_rules_set", n.rules, "bookings_made", n.bookings,
		"team_days_set", n.teamDays, "keywords_saved", n.keywords, "statuses_set", n.statuses, "redirects_set", n.redirects,
		"phone_hours_saved", n.phoneHours, "on_call_phones_created", n.onCallPhones, "on_call_duties_added", n.onCallDuties)
	return nil
}

// sites finds the sites by name and creates those missing.
func (w *orgLoad) sites(ctx context.Context) error {
	sites, err := w.s.Sites.ListSites(ctx, true)
	if err != nil {
		return fmt.Errorf("list sites: %w", err)
	}
	w.siteIDs = map[string]string{}
	for _, s := range sites {
		w.siteIDs[s.Name] = s.ID
	}
	for _, ss := range w.plan.spec.Sites {
		if w.siteIDs[ss.Name] != "" {
			continue
		}
		s := &distans.Site{OrganisationID: w.org.ID, Name: ss.Name, Kind: ss.Kind, Street: ss.Street,
			PostalCode: ss.PostalCode, City: ss.City}
		if err := w.s.Sites.CreateSite(ctx, s); err != nil {
			return fmt.Errorf("create site %s: %w", ss.Name, err)
		}
		w.siteIDs[ss.Name] = s.ID
		w.n.sites++
	}
	return nil
}

// unitTree finds the units by parent and name and creates those missing,
// parents first.
func (w *orgLoad) unitTree(ctx context.Context) error {
	existing, err := w.s.Units.ListUnits(ctx, distans.UnitFilter{IncludeEnded: true})
	if err != nil {
		return fmt.Errorf("list units: %w", err)
	}
	byKey := map[string]*distans.Unit{}
	for _, u := range existing {
		byKey[u.ParentID+"/"+u.Name] = u
	}
	w.units = make([]*distans.Unit, len(w.plan.units))
	for i, pu := range w.plan.units {
		parentID := ""
		if pu.Parent >= 0 {
			parentID = w.units[pu.Parent].ID
		}
		if u := byKey[parentID+"/"+pu.Name]; u != nil {
			w.units[i] = u
			continue
		}
		u := &distans.Unit{OrganisationID: w.org.ID, ParentID: parentID, Name: pu.Name, Kind: pu.Kind}
		if err := w.s.Units.CreateUnit(ctx, u); err != nil {
			return fmt.Errorf("create unit %s: %w", pu.Name, err)
		}
		w.units[i] = u
		w.n.units++
	}
	return nil
}

// staff finds the people by e-mail and creates those missing, with their
// employment and leave.
func (w *orgLoad) staff(ctx context.Context) error {
	byEmail := map[string]*distans.Person{}
	for after := ""; ; {
		page, pg, err := w.s.People.ListPeople(ctx, distans.PersonFilter{After: after, Limit: 500})
		if err != nil {
			return fmt.Errorf("list people: %w", err)
		}
		for _, q := range page {
			byEmail[distans.NormalizeEmail(q.Email)] = q
		}
		if after = pg.Next; after == "" {
			break
		}
	}
	today := distans.NowFrom(ctx).In(w.org.Location())
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	w.people = make([]*distans.Person, len(w.plan.people))
	for i, pp := range w.plan.people {
		q := byEmail[distans.NormalizeEmail(pp.Email)]
		created := q == nil
		if created {
			q = &distans.Person{OrganisationID: w.org.ID, Name: pp.Name, Email: pp.Email, Phone: pp.Phone,
				EmployeeNumber: pp.EmployeeNumber, PersonalNumber: pp.PersonalNumber, Language: pp.Language}
			if err := w.s.People.CreatePerson(ctx, q); err != nil {
				return fmt.Errorf("create person %s: %w", pp.Email, err)
			}
			w.n.people++
		}
		w.people[i] = q
		if q.UnitID == "" {
			// New, or left without an employment by an interrupted Load.
			e := &distans.Employment{OrganisationID: w.org.ID, PersonID: q.ID, UnitID: w.units[pp.Unit].ID,
				Title: pp.Title, SiteID: w.siteIDs[pp.Site], StartsOn: pp.StartsOn}
			if err := w.s.People.CreateEmployment(ctx, e); err != nil {
				return fmt.Errorf("create employment of %s: %w", pp.Email, err)
			}
			q.UnitID, q.Title, q.SiteID = e.UnitID, e.Title, e.SiteID
			w.n.employments++
		}
		if pp.Leave == nil {
			continue
		}
		if !created {
			leaves, err := w.s.People.ListLeaves(ctx, q.ID)
			if err != nil {
				return fmt.Errorf("list leave of %s: %w", pp.Email, err)
			}
			if len(leaves) > 0 {
				continue
			}
		}
		lv := &distans.Leave{OrganisationID: w.org.ID, PersonID: q.ID, Kind: pp.Leave.Kind,
			StartsOn: month.AddDate(0, pp.Leave.FromMonths, 0)}
		if pp.Leave.ToMonths != 0 {
			end := month.AddDate(0, pp.Leave.ToMonths, -1)
			lv.EndsOn = &end
		}
		if err := w.s.People.CreateLeave(ctx, lv); err != nil {
			return fmt.Errorf("create leave of %s: %w", pp.Email, err)
		}
		w.n.leaves++
	}
	return nil
}

// managers sets each unit's manager; that also grants the chef role there.
func (w *orgLoad) managers(ctx context.Context) error {
	for i, pu := range w.plan.units {
		u := w.units[i]
		if want := w.people[pu.Manager].ID; u.ManagerID != want {
			got, err := w.s.Units.UpdateUnit(ctx, u.ID, distans.UnitUpdate{ManagerID: &want})
			if err != nil {
				return fmt.Errorf("set manager of %s: %w", pu.Name, err)
			}
			w.units[i] = got
			w.n.managers++
		}
	}
	return nil
}

// accounts grants the demo accounts their roles in the whole organisation
// (the chef's comes with the unit, the medarbetare has none) and sets the
// demo password where none is set.
func (w *orgLoad) accounts(ctx context.Context) error {
	for i, pp := range w.plan.people {
		if !pp.Account {
			continue
		}
		q := w.people[i]
		if pp.Role != distans.RoleEmployee && pp.Role != distans.RoleManager {
			current, err := w.s.Roles.ListRoleAssignments(ctx, distans.RoleFilter{PersonID: q.ID, Role: pp.Role})
			if err != nil {
				return fmt.Errorf("list roles of %s: %w", pp.Email, err)
			}
			held := false
			for _, ra := range current {
				held = held || ra.UnitID == "" && ra.EndedAt == nil
			}
			if !held {
				ra := &distans.RoleAssignment{OrganisationID: w.org.ID, PersonID: q.ID, Role: pp.Role}
				if err := w.s.Roles.AssignRole(ctx, ra); err != nil {
					return fmt.Errorf("grant %s to %s: %w", pp.Role, pp.Email, err)
				}
				w.n.roles++
			}
		}
		acc, err := w.s.Accounts.FindAccount(ctx, w.org.ID, q.ID)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return fmt.Errorf("find account of %s: %w", pp.Email, err)
		}
		if acc != nil && acc.PasswordHash != "" {
			continue
		}
		h, err := w.passwordHash()
		if err != nil {
			return err
		}
		if err := w.s.Accounts.SetPasswordHash(ctx, w.org.ID, q.ID, h); err != nil {
			return fmt.Errorf("set password of %s: %w", pp.Email, err)
		}
		w.n.passwords++
	}
	return nil
}

// policy saves the organisation's seed pack as version 1 unless a version
// is saved, publishes the seed document the pack comes from as a required
// document unless one with its title is published, and has most people
// acknowledge it, each acting as themselves. Who acknowledges is decided by
// their e-mail address, so every installation gets the same list; the
// medarbetare demo account never does, so that it sees the document as
// pending and its chef sees it outstanding.
func (w *orgLoad) policy(ctx context.Context) error {
	if w.s.Policies == nil || w.s.Documents == nil {
		return nil
	}
	seed, err := policy.Seed(w.org.Slug)
	if err != nil {
		return fmt.Errorf("seed pack: %w", err)
	}
	if _, err := w.s.Policies.ActivePolicyVersion(ctx); distans.ErrorCode(err) == distans.ENOTFOUND {
		src, err := policy.SeedYAML(w.org.Slug)
		if err != nil {
			return err
		}
		svc := policy.NewService(w.s.Policies, w.s.Organisations)
		if _, err := svc.Save(ctx, 0, src, "Ursprunglig version enligt "+seed.Title); err != nil {
			return fmt.Errorf("save policy pack: %w", err)
		}
		w.n.policyVersions++
	} else if err != nil {
		return fmt.Errorf("find policy pack: %w", err)
	}

	docs, err := w.s.Documents.ListDocuments(ctx)
	if err != nil {
		return fmt.Errorf("list documents: %w", err)
	}
	var doc *distans.PolicyDocument
	for _, d := range docs {
		if d.Title == seed.Title {
			doc = d
		}
	}
	if doc == nil {
		body, err := policy.SeedDocument(seed.Document)
		if err != nil {
			return fmt.Errorf("seed document %s: %w", seed.Document, err)
		}
		doc = &distans.PolicyDocument{OrganisationID: w.org.ID, Title: seed.Title, Body: string(body), Required: true}
		if err := w.s.Documents.PublishDocument(ctx, doc); err != nil {
			return fmt.Errorf("publish %s: %w", seed.Title, err)
		}
		w.n.documents++
	}

	// Only those still outstanding are asked, so a second Load writes nothing.
	outstanding, err := w.s.Documents.Outstanding(ctx, "")
	if err != nil {
		return fmt.Errorf("outstanding acknowledgements: %w", err)
	}
	byID := map[string]int{}
	for i, q := range w.people {
		byID[q.ID] = i
	}
	for _, o := range outstanding {
		i, ok := byID[o.PersonID]
		if !ok || o.DocumentID != doc.ID || !acknowledges(w.plan.people[i]) {
			continue
		}
		q := w.people[i]
		as := distans.NewContext(ctx, &distans.Actor{OrganisationID: w.org.ID, PersonID: q.ID, Name: q.Name})
		if _, err := w.s.Documents.Acknowledge(as, doc.ID, o.Version); err != nil {
			return fmt.Errorf("acknowledgement by %s: %w", q.Email, err)
		}
		w.n.acknowledgements++
	}
	return nil
}

// acknowledges reports whether a planned person has acknowledged the
// organisation's policy document: about two in three, never the
// medarbetare demo account.
func acknowledges(p plannedPerson) bool {
	if p.Account && p.Role == distans.RoleEmployee {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(p.Email))
	return h.Sum32()%3 != 0
}
