package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// Handovers (an issue of items to a person, and the person's acceptance)
// and returns (IT's record of the items handed back, and the person's or
// the manager's signature). What is signed is kept in the record's own
// item rows, copied when the record is made (snapshotOf).

func errHandoverNotFound() error {
	return distans.NotFound("Utlämningen finns inte.", "The handover does not exist.")
}

func errReturnNotFound() error {
	return distans.NotFound("Återlämningen finns inte.", "The return does not exist.")
}

// snapshotOf is the item as a signed record keeps it.
func snapshotOf(it *distans.EquipmentItem) distans.HandoverItem {
	return distans.HandoverItem{ItemID: it.ID, Category: it.Category, ModelName: it.ModelName, Serial: it.Serial,
		AssetTag: it.AssetTag, Number: it.PhoneNumber}
}

func snapshotLabel(h distans.HandoverItem) string {
	it := distans.EquipmentItem{Category: h.Category, ModelName: h.ModelName, AssetTag: h.AssetTag, Serial: h.Serial}
	return it.Label()
}

// insertSnapshots writes the items of a record (table's parentCol is the
// record's ID) in their order.
func insertSnapshots(ctx context.Context, tx *sql.Tx, table, parentCol, orgID, parentID string, items []distans.HandoverItem) error {
	for i, h := range items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (organisation_id, `+parentCol+`, item_id, position, category,
			model_name, serial, asset_tag, phone_number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, orgID, parentID, h.ItemID, i,
			string(h.Category), h.ModelName, h.Serial, h.AssetTag, h.Number); err != nil {
			return err
		}
	}
	return nil
}

