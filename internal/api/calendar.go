package api

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/calendar"
)

// The private calendar feed (issue 5). POST /me/calendar-feed creates the
// feed and returns its URL with the secret in it, once; DELETE revokes it.
// GET /calendar/{token}.ics is public: the secret in the URL is the
// credential, so an unknown or revoked secret is 404 and nothing else is
// said. The route lives outside /api/v1 because calendar programs poll it
// without an Authorization header; it is in the route table and in
// openapi.json like every other.

// calendarPath is where feeds are served; the file name is the secret
// followed by ".ics".
const calendarPath = "/calendar/"

// calendarFeedCreated is the answer to POST /me/calendar-feed.
type calendarFeedCreated struct {
	URL    string                `json:"url"`
	Secret string                `json:"secret"`
	Feed   *distans.CalendarFeed `json:"feed"`
}

// feedWindow is how far back and ahead the feed reaches.
const (
	feedDaysBack  = 31
	feedDaysAhead = distans.StatusHorizonDays
)

func errNoFeed() error {
	return distans.NotFound("Kalenderprenumerationen finns inte.", "The calendar feed does not exist.")
}

func (a *API) calendarFeedCreate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cal == nil {
			a.error(w, r, errNoFeed())
			return
		}
		secret, f, err := a.cal.CreateCalendarFeed(r.Context(), "")
		if err != nil {
			a.error(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		respond(w, http.StatusCreated, calendarFeedCreated{URL: feedURL(r, secret), Secret: secret, Feed: f})
	})
}

func (a *API) calendarFeedDelete() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cal == nil {
			a.error(w, r, errNoFeed())
			return
		}
		if err := a.cal.RevokeCalendarFeed(r.Context(), ""); err != nil {
			a.error(w, r, err)
			return
		}
		noContent(w)
	})
}

// feedURL is the absolute URL of the feed, from the request's own host.
func feedURL(r *http.Request, secret string) string {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		scheme = "http"
	}
	return scheme + "://" + r.Host + calendarPath + secret + ".ics"
}

// feedToken reads the secret from the file name "<secret>.ics"; "" when it
// cannot be one.
func feedToken(file string) string {
	tok, ok := strings.CutSuffix(file, ".ics")
	if !ok || len(tok) < 8 || len(tok) > 100 || strings.ContainsAny(tok, "/ ") {
		return ""
	}
	return tok
}

func (a *API) calendarFeed() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := feedToken(r.PathValue("file"))
		if a.cal == nil || tok == "" {
			a.error(w, r, errNoFeed())
			return
		}
		f, err := a.cal.FindCalendarFeed(r.Context(), distans.CalendarTokenHash(tok))
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			a.error(w, r, errNoFeed())
			return
		} else if err != nil {
			a.error(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := a.writeFeed(r.Context(), &buf, f); err != nil {
			if distans.ErrorCode(err) == distans.ENOTFOUND {
				err = errNoFeed() // the person has gone
			}
			a.error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Cache-Control", "private, max-age=300")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	})
}

// writeFeed gathers the feed's person's days as the system of their
// organisation (the secret has proved who asks) and writes the calendar.
// Reasons for absence never reach it: only remote days are shown.
func (a *API) writeFeed(ctx context.Context, buf *bytes.Buffer, f *distans.CalendarFeed) error {
	sys := distans.NewContext(ctx, distans.SystemActor(f.OrganisationID))
	o, err := a.svc.Organisations.FindOrganisationByID(sys, f.OrganisationID)
	if err != nil {
		return err
	}
	loc := o.Location()
	p, err := a.svc.People.FindPerson(sys, f.PersonID)
	if err != nil {
		return err
	}
	now := distans.NowFrom(ctx)
	today := o.Today(now)
	// The feed stops with the employment, as sign-in does.
	emps, err := a.svc.People.ListEmployments(sys, p.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(emps, func(e *distans.Employment) bool { return e.CurrentOn(today) }) {
		return errNoFeed()
	}
	from, to := today.AddDate(0, 0, -feedDaysBack), today.AddDate(0, 0, feedDaysAhead)
	feed := calendar.Feed{PersonID: p.ID, Name: p.Name, Location: loc, Now: now}

	if a.svc.Availability != nil {
		if feed.Statuses, err = a.svc.Availability.ListStatuses(sys, p.ID, from, to); err != nil {
			return err
		}
		h, err := a.svc.Availability.FindPhoneHours(sys, p.ID)
		if distans.ErrorCode(err) == distans.ENOTFOUND && p.UnitID != "" {
			h, err = a.svc.Availability.FindPhoneHours(sys, p.UnitID)
		}
		switch {
		case err == nil:
			feed.PhoneHours = h
		case distans.ErrorCode(err) != distans.ENOTFOUND:
			return err
		}
	}
	if a.svc.Office != nil {
		bs, err := a.svc.Office.ListBookings(sys, distans.BookingFilter{PersonID: p.ID, From: from, To: to})
		if err != nil {
			return err
		}
		desks, sites := map[string]string{}, map[string]string{}
		for _, b := range bs {
			if _, ok := desks[b.DeskID]; !ok {
				d, err := a.svc.Office.FindDesk(sys, b.DeskID)
				if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
					return err
				}
				if d != nil {
					desks[b.DeskID] = d.Label
				}
			}
			if _, ok := sites[b.SiteID]; !ok && a.svc.Sites != nil {
				s, err := a.svc.Sites.FindSite(sys, b.SiteID)
				if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
					return err
				}
				if s != nil {
					sites[b.SiteID] = s.Name
				}
			}
			feed.Bookings = append(feed.Bookings, calendar.Booking{Booking: b, DeskLabel: desks[b.DeskID], SiteName: sites[b.SiteID]})
		}
		if p.UnitID != "" {
			if feed.TeamDays, err = a.svc.Office.ListTeamDays(sys, p.UnitID, from, to); err != nil {
				return err
			}
		}
	}
	return calendar.Write(buf, feed)
}
