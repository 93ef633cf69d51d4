package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
)

// The incident tests give the store clocks of their own (testClocks): the
// store keeps whatever the incident service computes from the pack, and
// these tests are about keeping them, not computing them (that is
// internal/incident's tests, on real packs).

// testClocks is a Reclock: a personal-data incident must be notified to
// IMY within 72 hours of discovery, and supplemented within four weeks
// of the filing; a theft outside the premises needs a police report
// within a day.
func testClocks(inc *distans.Incident, imyFiledAt *time.Time) ([]distans.IncidentClock, error) {
	var out []distans.IncidentClock
	if inc.Kind == distans.IncidentPersonalData {
		out = append(out, distans.IncidentClock{Duty: distans.DutyIMYNotification, RuleID: "gdpr-33-report",
			Label: distans.PolicyText{Sv: "Anmälan till IMY", En: "Report to IMY"}, Citation: "GDPR art. 33.1",
			DueAt: inc.DiscoveredAt.Add(72 * time.Hour)})
		if imyFiledAt != nil {
			out = append(out, distans.IncidentClock{Duty: distans.DutyIMYSupplement, RuleID: "imy-supplement",
				Label: distans.PolicyText{Sv: "Komplettering", En: "Supplement"}, DueAt: imyFiledAt.AddDate(0, 0, 28)})
		}
	}
	if (inc.Kind == distans.IncidentTheft || inc.Kind == distans.IncidentEquipmentLoss) && inc.OutsidePremises {
		out = append(out, distans.IncidentClock{Duty: distans.DutyPoliceReport, RuleID: "sorsele-8.1",
			Label: distans.PolicyText{Sv: "Polisanmälan", En: "Police report"}, DueAt: inc.DiscoveredAt.Add(24 * time.Hour)})
	}
	inc.PackVersion = 7
	return out, nil
}

// incidentWorld is the World with the organisation's incident roles.
type incidentWorld struct {
	*World
	Sec, DPO, IT, Union, ChefY *distans.Person
}

func newIncidentWorld(t testing.TB, s *sqlstore.Store) *incidentWorld {
	t.Helper()
	w := &incidentWorld{World: NewWorld(t, s)}
	a := w.A.ID
	w.Sec = NewPerson(t, s, a, "Siri Säkerhet", w.Root.ID)
	w.DPO = NewPerson(t, s, a, "Dan Dataskydd", w.Root.ID)
	w.IT = NewPerson(t, s, a, "Ivar IT", w.Root.ID)
	w.Union = NewPerson(t, s, a, "Ulla Facket", w.Root.ID)
	w.ChefY = NewPerson(t, s, a, "Yvonne Chef", w.Y.ID)
	Assign(t, s, w.Sec, distans.RoleSecurity, "")
	Assign(t, s, w.DPO, distans.RoleDPO, "")
	Assign(t, s, w.IT, distans.RoleIT, "")
	Assign(t, s, w.Union, distans.RoleUnion, "")
	_, err := s.UpdateUnit(System(a), w.Y.ID, distans.UnitUpdate{ManagerID: &w.ChefY.ID})
	Must(t, err)
	return w
}

// discovered is an hour before now, so that the report is never in the future.
func discovered() time.Time { return distans.Now().Add(-time.Hour).Truncate(time.Second).UTC() }

func report(kind distans.IncidentKind) *distans.IncidentReport {
	return &distans.IncidentReport{Kind: kind, Title: "Borttappad bärbar dator", Description: "Datorn glömdes på tåget",
		DiscoveredAt: discovered(), Systems: "Procapita", OutsidePremises: true}
}

func reportIncident(t testing.TB, s *sqlstore.Store, p *distans.Person, r *distans.IncidentReport) *distans.Incident {
	t.Helper()
	inc, err := s.CreateIncident(As(t, s, p), r, testClocks)
	Must(t, err)
	return inc
}

func triage(t testing.TB, s *sqlstore.Store, by *distans.Person, inc *distans.Incident, tr distans.IncidentTriage) *distans.Incident {
	t.Helper()
	if tr.Kind == "" {
		tr.Kind = inc.Kind
	}
	if tr.Severity == "" {
		tr.Severity = distans.SeverityMedium
	}
	tr.Version = inc.Version
	got, err := s.TriageIncident(As(t, s, by), inc.ID, tr, testClocks)
	Must(t, err)
	return got
}

