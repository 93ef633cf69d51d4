package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/view"
)

// invitationsCreate invites everyone of the organisation who still needs
// an invitation (Actor.SetsPasswordsOfAll; the service decides). The page
// says how many went out by e-mail; the links that were not mailed are
// offered as a CSV file made from this answer, in a data: URL, so that
// the browser saves it without the server keeping the links anywhere,
// and the first of them in a table. They are shown once, never again.
func (web *Web) invitationsCreate() http.Handler {
	return web.authed(func(w http.ResponseWriter, r *http.Request, _ *distans.Actor) {
		back := safeNext(r.PostFormValue("back"))
		b, err := web.svc.Links.InvitePending(r.Context())
		if err != nil {
			web.actionFailed(w, r, back, err)
			return
		}
		l := web.layout(w, r)
		l.Title = l.T("invitations.title")
		page := &view.InvitationBatchPage{Layout: l, Batch: b, Back: back}
		switch {
		case b.Count == 0:
			page.Summary = l.T("invitations.none")
		case b.Mailed == b.Count && b.Count == 1:
			page.Summary = l.T("invitations.sent_one")
		case b.Mailed == b.Count:
			page.Summary = l.T("invitations.sent", b.Count)
		case b.Count == 1:
			page.Summary = l.T("invitations.made_one")
		default:
			page.Summary = l.T("invitations.made", b.Count)
		}
		hand := b.HandOver()
		for _, inv := range hand {
			inv.URL = web.absoluteLink(r, inv.URL)
		}
		if len(hand) > 0 {
			loc := l.Loc
			if loc == nil {
				loc = (&distans.Organisation{}).Location()
			}
			files, err := csvFiles(hand, loc, distans.NowFrom(r.Context()).In(loc).Format("2006-01-02"), view.CSVFileRows)
			if err != nil {
				web.fail(w, r, err)
				return
			}
			page.CSV = files
			page.HandOverTotal = len(hand)
			page.HandOver = hand[:min(len(hand), view.BatchTableRows)]
		}
		// The links are secrets: not sent on as a referrer (render keeps
		// every page out of caches).
		noReferrer(w)
		web.render(w, r, http.StatusOK, page)
	})
}

// csvFiles writes the links to hand over as CSV files of per links each,
// named by day, as data: URLs.
func csvFiles(hand []*distans.Invitation, loc *time.Location, day string, per int) ([]view.CSVFile, error) {
	var files []view.CSVFile
	for from := 0; from < len(hand); from += per {
		part := hand[from:min(len(hand), from+per)]
		var csv bytes.Buffer
		if err := distans.WriteInvitationsCSV(&csv, part, loc); err != nil {
			return nil, err
		}
		name := "inbjudningar-" + day + ".csv"
		if len(hand) > per {
			name = fmt.Sprintf("inbjudningar-%s-%d.csv", day, from/per+1)
		}
		// A data: URL the template may not rewrite: made here, from our
		// own bytes, and only for a download link.
		files = append(files, view.CSVFile{Name: name, From: from + 1, To: from + len(part),
			Href: template.URL("data:text/csv;charset=utf-8;base64," + base64.StdEncoding.EncodeToString(csv.Bytes()))})
	}
	return files, nil
}
