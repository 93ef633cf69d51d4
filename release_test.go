package distans_test

import (
	"slices"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestSuggestMaskings is the rule of what is secret by kind of case: each
// row a case and the maskings it gets, field and provision.
func TestSuggestMaskings(t *testing.T) {
	t.Parallel()
	fields := func(kv ...string) []distans.ReleaseField {
		var out []distans.ReleaseField
		for i := 0; i < len(kv); i += 2 {
			out = append(out, distans.ReleaseField{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	incident := func(k distans.IncidentKind, marked ...string) distans.ReleaseCase {
		return distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterIncident, IncidentKind: k}, MarkedSecret: marked,
			Fields: fields("title", "Rubrik", "reporter", "Åsa", "description", "Vad som hänt", "systems", "Procapita",
				"police_report", "K-123", "state", "closed")}
	}
	tests := []struct {
		name string
		c    distans.ReleaseCase
		want []string // field=provision
	}{
		{"agreement: home, number and reasons", distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterAgreement},
			Fields: fields("employee", "Åsa", "personal_number", "19811218-9876", "request_place", "Storgatan 1",
				"request_reasons", "Ryggen", "terms_place", "Storgatan 1", "request_tasks", "Handläggning")},
			[]string{"personal_number=osl-39-3", "request_place=osl-39-3", "request_reasons=osl-21-1", "terms_place=osl-39-3"}},
		{"agreement: empty values are not masked", distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterAgreement},
			Fields: fields("personal_number", "", "request_place", "Storgatan 1", "request_reasons", " ")},
			[]string{"request_place=osl-39-3"}},
		{"IT incident: only the marked fields, as security measures", incident(distans.IncidentIT, "description"),
			[]string{"description=osl-18-8"}},
		{"IT incident, nothing marked", incident(distans.IncidentIT), nil},
		{"personal-data breach: title and reporter too", incident(distans.IncidentPersonalData, "systems"),
			[]string{"title=osl-18-8", "reporter=osl-18-8", "systems=osl-18-8"}},
		{"work injury: health", incident(distans.IncidentWorkInjury, "description", "police_report"),
			[]string{"title=osl-21-1", "reporter=osl-21-1", "description=osl-21-1", "police_report=osl-21-1"}},
		{"threat: personal circumstances", incident(distans.IncidentThreat),
			[]string{"title=osl-39-3", "reporter=osl-39-3"}},
		{"loss outside the premises: the place", distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterEquipmentLoss},
			OutsidePremises: true, Fields: fields("place", "Hemma", "personal_number", "19811218-9876", "description", "Jackan")},
			[]string{"place=osl-39-3", "personal_number=osl-39-3"}},
		{"loss at the office: the place is public", distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterEquipmentLoss},
			Fields: fields("place", "Stadshuset", "personal_number", "")}, nil},
		{"a field of another kind's name is not masked", distans.ReleaseCase{Entry: distans.RegisterEntry{Kind: distans.RegisterIncident,
			IncidentKind: distans.IncidentIT}, Fields: fields("request_place", "Storgatan 1")}, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range distans.SuggestMaskings(&tt.c) {
			got = append(got, m.Field+"="+m.Provision)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestReleaseInput: the outcome follows the input, and each kind of error
// is reported on its field.
func TestReleaseInput(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	c := &distans.ReleaseCase{Fields: []distans.ReleaseField{{Key: "place", Value: "Hemma"}, {Key: "state", Value: "open"}}}
	ps := []distans.SecrecyProvision{{ID: "osl-39-3", Citation: "OSL 39 kap. 3 §"}}
	mask := func(f, p string) distans.Masking { return distans.Masking{Field: f, Provision: p} }
	tests := []struct {
		name  string
		in    distans.ReleaseInput
		out   distans.ReleaseOutcome
		field string // the error's field; "" valid
	}{
		{"in full", distans.ReleaseInput{RequestedOn: today}, distans.ReleaseFull, ""},
		{"masked", distans.ReleaseInput{RequestedOn: today, Maskings: []distans.Masking{mask("place", "osl-39-3")}}, distans.ReleasePartial, ""},
		{"refused", distans.ReleaseInput{RequestedOn: today, Refuse: true, RefusalProvision: "osl-39-3"}, distans.ReleaseRefused, ""},
		{"refused without provision", distans.ReleaseInput{RequestedOn: today, Refuse: true}, distans.ReleaseRefused, "refusal_provision"},
		{"unknown field", distans.ReleaseInput{RequestedOn: today, Maskings: []distans.Masking{mask("colour", "osl-39-3")}}, distans.ReleasePartial, "mask.colour"},
		{"twice", distans.ReleaseInput{RequestedOn: today, Maskings: []distans.Masking{mask("place", "osl-39-3"), mask("place", "osl-39-3")}}, distans.ReleasePartial, "mask.place"},
		{"no provision", distans.ReleaseInput{RequestedOn: today, Maskings: []distans.Masking{mask("state", "")}}, distans.ReleasePartial, "provision.state"},
		{"no day", distans.ReleaseInput{}, distans.ReleaseFull, "requested_on"},
		{"tomorrow", distans.ReleaseInput{RequestedOn: today.AddDate(0, 0, 1)}, distans.ReleaseFull, "requested_on"},
	}
	for _, tt := range tests {
		if tt.in.Outcome() != tt.out {
			t.Errorf("%s: outcome %s, want %s", tt.name, tt.in.Outcome(), tt.out)
		}
		err := tt.in.Validate(c, ps, today)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		e, ok := err.(*distans.Error)
		if !ok || !slices.ContainsFunc(e.Fields, func(f distans.FieldError) bool { return f.Field == tt.field }) {
			t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
		}
	}
	copy := distans.ReleaseCopy(c, &distans.ReleaseInput{Maskings: []distans.Masking{mask("place", "osl-39-3")}}, ps)
	if len(copy) != 2 || !copy[0].Masked || copy[0].Value != "" || copy[0].Citation != "OSL 39 kap. 3 §" || copy[1].Value != "open" {
		t.Errorf("copy %+v", copy)
	}
	if got := distans.CleanRequester(" Anonym "); got != "" {
		t.Errorf("anonymous requester recorded as %q", got)
	}
}
