package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The register (distans.RegisterService) is one listing over the three
// tables that hold numbered cases: agreements, incidents and equipment
// losses. Each branch of the UNION ALL picks its own newest rows of the
// organisation (filtered, scoped, after the cursor) and stops at the page
// size, so that a page reads at most three pages of rows; the outer query
// merges them. No text anyone wrote leaves the database: a branch selects
// the number, the time, the state, the kind, a name where the register may
// show one (distans.RegisterShowsReporter) and two facts that make the
// secrecy mark, and the subject is made from the kind in Go.

// registerBranch is one source of numbered cases. Every branch selects the
// same columns: kind, id, number, at, state, sub (an incident's or a
// loss's kind), party, s1 and s2 (the two facts behind the secrecy mark,
// as registerSecret reads them).
type registerBranch struct {
	kind  distans.RegisterKind
	table string // the alias of the case's table, for the common conditions
	sel   string // SELECT … FROM … JOIN …
	path  string // the unit-path column the keeper's scope applies to
	match func(a *args, m distans.RegisterSubjectMatch) string
}

func registerBranches() []registerBranch {
	return []registerBranch{{
		kind:  distans.RegisterAgreement,
		table: "a",
		// The request's JSON always carries "reasons"; an empty one is
		// written as "reasons":"".
		sel: `SELECT 'agreement' AS kind, a.id AS id, a.number AS number, a.created_at AS at, a.state AS state, '' AS sub,
			p.name AS party,
			CASE WHEN a.request_place <> '' OR a.terms_place <> '' THEN 1 ELSE 0 END AS s1,
			CASE WHEN a.request NOT LIKE '%"reasons":""%' THEN 1 ELSE 0 END AS s2
			FROM agreements a
			JOIN units u ON u.organisation_id = a.organisation_id AND u.id = a.unit_id
			JOIN people p ON p.organisation_id = a.organisation_id AND p.id = a.person_id`,
		path: "u.path",
		match: func(_ *args, m distans.RegisterSubjectMatch) string {
			if m.Agreement {
				return "1 = 1"
			}
			return ""
		},
	}, {
		kind:  distans.RegisterIncident,
		table: "i",
		sel:   "", // needs arguments: see registerSelect
		path:  "u.path",
		match: func(a *args, m distans.RegisterSubjectMatch) string {
			if len(m.IncidentKinds) == 0 {
				return ""
			}
			ph := make([]string, len(m.IncidentKinds))
			for i, k := range m.IncidentKinds {
				ph[i] = a.add(string(k))
			}
			return "i.kind IN (" + strings.Join(ph, ", ") + ")"
		},
	}, {
		kind:  distans.RegisterEquipmentLoss,
		table: "l",
		sel: `SELECT 'equipment_loss' AS kind, l.id AS id, l.number AS number, l.created_at AS at, l.state AS state,
			l.kind AS sub, p.name AS party,
			CASE WHEN l.outside_premises THEN 1 ELSE 0 END AS s1,
			CASE WHEN li.secret_fields IS NOT NULL AND li.secret_fields <> '[]' THEN 1 ELSE 0 END AS s2
			FROM equipment_losses l
			JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
			LEFT JOIN incidents li ON li.organisation_id = l.organisation_id AND li.id = l.incident_id`,
		path: "p.unit_path",
		match: func(a *args, m distans.RegisterSubjectMatch) string {
			var or []string
			if len(m.LossKinds) > 0 {
				ph := make([]string, len(m.LossKinds))
				for i, k := range m.LossKinds {
					ph[i] = a.add(string(k))
				}
				or = append(or, "l.kind IN ("+strings.Join(ph, ", ")+")")
			}
			if len(m.Categories) > 0 {
				ph := make([]string, len(m.Categories))
				for i, c := range m.Categories {
					ph[i] = a.add(string(c))
				}
				or = append(or, `EXISTS (SELECT 1 FROM equipment_loss_items it WHERE it.organisation_id = l.organisation_id
					AND it.loss_id = l.id AND it.category IN (`+strings.Join(ph, ", ")+`))`)
			}
			return strings.Join(or, " OR ")
		},
	}}
}

