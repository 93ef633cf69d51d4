package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Trips with equipment (Sorsele 004 §8.5) and return tasks (004 §8.6,
// Kristianstad 003 När anställningen upphör).

func errTripNotFound() error {
	return distans.NotFound("Resan finns inte.", "The trip does not exist.")
}

func errTaskNotFound() error {
	return distans.NotFound("Uppgiften finns inte.", "The task does not exist.")
}

// CreateTrip registers the actor's trip with items they hold. The pack
// (plan) decides whether it is registered or waits for the manager's
// approval, and its findings; the managers are told of a request.
func (s *Store) CreateTrip(ctx context.Context, r *distans.TripRequest, plan distans.TripPlan) (*distans.EquipmentTrip, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if act.System || act.PersonID == "" {
		return nil, distans.Forbidden()
	}
	at := now(ctx)
	var id string
	err = s.write(ctx, func(tx *sql.Tx) error {
		today, err := s.today(ctx, tx, act.OrganisationID)
		if err != nil {
			return err
		}
		if err := r.Validate(today); err != nil {
			return err
		}
		person, err := findPersonRow(ctx, tx, act.OrganisationID, act.PersonID)
		if err != nil {
			return err
		}
		var v distans.Validation
		items, err := pickItems(ctx, tx, act.OrganisationID, r.ItemIDs, "", &v, func(it *distans.EquipmentItem) {
			if it.Status != distans.EquipmentIssued || it.HolderID != person.ID {
				notHeldBy(&v, it, person.Name)
			}
		})
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		t := &distans.EquipmentTrip{ID: newID(), OrganisationID: act.OrganisationID, PersonID: person.ID, PersonName: person.Name,
			PersonUnitPath: person.UnitPath, Private: r.Private, Abroad: r.Abroad, Destination: strings.TrimSpace(r.Destination),
			StartsOn: distans.DateOf(r.StartsOn), EndsOn: distans.DateOf(r.EndsOn), Reasons: strings.TrimSpace(r.Reasons),
			Version: 1, CreatedAt: at}
		id = t.ID
		for _, it := range items {
			t.Items = append(t.Items, snapshotOf(it))
		}
		state, findings, err := plan(t)
		if err != nil {
			return err
		}
		if state != distans.TripRegistered && state != distans.TripRequested {
			return fmt.Errorf("sqlstore: trip plan gave state %q", state)
		}
		t.State, t.Findings = state, nonNil(findings)
		fj, err := json.Marshal(t.Findings)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_trips (organisation_id, id, person_id, private, abroad, destination,
			starts_on, ends_on, reasons, state, findings, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)`, t.OrganisationID, t.ID, t.PersonID, t.Private, t.Abroad,
			t.Destination, day(t.StartsOn), day(t.EndsOn), t.Reasons, string(t.State), string(fj), ts(at)); err != nil {
			return err
		}
		if err := insertSnapshots(ctx, tx, "equipment_trip_items", "trip_id", t.OrganisationID, t.ID, t.Items); err != nil {
			return err
		}
		if t.State == distans.TripRequested && person.UnitPath != "" {
			managers, err := roleHoldersOver(ctx, tx, t.OrganisationID, []string{string(distans.RoleManager)}, person.UnitPath, today, person.ID)
			if err != nil {
				return err
			}
			for _, m := range managers {
				if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: t.OrganisationID, PersonID: m,
					Key: "equipment/trip/" + t.ID + "/requested/" + m, Kind: notifyTripRequested,
					Params: map[string]string{"name": person.Name, "destination": t.Destination, "date": day(t.StartsOn)},
					Link:   "/equipment/trips/" + t.ID}); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, act, t.OrganisationID, "equipment.trip", tripAuditRecord, t.ID,
			fmt.Sprintf("trip to %s %s–%s (%s), %s", t.Destination, day(t.StartsOn), day(t.EndsOn), itemLabels(t.Items), t.State))
	})
	if err != nil {
		return nil, err
	}
	return s.FindTrip(ctx, id)
}

const tripCols = `t.organisation_id, t.id, t.person_id, p.name, p.unit_path, t.private, t.abroad, t.destination, t.starts_on, t.ends_on,
	t.reasons, t.state, t.findings, t.decided_by_id, t.decided_at, t.decision_note, t.version, t.created_at`

const tripFrom = ` FROM equipment_trips t JOIN people p ON p.organisation_id = t.organisation_id AND p.id = t.person_id`

func scanTrip(sc interface{ Scan(...any) error }) (*distans.EquipmentTrip, error) {
	t := &distans.EquipmentTrip{}
	var state, findings string
	err := sc.Scan(&t.OrganisationID, &t.ID, &t.PersonID, &t.PersonName, &t.PersonUnitPath, &t.Private, &t.Abroad, &t.Destination,
		dt(&t.StartsOn), dt(&t.EndsOn), &t.Reasons, &state, &findings, str(&t.DecidedByID), nulltm(&t.DecidedAt), &t.DecisionNote,
		&t.Version, tm(&t.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTripNotFound()
	} else if err != nil {
		return nil, err
	}
	t.State = distans.TripState(state)
	if err := json.Unmarshal([]byte(findings), &t.Findings); err != nil {
		return nil, fmt.Errorf("sqlstore: trip %s findings: %w", t.ID, err)
	}
	t.Findings, t.Items = nonNil(t.Findings), []distans.HandoverItem{}
	return t, nil
}

func visibleTrip(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.EquipmentTrip, error) {
	if err := lockRow(ctx, q, "equipment_trips", act.OrganisationID, id, lock, errTripNotFound); err != nil {
		return nil, err
	}
	t, err := scanTrip(q.QueryRowContext(ctx, `SELECT `+tripCols+tripFrom+` WHERE t.organisation_id = $1 AND t.id = $2`,
		act.OrganisationID, id))
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(t.PersonID, t.PersonUnitPath) {
		return nil, errTripNotFound()
	}
	items, err := loadSnapshots(ctx, q, "equipment_trip_items", "trip_id", act.OrganisationID, []string{t.ID})
	if err != nil {
		return nil, err
	}
	t.Items = nonNil(items[t.ID])
	return t, nil
}

// FindTrip returns a trip the actor sees.
func (s *Store) FindTrip(ctx context.Context, id string) (*distans.EquipmentTrip, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var t *distans.EquipmentTrip
	err = s.read(ctx, func(tx *sql.Tx) error {
		t, err = visibleTrip(ctx, tx, act, id, "")
		return err
	})
	return t, err
}

// ListTrips returns the person's trips (personID set), or those the actor
// sees; with requested, only those waiting for the actor's decision.
// Newest first.
func (s *Store) ListTrips(ctx context.Context, personID string, requested bool) ([]*distans.EquipmentTrip, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentTrip{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		var a args
		where := []string{"t.organisation_id = " + a.add(act.OrganisationID), equipmentOfSQL(&a, act, "t.person_id", "p.unit_path")}
		if personID != "" {
			if _, err := visiblePerson(ctx, tx, act, personID); err != nil {
				return err
			}
			where = append(where, "t.person_id = "+a.add(personID))
		}
		if requested {
			if act.PersonID == "" {
				return nil
			}
			where = append(where, "t.state = 'requested'", "t.person_id <> "+a.add(act.PersonID),
				scopeSQL(&a, "p.unit_path", act.RoleScope(distans.RoleManager)))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+tripCols+tripFrom+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY t.created_at DESC, t.id DESC LIMIT 500`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var ids []string
		for rows.Next() {
			t, err := scanTrip(rows)
			if err != nil {
				return err
			}
			if act.SeesEquipmentOf(t.PersonID, t.PersonUnitPath) && (!requested || act.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath)) {
				out = append(out, t)
				ids = append(ids, t.ID)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		items, err := loadSnapshots(ctx, tx, "equipment_trip_items", "trip_id", act.OrganisationID, ids)
		if err != nil {
			return err
		}
		for _, t := range out {
			t.Items = nonNil(items[t.ID])
		}
		return nil
	})
	return out, err
}

// DecideTrip records the manager's decision on a requested trip, with the
// reasons (004 §8.5); the person is told.
func (s *Store) DecideTrip(ctx context.Context, id string, d distans.TripDecision) (*distans.EquipmentTrip, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		t, err := visibleTrip(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if !act.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) {
			return errNotManager()
		}
		if t.Version != d.Version {
			return errEquipmentStale()
		}
		if t.State != distans.TripRequested {
			return distans.Errorf(distans.ECONFLICT, "Resan väntar inte på något beslut.", "The trip is not waiting for a decision.")
		}
		var v distans.Validation
		v.Required("note", d.Note)
		v.MaxLen("note", d.Note, distans.MaxEquipmentNote)
		if err := v.Err(); err != nil {
			return err
		}
		at := now(ctx)
		t.State = distans.TripDeclined
		if d.Approved {
			t.State = distans.TripApproved
		}
		t.DecidedByID, t.DecidedAt, t.DecisionNote = act.PersonID, &at, strings.TrimSpace(d.Note)
		t.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_trips SET state = $1, decided_by_id = $2, decided_at = $3, decision_note = $4,
			version = $5, updated_at = $3 WHERE organisation_id = $6 AND id = $7`, string(t.State), act.PersonID, ts(at), t.DecisionNote,
			t.Version, t.OrganisationID, t.ID); err != nil {
			return err
		}
		if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: t.OrganisationID, PersonID: t.PersonID,
			Key: "equipment/trip/" + t.ID + "/decided", Kind: notifyTripDecided,
			Params: map[string]string{"approved": strconv.FormatBool(d.Approved), "destination": t.Destination, "date": day(t.StartsOn)},
			Link:   "/equipment/trips/" + t.ID}); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, t.OrganisationID, "equipment.trip_decision", tripAuditRecord, t.ID,
			"trip to "+t.Destination+" "+string(t.State))
	})
	if err != nil {
		return nil, err
	}
	return s.FindTrip(ctx, id)
}

const taskCols = `t.organisation_id, t.id, t.kind, t.reason, t.person_id, p.name, p.unit_path, t.item_id, i.category,
	COALESCE(m.name, ''), i.asset_tag, i.serial, t.source_id, t.due_on, t.manager_id, t.rule_id, t.citation, t.state, t.note,
	t.done_at, t.done_by_id, t.reminded_at, t.escalated_at, t.version`

const taskFrom = ` FROM equipment_return_tasks t
	JOIN people p ON p.organisation_id = t.organisation_id AND p.id = t.person_id
	JOIN equipment_items i ON i.organisation_id = t.organisation_id AND i.id = t.item_id
	LEFT JOIN equipment_models m ON m.organisation_id = i.organisation_id AND m.id = i.model_id`

func scanTask(sc interface{ Scan(...any) error }) (*distans.ReturnTask, error) {
	t := &distans.ReturnTask{}
	var kind, reason, state, cat string
	var it distans.EquipmentItem
	err := sc.Scan(&t.OrganisationID, &t.ID, &kind, &reason, &t.PersonID, &t.PersonName, &t.PersonUnitPath, &t.ItemID, &cat,
		&it.ModelName, &it.AssetTag, &it.Serial, &t.SourceID, dt(&t.DueOn), str(&t.ManagerID), &t.RuleID, &t.Citation, &state,
		&t.Note, nulltm(&t.DoneAt), str(&t.DoneByID), nulltm(&t.RemindedAt), nulltm(&t.EscalatedAt), &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errTaskNotFound()
	} else if err != nil {
		return nil, err
	}
	it.Category = distans.EquipmentCategory(cat)
	t.Kind, t.Reason, t.State, t.ItemLabel = distans.ReturnTaskKind(kind), distans.ReturnReason(reason), distans.ReturnTaskState(state), it.Label()
	return t, nil
}

func visibleTask(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.ReturnTask, error) {
	if err := lockRow(ctx, q, "equipment_return_tasks", act.OrganisationID, id, lock, errTaskNotFound); err != nil {
		return nil, err
	}
	t, err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskCols+taskFrom+` WHERE t.organisation_id = $1 AND t.id = $2`,
		act.OrganisationID, id))
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(t.PersonID, t.PersonUnitPath) {
		return nil, errTaskNotFound()
	}
	return t, nil
}

// ListReturnTasks returns the return tasks the actor sees, due first;
// After is "YYYY-MM-DD|ID" of the last row.
func (s *Store) ListReturnTasks(ctx context.Context, f distans.ReturnTaskFilter) ([]*distans.ReturnTask, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := []string{"t.organisation_id = " + a.add(act.OrganisationID), equipmentOfSQL(&a, act, "t.person_id", "p.unit_path")}
	if f.PersonID != "" {
		where = append(where, "t.person_id = "+a.add(f.PersonID))
	}
	if f.Open {
		where = append(where, "t.state = 'open'")
	}
	if f.After != "" {
		d, id, ok := strings.Cut(f.After, "|")
		if _, err := time.Parse(time.DateOnly, d); !ok || id == "" || err != nil {
			return nil, invalid("after", "Ogiltig sidmarkör.", "Invalid page cursor.")
		}
		dd := s.sqlDate(a.add(d))
		where = append(where, "(t.due_on > "+dd+" OR (t.due_on = "+dd+" AND t.id > "+a.add(id)+"))")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultItemPage
	}
	limit = min(limit, maxItemPage)
	out := []*distans.ReturnTask{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		// A person the actor does not see is not found, as in the lists of
		// handovers, returns and trips, rather than an empty list.
		if f.PersonID != "" {
			if _, err := visiblePerson(ctx, tx, act, f.PersonID); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+taskCols+taskFrom+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY t.due_on, t.id`+limitRows(limit), a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		for rows.Next() {
			t, err := scanTask(rows)
			if err != nil {
				return err
			}
			if act.SeesEquipmentOf(t.PersonID, t.PersonUnitPath) {
				out = append(out, t)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sqlDate is a date parameter as the database compares it.
func (s *Store) sqlDate(p string) string { return s.dialect.cast(p, "date") }

// closeTask moves an open task to state at the version read.
func (s *Store) closeTask(ctx context.Context, id string, version int, state distans.ReturnTaskState, note string,
	may func(act *distans.Actor, t *distans.ReturnTask) error) (*distans.ReturnTask, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		t, err := visibleTask(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if err := may(act, t); err != nil {
			return err
		}
		if t.Version != version {
			return errEquipmentStale()
		}
		if t.State != distans.TaskOpen {
			return distans.Errorf(distans.ECONFLICT, "Uppgiften är redan avslutad.", "The task is already closed.")
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_return_tasks SET state = $1, note = $2, done_at = $3, done_by_id = $4,
			version = version + 1, updated_at = $3 WHERE organisation_id = $5 AND id = $6`, string(state), note, ts(at), act.PersonID,
			t.OrganisationID, t.ID); err != nil {
			return err
		}
		action, summary := "equipment.task_done", "done"
		if state == distans.TaskExcepted {
			action, summary = "equipment.task_exception", "exception granted"
		}
		return s.audit(ctx, tx, act, t.OrganisationID, action, taskAuditRecord, t.ID,
			fmt.Sprintf("%s %s for %s (%s): %s", t.Kind, t.ItemLabel, t.PersonName, t.Reason, summary))
	})
	if err != nil {
		return nil, err
	}
	var t *distans.ReturnTask
	err = s.read(ctx, func(tx *sql.Tx) error {
		t, err = visibleTask(ctx, tx, act, id, "")
		return err
	})
	return t, err
}

// CompleteReturnTask marks an end_subscription task done: the person's
// manager or IT over the person's unit. A return_item task is done by
// recording the return.
func (s *Store) CompleteReturnTask(ctx context.Context, id string, version int) (*distans.ReturnTask, error) {
	return s.closeTask(ctx, id, version, distans.TaskDone, "", func(act *distans.Actor, t *distans.ReturnTask) error {
		if act.System || !(act.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) || act.EquipmentScope().Contains(t.PersonUnitPath)) {
			return distans.Forbidden()
		}
		if t.Kind != distans.TaskEndSubscription {
			return invalid("kind", "Utrustningen bockas av när IT registrerar återlämningen.", "The item is ticked off when IT records its return.")
		}
		return nil
	})
}

// GrantReturnException records the manager's exception to a return task,
// with the reasons (Sorsele 004 §8.6).
func (s *Store) GrantReturnException(ctx context.Context, id string, version int, reasons string) (*distans.ReturnTask, error) {
	reasons = strings.TrimSpace(reasons)
	return s.closeTask(ctx, id, version, distans.TaskExcepted, reasons, func(act *distans.Actor, t *distans.ReturnTask) error {
		if !act.ManagesEquipmentOf(t.PersonID, t.PersonUnitPath) {
			return errNotManager()
		}
		var v distans.Validation
		v.Required("reasons", reasons)
		v.MaxLen("reasons", reasons, distans.MaxEquipmentNote)
		return v.Err()
	})
}
