package policy_test

import (
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// TestCheckParameterValue is the one validator of parameter values that
// the pages and the API share, for every type.
func TestCheckParameterValue(t *testing.T) {
	t.Parallel()
	f := func(x float64) *float64 { return &x }
	between := policy.Parameter{Name: "p", Type: "number", Min: f(0.5), Max: f(2.5)}
	atLeast := policy.Parameter{Name: "p", Type: "int", Min: f(1)}
	atMost := policy.Parameter{Name: "p", Type: "int", Max: f(10)}
	for _, tc := range []struct {
		name, text string
		x          policy.Parameter
		want       any
		sv, en     string
	}{
		{"whole number with spaces", " 1 000 ", atLeast, int64(1000), "", ""},
		{"whole number, a fraction", "1,5", atLeast, nil, "Ange ett heltal.", "Give a whole number."},
		{"whole number, text", "ett år", atLeast, nil, "Ange ett heltal.", "Give a whole number."},
		{"below a lower bound", "0", atLeast, nil, "Värdet ska vara minst 1.", "The value must be at least 1."},
		{"above an upper bound", "11", atMost, nil, "Värdet får vara högst 10.", "The value must be at most 10."},
		{"number with a decimal comma", "1,5", between, 1.5, "", ""},
		{"number with a decimal point", "2.5", between, 2.5, "", ""},
		{"number out of both bounds", "3", between, nil, "Värdet ska vara mellan 0,5 och 2,5.", "The value must be between 0.5 and 2.5."},
		{"number, not a number", "NaN", between, nil, "Ange ett tal, till exempel 2,5.", "Give a number, for example 2.5."},
		{"number, infinite", "Inf", policy.Parameter{Name: "p", Type: "number"}, nil, "Ange ett tal, till exempel 2,5.", "Give a number, for example 2.5."},
		{"number, too large to hold", "1e400", policy.Parameter{Name: "p", Type: "number"}, nil, "Ange ett tal, till exempel 2,5.", "Give a number, for example 2.5."},
		{"yes", "ja", policy.Parameter{Name: "p", Type: "bool"}, true, "", ""},
		{"no", "false", policy.Parameter{Name: "p", Type: "bool"}, false, "", ""},
		{"neither yes nor no", "kanske", policy.Parameter{Name: "p", Type: "bool"}, nil, "Ange ja eller nej.", "Give yes or no."},
		{"text", " it@kommun.example ", policy.Parameter{Name: "p", Type: "string"}, "it@kommun.example", "", ""},
		{"text too long", strings.Repeat("å", 501), policy.Parameter{Name: "p", Type: "string"}, nil, "Högst 500 tecken.", "At most 500 characters."},
		{"empty", "  ", atLeast, nil, "Ange ett värde.", "Give a value."},
	} {
		got, err := policy.CheckParameterValue("parameters[p].value", tc.x, tc.text)
		if tc.sv == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
			}
			continue
		}
		want := distans.FieldError{Field: "parameters[p].value", Sv: tc.sv, En: tc.en}
		e, ok := err.(*distans.Error)
		if !ok || e.Code != distans.EINVALID || len(e.Fields) != 1 || e.Fields[0] != want {
			t.Errorf("%s: %v, %#v; want %+v", tc.name, got, err, want)
		}
	}
}

// TestSetParametersUnchanged: values equal to the ones in force change
// nothing and save no version; a missing reason is refused beside a bad
// value, in one answer.
func TestSetParametersUnchanged(t *testing.T) {
	t.Parallel()
	w := newServiceWorld(t)
	_, err := w.svc.Save(w.hr, 0, seedYAML(t, "bjurholm"), "")
	storetest.Must(t, err)
	_, err = w.svc.SetParameters(w.hr, 1, map[string]string{"max_agreement_months": "12"}, "Samma")
	storetest.WantCode(t, err, distans.EINVALID)
	if !strings.Contains(err.(*distans.Error).Message("sv"), "Inga värden har ändrats") {
		t.Errorf("unchanged: %v", err)
	}
	_, err = w.svc.SetParameters(w.hr, 1, map[string]string{"max_agreement_months": "0"}, " ")
	storetest.WantCode(t, err, distans.EINVALID)
	var fields []string
	for _, f := range err.(*distans.Error).Fields {
		fields = append(fields, f.Field)
	}
	if strings.Join(fields, " ") != "parameters[max_agreement_months].value reason" {
		t.Errorf("fields %v", fields)
	}
	if _, v, _ := w.svc.Active(w.emp); v.Version != 1 {
		t.Fatalf("version %d after refused changes", v.Version)
	}
}
