package report

import (
	"fmt"

	"github.com/distans/distans"
)

// MonthlyMail is the e-mail that carries a monthly report: its subject
// and plain-text body in the recipient's language. link is where the
// report lives in Distans, to see it with its charts and drill down.
func MonthlyMail(r *distans.Report, name, month, link, lang string) (subject, body string) {
	kind := r.Kind.Label(lang)
	if lang == "en" {
		subject = fmt.Sprintf("Monthly report: %s, %s, %s", kind, r.ScopeName, month)
		body = fmt.Sprintf("Hello %s,\n\nAttached is the report %s for %s, for %s (%s – %s), as a PDF.\n"+
			"See it with its charts, and drill down into units, in Distans:\n%s\n\n"+
			"You get this e-mail because you asked for the report every month. You can unsubscribe on the same page.\n",
			name, kind, r.ScopeName, month, day(r.From), day(r.To), link)
		if r.Suppressed {
			body += fmt.Sprintf("\nCounts below %d people are suppressed (–), as are the figures that would reveal them.\n", r.MinGroupSize)
		}
		return subject, body
	}
	subject = fmt.Sprintf("Månadsrapport: %s, %s, %s", kind, r.ScopeName, month)
	body = fmt.Sprintf("Hej %s!\n\nHär är rapporten %s för %s, för %s (%s – %s), som PDF.\n"+
		"Se den med diagram och gå ned i enheterna i Distans:\n%s\n\n"+
		"Du får det här e-postmeddelandet eftersom du har beställt rapporten varje månad. Du kan avbeställa den på samma sida.\n",
		name, kind, r.ScopeName, month, day(r.From), day(r.To), link)
	if r.Suppressed {
		body += fmt.Sprintf("\nAntal under %d personer är dolda (–), liksom de uppgifter som skulle avslöja dem.\n", r.MinGroupSize)
	}
	return subject, body
}
