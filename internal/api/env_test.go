package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/api"
	"github.com/distans/distans/internal/app"
	"github.com/distans/distans/internal/auth"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/server"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// env is one Distans behind a real HTTP server: a fresh SQLite database with
// two organisations, alfa and beta, and an API token for each person.
//
// alfa: Förvaltning A → Avdelning X → Enhet X1, and Förvaltning A →
// Avdelning Y → Enhet Z (empty); site Stadshuset A. People: adminA (administrator), hrA (HR),
// dpoA (dataskyddsombud), chefX (chef of Avdelning X), empX1 (in Enhet X1,
// with a personal identity number), empY (in Avdelning Y, with one too).
// Policy document docA ("Riktlinjer A", required of everyone).
// beta: Förvaltning B, site Kontoret B; adminB, hrB, empB; document docB
// ("Riktlinjer B", required). Neither has saved a policy pack: withPack
// gives alfa one.
type env struct {
	store  *sqlstore.Store
	signin *auth.Service
	srv    *httptest.Server
	ids    map[string]string // name → id: orgA, unitX, personEmpY, …
	tokens map[string]string // person name → API token secret; "revoked" is a revoked one of empX1
}

// pnrX1 and pnrY are valid test personal identity numbers (Luhn-correct).
// Tests that pnrX1 never leaks look for "1218-9876" and "12189876", not the
// last four digits alone: those turn up by chance in a UUIDv7's time bits.
const (
	pnrX1 = "19811218-9876"
	pnrY  = "19900101-0017"
)

func newHandler(t *testing.T, store *sqlstore.Store) (http.Handler, *auth.Service) {
	t.Helper()
	return newHandlerAt(t, store, nil)
}

// newHandlerAt is newHandler whose requests run at the instants now gives
// (nil: the wall clock).
func newHandlerAt(t *testing.T, store *sqlstore.Store, now func() time.Time) (http.Handler, *auth.Service) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	signin := auth.New(auth.Config{Accounts: store, Organisations: store, People: store, Logger: logger,
		Links: store, BaseURL: "https://distans.example.se"})
	policies := newPolicyService(store)
	svc := distans.Services{Organisations: store, Units: store, Sites: store, People: store,
		Roles: store, Audit: store, SignIns: store, SignIn: signin, Links: signin, Policies: policies, Documents: store,
		Office: store, Availability: presence.New(store, policies, nil)}
	// The equipment service as internal/app builds it, so that its routes
	// answer here rather than 404 for want of a service.
	svc.Equipment = app.EquipmentService(store, policies, signin)
	a := api.New(api.Config{Services: svc, Calendar: store, Logger: logger, Version: "test"})
	h := server.New(server.Config{
		SignIn:   signin,
		Logger:   logger,
		Registry: prometheus.NewRegistry(),
		Ready:    func(context.Context) error { return nil },
		Register: []func(*http.ServeMux){a.Register},
		Now:      now,
	})
	return h, signin
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, nil)
}

// newEnvAt is newEnv whose requests run at the instants now gives (nil:
// the wall clock); the seeding itself runs at the wall clock.
func newEnvAt(t *testing.T, now func() time.Time) *env {
	t.Helper()
	e := &env{store: storetest.SQLite(t), ids: map[string]string{}, tokens: map[string]string{}}
	var h http.Handler
	h, e.signin = newHandlerAt(t, e.store, now)
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)

	ctx := context.Background()
	e.seedOrg(t, ctx, "A", "alfa")
	e.seedOrg(t, ctx, "B", "beta")
	sys := distans.NewContext(ctx, distans.SystemActor(e.ids["orgA"]))
	must(t, e.store.AssignRole(sys, &distans.RoleAssignment{PersonID: e.ids["chefX"], Role: distans.RoleManager, UnitID: e.ids["unitX"]}))
	must(t, e.store.AssignRole(sys, &distans.RoleAssignment{PersonID: e.ids["dpoA"], Role: distans.RoleDPO}))

	for name := range e.people() {
		e.tokens[name] = e.token(t, name)
	}
	revoked := e.token(t, "empX1")
	actor := e.actor(t, "empX1")
	ts, err := e.signin.ListAPITokens(distans.NewContext(ctx, actor), "")
	must(t, err)
	for _, tk := range ts {
		if tk.Name == "revoked" {
			must(t, e.signin.RevokeAPIToken(distans.NewContext(ctx, actor), tk.ID))
		}
	}
	e.tokens["revoked"] = revoked
	return e
}

