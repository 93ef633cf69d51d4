package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/distans/distans"
)

// The equipment store (issue 15). This file holds the registry (models,
// items, the terms document, IT's overview) and who sees what;
// equipment_handover.go the issues, acceptances and returns;
// equipment_loss.go the loss reports and their procedure;
// equipment_trip.go trips and return tasks; equipment_jobs.go the jobs.
//
// Who may see and change what is the Actor methods of actor.go, enforced
// here: an item by Actor.SeesItem (IT by the owning unit, whoever sees the
// holder's equipment while it is issued), a person's handovers, returns,
// losses, trips and tasks by Actor.SeesEquipmentOf over the person's
// unit now; lists carry the same rules as SQL (itemVisibleSQL,
// equipmentOfSQL) and the rule is asked again of every row.

// The notification kinds of equipment; their texts are in internal/notify.
const (
	notifyEquipmentIssued      distans.NotificationKind = "equipment.issued"            // to the person: items wait for their signature
	notifyHandoverReminder     distans.NotificationKind = "equipment.handover_reminder" // to the person: still not signed after 3 days
	notifyHandoverUnaccepted   distans.NotificationKind = "equipment.handover_unaccepted"
	notifyEquipmentLoss        distans.NotificationKind = "equipment.loss_reported"       // to IT and the person's managers
	notifyTripRequested        distans.NotificationKind = "equipment.trip_requested"      // to the managers
	notifyTripDecided          distans.NotificationKind = "equipment.trip_decided"        // to the person
	notifyReturnTaskCreated    distans.NotificationKind = "equipment.return_task"         // to the task's manager
	notifyReturnTaskReminder   distans.NotificationKind = "equipment.return_task_near"    // to the task's manager, 7 days before
	notifyReturnTaskEscalation distans.NotificationKind = "equipment.return_task_overdue" // to the managers over the manager and IT
	equipmentAuditRecord                                = "equipment"
	handoverAuditRecord                                 = "equipment_handover"
	returnAuditRecord                                   = "equipment_return"
	lossAuditRecord                                     = "equipment_loss"
	tripAuditRecord                                     = "equipment_trip"
	taskAuditRecord                                     = "equipment_return_task"
)

func errItemNotFound() error {
	return distans.NotFound("Utrustningen finns inte.", "The item does not exist.")
}

func errModelNotFound() error {
	return distans.NotFound("Modellen finns inte.", "The model does not exist.")
}

func errEquipmentStale() error {
	return distans.Errorf(distans.ECONFLICT, "Uppgifterna har ändrats sedan du öppnade dem. Ladda om sidan.",
		"The record has changed since you opened it. Reload the page.")
}

func errNotIT() error {
	return distans.Errorf(distans.EFORBIDDEN, "Bara IT kan göra det.", "Only IT can do that.")
}

func errNotManager() error {
	return distans.Errorf(distans.EFORBIDDEN, "Bara personens chef kan göra det.", "Only the person's manager can do that.")
}

// itemCols and itemFrom read an item with its model's name, its unit's
// name and path, and its holder's name and unit path.
const itemCols = `i.organisation_id, i.id, i.category, i.model_id, COALESCE(m.name, ''), i.serial, i.asset_tag, i.phone_number,
	i.in_phone_id, i.unit_id, u.name, u.path, i.purchased_on, i.status, i.holder_id, COALESCE(hp.name, ''),
	COALESCE(hp.unit_path, ''), i.handover_id, i.note, i.version, i.created_at, i.updated_at`

const itemFrom = ` FROM equipment_items i
	JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
	LEFT JOIN equipment_models m ON m.organisation_id = i.organisation_id AND m.id = i.model_id
	LEFT JOIN people hp ON hp.organisation_id = i.organisation_id AND hp.id = i.holder_id`