// loadSnapshots reads the items of the records ids from table, in order,
// by record.
func loadSnapshots(ctx context.Context, q querier, table, parentCol, orgID string, ids []string) (map[string][]distans.HandoverItem, error) {
	out := map[string][]distans.HandoverItem{}
	for chunk := range slices.Chunk(ids, 500) {
		var a args
		org := a.add(orgID)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = a.add(id)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+parentCol+`, item_id, category, model_name, serial, asset_tag, phone_number
			FROM `+table+` WHERE organisation_id = `+org+` AND `+parentCol+` IN (`+strings.Join(ph, ", ")+`)
			ORDER BY `+parentCol+`, position`, a...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var parent, cat string
			var h distans.HandoverItem
			if err := rows.Scan(&parent, &h.ItemID, &cat, &h.ModelName, &h.Serial, &h.AssetTag, &h.Number); err != nil {
				rows.Close()
				return nil, err
			}
			h.Category = distans.EquipmentCategory(cat)
			out[parent] = append(out[parent], h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// pickItems reads and locks the items ids (each once, in the order given)
// and checks each with check, which adds to v what is wrong with it; an
// item not in the organisation is named as unknown.
func pickItems(ctx context.Context, tx *sql.Tx, orgID string, ids []string, lock string, v *distans.Validation,
	check func(it *distans.EquipmentItem)) ([]*distans.EquipmentItem, error) {
	var out []*distans.EquipmentItem
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		it, err := findItemRow(ctx, tx, orgID, id, lock)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			v.Add("item_ids", "Utrustningen "+id+" finns inte i registret.", "The item "+id+" is not in the registry.")
			continue
		} else if err != nil {
			return nil, err
		}
		check(it)
		out = append(out, it)
	}
	return out, nil
}

// notIssuable says why an item cannot be issued.
func notIssuable(v *distans.Validation, it *distans.EquipmentItem) {
	l := it.Label()
	switch it.Status {
	case distans.EquipmentIssued:
		v.Add("item_ids", l+" är redan utlämnad.", l+" is already issued.")
	case distans.EquipmentLost:
		v.Add("item_ids", l+" är anmäld förlorad.", l+" is reported lost.")
	case distans.EquipmentStolen:
		v.Add("item_ids", l+" är anmäld stulen.", l+" is reported stolen.")
	case distans.EquipmentInRepair:
		v.Add("item_ids", l+" är på reparation.", l+" is in repair.")
	case distans.EquipmentRetired:
		v.Add("item_ids", l+" är utrangerad.", l+" is retired.")
	}
}

const handoverCols = `h.organisation_id, h.id, h.person_id, p.name, p.unit_path, h.issued_by_id, ib.name, h.issued_at, h.note, h.state,
	h.terms_document_id, h.terms_title, h.terms_version, h.terms_body, h.acceptance, h.reminded_at, h.version`

const handoverFrom = ` FROM equipment_handovers h
	JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id
	JOIN people ib ON ib.organisation_id = h.organisation_id AND ib.id = h.issued_by_id`

func scanHandover(sc interface{ Scan(...any) error }) (*distans.EquipmentHandover, error) {
	h := &distans.EquipmentHandover{}
	var state string
	var acc *string
	err := sc.Scan(&h.OrganisationID, &h.ID, &h.PersonID, &h.PersonName, &h.PersonUnitPath, &h.IssuedByID, &h.IssuedByName,
		tm(&h.IssuedAt), &h.Note, &state, &h.TermsDocumentID, &h.TermsTitle, &h.TermsVersion, &h.TermsBody, &acc,
		nulltm(&h.RemindedAt), &h.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errHandoverNotFound()
	} else if err != nil {
		return nil, err
	}
	h.State = distans.HandoverState(state)
	if acc != nil {
		h.Acceptance = &distans.Signature{}
		if err := json.Unmarshal([]byte(*acc), h.Acceptance); err != nil {
			return nil, fmt.Errorf("sqlstore: handover %s acceptance: %w", h.ID, err)
		}
	}
	h.Items = []distans.HandoverItem{}
	return h, nil
}

// findHandover returns a handover of the organisation with its items,
// whoever asks; lock locks its row on PostgreSQL.
func findHandover(ctx context.Context, q querier, orgID, id, lock string) (*distans.EquipmentHandover, error) {
	if lock != "" {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM equipment_handovers WHERE organisation_id = $1 AND id = $2`+lock, orgID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errHandoverNotFound()
		} else if err != nil {
			return nil, err
		}
	}
	h, err := scanHandover(q.QueryRowContext(ctx, `SELECT `+handoverCols+handoverFrom+` WHERE h.organisation_id = $1 AND h.id = $2`,
		orgID, id))
	if err != nil {
		return nil, err
	}
	items, err := loadSnapshots(ctx, q, "equipment_handover_items", "handover_id", orgID, []string{id})
	if err != nil {
		return nil, err
	}
	h.Items = nonNil(items[id])
	return h, nil
}

// visibleHandover is findHandover for one who sees the person's equipment.
func visibleHandover(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.EquipmentHandover, error) {
	h, err := findHandover(ctx, q, act.OrganisationID, id, lock)
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(h.PersonID, h.PersonUnitPath) {
		return nil, errHandoverNotFound()
	}
	return h, nil
}

// IssueEquipment issues items to a person in one handover, pending the
// person's signature over the items and the current equipment terms. IT
// only; every item in stock and in the actor's scope.
func (s *Store) IssueEquipment(ctx context.Context, r *distans.EquipmentIssueRequest) (*distans.EquipmentHandover, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if act.System || !act.KeepsEquipment() {
		return nil, errNotIT()
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	at := now(ctx)
	h := &distans.EquipmentHandover{ID: newID(), OrganisationID: act.OrganisationID, IssuedByID: act.PersonID, IssuedByName: act.Name,
		IssuedAt: at, Note: strings.TrimSpace(r.Note), State: distans.HandoverPending, Version: 1}
	err = s.write(ctx, func(tx *sql.Tx) error {
		person, err := personInOrg(ctx, tx, act.OrganisationID, r.PersonID, "person_id")
		if err != nil {
			return err
		}
		terms, err := termsDocument(ctx, tx, act.OrganisationID)
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return invalid("terms", "Organisationen har inga utrustningsvillkor att skriva under. Välj villkoren först.",
				"The organisation has no equipment terms to sign. Choose the terms first.")
		} else if err != nil {
			return err
		}
		var v distans.Validation
		items, err := pickItems(ctx, tx, act.OrganisationID, r.ItemIDs, s.dialect.forUpdate, &v, func(it *distans.EquipmentItem) {
			switch {
			case !act.EquipmentScope().Contains(it.UnitPath):
				v.Add("item_ids", it.Label()+" hör till en enhet utanför ditt ansvar.", it.Label()+" belongs to a unit outside your responsibility.")
			case !it.Status.Issuable():
				notIssuable(&v, it)
			}
		})
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		h.PersonID, h.PersonName, h.PersonUnitPath = person.ID, person.Name, person.UnitPath
		h.TermsDocumentID, h.TermsTitle, h.TermsVersion, h.TermsBody = terms.ID, terms.Title, terms.Version, terms.Body
		for _, it := range items {
			h.Items = append(h.Items, snapshotOf(it))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_handovers (organisation_id, id, person_id, issued_by_id, issued_at,
			note, state, terms_document_id, terms_title, terms_version, terms_body, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $5, $5)`, h.OrganisationID, h.ID, h.PersonID, h.IssuedByID,
			ts(at), h.Note, string(h.State), h.TermsDocumentID, h.TermsTitle, h.TermsVersion, h.TermsBody); err != nil {
			return err
		}
		if err := insertSnapshots(ctx, tx, "equipment_handover_items", "handover_id", h.OrganisationID, h.ID, h.Items); err != nil {
			return err
		}
		for _, it := range items {
			// The status in the WHERE guards against a concurrent issue on
			// SQLite's read of the row as well as PostgreSQL's lock.
			res, err := tx.ExecContext(ctx, `UPDATE equipment_items SET status = 'issued', holder_id = $1, handover_id = $2,
				version = version + 1, updated_at = $3 WHERE organisation_id = $4 AND id = $5 AND status = 'in_stock'`,
				h.PersonID, h.ID, ts(at), h.OrganisationID, it.ID)
			if err := affected(res, err, func() error {
				return distans.Errorf(distans.ECONFLICT, it.Label()+" lämnades just ut av någon annan.", it.Label()+" was just issued by someone else.")
			}); err != nil {
				return err
			}
		}
		if h.PersonID != act.PersonID {
			if _, err := notify(ctx, tx, &distans.Notification{OrganisationID: h.OrganisationID, PersonID: h.PersonID,
				Key: "equipment/handover/" + h.ID + "/issued", Kind: notifyEquipmentIssued,
				Params: map[string]string{"count": strconv.Itoa(len(h.Items)), "by": act.Name},
				Link:   "/equipment/handovers/" + h.ID}); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, act, h.OrganisationID, "equipment.issue", handoverAuditRecord, h.ID,
			fmt.Sprintf("issued %d items to %s (%s)", len(h.Items), person.Name, itemLabels(h.Items)))
	})
	if err != nil {
		return nil, err
	}
	return s.FindHandover(ctx, h.ID)
}

