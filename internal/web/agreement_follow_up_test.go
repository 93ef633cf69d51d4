package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestAgreementFollowUpSpillOverRating: the manager records a follow-up
// with each spill-over rating and the case page shows the rating's
// Swedish label under "Bedömd påverkan på kollegor"; a rating that is not
// one of distans.SpillOverRatings comes back on the form, as a page, with
// the rule's Swedish message and what was typed, and records nothing.
func TestAgreementFollowUpSpillOverRating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "bjurholm"
	chefP := e.person(slug, account(slug, distans.RoleManager))
	var ag *distans.Agreement
	for _, x := range e.agreementsOf(slug, distans.AgreementFilter{}) {
		if x.State == distans.AgreementActive && x.UnitID == chefP.UnitID && x.PersonID != chefP.ID {
			ag = x
		}
	}
	if ag == nil {
		t.Fatal("no active demo agreement in the chef's unit")
	}
	stored := func() *distans.Agreement {
		t.Helper()
		x, err := e.store.FindAgreement(e.system(slug), ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	form := func(rating string) url.Values {
		return url.Values{"version": {strconv.Itoa(stored().Version)}, "date": {time.Now().UTC().Format(time.DateOnly)},
			"goals": {"Målen nås"}, "quality": {"God"}, "availability": {"Nås på telefon och i chatten"},
			"work_situation": {"Hållbar"}, "digital_env": {"Fungerar"},
			"spill_over": {"Kollegorna om " + rating}, "spill_over_rating": {rating}}
	}
	const q = "<dt>Bedömd påverkan på kollegor</dt>"
	chef := e.as(slug, distans.RoleManager)
	for _, r := range distans.SpillOverRatings {
		chef.get("/agreements/" + ag.ID)
		before := len(stored().FollowUps)
		p := chef.post("/agreements/"+ag.ID+"/follow-ups", form(string(r)))
		wantStatus(t, p, http.StatusSeeOther)
		page := chef.get(p.location)
		wantStatus(t, page, http.StatusOK)
		mustContain(t, page, "Uppföljningen är sparad.", q+"<dd>"+r.Label("sv")+"</dd>")
		fus := stored().FollowUps
		if len(fus) != before+1 || fus[0].SpillOverRating != r {
			t.Errorf("%s: follow-ups %d (was %d), the newest rated %q", r, len(fus), before, fus[0].SpillOverRating)
		}
	}

	chef.get("/agreements/" + ag.ID)
	was := stored()
	p := chef.post("/agreements/"+ag.ID+"/follow-ups", form("enorm"))
	wantStatus(t, p, http.StatusUnprocessableEntity)
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("the refusal is %s, not a page", ct)
	}
	mustContain(t, p, `<a href="#f-spill-over-rating">Välj ingen, viss eller betydande påverkan.</a>`, `id="f-spill-over-rating"`,
		"Kollegorna om enorm")
	if strings.Contains(p.body, q+"<dd>enorm</dd>") {
		t.Error("the page shows the unknown rating as recorded")
	}
	if now := stored(); len(now.FollowUps) != len(was.FollowUps) || now.Version != was.Version {
		t.Errorf("a refused follow-up changed the case: %d follow-ups (was %d), version %d (was %d)",
			len(now.FollowUps), len(was.FollowUps), now.Version, was.Version)
	}
}