func scanItem(sc interface{ Scan(...any) error }) (*distans.EquipmentItem, error) {
	it := &distans.EquipmentItem{}
	var cat, status string
	err := sc.Scan(&it.OrganisationID, &it.ID, &cat, str(&it.ModelID), &it.ModelName, &it.Serial, &it.AssetTag, &it.PhoneNumber,
		str(&it.InPhoneID), &it.UnitID, &it.UnitName, &it.UnitPath, nulldt(&it.PurchasedOn), &status, str(&it.HolderID),
		&it.HolderName, &it.HolderUnitPath, str(&it.HandoverID), &it.Note, &it.Version, tm(&it.CreatedAt), tm(&it.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errItemNotFound()
	} else if err != nil {
		return nil, err
	}
	it.Category, it.Status = distans.EquipmentCategory(cat), distans.EquipmentStatus(status)
	return it, nil
}

// findItemRow returns an item of the organisation whoever asks; lock
// locks its row on PostgreSQL for a change.
func findItemRow(ctx context.Context, q querier, orgID, id, lock string) (*distans.EquipmentItem, error) {
	if err := lockRow(ctx, q, "equipment_items", orgID, id, lock, errItemNotFound); err != nil {
		return nil, err
	}
	return scanItem(q.QueryRowContext(ctx, `SELECT `+itemCols+itemFrom+` WHERE i.organisation_id = $1 AND i.id = $2`, orgID, id))
}

// itemVisibleSQL is Actor.SeesItem as an SQL condition on the columns of
// itemFrom.
func itemVisibleSQL(a *args, act *distans.Actor) string {
	if act.System {
		return "1 = 1"
	}
	or := []string{scopeSQL(a, "u.path", act.EquipmentScope())}
	if act.PersonID != "" {
		or = append(or, "i.holder_id = "+a.add(act.PersonID))
	}
	held := []string{}
	if sc := act.RoleScope(distans.RoleManager); !sc.None() {
		held = append(held, scopeSQL(a, "hp.unit_path", sc))
	}
	if sc := act.EquipmentScope(); !sc.None() {
		held = append(held, scopeSQL(a, "hp.unit_path", sc))
	}
	if len(held) > 0 {
		or = append(or, "(i.holder_id IS NOT NULL AND ("+strings.Join(held, " OR ")+"))")
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// equipmentOfSQL is Actor.SeesEquipmentOf as an SQL condition on a
// person column and the person's unit path column.
func equipmentOfSQL(a *args, act *distans.Actor, personCol, pathCol string) string {
	if act.System {
		return "1 = 1"
	}
	var or []string
	if act.PersonID != "" {
		or = append(or, personCol+" = "+a.add(act.PersonID))
	}
	if sc := act.RoleScope(distans.RoleManager); !sc.None() {
		or = append(or, scopeSQL(a, pathCol, sc))
	}
	if sc := act.EquipmentScope(); !sc.None() {
		or = append(or, scopeSQL(a, pathCol, sc))
	}
	if len(or) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// visiblePerson returns a person of the organisation whose equipment the
// actor sees; ENOTFOUND otherwise, whether they exist or not.
func visiblePerson(ctx context.Context, q querier, act *distans.Actor, id string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, act.OrganisationID, id)
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(p.ID, p.UnitPath) {
		return nil, errPersonNotFound()
	}
	return p, nil
}

// ListEquipmentModels returns the organisation's models by category and
// name; everyone in the organisation may read them.
func (s *Store) ListEquipmentModels(ctx context.Context) ([]*distans.EquipmentModel, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentModel{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT organisation_id, id, category, name, manufacturer, retired FROM equipment_models
			WHERE organisation_id = $1 ORDER BY category, name, id`, act.OrganisationID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		for rows.Next() {
			m := &distans.EquipmentModel{}
			var cat string
			if err := rows.Scan(&m.OrganisationID, &m.ID, &cat, &m.Name, &m.Manufacturer, &m.Retired); err != nil {
				return err
			}
			m.Category = distans.EquipmentCategory(cat)
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// SaveEquipmentModel creates (empty ID) or changes a model. The models
// are the organisation's (Sorsele 004 §8: the head of operations decides
// them), so only IT over the whole organisation keeps them.
func (s *Store) SaveEquipmentModel(ctx context.Context, m *distans.EquipmentModel) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !act.EquipmentScope().All || act.System {
		return errNotIT()
	}
	m.Name, m.Manufacturer = strings.TrimSpace(m.Name), strings.TrimSpace(m.Manufacturer)
	if err := m.Validate(); err != nil {
		return err
	}
	at := now(ctx)
	return s.write(ctx, func(tx *sql.Tx) error {
		m.OrganisationID = act.OrganisationID
		action := "equipment.model_update"
		var err error
		if m.ID == "" {
			m.ID = newID()
			action = "equipment.model_create"
			_, err = tx.ExecContext(ctx, `INSERT INTO equipment_models (organisation_id, id, category, name, manufacturer, retired,
				created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, m.OrganisationID, m.ID, string(m.Category), m.Name,
				m.Manufacturer, m.Retired, ts(at))
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE equipment_models SET category = $1, name = $2, manufacturer = $3, retired = $4,
				updated_at = $5 WHERE organisation_id = $6 AND id = $7`, string(m.Category), m.Name, m.Manufacturer, m.Retired, ts(at),
				m.OrganisationID, m.ID)
			if err == nil {
				err = affected(res, nil, errModelNotFound)
			}
		}
		if err != nil {
			if isUnique(err) {
				return invalid("name", "Det finns redan en modell med det namnet.", "There is already a model with that name.")
			}
			return err
		}
		return s.audit(ctx, tx, act, m.OrganisationID, action, "equipment_model", m.ID, string(m.Category)+" "+m.Name)
	})
}

// normaliseNumber writes a Swedish or international phone number in
// E.164 ("+46701234567"), or returns false when it is none.
func normaliseNumber(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	switch {
	case strings.HasPrefix(n, "+"):
	case strings.HasPrefix(n, "00"):
		n = "+" + n[2:]
	case strings.HasPrefix(n, "0"):
		n = "+46" + n[1:]
	default:
		return "", false
	}
	if len(n) < 8 || len(n) > 16 || strings.Contains(n[1:], "+") {
		return "", false
	}
	return n, true
}

// itemRefs checks what an item refers to in the organisation, with the
// fields named under prefix ("items[2]."): its unit (in the actor's
// scope), its model (of its category) and the phone a SIM card sits in
// (a phone of the organisation). A reference to another organisation's
// record is the same as to none. It normalises the number.
func itemRefs(ctx context.Context, q querier, act *distans.Actor, it *distans.EquipmentItem, prefix string, v *distans.Validation) error {
	if it.PhoneNumber != "" {
		n, ok := normaliseNumber(it.PhoneNumber)
		if !ok {
			v.Add(prefix+"phone_number", "Ange numret med siffror, till exempel 070-123 45 67.", "Enter the number in digits, for example 070-123 45 67.")
		}
		it.PhoneNumber = n
	}
	if it.UnitID != "" {
		u, err := findUnit(ctx, q, act.OrganisationID, it.UnitID)
		switch {
		case distans.ErrorCode(err) == distans.ENOTFOUND:
			v.Add(prefix+"unit_id", "Enheten finns inte i organisationen.", "The unit is not in the organisation.")
		case err != nil:
			return err
		case !act.EquipmentScope().Contains(u.Path):
			v.Add(prefix+"unit_id", "Enheten ligger utanför ditt ansvar som IT.", "The unit is outside your responsibility as IT.")
		default:
			it.UnitName, it.UnitPath = u.Name, u.Path
		}
	}
	if it.ModelID != "" {
		var cat, name string
		err := q.QueryRowContext(ctx, `SELECT category, name FROM equipment_models WHERE organisation_id = $1 AND id = $2`,
			act.OrganisationID, it.ModelID).Scan(&cat, &name)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(prefix+"model_id", "Modellen finns inte i organisationen.", "The model is not in the organisation.")
		case err != nil:
			return err
		case cat != string(it.Category):
			v.Add(prefix+"model_id", "Modellen är av en annan typ än utrustningen.", "The model is of another kind than the item.")
		default:
			it.ModelName = name
		}
	}
	if it.InPhoneID != "" {
		var cat string
		err := q.QueryRowContext(ctx, `SELECT category FROM equipment_items WHERE organisation_id = $1 AND id = $2`,
			act.OrganisationID, it.InPhoneID).Scan(&cat)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add(prefix+"in_phone_id", "Telefonen finns inte i organisationens register.", "The phone is not in the organisation's registry.")
		case err != nil:
			return err
		case cat != string(distans.EquipmentPhone):
			v.Add(prefix+"in_phone_id", "Ett SIM-kort kan bara sitta i en telefon.", "A SIM card can only sit in a phone.")
		}
	}
	return nil
}

// registryStatus reports whether IT may set status directly: issued,
// lost and stolen come from a handover and a loss report.
func registryStatus(st distans.EquipmentStatus) bool {
	return st == distans.EquipmentInStock || st == distans.EquipmentInRepair || st == distans.EquipmentRetired
}

// uniqueItem turns a violated unique key of an item into the message for
// its field.
func uniqueItem(err error, prefix string) error {
	if !isUnique(err) {
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "asset_tag"):
		return invalid(prefix+"asset_tag", "Inventarienumret finns redan i registret.", "The asset tag is already in the registry.")
	case strings.Contains(msg, "serial"):
		return invalid(prefix+"serial", "Serienumret eller IMEI finns redan i registret.", "The serial number or IMEI is already in the registry.")
	case strings.Contains(msg, "number"):
		return invalid(prefix+"phone_number", "Numret finns redan i registret.", "The number is already in the registry.")
	}
	return invalid(prefix+"serial", "Utrustningen finns redan i registret.", "The item is already in the registry.")
}

// CreateEquipmentItems registers items in one transaction, all or none:
// IT over each item's unit. Status is in stock unless given (in stock, in
// repair or retired only). Bad input names the field as
// "items[i].field"; duplicates within the batch and against the registry
// are refused the same way.
func (s *Store) CreateEquipmentItems(ctx context.Context, items []*distans.EquipmentItem) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if !act.KeepsEquipment() || act.System {
		return errNotIT()
	}
	if len(items) == 0 {
		return invalid("items", "Ange minst en utrustning.", "Give at least one item.")
	}
	at := now(ctx)
	return s.write(ctx, func(tx *sql.Tx) error {
		var v distans.Validation
		seen := map[string]string{}
		dup := func(prefix, field, kind, value string) {
			if value == "" {
				return
			}
			k := field + "\x00" + value
			if first, ok := seen[k]; ok {
				v.Add(prefix+field, "Samma "+kind+" som "+first+".", "The same "+field+" as "+first+".")
				return
			}
			seen[k] = strings.TrimSuffix(prefix, ".")
		}
		for i, it := range items {
			prefix := fmt.Sprintf("items[%d].", i)
			it.Serial, it.AssetTag, it.Note = strings.TrimSpace(it.Serial), strings.TrimSpace(it.AssetTag), strings.TrimSpace(it.Note)
			if err := it.Validate(); err != nil {
				for _, f := range fieldsOf(err) {
					v.Add(prefix+f.Field, f.Sv, f.En)
				}
			}
			if it.Status == "" {
				it.Status = distans.EquipmentInStock
			}
			if it.Status.Valid() && !registryStatus(it.Status) {
				v.Add(prefix+"status", "Ny utrustning kan bara vara i lager, på reparation eller utrangerad.",
					"A new item can only be in stock, in repair or retired.")
			}
			if err := itemRefs(ctx, tx, act, it, prefix, &v); err != nil {
				return err
			}
			dup(prefix, "asset_tag", "inventarienummer", it.AssetTag)
			dup(prefix, "serial", "serienummer", it.Serial)
			dup(prefix, "phone_number", "nummer", it.PhoneNumber)
		}
		if err := v.Err(); err != nil {
			return err
		}
		var log auditLog
		for i, it := range items {
			it.ID, it.OrganisationID, it.Version, it.CreatedAt, it.UpdatedAt = newID(), act.OrganisationID, 1, at, at
			it.HolderID, it.HandoverID = "", ""
			if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_items (organisation_id, id, category, model_id, serial, asset_tag,
				asset_key, phone_number, in_phone_id, unit_id, purchased_on, status, note, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)`, it.OrganisationID, it.ID,
				string(it.Category), nullStr(it.ModelID), it.Serial, it.AssetTag, distans.SortKey(it.AssetTag), it.PhoneNumber,
				nullStr(it.InPhoneID), it.UnitID, nullDay(it.PurchasedOn), string(it.Status), it.Note, ts(at)); err != nil {
				return uniqueItem(err, fmt.Sprintf("items[%d].", i))
			}
			log.add("equipment.item_create", equipmentAuditRecord, it.ID, "registered "+it.Label()+" ("+string(it.Status)+")")
		}
		return s.writeAudit(ctx, tx, act, act.OrganisationID, &log)
	})
}