// incidentSelect is the incident branch's select: the reporter is named
// only for kinds the register may name them for, decided in SQL so that
// a withheld name never leaves the database.
func incidentSelect(a *args) string {
	var ph []string
	for _, k := range distans.RegisterSensitiveKinds() {
		ph = append(ph, a.add(string(k)))
	}
	in := "i.kind IN (" + strings.Join(ph, ", ") + ")"
	return `SELECT 'incident' AS kind, i.id AS id, i.number AS number, i.created_at AS at, i.state AS state, i.kind AS sub,
		CASE WHEN ` + in + ` THEN '' ELSE r.name END AS party,
		CASE WHEN i.secret_fields <> '[]' THEN 1 ELSE 0 END AS s1,
		CASE WHEN ` + in + ` THEN 1 ELSE 0 END AS s2
		FROM incidents i
		JOIN people r ON r.organisation_id = i.organisation_id AND r.id = i.reporter_id
		LEFT JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id`
}

// registerSecret turns a branch's two facts into the secrecy mark's parts.
func registerSecret(kind distans.RegisterKind, s1, s2 bool) []string {
	var parts []string
	add := func(on bool, part string) {
		if on {
			parts = append(parts, part)
		}
	}
	switch kind {
	case distans.RegisterAgreement:
		add(s1, distans.RegisterSecretRemotePlace)
		add(s2, distans.RegisterSecretReasons)
	case distans.RegisterIncident:
		add(s1, distans.RegisterSecretFields)
		add(s2, distans.RegisterSecretIncidentKind)
	case distans.RegisterEquipmentLoss:
		add(s1, distans.RegisterSecretLossPlace)
		add(s2, distans.RegisterSecretFields)
	}
	return parts
}

// ListRegister returns a page of the register (distans.RegisterService).
func (s *Store) ListRegister(ctx context.Context, f distans.RegisterFilter) ([]*distans.RegisterEntry, error) {
	act, err := registerActor(ctx, &f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = distans.DefaultRegisterPage
	}
	limit = min(limit, distans.MaxRegisterPage)
	var out []*distans.RegisterEntry
	err = s.read(ctx, func(tx *sql.Tx) error {
		out, err = s.register(ctx, tx, act, f, limit)
		return err
	})
	return out, err
}

// ExportRegister returns the entries of an export and records it in the
// audit trail in the same transaction (distans.RegisterService).
func (s *Store) ExportRegister(ctx context.Context, f distans.RegisterFilter) ([]*distans.RegisterEntry, bool, error) {
	act, err := registerActor(ctx, &f)
	if err != nil {
		return nil, false, err
	}
	f.After = ""
	var out []*distans.RegisterEntry
	more := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		out, err = s.register(ctx, tx, act, f, distans.MaxRegisterExport+1)
		if err != nil {
			return err
		}
		if more = len(out) > distans.MaxRegisterExport; more {
			out = out[:distans.MaxRegisterExport]
		}
		return s.audit(ctx, tx, act, act.OrganisationID, "records.register_export", "register", "",
			fmt.Sprintf("exported the register: %d entries%s (kind %q, search %q, from %s, to %s)", len(out),
				map[bool]string{true: ", limited", false: ""}[more], f.Kind, f.Query, dayText(f.From), dayText(f.To)))
	})
	if err != nil {
		return nil, false, err
	}
	return out, more, nil
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

// registerActor returns the actor, who must keep the register, and checks
// the filter.
func registerActor(ctx context.Context, f *distans.RegisterFilter) (*distans.Actor, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !act.KeepsRegister() {
		return nil, distans.Forbidden()
	}
	f.Query = strings.TrimSpace(f.Query)
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return act, nil
}