func itemLabels(items []distans.HandoverItem) string {
	ls := make([]string, len(items))
	for i, h := range items {
		ls[i] = snapshotLabel(h)
	}
	return strings.Join(ls, ", ")
}

// FindHandover returns a handover the actor sees. A pending handover is
// brought up to the current equipment terms first (recorded and audited),
// so that what the person reads is always what they can sign.
func (s *Store) FindHandover(ctx context.Context, id string) (*distans.EquipmentHandover, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	h, err := visibleHandover(ctx, s.rdb, act, id, "")
	if err != nil {
		return nil, err
	}
	if h.State != distans.HandoverPending {
		return h, nil
	}
	terms, err := termsDocument(ctx, s.rdb, act.OrganisationID)
	if err != nil || (terms.ID == h.TermsDocumentID && terms.Version == h.TermsVersion) {
		return h, nil //nolint:nilerr // without terms now, the recorded ones stand
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		h, err = visibleHandover(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		terms, err := termsDocument(ctx, tx, act.OrganisationID)
		if err != nil || h.State != distans.HandoverPending || (terms.ID == h.TermsDocumentID && terms.Version == h.TermsVersion) {
			return nil //nolint:nilerr // nothing to bring up to date
		}
		old := h.TermsVersion
		h.TermsDocumentID, h.TermsTitle, h.TermsVersion, h.TermsBody = terms.ID, terms.Title, terms.Version, terms.Body
		h.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_handovers SET terms_document_id = $1, terms_title = $2, terms_version = $3,
			terms_body = $4, version = $5, updated_at = $6 WHERE organisation_id = $7 AND id = $8`, h.TermsDocumentID, h.TermsTitle,
			h.TermsVersion, h.TermsBody, h.Version, ts(now(ctx)), h.OrganisationID, h.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, h.OrganisationID, "equipment.handover_terms", handoverAuditRecord, h.ID,
			fmt.Sprintf("terms brought up to date: %s version %d (was %d)", h.TermsTitle, h.TermsVersion, old))
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// ListHandovers returns the person's handovers (personID set), or with
// pending those awaiting acceptance in the actor's scope (their own,
// their people's, IT's), newest first.
func (s *Store) ListHandovers(ctx context.Context, personID string, pending bool) ([]*distans.EquipmentHandover, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentHandover{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		var a args
		where := []string{"h.organisation_id = " + a.add(act.OrganisationID), equipmentOfSQL(&a, act, "h.person_id", "p.unit_path")}
		if personID != "" {
			if _, err := visiblePerson(ctx, tx, act, personID); err != nil {
				return err
			}
			where = append(where, "h.person_id = "+a.add(personID))
		}
		if pending {
			where = append(where, "h.state = 'pending'")
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+handoverCols+handoverFrom+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY h.issued_at DESC, h.id DESC LIMIT 500`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		var ids []string
		for rows.Next() {
			h, err := scanHandover(rows)
			if err != nil {
				return err
			}
			if act.SeesEquipmentOf(h.PersonID, h.PersonUnitPath) {
				out = append(out, h)
				ids = append(ids, h.ID)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		items, err := loadSnapshots(ctx, tx, "equipment_handover_items", "handover_id", act.OrganisationID, ids)
		if err != nil {
			return err
		}
		for _, h := range out {
			h.Items = nonNil(items[h.ID])
		}
		return nil
	})
	return out, err
}

// errTermsChanged refuses an acceptance of terms that are no longer the
// current ones, or of a hash that is not the handover's.
func errTermsChanged() error {
	return distans.Errorf(distans.ECONFLICT, "Villkoren har ändrats sedan du läste dem. Läs dem igen och skriv under på nytt.",
		"The terms have changed since you read them. Read them again and sign again.")
}

// AcceptHandover records the person's signature of a pending handover:
// only the person, of the current terms version they were shown
// (termsVersion) and of the handover's AcceptanceHash (hash); otherwise
// ECONFLICT, and it must be read and signed again. The service has
// re-authenticated the person (method).
func (s *Store) AcceptHandover(ctx context.Context, id string, termsVersion int, hash, method string) (*distans.EquipmentHandover, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		h, err := visibleHandover(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if act.System || act.PersonID != h.PersonID {
			return distans.Errorf(distans.EFORBIDDEN, "Bara den som utrustningen lämnas ut till kan skriva under.",
				"Only the person the equipment is issued to can sign.")
		}
		switch h.State {
		case distans.HandoverAccepted:
			return distans.Errorf(distans.ECONFLICT, "Utlämningen är redan underskriven.", "The handover is already signed.")
		case distans.HandoverCancelled:
			return distans.Errorf(distans.ECONFLICT, "Utlämningen är återkallad.", "The handover has been withdrawn.")
		}
		terms, err := termsDocument(ctx, tx, act.OrganisationID)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return err
		}
		if terms == nil || terms.ID != h.TermsDocumentID || terms.Version != h.TermsVersion || termsVersion != h.TermsVersion ||
			hash != h.AcceptanceHash() {
			return errTermsChanged()
		}
		at := now(ctx)
		h.Acceptance = &distans.Signature{Role: distans.SignerEmployee, PersonID: act.PersonID, Name: h.PersonName, At: at,
			Hash: hash, Method: method}
		sig, err := jsonText(h.Acceptance)
		if err != nil {
			return err
		}
		h.State = distans.HandoverAccepted
		h.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_handovers SET state = $1, acceptance = $2, accepted_at = $3, version = $4,
			updated_at = $3 WHERE organisation_id = $5 AND id = $6`, string(h.State), sig, ts(at), h.Version, h.OrganisationID,
			h.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, h.OrganisationID, "equipment.accept", handoverAuditRecord, h.ID,
			fmt.Sprintf("accepted %d items under %s version %d, hash %s", len(h.Items), h.TermsTitle, h.TermsVersion, hash))
	})
	if err != nil {
		return nil, err
	}
	return s.FindHandover(ctx, id)
}

// CancelHandover withdraws a pending handover at the version read: IT
// over every item's unit; the items are back in stock.
func (s *Store) CancelHandover(ctx context.Context, id string, version int) (*distans.EquipmentHandover, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		h, err := visibleHandover(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if act.System || !act.KeepsEquipment() {
			return errNotIT()
		}
		if h.Version != version {
			return errEquipmentStale()
		}
		if h.State != distans.HandoverPending {
			return distans.Errorf(distans.ECONFLICT, "Bara en utlämning som inte är underskriven kan återkallas.",
				"Only a handover that is not signed can be withdrawn.")
		}
		var ids []string
		for _, it := range h.Items {
			ids = append(ids, it.ItemID)
		}
		var v distans.Validation
		if _, err := pickItems(ctx, tx, h.OrganisationID, ids, s.dialect.forUpdate, &v, func(it *distans.EquipmentItem) {
			if !act.EquipmentScope().Contains(it.UnitPath) {
				v.Add("item_ids", it.Label()+" hör till en enhet utanför ditt ansvar.", it.Label()+" belongs to a unit outside your responsibility.")
			}
		}); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_items SET status = 'in_stock', holder_id = NULL, handover_id = NULL,
			version = version + 1, updated_at = $1 WHERE organisation_id = $2 AND handover_id = $3 AND status = 'issued'`,
			ts(at), h.OrganisationID, h.ID); err != nil {
			return err
		}
		h.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_handovers SET state = 'cancelled', version = $1, updated_at = $2
			WHERE organisation_id = $3 AND id = $4`, h.Version, ts(at), h.OrganisationID, h.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, h.OrganisationID, "equipment.handover_cancel", handoverAuditRecord, h.ID,
			fmt.Sprintf("withdrawn before signing; %d items back in stock", len(h.Items)))
	})
	if err != nil {
		return nil, err
	}
	return s.FindHandover(ctx, id)
}

// notHeldBy says an item is not held by the person.
func notHeldBy(v *distans.Validation, it *distans.EquipmentItem, name string) {
	v.Add("item_ids", it.Label()+" innehas inte av "+name+".", it.Label()+" is not held by "+name+".")
}

// RecordEquipmentReturn records the return of items the person holds: IT
// over each item's unit. The items are back in stock, or in repair when
// damaged or missing parts; open return tasks of the items are done.
func (s *Store) RecordEquipmentReturn(ctx context.Context, r *distans.EquipmentReturnRequest) (*distans.EquipmentReturn, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	if act.System || !act.KeepsEquipment() {
		return nil, errNotIT()
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	at := now(ctx)
	ret := &distans.EquipmentReturn{ID: newID(), OrganisationID: act.OrganisationID, RecordedByID: act.PersonID,
		RecordedByName: act.Name, RecordedAt: at, Version: 1}
	err = s.write(ctx, func(tx *sql.Tx) error {
		person, err := personInOrg(ctx, tx, act.OrganisationID, r.PersonID, "person_id")
		if err != nil {
			return err
		}
		ret.PersonID, ret.PersonName, ret.PersonUnitPath = person.ID, person.Name, person.UnitPath
		states := map[string]distans.ReturnedState{}
		var ids []string
		var v distans.Validation
		for _, st := range r.Items {
			if _, ok := states[st.ItemID]; ok {
				continue
			}
			v.MaxLen("note", st.Note, distans.MaxEquipmentNote)
			states[st.ItemID] = st
			ids = append(ids, st.ItemID)
		}
		items, err := pickItems(ctx, tx, act.OrganisationID, ids, s.dialect.forUpdate, &v, func(it *distans.EquipmentItem) {
			switch {
			case it.Status != distans.EquipmentIssued || it.HolderID != person.ID:
				notHeldBy(&v, it, person.Name)
			case !act.EquipmentScope().Contains(it.UnitPath):
				v.Add("item_ids", it.Label()+" hör till en enhet utanför ditt ansvar.", it.Label()+" belongs to a unit outside your responsibility.")
			}
		})
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, it := range items {
			st := states[it.ID]
			ret.Items = append(ret.Items, distans.ReturnedItem{HandoverItem: snapshotOf(it), Condition: st.Condition,
				Note: strings.TrimSpace(st.Note)})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_returns (organisation_id, id, person_id, recorded_by_id, recorded_at,
			version) VALUES ($1, $2, $3, $4, $5, 1)`, ret.OrganisationID, ret.ID, ret.PersonID, ret.RecordedByID, ts(at)); err != nil {
			return err
		}
		for i, ri := range ret.Items {
			if _, err := tx.ExecContext(ctx, `INSERT INTO equipment_returned_items (organisation_id, return_id, item_id, position,
				category, model_name, serial, asset_tag, phone_number, condition, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				ret.OrganisationID, ret.ID, ri.ItemID, i, string(ri.Category), ri.ModelName, ri.Serial, ri.AssetTag, ri.Number,
				string(ri.Condition), ri.Note); err != nil {
				return err
			}
			status := distans.EquipmentInStock
			if ri.Condition == distans.ConditionDamaged || ri.Condition == distans.ConditionMissing {
				status = distans.EquipmentInRepair
			}
			if _, err := tx.ExecContext(ctx, `UPDATE equipment_items SET status = $1, holder_id = NULL, handover_id = NULL,
				version = version + 1, updated_at = $2 WHERE organisation_id = $3 AND id = $4`, string(status), ts(at),
				ret.OrganisationID, ri.ItemID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE equipment_return_tasks SET state = 'done', done_at = $1, done_by_id = $2,
				version = version + 1, updated_at = $1 WHERE organisation_id = $3 AND item_id = $4 AND person_id = $5
				AND kind = 'return_item' AND state = 'open'`, ts(at), act.PersonID, ret.OrganisationID, ri.ItemID, ret.PersonID); err != nil {
				return err
			}
		}
		var conds []string
		for _, ri := range ret.Items {
			conds = append(conds, snapshotLabel(ri.HandoverItem)+" "+string(ri.Condition))
		}
		return s.audit(ctx, tx, act, ret.OrganisationID, "equipment.return", returnAuditRecord, ret.ID,
			fmt.Sprintf("returned by %s: %s", person.Name, strings.Join(conds, ", ")))
	})
	if err != nil {
		return nil, err
	}
	return s.FindEquipmentReturn(ctx, ret.ID)
}

