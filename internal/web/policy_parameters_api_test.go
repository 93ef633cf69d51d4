package web_test

import (
	"encoding/json"
	"html"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestPolicyParameterValidation sends the same bad parameter value to the
// page and to the API of one running Distans: both refuse it, with the same
// message in Swedish and in English, and neither saves a version. The
// policy service is the one validator behind both.
func TestPolicyParameterValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedPolicy("bjurholm")
	hr := e.as("bjurholm", distans.RoleHR)
	hrEN := e.as("bjurholm", distans.RoleHR)
	hrEN.lang = "en"
	token := e.apiToken("bjurholm", account("bjurholm", distans.RoleHR))

	for _, tc := range []struct {
		name, param, value, sv, en string
	}{
		{"not a whole number", "max_agreement_months", "ett år", "Ange ett heltal.", "Give a whole number."},
		{"below both bounds", "max_agreement_months", "0", "Värdet ska vara mellan 1 och 120.", "The value must be between 1 and 120."},
		{"above both bounds", "max_agreement_months", "400", "Värdet ska vara mellan 1 och 120.", "The value must be between 1 and 120."},
		{"below a lower bound alone", "follow_up_interval_days", "0", "Värdet ska vara minst 1.", "The value must be at least 1."},
		{"empty", "tax_workplace_share_percent", "", "Ange ett värde.", "Give a value."},
		{"a fraction for a whole number", "status_history_days", "1,5", "Ange ett heltal.", "Give a whole number."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"base": {"1"}, "reason": {"Prov"}, "param.max_agreement_months": {"12"},
				"param.tax_workplace_share_percent": {"50"}, "param.follow_up_interval_days": {"365"}, "param.status_history_days": {"90"}}
			form.Set("param."+tc.param, tc.value)
			for _, c := range []struct {
				client *client
				want   string
			}{{hr, tc.sv}, {hrEN, tc.en}} {
				c.client.get("/policy/parameters")
				p := c.client.post("/policy/parameters", maps.Clone(form)) // post adds the client's CSRF token
				wantFieldError(t, p, "param."+tc.param, tc.value)
				if got := fieldMessage(p, "param."+tc.param); got != c.want {
					t.Errorf("page (%s): %q, want %q", c.client.lang, got, c.want)
				}
			}

			body, _ := json.Marshal(map[string]any{"base_version": 1, "reason": "Prov", "values": map[string]string{tc.param: tc.value}})
			req, _ := http.NewRequest(http.MethodPatch, e.srv.URL+"/api/v1/policy/parameters", strings.NewReader(string(body)))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			var out struct {
				Error struct {
					Fields []distans.FieldError `json:"fields"`
				} `json:"error"`
			}
			if res.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(b, &out) != nil {
				t.Fatalf("API: %d %s, want 422", res.StatusCode, b)
			}
			want := distans.FieldError{Field: "values." + tc.param, Sv: tc.sv, En: tc.en}
			if len(out.Error.Fields) != 1 || out.Error.Fields[0] != want {
				t.Errorf("API fields %+v, want %+v", out.Error.Fields, want)
			}
			if v := e.activeVersion("bjurholm"); v != 1 {
				t.Fatalf("a refused value saved version %d", v)
			}
		})
	}
}

// fieldMessage is the message a page shows for a form field.
func fieldMessage(p page, field string) string {
	id := "f-" + strings.NewReplacer("_", "-", ".", "-").Replace(field)
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error"[^>]*>([^<]*)<`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// apiToken creates an API token for the person with the e-mail address.
func (e *env) apiToken(slug, email string) string {
	e.t.Helper()
	p := e.person(slug, email)
	sys := e.system(slug)
	grants, err := e.store.Grants(sys, p.OrganisationID, p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	actor := &distans.Actor{OrganisationID: p.OrganisationID, PersonID: p.ID, Name: p.Name, Grants: grants}
	secret, _, err := e.svc.SignIn.CreateAPIToken(distans.NewContext(sys, actor), "", "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}