// register reads up to limit entries matching f in the actor's scope.
func (s *Store) register(ctx context.Context, tx *sql.Tx, act *distans.Actor, f distans.RegisterFilter,
	limit int) ([]*distans.RegisterEntry, error) {
	var a args
	org := a.add(act.OrganisationID)
	scope := act.RegisterScope()
	var common []string
	if !f.From.IsZero() || !f.To.IsZero() {
		loc, err := s.orgLocation(ctx, tx, act.OrganisationID)
		if err != nil {
			return nil, err
		}
		if !f.From.IsZero() {
			common = append(common, "%[1]s.created_at >= "+a.add(ts(startOfDay(f.From, loc))))
		}
		if !f.To.IsZero() {
			common = append(common, "%[1]s.created_at < "+a.add(ts(startOfDay(f.To.AddDate(0, 0, 1), loc))))
		}
	}
	if f.After != "" {
		at, number, err := distans.ParseRegisterCursor(f.After)
		if err != nil {
			return nil, err
		}
		t, n := a.add(ts(at)), a.add(number)
		common = append(common, "(%[1]s.created_at < "+t+" OR (%[1]s.created_at = "+t+" AND %[1]s.number < "+n+"))")
	}
	var numberLike string
	var match distans.RegisterSubjectMatch
	if f.Query != "" {
		numberLike = a.add("%" + escapeLike(fold(f.Query)) + "%")
		match = distans.MatchRegisterSubjects(f.Query)
	}
	var parts []string
	for _, b := range registerBranches() {
		if f.Kind != "" && f.Kind != b.kind {
			continue
		}
		sel := b.sel
		if b.kind == distans.RegisterIncident {
			sel = incidentSelect(&a)
		}
		where := []string{b.table + ".organisation_id = " + org, scopeSQL(&a, b.path, scope)}
		for _, c := range common {
			where = append(where, fmt.Sprintf(c, b.table))
		}
		if f.Query != "" {
			or := s.dialect.fold(b.table+".number") + " LIKE " + numberLike + ` ESCAPE '\'`
			if m := b.match(&a, match); m != "" {
				or += " OR " + m
			}
			where = append(where, "("+or+")")
		}
		parts = append(parts, `SELECT * FROM (`+sel+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY `+b.table+`.created_at DESC, `+b.table+`.number DESC`+limitRows(limit)+`) b`+strconv.Itoa(len(parts)))
	}
	rows, err := tx.QueryContext(ctx, `SELECT kind, id, number, at, state, sub, party, s1, s2 FROM (`+
		strings.Join(parts, " UNION ALL ")+`) r ORDER BY at DESC, number DESC`+limitRows(limit), a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*distans.RegisterEntry{}
	var losses []string
	for rows.Next() {
		e := &distans.RegisterEntry{}
		var kind, sub string
		var s1, s2 int
		if err := rows.Scan(&kind, &e.RecordID, &e.Number, tm(&e.RegisteredAt), &e.State, &sub, &e.Party, &s1, &s2); err != nil {
			return nil, err
		}
		e.Kind = distans.RegisterKind(kind)
		switch e.Kind {
		case distans.RegisterIncident:
			e.IncidentKind = distans.IncidentKind(sub)
		case distans.RegisterEquipmentLoss:
			e.LossKind = distans.LossKind(sub)
			losses = append(losses, e.RecordID)
		}
		e.SecretParts = registerSecret(e.Kind, s1 != 0, s2 != 0)
		e.Secret = len(e.SecretParts) > 0
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return out, lossCategories(ctx, tx, act.OrganisationID, losses, out)
}

// lossCategories fills the categories of the loss entries' items, for
// their subjects, a few hundred losses a query.
func lossCategories(ctx context.Context, tx *sql.Tx, orgID string, ids []string, entries []*distans.RegisterEntry) error {
	byID := map[string]*distans.RegisterEntry{}
	for _, e := range entries {
		if e.Kind == distans.RegisterEquipmentLoss {
			byID[e.RecordID] = e
		}
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		a := args{orgID}
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = a.add(id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT loss_id, category FROM equipment_loss_items
			WHERE organisation_id = $1 AND loss_id IN (`+strings.Join(ph, ", ")+`) ORDER BY loss_id, position`, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, cat string
			if err := rows.Scan(&id, &cat); err != nil {
				rows.Close()
				return err
			}
			if e := byID[id]; e != nil {
				e.Items = append(e.Items, distans.EquipmentCategory(cat))
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// startOfDay is the instant the calendar day of d (midnight UTC) begins
// in loc.
func startOfDay(d time.Time, loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}