// people returns the seeded people by name, as their ids.
func (e *env) people() map[string]string {
	out := map[string]string{}
	for _, n := range []string{"adminA", "hrA", "dpoA", "chefX", "empX1", "empY", "adminB", "hrB", "empB"} {
		if id := e.ids[n]; id != "" {
			out[n] = id
		}
	}
	return out
}

func (e *env) seedOrg(t *testing.T, ctx context.Context, suffix, slug string) {
	t.Helper()
	o := &distans.Organisation{Slug: slug, Name: "Kommun " + suffix, TimeZone: "Europe/Stockholm", Language: "sv"}
	must(t, e.store.CreateOrganisation(distans.NewContext(ctx, distans.SystemActor("")), o))
	e.ids["org"+suffix] = o.ID
	sys := distans.NewContext(ctx, distans.SystemActor(o.ID))

	site := &distans.Site{Name: "Stadshuset " + suffix, Kind: distans.SiteMain, Street: "Storgatan 1", PostalCode: "123 45", City: "Staden"}
	must(t, e.store.CreateSite(sys, site))
	e.ids["site"+suffix] = site.ID

	doc := &distans.PolicyDocument{Title: "Riktlinjer " + suffix, Body: "Distansarbete i kommun " + suffix + ".", Required: true}
	must(t, e.store.PublishDocument(sys, doc))
	e.ids["doc"+suffix] = doc.ID

	unit := func(key, name string, kind distans.UnitKind, parent string) string {
		u := &distans.Unit{Name: name, Kind: kind, ParentID: e.ids[parent]}
		must(t, e.store.CreateUnit(sys, u))
		e.ids[key] = u.ID
		return u.ID
	}
	unit("root"+suffix, "Förvaltning "+suffix, distans.UnitAdministration, "")
	person := func(key, name, unitKey, pnr string, role distans.Role) {
		p := &distans.Person{Name: name, Email: strings.ToLower(key) + "@" + slug + ".example", Language: "sv", PersonalNumber: pnr}
		must(t, e.store.CreatePerson(sys, p))
		e.ids[key] = p.ID
		must(t, e.store.CreateEmployment(sys, &distans.Employment{PersonID: p.ID, UnitID: e.ids[unitKey], Title: "Handläggare",
			SiteID: e.ids["site"+suffix], StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}))
		if role != "" {
			must(t, e.store.AssignRole(sys, &distans.RoleAssignment{PersonID: p.ID, Role: role}))
		}
	}
	if suffix == "A" {
		unit("unitX", "Avdelning X", distans.UnitDepartment, "rootA")
		unit("unitX1", "Enhet X1", distans.UnitSection, "unitX")
		unit("unitY", "Avdelning Y", distans.UnitDepartment, "rootA")
		unit("unitZ", "Enhet Z", distans.UnitSection, "unitY") // nobody works here
		person("adminA", "Anna Admin", "rootA", "", distans.RoleAdmin)
		person("hrA", "Hanna HR", "rootA", "", distans.RoleHR)
		person("dpoA", "Dag Dataskydd", "rootA", "", "")
		person("chefX", "Karl Chef", "unitX", "", "")
		person("empX1", "Erik Enhet", "unitX1", pnrX1, "")
		person("empY", "Ylva Yngre", "unitY", pnrY, "")
		return
	}
	person("adminB", "Bengt Admin", "rootB", "", distans.RoleAdmin)
	person("hrB", "Berit HR", "rootB", "", distans.RoleHR)
	person("empB", "Bo Beta", "rootB", pnrX1, "")
}

// actor is the person as sign-in would see them, for setting up through
// the services.
func (e *env) actor(t *testing.T, name string) *distans.Actor {
	t.Helper()
	id := e.ids[name]
	org := e.ids["orgA"]
	if strings.HasSuffix(name, "B") {
		org = e.ids["orgB"]
	}
	grants, err := e.store.Grants(distans.NewContext(context.Background(), distans.SystemActor(org)), org, id)
	must(t, err)
	return &distans.Actor{OrganisationID: org, PersonID: id, Name: name, Grants: grants}
}

func (e *env) token(t *testing.T, name string) string {
	t.Helper()
	label := "test"
	if _, ok := e.tokens[name]; ok {
		label = "revoked"
	}
	secret, _, err := e.signin.CreateAPIToken(distans.NewContext(context.Background(), e.actor(t, name)), "", label)
	must(t, err)
	return secret
}