// fieldsOf returns the field errors of a validation error.
func fieldsOf(err error) []distans.FieldError {
	var e *distans.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// keptItem returns an item for a change by IT: ENOTFOUND when the actor
// does not see it, EFORBIDDEN when they see but do not keep it.
func keptItem(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.EquipmentItem, error) {
	it, err := findItemRow(ctx, q, act.OrganisationID, id, lock)
	if err != nil {
		return nil, err
	}
	if !act.SeesItem(it) {
		return nil, errItemNotFound()
	}
	if act.System || !act.EquipmentScope().Contains(it.UnitPath) {
		return nil, errNotIT()
	}
	return it, nil
}

// UpdateEquipmentItem changes an item's registry fields at the version
// read. Status may become in stock, in repair or retired, and never of an
// issued item, which comes back by a return.
func (s *Store) UpdateEquipmentItem(ctx context.Context, id string, upd distans.EquipmentItemUpdate) (*distans.EquipmentItem, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		it, err := keptItem(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if upd.Version != it.Version {
			return errEquipmentStale()
		}
		oldStatus := it.Status
		set := func(dst *string, src *string) {
			if src != nil {
				*dst = strings.TrimSpace(*src)
			}
		}
		set(&it.ModelID, upd.ModelID)
		set(&it.Serial, upd.Serial)
		set(&it.AssetTag, upd.AssetTag)
		set(&it.PhoneNumber, upd.PhoneNumber)
		set(&it.InPhoneID, upd.InPhoneID)
		set(&it.UnitID, upd.UnitID)
		set(&it.Note, upd.Note)
		if upd.PurchasedOn != nil {
			it.PurchasedOn = *upd.PurchasedOn
		}
		if upd.Status != nil {
			it.Status = *upd.Status
		}
		var v distans.Validation
		if err := it.Validate(); err != nil {
			for _, f := range fieldsOf(err) {
				v.Add(f.Field, f.Sv, f.En)
			}
		}
		if upd.Status != nil && it.Status != oldStatus {
			switch {
			case !registryStatus(it.Status):
				v.Add("status", "Status kan bara ändras till i lager, på reparation eller utrangerad här.",
					"The status can only be changed to in stock, in repair or retired here.")
			case oldStatus == distans.EquipmentIssued:
				v.Add("status", "Utrustningen är utlämnad; registrera en återlämning först.",
					"The item is issued; record its return first.")
			}
		}
		if it.InPhoneID == it.ID {
			v.Add("in_phone_id", "Ett SIM-kort kan inte sitta i sig självt.", "A SIM card cannot sit in itself.")
		}
		if err := itemRefs(ctx, tx, act, it, "", &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		it.Version++
		it.UpdatedAt = touched(ctx, it.UpdatedAt)
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_items SET model_id = $1, serial = $2, asset_tag = $3, asset_key = $4,
			phone_number = $5, in_phone_id = $6, unit_id = $7, purchased_on = $8, status = $9, note = $10, version = $11,
			updated_at = $12 WHERE organisation_id = $13 AND id = $14`, nullStr(it.ModelID), it.Serial, it.AssetTag,
			distans.SortKey(it.AssetTag), it.PhoneNumber, nullStr(it.InPhoneID), it.UnitID, nullDay(it.PurchasedOn),
			string(it.Status), it.Note, it.Version, ts(it.UpdatedAt), it.OrganisationID, it.ID); err != nil {
			return uniqueItem(err, "")
		}
		summary := "changed " + it.Label()
		if it.Status != oldStatus {
			summary += " (" + string(oldStatus) + " → " + string(it.Status) + ")"
		}
		return s.audit(ctx, tx, act, it.OrganisationID, "equipment.item_update", equipmentAuditRecord, it.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return s.FindEquipmentItem(ctx, id)
}

// FindEquipmentItem returns an item the actor sees (Actor.SeesItem).
func (s *Store) FindEquipmentItem(ctx context.Context, id string) (*distans.EquipmentItem, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	it, err := findItemRow(ctx, s.rdb, act.OrganisationID, id, "")
	if err != nil {
		return nil, err
	}
	if !act.SeesItem(it) {
		return nil, errItemNotFound()
	}
	return it, nil
}

// Limits of a page of items.
const (
	defaultItemPage = 100
	maxItemPage     = 1000
)

// ListEquipmentItems returns the items the actor sees, filtered, in the
// order of their asset tags (distans.SortKey), then ID; After is the last
// row's Cursor.
func (s *Store) ListEquipmentItems(ctx context.Context, f distans.EquipmentFilter) ([]*distans.EquipmentItem, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var a args
	where := []string{"i.organisation_id = " + a.add(act.OrganisationID), itemVisibleSQL(&a, act)}
	if f.Category != "" {
		where = append(where, "i.category = "+a.add(string(f.Category)))
	}
	if f.Status != "" {
		where = append(where, "i.status = "+a.add(string(f.Status)))
	}
	if f.HolderID != "" {
		where = append(where, "i.holder_id = "+a.add(f.HolderID))
	}
	if f.UnitID != "" {
		u, err := findUnit(ctx, s.rdb, act.OrganisationID, f.UnitID)
		if err != nil {
			return nil, err
		}
		where = append(where, inSubtree(&a, "u.path", u.Path))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		key := escapeLike(distans.SortKey(q)) + "%"
		or := []string{"i.asset_key LIKE " + a.add(key) + ` ESCAPE '\'`,
			"lower(i.serial) LIKE " + a.add(escapeLike(strings.ToLower(q))+"%") + ` ESCAPE '\'`,
			"hp.name_key LIKE " + a.add(key) + ` ESCAPE '\'`}
		if n, ok := normaliseNumber(q); ok {
			or = append(or, "i.phone_number LIKE "+a.add(escapeLike(n)+"%")+` ESCAPE '\'`)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if f.After != "" {
		key, id, err := distans.ParseCursor("after", f.After)
		if err != nil {
			return nil, err
		}
		k := a.add(key)
		where = append(where, "(i.asset_key > "+k+" OR (i.asset_key = "+k+" AND i.id > "+a.add(id)+"))")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultItemPage
	}
	limit = min(limit, maxItemPage)
	out := []*distans.EquipmentItem{}
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+itemCols+itemFrom+` WHERE `+strings.Join(where, " AND ")+`
		ORDER BY i.asset_key, i.id`+limitRows(limit), a...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		if act.SeesItem(it) {
			out = append(out, it)
		}
	}
	return out, rows.Err()
}

// HeldEquipment returns the items issued to the person now, to those who
// see the person's equipment.
func (s *Store) HeldEquipment(ctx context.Context, personID string) ([]*distans.EquipmentItem, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentItem{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if _, err := visiblePerson(ctx, tx, act, personID); err != nil {
			return err
		}
		out, err = heldItems(ctx, tx, act.OrganisationID, personID, "")
		return err
	})
	return out, err
}

// heldItems returns the items issued to the person, in asset tag order.
func heldItems(ctx context.Context, q querier, orgID, personID, lock string) ([]*distans.EquipmentItem, error) {
	if lock != "" {
		if _, err := q.ExecContext(ctx, `SELECT 1 FROM equipment_items WHERE organisation_id = $1 AND holder_id = $2`+lock,
			orgID, personID); err != nil {
			return nil, err
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT `+itemCols+itemFrom+`
		WHERE i.organisation_id = $1 AND i.holder_id = $2 AND i.status = 'issued' ORDER BY i.asset_key, i.id`, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*distans.EquipmentItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// EquipmentOverview is IT's overview of its scope: outstanding and
// overdue returns, items lost or stolen this calendar year, unaccepted
// issues, open losses, and the items per unit by status.
func (s *Store) EquipmentOverview(ctx context.Context, at time.Time) (*distans.EquipmentOverview, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if !act.KeepsEquipment() {
		return nil, errNotIT()
	}
	sc := act.EquipmentScope()
	ov := &distans.EquipmentOverview{PerUnit: []distans.UnitEquipment{}}
	err = s.read(ctx, func(tx *sql.Tx) error {
		var tz string
		if err := tx.QueryRowContext(ctx, `SELECT time_zone FROM organisations WHERE id = $1`, act.OrganisationID).Scan(&tz); err != nil {
			return err
		}
		today := distans.Today(at, (&distans.Organisation{TimeZone: tz}).Location())
		count := func(dst *int, query string, extra ...any) error {
			var a args
			a.add(act.OrganisationID)
			q := strings.ReplaceAll(query, "{scope}", scopeSQL(&a, "p.unit_path", sc))
			for _, x := range extra {
				q = strings.Replace(q, "{arg}", a.add(x), 1)
			}
			return tx.QueryRowContext(ctx, q, a...).Scan(dst)
		}
		people := ` JOIN people p ON p.organisation_id = x.organisation_id AND p.id = x.person_id WHERE x.organisation_id = $1 AND {scope}`
		if err := count(&ov.OutstandingReturns, `SELECT COUNT(*) FROM equipment_return_tasks x`+people+` AND x.state = 'open'`); err != nil {
			return err
		}
		if err := count(&ov.OverdueReturns, `SELECT COUNT(*) FROM equipment_return_tasks x`+people+
			` AND x.state = 'open' AND x.due_on < {arg}`, day(today)); err != nil {
			return err
		}
		if err := count(&ov.LostThisYear, `SELECT COUNT(*) FROM equipment_loss_items li
			JOIN equipment_losses x ON x.organisation_id = li.organisation_id AND x.id = li.loss_id`+people+
			` AND x.kind IN ('lost', 'stolen') AND x.year = {arg}`, today.Year()); err != nil {
			return err
		}
		if err := count(&ov.Unaccepted, `SELECT COUNT(*) FROM equipment_handovers x`+people+` AND x.state = 'pending'`); err != nil {
			return err
		}
		if err := count(&ov.OpenLosses, `SELECT COUNT(*) FROM equipment_losses x`+people+` AND x.state = 'open'`); err != nil {
			return err
		}
		var a args
		rows, err := tx.QueryContext(ctx, `SELECT u.id, u.name, i.status, COUNT(*) FROM equipment_items i
			JOIN units u ON u.organisation_id = i.organisation_id AND u.id = i.unit_id
			WHERE i.organisation_id = `+a.add(act.OrganisationID)+` AND `+scopeSQL(&a, "u.path", sc)+`
			GROUP BY u.id, u.name, i.status ORDER BY u.name, u.id`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, name, status string
			var n int
			if err := rows.Scan(&id, &name, &status, &n); err != nil {
				return err
			}
			if k := len(ov.PerUnit); k == 0 || ov.PerUnit[k-1].UnitID != id {
				ov.PerUnit = append(ov.PerUnit, distans.UnitEquipment{UnitID: id, UnitName: name, Counts: map[distans.EquipmentStatus]int{}})
			}
			ov.PerUnit[len(ov.PerUnit)-1].Counts[distans.EquipmentStatus(status)] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(ov.PerUnit, func(x, y distans.UnitEquipment) int {
		return strings.Compare(distans.SortKey(x.UnitName), distans.SortKey(y.UnitName))
	})
	return ov, nil
}

// termsDocument returns the current version of the organisation's
// equipment terms; ENOTFOUND when none is set.
func termsDocument(ctx context.Context, q querier, orgID string) (*distans.PolicyDocument, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT terms_document_id FROM equipment_settings WHERE organisation_id = $1`, orgID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, distans.NotFound("Organisationen har inga utrustningsvillkor.", "The organisation has no equipment terms.")
	} else if err != nil {
		return nil, err
	}
	d, err := findDocument(ctx, q, orgID, id, 0)
	if err != nil {
		return nil, err
	}
	return d.PolicyDocument, nil
}

// EquipmentTerms returns the current version of the organisation's
// equipment terms, which everyone in the organisation may read.
func (s *Store) EquipmentTerms(ctx context.Context) (*distans.PolicyDocument, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	return termsDocument(ctx, s.rdb, act.OrganisationID)
}

// SetEquipmentTermsDocument makes a published document the organisation's
// equipment terms: IT over the whole organisation, or whoever manages the
// policy.
func (s *Store) SetEquipmentTermsDocument(ctx context.Context, documentID string) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if act.System || !(act.EquipmentScope().All || act.ManagesPolicy()) {
		return distans.Forbidden()
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := findDocument(ctx, tx, act.OrganisationID, documentID, 0)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("document_id", "Dokumentet finns inte i organisationen.", "The document is not in the organisation.")
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_settings (organisation_id, terms_document_id, updated_at)
			VALUES ($1, $2, $3) ON CONFLICT (organisation_id) DO UPDATE SET terms_document_id = $2, updated_at = $3`,
			act.OrganisationID, d.ID, ts(now(ctx))); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, act.OrganisationID, "equipment.terms", "policy_document", d.ID,
			fmt.Sprintf("equipment terms: %s, version %d", d.Title, d.Version))
	})
}