func countRows(t testing.TB, s *sqlstore.Store, table, orgID string) int {
	t.Helper()
	var n int
	Must(t, Raw(t, s).QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table+` WHERE organisation_id = $1`,
		orgID).Scan(&n))
	return n
}

func incidentNumbers(xs []*distans.Incident) []string {
	return ids(xs, func(i *distans.Incident) string { return i.Number })
}

// IncidentVisibility checks who sees which incidents, and how much of them.
func IncidentVisibility(t *testing.T, s *sqlstore.Store) {
	w := newIncidentWorld(t, s)
	pd := reportIncident(t, s, w.EmpX1, report(distans.IncidentPersonalData))
	it := reportIncident(t, s, w.EmpX1, report(distans.IncidentIT))
	yInc := reportIncident(t, s, w.EmpY, report(distans.IncidentWorkInjury))
	if !strings.HasPrefix(pd.Number, "INC ") || pd.State != distans.IncidentReported || pd.UnitID != w.X1.ID ||
		pd.ReporterID != w.EmpX1.ID {
		t.Fatalf("reported: %+v", pd)
	}
	// The personal-data incident is triaged: owned by the DPO, its
	// description and systems marked secret.
	pd = triage(t, s, w.Sec, pd, distans.IncidentTriage{OwnerID: w.DPO.ID, Severity: distans.SeverityHigh,
		SecretFields: []string{"systems", "description"}})
	if pd.State != distans.IncidentHandling || pd.Description == "" || len(pd.Clocks) != 1 || pd.Redacted != nil {
		t.Fatalf("triaged as the coordinator sees it: %+v", pd)
	}

	type want struct {
		who  *distans.Person
		sees map[string]distans.IncidentAccess // incident ID → access; the rest ENOTFOUND
	}
	full, unit, rep := distans.IncidentAccessFull, distans.IncidentAccessUnit, distans.IncidentAccessReporter
	for _, c := range []want{
		{w.EmpX1, map[string]distans.IncidentAccess{pd.ID: rep, it.ID: rep}},
		{w.ChefX, map[string]distans.IncidentAccess{pd.ID: unit, it.ID: unit}},
		{w.ChefY, map[string]distans.IncidentAccess{yInc.ID: unit}},
		{w.Sec, map[string]distans.IncidentAccess{pd.ID: full, it.ID: full, yInc.ID: full}},
		{w.DPO, map[string]distans.IncidentAccess{pd.ID: full}},
		{w.IT, map[string]distans.IncidentAccess{it.ID: full}},
		{w.HRX, map[string]distans.IncidentAccess{}}, // HR handles work injuries in X; Y's is not theirs
		{w.Union, map[string]distans.IncidentAccess{}},
		{w.Admin, map[string]distans.IncidentAccess{}},
		{w.EmpY, map[string]distans.IncidentAccess{yInc.ID: rep}},
		{w.AdminB, map[string]distans.IncidentAccess{}},
		{w.EmpB, map[string]distans.IncidentAccess{}},
	} {
		ctx := As(t, s, c.who)
		list, err := s.ListIncidents(ctx, distans.IncidentFilter{})
		Must(t, err)
		got := ids(list, func(i *distans.Incident) string { return i.ID })
		var wantIDs []string
		for id := range c.sees {
			wantIDs = append(wantIDs, id)
		}
		slices.Sort(got)
		slices.Sort(wantIDs)
		if !slices.Equal(got, wantIDs) {
			t.Errorf("%s lists %v, want %v", c.who.Name, got, wantIDs)
		}
		for _, inc := range list {
			if inc.ID == pd.ID && (inc.Description != "" || !slices.Contains(inc.Redacted, "description")) {
				t.Errorf("%s: a list shows a secret field: %+v", c.who.Name, inc)
			}
		}
		for _, id := range []string{pd.ID, it.ID, yInc.ID} {
			inc, err := s.FindIncident(ctx, id)
			acc, ok := c.sees[id]
			if !ok {
				WantCode(t, err, distans.ENOTFOUND)
				continue
			}
			Must(t, err)
			secretShown := inc.Description != ""
			switch {
			case id == pd.ID && acc != full && (secretShown || !slices.Contains(inc.Redacted, "description")):
				t.Errorf("%s sees the secret description of %s: %+v", c.who.Name, inc.Number, inc)
			case id == pd.ID && acc == full && (!secretShown || inc.Redacted != nil):
				t.Errorf("%s, a handler, does not see the secret description: %+v", c.who.Name, inc)
			case acc == rep && (len(inc.Clocks) > 0 || inc.Severity != "" || inc.OwnerID != ""):
				t.Errorf("%s, the reporter, sees the handling: %+v", c.who.Name, inc)
			case acc >= unit && id == pd.ID && (len(inc.Clocks) != 1 || inc.Severity != distans.SeverityHigh):
				t.Errorf("%s does not see the handling: %+v", c.who.Name, inc)
			}
		}
	}
	// The managers of the owner's unit, to whom a passed deadline is
	// escalated, see the incident as a manager does; the owner in full.
	owner := NewPerson(t, s, w.A.ID, "Olle Ägare", w.X1.ID)
	yInc = triage(t, s, w.Sec, yInc, distans.IncidentTriage{OwnerID: owner.ID, Severity: distans.SeverityLow})
	for who, want := range map[*distans.Person]distans.IncidentAccess{w.ChefX: unit, owner: full, w.ChefY: unit} {
		list, err := s.ListIncidents(As(t, s, who), distans.IncidentFilter{})
		Must(t, err)
		if !slices.ContainsFunc(list, func(i *distans.Incident) bool { return i.ID == yInc.ID }) {
			t.Errorf("%s does not list the incident owned in X1", who.Name)
		}
		inc, err := s.FindIncident(As(t, s, who), yInc.ID)
		Must(t, err)
		if got := accessOf(t, s, who, inc); got != want {
			t.Errorf("%s sees the incident owned in X1 as %d, want %d", who.Name, got, want)
		}
	}

	// A handler's read of the secret fields is audited; a manager's, which
	// gives them nothing of them, is not.
	_, err := s.FindIncident(As(t, s, w.DPO), pd.ID)
	Must(t, err)
	wantLastAction(t, s, w.A.ID, sqlstore.AuditIncidentSecretRead, pd.ID)
	before := lastEvent(t, s, w.A.ID).Seq
	_, err = s.FindIncident(As(t, s, w.ChefX), pd.ID)
	Must(t, err)
	if lastEvent(t, s, w.A.ID).Seq != before {
		t.Fatal("a read without secrets was audited")
	}

	// The reporter's own list, and filters.
	mine, err := s.ListIncidents(As(t, s, w.EmpX1), distans.IncidentFilter{Mine: true})
	Must(t, err)
	if len(mine) != 2 || mine[0].ID != it.ID {
		t.Fatalf("mine = %v", incidentNumbers(mine))
	}
	kind, err := s.ListIncidents(As(t, s, w.Sec), distans.IncidentFilter{Kind: distans.IncidentIT})
	Must(t, err)
	if len(kind) != 1 || kind[0].ID != it.ID {
		t.Fatalf("kind filter = %v", incidentNumbers(kind))
	}
	// The queue: the incident with a deadline first, then the newest.
	queue, err := s.ListIncidents(As(t, s, w.Sec), distans.IncidentFilter{Open: true, Limit: 2})
	Must(t, err)
	if len(queue) != 2 || queue[0].ID != pd.ID || queue[1].ID != yInc.ID {
		t.Fatalf("queue = %v", incidentNumbers(queue))
	}
	rest, err := s.ListIncidents(As(t, s, w.Sec), distans.IncidentFilter{Open: true, After: queue[1].Cursor()})
	Must(t, err)
	if len(rest) != 1 || rest[0].ID != it.ID {
		t.Fatalf("next page = %v", incidentNumbers(rest))
	}
	_, err = s.ListIncidents(As(t, s, w.Sec), distans.IncidentFilter{After: "nonsense"})
	WantCode(t, err, distans.EINVALID)

	// A queue that mixes rows seen in full or as a manager with the
	// reader's own report, seen without its clocks, pages through every
	// row one at a time.
	reportIncident(t, s, w.ChefX, report(distans.IncidentPersonalData))
	chef := As(t, s, w.ChefX)
	whole, err := s.ListIncidents(chef, distans.IncidentFilter{})
	Must(t, err)
	var paged []*distans.Incident
	for after := ""; ; {
		page, err := s.ListIncidents(chef, distans.IncidentFilter{Limit: 1, After: after})
		Must(t, err)
		if len(page) == 0 || len(paged) > len(whole) {
			break
		}
		paged = append(paged, page...)
		after = page[0].Cursor()
	}
	if got, want := incidentNumbers(paged), incidentNumbers(whole); !slices.Equal(got, want) || len(want) < 3 {
		t.Fatalf("the manager's queue one at a time = %v, whole = %v", got, want)
	}

	// The handlers were told of the report once each, the reporter's
	// managers too; the DPO, as the owner, of the assignment.
	got := notifications(t, s, w.A.ID, "incident/"+pd.ID+"/")
	wantN := []string{string(distans.NotifyIncidentAssigned) + " " + w.DPO.ID}
	for _, p := range []*distans.Person{w.ChefX, w.Sec, w.DPO} {
		wantN = append(wantN, string(distans.NotifyIncidentReported)+" "+p.ID)
	}
	slices.Sort(got)
	slices.Sort(wantN)
	if !slices.Equal(got, wantN) {
		t.Fatalf("notifications %v, want %v", got, wantN)
	}
}

