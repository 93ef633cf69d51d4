package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestFormTextsFromOwnPack: the texts a form shows come from the active
// pack of the actor's own organisation, and a clause is named by
// organisation, title and section, never by its document's file name.
func TestFormTextsFromOwnPack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		slug    string
		want    []string
		notWant []string
	}{
		{"bjurholm", []string{"Tillfälligt arbete hemma är inte distansarbete", "Bjurholms kommun, Riktlinjer för distansarbete, 3. Distansarbete",
			"är per definition inte distansarbete", "<details"}, []string{"Stockholm", ".txt"}},
		{"stockholm", []string{"Kontoret är huvudarbetsplatsen", "Stockholms stad"}, []string{"Bjurholm", "per definition inte distansarbete", ".txt"}},
		{"vara", nil, []string{"Bjurholm", "Stockholm", "per definition inte distansarbete", ".txt"}},
		{"sorsele", nil, []string{"Bjurholm", "Stockholm", ".txt"}},
	} {
		e.seedPolicy(tc.slug)
		p := e.as(tc.slug, distans.RoleEmployee).get("/agreements/new")
		wantStatus(t, p, http.StatusOK)
		mustContain(t, p, tc.want...)
		for _, s := range tc.notWant {
			if strings.Contains(p.body, s) {
				t.Errorf("%s: the request form shows %q", tc.slug, s)
			}
		}
	}
	// Bjurholm's managers see no Stockholm support material on a case, and
	// the clauses of its findings by name.
	ag := e.someoneElsesAgreement("bjurholm")
	p := e.as("bjurholm", distans.RoleManager).get("/agreements/" + ag.ID)
	wantStatus(t, p, http.StatusOK)
	for _, s := range []string{"Stockholm", "överklaga", ".txt"} {
		if strings.Contains(p.body, s) {
			t.Errorf("a Bjurholm case shows %q", s)
		}
	}
}
