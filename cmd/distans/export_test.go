package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestExportRegister runs `distans export -what register`: the extract
// names the organisation and its filters in its first lines, holds the
// agreement by its number with the secrecy mark and never its remote
// place, leaves out what the dates exclude, is audited, and bad usage
// exits 2.
func TestExportRegister(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	unit := storetest.NewUnit(t, s, orgID, "", "Kansliet", distans.UnitSection)
	p := storetest.NewPerson(t, s, orgID, "Åsa Öberg", unit.ID)
	start := time.Now().UTC().AddDate(0, 0, 7).Truncate(24 * time.Hour)
	a := &distans.Agreement{Request: distans.AgreementRequest{Weekdays: []string{"mon"}, Place: "Hemliga gatan 1",
		Start: start, End: start.AddDate(0, 3, 0), Tasks: "Utredning", Reasons: "Ryggbesvär"}}
	storetest.Must(t, s.CreateAgreement(storetest.As(t, s, p), a))
	s.Close()

	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"export", "-db", db}, args...), func(string) string { return "" }, nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	out, err := run("-org", "exempelby", "-what", "register")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"Diarium / register,Org exempelby", "Från / from,–", "Poster / entries,1",
		a.Number + ",", "agreement,Distansarbete – överenskommelse,Åsa Öberg,S,remote_place reasons,requested"} {
		if !strings.Contains(out, want) {
			t.Errorf("the extract lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"Hemliga", "Ryggbesvär", "Utredning"} {
		if strings.Contains(out, secret) {
			t.Errorf("the extract shows %q", secret)
		}
	}

	out, err = run("-org", "exempelby", "-what", "register", "-from", time.Now().AddDate(0, 0, 2).Format(time.DateOnly))
	if err != nil || !strings.Contains(out, "Poster / entries,0") || strings.Contains(out, a.Number) {
		t.Errorf("from the day after tomorrow: %v\n%s", err, out)
	}

	s, err = sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.ListAuditEvents(storetest.System(orgID), distans.AuditFilter{Limit: 1})
	s.Close()
	if err != nil || len(evs) != 1 || evs[0].Action != "records.register_export" || evs[0].ActorName != exportActorName {
		t.Errorf("audit: %v %+v", err, evs)
	}

	for _, args := range [][]string{{"-org", "exempelby"}, {"-what", "register"}, {"-org", "exempelby", "-what", "people"},
		{"-org", "exempelby", "-what", "register", "-from", "2026-02-30"}, {"-org", "ingenstans", "-what", "register"},
		{"-org", "exempelby", "-what", "register", "-kind", "decision"}} {
		if _, err := run(args...); exitCode(err) != 2 {
			t.Errorf("%q: %v, want exit status 2", args, err)
		}
	}
}

// TestExportReport runs `distans export -what report`: the CSV for Excel
// names the report, the organisation and its period, the PDF reads back
// with them, and a bad kind, format or day exits 2.
func TestExportReport(t *testing.T) {
	t.Parallel()
	db, orgID := importDB(t)
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	unit := storetest.NewUnit(t, s, orgID, "", "Kansliet", distans.UnitSection)
	storetest.NewPerson(t, s, orgID, "Åsa Öberg", unit.ID)
	s.Close()
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"export", "-db", db}, args...), func(string) string { return "" }, nil, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	out, err := run("-org", "exempelby", "-what", "report", "-kind", "agreements", "-from", "2026-01-01", "-to", "2026-03-31")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"\ufeffRapport;Distansarbete\r\n", "Omfattning;Org exempelby", "Period;2026-01-01 – 2026-03-31", "Kansliet;"} {
		if !strings.Contains(out, want) {
			t.Errorf("the CSV lacks %q:\n%s", want, out)
		}
	}
	out, err = run("-org", "exempelby", "-what", "report", "-kind", "training", "-format", "pdf")
	if err != nil || !strings.HasPrefix(out, "%PDF-") {
		t.Errorf("pdf: %v %.40q", err, out)
	}
	for _, args := range [][]string{{"-org", "exempelby", "-what", "report"}, {"-org", "exempelby", "-what", "report", "-kind", "agreements", "-format", "docx"},
		{"-org", "exempelby", "-what", "report", "-kind", "agreements", "-from", "2026-13-01"},
		{"-org", "exempelby", "-what", "report", "-kind", "agreements", "-from", "2024-01-01", "-to", "2026-01-01"},
		{"-org", "ingenstans", "-what", "report", "-kind", "agreements"}} {
		if _, err := run(args...); exitCode(err) != 2 {
			t.Errorf("%q: %v, want exit status 2", args, err)
		}
	}
}