// IncidentNumbering checks the registration numbers: per organisation and
// year, in order, never shared by two reports made at once.
func IncidentNumbering(t *testing.T, s *sqlstore.Store) {
	w := newIncidentWorld(t, s)
	year := distans.Now().In(stockholm).Year()
	first := reportIncident(t, s, w.EmpX1, report(distans.IncidentTheft))
	if want := fmt.Sprintf("INC %d/0001", year); first.Number != want {
		t.Fatalf("first number %q, want %q", first.Number, want)
	}
	b := reportIncident(t, s, w.EmpB, report(distans.IncidentTheft))
	if !strings.HasSuffix(b.Number, "/0001") {
		t.Fatalf("the other organisation's first number: %q", b.Number)
	}
	const n = 8
	var wg sync.WaitGroup
	numbers := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			inc, err := s.CreateIncident(As(t, s, w.EmpY), report(distans.IncidentOther), testClocks)
			errs[i] = err
			if err == nil {
				numbers[i] = inc.Number
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		Must(t, err)
	}
	slices.Sort(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("INC %d/%04d", year, i+2); num != want {
			t.Fatalf("numbers %v: #%d is %q, want %q", numbers, i, num, want)
		}
	}
}

// IncidentRules checks bad input, who may change what, stale versions and
// closing.
func IncidentRules(t *testing.T, s *sqlstore.Store) {
	w := newIncidentWorld(t, s)
	emp := As(t, s, w.EmpX1)
	at := distans.Now()
	bad := []struct {
		name string
		r    func(r *distans.IncidentReport)
		code string
	}{
		{"discovered in the future", func(r *distans.IncidentReport) { r.DiscoveredAt = at.Add(time.Hour) }, distans.EINVALID},
		{"discovered before it happened", func(r *distans.IncidentReport) {
			occ := r.DiscoveredAt.Add(time.Minute)
			r.OccurredAt = &occ
		}, distans.EINVALID},
		{"1 MB of text", func(r *distans.IncidentReport) { r.Description = strings.Repeat("å", 1<<20) }, distans.EINVALID},
		{"no kind", func(r *distans.IncidentReport) { r.Kind = "fire" }, distans.EINVALID},
		{"for someone else", func(r *distans.IncidentReport) { r.OnBehalfOf = w.EmpY.ID }, distans.EFORBIDDEN},
	}
	for _, b := range bad {
		r := report(distans.IncidentTheft)
		b.r(r)
		_, err := s.CreateIncident(emp, r, testClocks)
		if distans.ErrorCode(err) != b.code {
			t.Errorf("%s: %v, want %s", b.name, err, b.code)
		}
	}
	// The switchboard registers for someone who phones, of the organisation only.
	r := report(distans.IncidentTheft)
	r.OnBehalfOf = w.EmpB.ID
	_, err := s.CreateIncident(As(t, s, w.Switchboard), r, testClocks)
	WantCode(t, err, distans.EINVALID)
	if n := countRows(t, s, "incidents", w.A.ID); n != 0 {
		t.Fatalf("refused reports saved %d incidents", n)
	}
	if n := countRows(t, s, "incident_numbers", w.A.ID); n != 0 {
		t.Fatalf("refused reports took %d numbers", n)
	}
	r.OnBehalfOf = w.EmpX1.ID
	inc, err := s.CreateIncident(As(t, s, w.Switchboard), r, testClocks)
	Must(t, err)
	if inc.ReporterID != w.EmpX1.ID || inc.RegisteredByID != w.Switchboard.ID || inc.UnitID != w.X1.ID {
		t.Fatalf("registered for another: %+v", inc)
	}
	wantLastAction(t, s, w.A.ID, "incident.report", inc.ID)
	// The switchboard sees what it registered as the reporter does.
	seen, err := s.FindIncident(As(t, s, w.Switchboard), inc.ID)
	Must(t, err)
	if len(seen.Clocks) != 0 {
		t.Fatalf("the switchboard sees the handling: %+v", seen)
	}
	// A theft outside the premises runs the police report's clock from the report.
	sec := As(t, s, w.Sec)
	full, err := s.FindIncident(sec, inc.ID)
	Must(t, err)
	if len(full.Clocks) != 1 || full.Clocks[0].Duty != distans.DutyPoliceReport || full.PackVersion != 7 {
		t.Fatalf("clocks on report: %+v", full)
	}

	// Closing before triage: no classification.
	_, err = s.CloseIncident(sec, inc.ID, inc.Version)
	WantCode(t, err, distans.EINVALID)
	// Triage: not by the reporter or a manager; not on an old version; not
	// to an owner outside the organisation; not with unknown values.
	tr := distans.IncidentTriage{Version: inc.Version, Kind: distans.IncidentTheft, Severity: distans.SeverityLow,
		OwnerID: w.IT.ID, OutsidePremises: true}
	_, err = s.TriageIncident(emp, inc.ID, tr, testClocks)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.TriageIncident(As(t, s, w.ChefX), inc.ID, tr, testClocks)
	WantCode(t, err, distans.EFORBIDDEN)
	_, err = s.TriageIncident(As(t, s, w.ChefY), inc.ID, tr, testClocks)
	WantCode(t, err, distans.ENOTFOUND)
	_, err = s.TriageIncident(As(t, s, w.AdminB), inc.ID, tr, testClocks)
	WantCode(t, err, distans.ENOTFOUND)
	tb := tr
	tb.OwnerID = w.EmpB.ID
	_, err = s.TriageIncident(sec, inc.ID, tb, testClocks)
	WantCode(t, err, distans.EINVALID)
	tb = tr
	tb.Severity, tb.SecretFields = "catastrophic", []string{"title"}
	_, err = s.TriageIncident(sec, inc.ID, tb, testClocks)
	WantCode(t, err, distans.EINVALID)
	tb = tr
	tb.Version--
	_, err = s.TriageIncident(sec, inc.ID, tb, testClocks)
	WantCode(t, err, distans.ECONFLICT)
	inc, err = s.TriageIncident(sec, inc.ID, tr, testClocks)
	Must(t, err)
	wantLastAction(t, s, w.A.ID, "incident.triage", inc.ID)
	// IT owns it now and handles it; a triage that no longer finds the
	// theft outside the premises drops the open police clock.
	it := As(t, s, w.IT)
	tr.Version, tr.OutsidePremises = inc.Version, false
	inc, err = s.TriageIncident(it, inc.ID, tr, testClocks)
	Must(t, err)
	if len(inc.Clocks) != 0 {
		t.Fatalf("clocks after the facts changed: %+v", inc.Clocks)
	}
	tr.Version, tr.OutsidePremises = inc.Version, true
	inc, err = s.TriageIncident(it, inc.ID, tr, testClocks)
	Must(t, err)

	// Duties: not before the discovery, not in the future, not waived without reasons.
	rec := distans.IncidentDutyRecord{Duty: distans.DutyPoliceReport, At: inc.DiscoveredAt.Add(-time.Minute), Reference: "5000-K123-26"}
	_, err = s.RecordIncidentDuty(it, inc.ID, rec)
	WantCode(t, err, distans.EINVALID)
	rec.At = at.Add(time.Hour)
	_, err = s.RecordIncidentDuty(it, inc.ID, rec)
	WantCode(t, err, distans.EINVALID)
	_, err = s.RecordIncidentDuty(it, inc.ID, distans.IncidentDutyRecord{Duty: distans.DutyPoliceReport, At: at, NotRequired: true})
	WantCode(t, err, distans.EINVALID)
	_, err = s.RecordIncidentDuty(it, inc.ID, distans.IncidentDutyRecord{Duty: distans.DutyIMYNotification, At: at})
	WantCode(t, err, distans.EINVALID)
	// A measure: its owner of the organisation.
	_, err = s.AddIncidentMeasure(it, inc.ID, distans.IncidentMeasure{Text: "Spärra SIM-kortet", OwnerID: w.EmpB.ID, DueOn: agrToday()})
	WantCode(t, err, distans.EINVALID)
	inc, err = s.AddIncidentMeasure(it, inc.ID, distans.IncidentMeasure{Text: "Spärra SIM-kortet", OwnerID: w.EmpX1.ID, DueOn: agrToday()})
	Must(t, err)
	// Not closed while the clock or the measure is open.
	_, err = s.CloseIncident(it, inc.ID, inc.Version)
	WantCode(t, err, distans.EINVALID)
	rec.At = at.Add(-time.Minute)
	inc, err = s.RecordIncidentDuty(it, inc.ID, rec)
	Must(t, err)
	if inc.PoliceReport != "5000-K123-26" || inc.Clocks[0].Open() || inc.Clocks[0].DoneByID != w.IT.ID {
		t.Fatalf("after the police report: %+v", inc)
	}
	_, err = s.CloseIncident(it, inc.ID, inc.Version)
	WantCode(t, err, distans.EINVALID)
	inc, err = s.CompleteIncidentMeasure(it, inc.ID, inc.Measures[0].ID)
	Must(t, err)
	// Links: to a person of the organisation.
	_, err = s.AddIncidentLink(it, inc.ID, distans.IncidentLink{Kind: "person", TargetID: w.EmpB.ID})
	WantCode(t, err, distans.EINVALID)
	inc, err = s.AddIncidentLink(it, inc.ID, distans.IncidentLink{Kind: "equipment", TargetID: "BJ-LAPTOP-0042", Label: "Bärbar dator"})
	Must(t, err)
	_, err = s.CloseIncident(it, inc.ID, inc.Version-1)
	WantCode(t, err, distans.ECONFLICT)
	inc, err = s.CloseIncident(it, inc.ID, inc.Version)
	Must(t, err)
	if inc.State != distans.IncidentClosed || inc.ClosedAt == nil {
		t.Fatalf("closed: %+v", inc)
	}
	_, err = s.AddIncidentMeasure(it, inc.ID, distans.IncidentMeasure{Text: "Mer", OwnerID: w.EmpX1.ID, DueOn: agrToday()})
	WantCode(t, err, distans.ECONFLICT)
	if got := notifications(t, s, w.A.ID, "incident/"+inc.ID+"/closed/"); len(got) != 1 ||
		got[0] != string(distans.NotifyIncidentClosed)+" "+w.EmpX1.ID {
		t.Fatalf("closing told %v", got)
	}
	// The timeline: every change, in order, for those who see the handling.
	tl, err := s.IncidentTimeline(it, inc.ID)
	Must(t, err)
	var actions []string
	for _, e := range tl {
		actions = append(actions, e.Action)
	}
	if actions[0] != "incident.report" || actions[len(actions)-1] != "incident.close" || !slices.Contains(actions, "incident.duty") {
		t.Fatalf("timeline %v", actions)
	}
	_, err = s.IncidentTimeline(emp, inc.ID)
	WantCode(t, err, distans.EFORBIDDEN)
}

