package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/distans/distans"
)

var scimSecretRE = regexp.MustCompile(`<span class="secret">(dsc_[^<]+)</span>`)

// TestSCIMSettings drives the SCIM page as an administrator: a token's
// secret is shown once and authenticates the identity system until it is
// revoked; the unit setting and a group mapping are saved. Nobody else
// sees the page or its place in the navigation.
func TestSCIMSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.as("bjurholm", distans.RoleAdmin)
	home := admin.get("/")
	mustContain(t, home, `href="/scim-settings"`, "SCIM-provisionering")
	p := admin.get("/scim-settings")
	wantStatus(t, p, http.StatusOK)
	mustContain(t, p, "SCIM-provisionering", "/scim/v2", "Inga nycklar ännu.")

	p = admin.post("/scim-settings/tokens", url.Values{"name": {""}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	p = admin.post("/scim-settings/tokens", url.Values{"name": {"Entra ID"}})
	wantStatus(t, p, http.StatusOK)
	m := scimSecretRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no secret shown:\n%.1500s", text(p.body))
	}
	a, err := e.svc.SCIM.AuthenticateSCIM(context.Background(), m[1])
	if err != nil || a.Name != "SCIM: Entra ID" {
		t.Fatalf("the shown secret: %+v %v", a, err)
	}
	p = admin.get("/scim-settings")
	if scimSecretRE.MatchString(p.body) {
		t.Fatal("the secret is shown again")
	}
	tokens, err := e.svc.SCIMAdmin.ListSCIMTokens(e.system("bjurholm"))
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens %+v %v", tokens, err)
	}
	p = admin.post("/scim-settings/tokens/"+tokens[0].ID+"/revoke", nil)
	wantStatus(t, p, http.StatusSeeOther)
	if _, err := e.svc.SCIM.AuthenticateSCIM(context.Background(), m[1]); distans.ErrorCode(err) != distans.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}

	admin.get("/scim-settings")
	wantStatus(t, admin.post("/scim-settings/settings", url.Values{"create_units": {"1"}}), http.StatusSeeOther)
	st, err := e.svc.SCIMAdmin.FindSCIMSettings(e.system("bjurholm"))
	if err != nil || !st.CreateUnits {
		t.Fatalf("settings %+v %v", st, err)
	}
	admin.get("/scim-settings")
	p = admin.post("/scim-settings/mappings", url.Values{"display_name": {"Distans-HR"}, "role": {"ingen"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, "Okänd roll.")
	p = admin.post("/scim-settings/mappings", url.Values{"display_name": {"Distans-HR"}, "role": {string(distans.RoleHR)}})
	wantStatus(t, p, http.StatusSeeOther)
	p = admin.get("/scim-settings")
	mustContain(t, p, "Distans-HR", "Hela organisationen")
	wantStatus(t, admin.post("/scim-settings/mappings/delete", url.Values{"display_name": {"Distans-HR"}}), http.StatusSeeOther)
	if ms, _ := e.svc.SCIMAdmin.ListSCIMGroupMappings(e.system("bjurholm")); len(ms) != 0 {
		t.Fatalf("mappings after delete %+v", ms)
	}

	// A group that places its members in a unit: the unit is required.
	mustContain(t, admin.get("/scim-settings"), `<legend>Vad gruppen ger</legend>`,
		`<label class="inline-label" for="f-kind-role">Roll i en enhet</label>`,
		`<label class="inline-label" for="f-kind-unit">Placering i en enhet</label>`)
	p = admin.post("/scim-settings/mappings", url.Values{"display_name": {"Distans-Ekonomi"}, "kind": {"unit"}})
	wantStatus(t, p, http.StatusUnprocessableEntity)
	mustContain(t, p, `id="f-kind-unit" name="kind" value="unit" checked`)
	units, err := e.store.ListUnits(e.system("bjurholm"), distans.UnitFilter{})
	if err != nil || len(units) == 0 {
		t.Fatalf("units %v", err)
	}
	p = admin.post("/scim-settings/mappings", url.Values{"display_name": {"Distans-Ekonomi"}, "kind": {"unit"},
		"unit_id": {units[0].ID}})
	wantStatus(t, p, http.StatusSeeOther)
	mustContain(t, admin.get("/scim-settings"), "Distans-Ekonomi", "<td>Placering i en enhet</td>", units[0].Name)
	ms, _ := e.svc.SCIMAdmin.ListSCIMGroupMappings(e.system("bjurholm"))
	if len(ms) != 1 || ms[0].Kind != distans.SCIMMapUnit || ms[0].UnitID != units[0].ID || ms[0].Role != "" {
		t.Fatalf("unit mapping %+v", ms)
	}

	hr := e.as("bjurholm", distans.RoleHR)
	if p := hr.get("/"); regexp.MustCompile(`href="/scim-settings"`).MatchString(p.body) {
		t.Fatal("HR is offered the SCIM page")
	}
	wantStatus(t, hr.get("/scim-settings"), http.StatusForbidden)
	hr.get("/")
	wantStatus(t, hr.post("/scim-settings/tokens", url.Values{"name": {"Smygväg"}}), http.StatusForbidden)
}