const returnCols = `r.organisation_id, r.id, r.person_id, p.name, p.unit_path, r.recorded_by_id, rb.name, r.recorded_at, r.signature,
	r.version`

const returnFrom = ` FROM equipment_returns r
	JOIN people p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
	JOIN people rb ON rb.organisation_id = r.organisation_id AND rb.id = r.recorded_by_id`

func scanReturn(sc interface{ Scan(...any) error }) (*distans.EquipmentReturn, error) {
	r := &distans.EquipmentReturn{}
	var sig *string
	err := sc.Scan(&r.OrganisationID, &r.ID, &r.PersonID, &r.PersonName, &r.PersonUnitPath, &r.RecordedByID, &r.RecordedByName,
		tm(&r.RecordedAt), &sig, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errReturnNotFound()
	} else if err != nil {
		return nil, err
	}
	if sig != nil {
		r.Signature = &distans.Signature{}
		if err := json.Unmarshal([]byte(*sig), r.Signature); err != nil {
			return nil, fmt.Errorf("sqlstore: return %s signature: %w", r.ID, err)
		}
	}
	r.Items = []distans.ReturnedItem{}
	return r, nil
}

// loadReturnedItems reads the items of the returns rs.
func loadReturnedItems(ctx context.Context, q querier, orgID string, rs []*distans.EquipmentReturn) error {
	byID := map[string]*distans.EquipmentReturn{}
	var ids []string
	for _, r := range rs {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	for chunk := range slices.Chunk(ids, 500) {
		var a args
		org := a.add(orgID)
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = a.add(id)
		}
		rows, err := q.QueryContext(ctx, `SELECT return_id, item_id, category, model_name, serial, asset_tag, phone_number, condition,
			note FROM equipment_returned_items WHERE organisation_id = `+org+` AND return_id IN (`+strings.Join(ph, ", ")+`)
			ORDER BY return_id, position`, a...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, cat, cond string
			var ri distans.ReturnedItem
			if err := rows.Scan(&id, &ri.ItemID, &cat, &ri.ModelName, &ri.Serial, &ri.AssetTag, &ri.Number, &cond, &ri.Note); err != nil {
				rows.Close()
				return err
			}
			ri.Category, ri.Condition = distans.EquipmentCategory(cat), distans.ItemCondition(cond)
			byID[id].Items = append(byID[id].Items, ri)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// visibleReturn returns a return the actor sees, with its items.
func visibleReturn(ctx context.Context, q querier, act *distans.Actor, id, lock string) (*distans.EquipmentReturn, error) {
	if lock != "" {
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM equipment_returns WHERE organisation_id = $1 AND id = $2`+lock,
			act.OrganisationID, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errReturnNotFound()
		} else if err != nil {
			return nil, err
		}
	}
	r, err := scanReturn(q.QueryRowContext(ctx, `SELECT `+returnCols+returnFrom+` WHERE r.organisation_id = $1 AND r.id = $2`,
		act.OrganisationID, id))
	if err != nil {
		return nil, err
	}
	if !act.SeesEquipmentOf(r.PersonID, r.PersonUnitPath) {
		return nil, errReturnNotFound()
	}
	return r, loadReturnedItems(ctx, q, act.OrganisationID, []*distans.EquipmentReturn{r})
}

// FindEquipmentReturn returns a return the actor sees.
func (s *Store) FindEquipmentReturn(ctx context.Context, id string) (*distans.EquipmentReturn, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var r *distans.EquipmentReturn
	err = s.read(ctx, func(tx *sql.Tx) error {
		r, err = visibleReturn(ctx, tx, act, id, "")
		return err
	})
	return r, err
}

// ListEquipmentReturns returns the person's returns (or, with personID
// empty, those the actor sees), newest first.
func (s *Store) ListEquipmentReturns(ctx context.Context, personID string) ([]*distans.EquipmentReturn, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	out := []*distans.EquipmentReturn{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		var a args
		where := []string{"r.organisation_id = " + a.add(act.OrganisationID), equipmentOfSQL(&a, act, "r.person_id", "p.unit_path")}
		if personID != "" {
			if _, err := visiblePerson(ctx, tx, act, personID); err != nil {
				return err
			}
			where = append(where, "r.person_id = "+a.add(personID))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+returnCols+returnFrom+` WHERE `+strings.Join(where, " AND ")+`
			ORDER BY r.recorded_at DESC, r.id DESC LIMIT 500`, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		for rows.Next() {
			r, err := scanReturn(rows)
			if err != nil {
				return err
			}
			if act.SeesEquipmentOf(r.PersonID, r.PersonUnitPath) {
				out = append(out, r)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return loadReturnedItems(ctx, tx, act.OrganisationID, out)
	})
	return out, err
}

// SignEquipmentReturn records the signature of a return by the person or
// their manager, once, over its ReceiptHash.
func (s *Store) SignEquipmentReturn(ctx context.Context, id, method string) (*distans.EquipmentReturn, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		r, err := visibleReturn(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		role := distans.SignerEmployee
		switch {
		case !act.System && act.PersonID != "" && act.PersonID == r.PersonID:
		case act.ManagesEquipmentOf(r.PersonID, r.PersonUnitPath):
			role = distans.SignerManager
		default:
			return distans.Errorf(distans.EFORBIDDEN, "Bara personen eller personens chef kan skriva under återlämningen.",
				"Only the person or their manager can sign the return.")
		}
		if r.Signature != nil {
			return distans.Errorf(distans.ECONFLICT, "Återlämningen är redan underskriven.", "The return is already signed.")
		}
		at := now(ctx)
		r.Signature = &distans.Signature{Role: role, PersonID: act.PersonID, Name: act.Name, At: at, Hash: r.ReceiptHash(), Method: method}
		sig, err := jsonText(r.Signature)
		if err != nil {
			return err
		}
		r.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE equipment_returns SET signature = $1, signed_at = $2, version = $3
			WHERE organisation_id = $4 AND id = $5`, sig, ts(at), r.Version, r.OrganisationID, r.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, r.OrganisationID, "equipment.return_sign", returnAuditRecord, r.ID,
			"return of "+strconv.Itoa(len(r.Items))+" items signed as "+string(role)+", hash "+r.Signature.Hash)
	})
	if err != nil {
		return nil, err
	}
	return s.FindEquipmentReturn(ctx, id)
}