// IncidentPersonalData checks the risk assessment and the notification to IMY.
func IncidentPersonalData(t *testing.T, s *sqlstore.Store) {
	w := newIncidentWorld(t, s)
	inc := reportIncident(t, s, w.EmpX1, report(distans.IncidentPersonalData))
	inc = triage(t, s, w.Sec, inc, distans.IncidentTriage{OwnerID: w.DPO.ID})
	dpo := As(t, s, w.DPO)
	risk := &distans.IncidentRiskAssessment{DataCategories: []string{"ordinary", "personal_number"}, DataSubjects: "Elever",
		SubjectCount: 30, Consequences: []string{"identity_theft"}, RiskLevel: "risk", Reasoning: "Personnummer på en lista"}
	bad := *risk
	bad.DataCategories = []string{"gossip"}
	_, err := s.AddIncidentRiskAssessment(dpo, inc.ID, &bad)
	WantCode(t, err, distans.EINVALID)
	_, err = s.AddIncidentRiskAssessment(dpo, inc.ID, risk)
	Must(t, err)
	again := *risk
	again.RiskLevel = "high_risk"
	_, err = s.AddIncidentRiskAssessment(dpo, inc.ID, &again)
	Must(t, err)
	rs, err := s.IncidentRiskAssessments(As(t, s, w.ChefX), inc.ID)
	Must(t, err)
	if len(rs) != 2 || rs[0].Version != 2 || rs[0].RiskLevel != "high_risk" || rs[1].RiskLevel != "risk" {
		t.Fatalf("risk versions %+v", rs)
	}
	_, err = s.IncidentRiskAssessments(As(t, s, w.EmpX1), inc.ID)
	WantCode(t, err, distans.EFORBIDDEN)

	// A notification filed before the discovery is refused, nothing saved.
	early := inc.DiscoveredAt.Add(-time.Hour)
	n := &distans.IMYNotification{Controller: "Alfa kommun", OrgNumber: "212000-0000", Category: "confidentiality",
		DataSubjects: "Elever", SubjectCount: 30, FiledAt: &early, SecretParts: []string{"data_subjects"}}
	err = s.SaveIMYNotification(dpo, inc.ID, n, testClocks)
	WantCode(t, err, distans.EINVALID)
	_, err = s.IMYNotification(dpo, inc.ID)
	WantCode(t, err, distans.ENOTFOUND)
	// A draft, then the filing: the notification's clock is done and the
	// supplement's runs from the filing.
	n.FiledAt = nil
	Must(t, s.SaveIMYNotification(dpo, inc.ID, n, testClocks))
	err = s.AddIMYSupplement(dpo, inc.ID, distans.IMYSupplement{At: distans.Now(), Text: "Fler elever"})
	WantCode(t, err, distans.EINVALID)
	filed := distans.Now().Add(-time.Minute).UTC().Truncate(time.Second)
	n.FiledAt, n.IMYReference = &filed, "IMY-2026-1234"
	Must(t, s.SaveIMYNotification(dpo, inc.ID, n, testClocks))
	wantLastAction(t, s, w.A.ID, "incident.imy_filed", inc.ID)
	got, err := s.FindIncident(dpo, inc.ID)
	Must(t, err)
	var duties []string
	for _, c := range got.Clocks {
		duties = append(duties, c.Duty)
		if c.Duty == distans.DutyIMYNotification && (c.Open() || c.Reference != "IMY-2026-1234") {
			t.Fatalf("notification clock after filing: %+v", c)
		}
	}
	if !slices.Equal(duties, []string{distans.DutyIMYNotification, distans.DutyIMYSupplement}) {
		t.Fatalf("clocks after filing: %v", duties)
	}
	_, err = s.IMYNotification(As(t, s, w.ChefX), inc.ID)
	WantCode(t, err, distans.EFORBIDDEN)
	Must(t, s.AddIMYSupplement(dpo, inc.ID, distans.IMYSupplement{At: distans.Now(), Text: "Fler elever berördes"}))
	saved, err := s.IMYNotification(dpo, inc.ID)
	Must(t, err)
	if len(saved.Supplements) != 1 || saved.Supplements[0].ByID != w.DPO.ID || saved.IMYReference != "IMY-2026-1234" {
		t.Fatalf("saved notification %+v", saved)
	}
	got, err = s.FindIncident(dpo, inc.ID)
	Must(t, err)
	if got.NextDeadline() != nil {
		t.Fatalf("open clocks after the supplement: %+v", got.Clocks)
	}
}

