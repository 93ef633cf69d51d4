package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/distans/distans"
)

const (
	defaultSignInPage = 100
	maxSignInPage     = 1000
	// The browser's description is cut: it is for people to recognise
	// a device, and a client chooses how long it is.
	maxUserAgent = 300
)

// logSignIn writes one attempt to the sign-in log, with the client the
// request came from (distans.ClientFrom).
func logSignIn(ctx context.Context, tx *sql.Tx, orgID, personID string, outcome distans.SignInOutcome, method distans.SignInMethod) error {
	c := distans.ClientFrom(ctx)
	ua := strings.ToValidUTF8(c.UserAgent, "")
	for len(ua) > maxUserAgent {
		_, n := utf8.DecodeLastRuneInString(ua)
		ua = ua[:len(ua)-n]
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO signin_events (organisation_id, id, person_id, at, outcome, method, address, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, orgID, newID(), personID, ts(now(ctx)), string(outcome), string(method),
		c.Address, ua)
	return err
}

// signInCursor is the position of the last event of a page: its time and
// ID, which order the log.
func signInCursor(e *distans.SignInEvent) string {
	return base64.RawURLEncoding.EncodeToString([]byte(ts(e.At) + "\x00" + e.ID))
}

func parseSignInCursor(s string) (at, id string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	at, id, ok := strings.Cut(string(b), "\x00")
	if _, perr := time.Parse(tsLayout, at); err != nil || !ok || id == "" || perr != nil || !utf8.ValidString(id) {
		e := distans.Errorf(distans.EINVALID, "Ogiltig sidmarkör: använd länken till nästa sida eller börja om från första sidan.",
			"Invalid page cursor: use the link to the next page or start again from the first page.")
		e.Fields = []distans.FieldError{{Field: "after", Sv: "Ogiltig sidmarkör.", En: "Invalid page cursor."}}
		return "", "", e
	}
	return at, id, nil
}

// ListSignInEvents implements distans.SignInLog.
func (s *Store) ListSignInEvents(ctx context.Context, f distans.SignInFilter) ([]*distans.SignInEvent, string, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, "", err
	}
	if !act.SeesAudit() && !act.System && (act.PersonID == "" || f.PersonID != act.PersonID) {
		return nil, "", distans.Errorf(distans.EFORBIDDEN, "Du får bara se dina egna inloggningar.",
			"You may only see your own sign-ins.")
	}
	if f.Outcome != "" && !f.Outcome.Valid() {
		return nil, "", distans.Errorf(distans.EINVALID, "Okänt utfall.", "Unknown outcome.")
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, "", distans.Errorf(distans.EINVALID, "Slutet kan inte ligga före början.", "The end cannot be before the start.")
	}
	var a args
	where := []string{"e.organisation_id = " + a.add(act.OrganisationID)}
	if f.PersonID != "" {
		where = append(where, "e.person_id = "+a.add(f.PersonID))
	}
	if f.Outcome != "" {
		where = append(where, "e.outcome = "+a.add(string(f.Outcome)))
	}
	if !f.From.IsZero() {
		where = append(where, "e.at >= "+a.add(ts(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "e.at < "+a.add(ts(f.To)))
	}
	if f.After != "" {
		at, id, err := parseSignInCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		p := a.add(at)
		where = append(where, "(e.at < "+p+" OR (e.at = "+p+" AND e.id < "+a.add(id)+"))")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultSignInPage
	}
	limit = min(limit, maxSignInPage)
	rows, err := s.rdb.QueryContext(ctx, `SELECT e.id, e.person_id, p.name, e.at, e.outcome, e.method, e.address, e.user_agent
		FROM signin_events e JOIN people p ON p.organisation_id = e.organisation_id AND p.id = e.person_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY e.at DESC, e.id DESC`+limitRows(limit+1), a...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	out := []*distans.SignInEvent{}
	for rows.Next() {
		e := &distans.SignInEvent{OrganisationID: act.OrganisationID}
		var outcome, method string
		if err := rows.Scan(&e.ID, &e.PersonID, &e.PersonName, tm(&e.At), &outcome, &method, &e.Address, &e.UserAgent); err != nil {
			return nil, "", err
		}
		e.Outcome, e.Method = distans.SignInOutcome(outcome), distans.SignInMethod(method)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = signInCursor(out[limit-1])
	}
	return out, next, nil
}