// auditHeads returns the newest audit sequence number of each organisation;
// every change writes an audit event, so equal heads mean nothing changed.
func (e *env) auditHeads(t *testing.T) [2]int64 {
	t.Helper()
	var heads [2]int64
	for i, org := range []string{e.ids["orgA"], e.ids["orgB"]} {
		evs, err := e.store.ListAuditEvents(distans.NewContext(context.Background(), distans.SystemActor(org)), distans.AuditFilter{Limit: 1})
		must(t, err)
		if len(evs) > 0 {
			heads[i] = evs[0].Seq
		}
	}
	return heads
}

// expand replaces {name} with the id of name.
func (e *env) expand(s string) string {
	for k, v := range e.ids {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// do sends one request as the named person ("" sends no credentials) and
// returns the status and body.
func (e *env) do(t *testing.T, method, url, as, body string, header ...string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(e.expand(body))
	}
	req, err := http.NewRequest(method, e.srv.URL+e.expand(url), rd)
	must(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		tok, ok := e.tokens[as]
		if !ok {
			tok = as // a literal token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.srv.Client().Do(req)
	must(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(t, err)
	// The API answers compact JSON; the tests read it indented, as a
	// person would, so that they can look for "field": value.
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		var out bytes.Buffer
		if json.Indent(&out, b, "", "  ") == nil {
			b = out.Bytes()
		}
	}
	return res.StatusCode, b
}

// doJSON is do that decodes a 2xx JSON answer into v.
func (e *env) doJSON(t *testing.T, method, url, as, body string, v any) {
	t.Helper()
	status, b := e.do(t, method, url, as, body)
	if status/100 != 2 {
		t.Fatalf("%s %s as %s: status %d: %s", method, url, as, status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// scenario is one API call and what it must answer, in the manner of
// pocketbase's tests/api.go. Each scenario runs against a fresh env.
type scenario struct {
	name      string
	method    string
	url       string // {name} is replaced by the id of name
	as        string // the person whose token is sent; "" sends none
	body      string // {name} is replaced as in url
	header    []string
	status    int
	contains  []string // fragments the body must hold ({name} replaced)
	excludes  []string // fragments it must not hold ({name} replaced)
	unchanged bool     // no audit event may be written in either organisation
	check     func(t *testing.T, e *env, body []byte)
}

// runScenarios runs each scenario against a fresh env, in parallel. When
// every scenario must change nothing, they share one env and run in turn:
// the audit check of each proves that its predecessors left the env as
// they found it. setup runs on every env before its scenarios.
func runScenarios(t *testing.T, scenarios []scenario, setup ...func(*testing.T, *env)) {
	t.Helper()
	fresh := func(t *testing.T) *env {
		t.Helper()
		e := newEnv(t)
		for _, f := range setup {
			f(t, e)
		}
		return e
	}
	readOnly := true
	for _, sc := range scenarios {
		readOnly = readOnly && sc.unchanged
	}
	var shared *env
	if readOnly {
		shared = fresh(t)
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			e := shared
			if e == nil {
				t.Parallel()
				e = fresh(t)
			}
			sc.run(t, e)
		})
	}
}

func (sc scenario) run(t *testing.T, e *env) {
	t.Helper()
	before := e.auditHeads(t)
	status, body := e.do(t, sc.method, sc.url, sc.as, sc.body, sc.header...)
	if status != sc.status {
		t.Errorf("status = %d, want %d; body: %.2000s", status, sc.status, body)
	}
	for _, c := range sc.contains {
		if !bytes.Contains(body, []byte(e.expand(c))) {
			t.Errorf("body does not contain %q: %.2000s", e.expand(c), body)
		}
	}
	for _, c := range sc.excludes {
		if bytes.Contains(body, []byte(e.expand(c))) {
			t.Errorf("body contains %q: %.2000s", e.expand(c), body)
		}
	}
	if status >= 400 && !json.Valid(body) {
		t.Errorf("error body is not JSON: %.2000s", body)
	}
	if sc.unchanged {
		if after := e.auditHeads(t); after != before {
			t.Errorf("audit heads changed from %v to %v: the request changed something", before, after)
		}
	}
	if sc.check != nil && !t.Failed() {
		sc.check(t, e, body)
	}
}