// IncidentDeadlineJob runs the deadline job on two instances of the store
// at once, a few rounds each: every reminder and escalation is sent
// exactly once, to the owner and the owner's manager (or, before triage,
// to the handlers of the kind), and audited once.
func IncidentDeadlineJob(t *testing.T, s *sqlstore.Store) {
	w := newIncidentWorld(t, s)
	loc := stockholm
	old := report(distans.IncidentPersonalData)
	old.DiscoveredAt = distans.Now().Add(-80 * time.Hour).Truncate(time.Second)
	// Owned by HR in X, whose manager is ChefX: its 72 hours passed 8 hours ago.
	owned := reportIncident(t, s, w.EmpX1, old)
	owned = triage(t, s, w.Sec, owned, distans.IncidentTriage{OwnerID: w.HRX.ID})
	// Not triaged yet: the handlers of personal-data incidents hear of it.
	unowned := reportIncident(t, s, w.EmpY, old)
	// A theft outside the premises an hour ago: its day has hours left.
	fresh := reportIncident(t, s, w.EmpX1, report(distans.IncidentTheft))

	twin := Twin(t, s)
	const rounds = 3
	var wg sync.WaitGroup
	counts := make([]int, 2*rounds)
	errs := make([]error, 2*rounds)
	at := distans.Now()
	for i, st := range []*sqlstore.Store{s, twin} {
		wg.Go(func() {
			for r := range rounds {
				counts[i*rounds+r], errs[i*rounds+r] = st.IncidentDeadlines(System(w.A.ID), at, loc)
			}
		})
	}
	wg.Wait()
	total := 0
	for i := range counts {
		Must(t, errs[i])
		total += counts[i]
	}
	if total != 4 {
		t.Fatalf("claimed %d reminders and escalations in all, want 4 (%v)", total, counts)
	}
	near, passed := string(distans.NotifyIncidentDeadlineNear), string(distans.NotifyIncidentDeadlinePassed)
	for _, c := range []struct {
		inc  *distans.Incident
		want []string
	}{
		{owned, []string{near + " " + w.HRX.ID, passed + " " + w.ChefX.ID}},
		{unowned, []string{near + " " + w.DPO.ID, near + " " + w.Sec.ID, passed + " " + w.DPO.ID, passed + " " + w.Sec.ID}},
		{fresh, nil},
	} {
		got := notifications(t, s, w.A.ID, "incident/"+c.inc.ID+"/clock/")
		want := slices.Clone(c.want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: notifications %v, want %v", c.inc.Number, got, want)
		}
	}
	var events int
	Must(t, Raw(t, s).QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_events
		WHERE organisation_id = $1 AND action LIKE 'incident.deadline_%'`, w.A.ID).Scan(&events))
	if events != 4 {
		t.Fatalf("%d audit events of deadlines, want 4", events)
	}
	// The clocks say so, for the pages.
	got, err := s.FindIncident(As(t, s, w.HRX), owned.ID)
	Must(t, err)
	if c := got.Clocks[0]; c.RemindedAt == nil || c.EscalatedAt == nil || !c.Passed {
		t.Fatalf("owned clock after the job: %+v", c)
	}

	// A day later the theft's police report is near too — unless it is
	// done: the theft is reported to the police in time, so nothing more.
	it := As(t, s, w.IT)
	fresh = triage(t, s, w.IT, fresh, distans.IncidentTriage{OwnerID: w.IT.ID, OutsidePremises: true})
	_, err = s.RecordIncidentDuty(it, fresh.ID, distans.IncidentDutyRecord{Duty: distans.DutyPoliceReport, At: distans.Now(),
		Reference: "5000-K1-26"})
	Must(t, err)
	n, err := twin.IncidentDeadlines(System(w.A.ID), at.Add(30*time.Hour), loc)
	Must(t, err)
	if n != 0 {
		t.Fatalf("a done clock was reminded of or escalated: %d", n)
	}
	// The job is the system's.
	_, err = s.IncidentDeadlines(As(t, s, w.Sec), at, loc)
	WantCode(t, err, distans.EFORBIDDEN)
}

// accessOf is the access the rule gives who to inc as the store read it.
func accessOf(t testing.TB, s *sqlstore.Store, who *distans.Person, inc *distans.Incident) distans.IncidentAccess {
	t.Helper()
	return distans.ActorFrom(As(t, s, who)).IncidentAccess(inc)
}
