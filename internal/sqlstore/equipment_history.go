package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/distans/distans"
)

// itemHistorySQL is every handover, acceptance, withdrawal, return,
// signature and loss report about item $2 of organisation $1, one row
// each: kind, time, the person it concerns and their name, who acted,
// the detail, the loss kind and the record. A return's signer is in its
// signature.
const itemHistorySQL = `
SELECT 'issued', h.issued_at, h.person_id, p.name, b.name, '', '', h.id
FROM equipment_handover_items hi
JOIN equipment_handovers h ON h.organisation_id = hi.organisation_id AND h.id = hi.handover_id
JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id
JOIN people b ON b.organisation_id = h.organisation_id AND b.id = h.issued_by_id
WHERE hi.organisation_id = $1 AND hi.item_id = $2
UNION ALL
SELECT 'accepted', h.accepted_at, h.person_id, p.name, p.name, '', '', h.id
FROM equipment_handover_items hi
JOIN equipment_handovers h ON h.organisation_id = hi.organisation_id AND h.id = hi.handover_id
JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id
WHERE hi.organisation_id = $1 AND hi.item_id = $2 AND h.accepted_at IS NOT NULL
UNION ALL
SELECT 'handover_cancelled', h.updated_at, h.person_id, p.name, '', '', '', h.id
FROM equipment_handover_items hi
JOIN equipment_handovers h ON h.organisation_id = hi.organisation_id AND h.id = hi.handover_id
JOIN people p ON p.organisation_id = h.organisation_id AND p.id = h.person_id
WHERE hi.organisation_id = $1 AND hi.item_id = $2 AND h.state = 'cancelled'
UNION ALL
SELECT 'returned', r.recorded_at, r.person_id, p.name, b.name, ri.condition, '', r.id
FROM equipment_returned_items ri
JOIN equipment_returns r ON r.organisation_id = ri.organisation_id AND r.id = ri.return_id
JOIN people p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
JOIN people b ON b.organisation_id = r.organisation_id AND b.id = r.recorded_by_id
WHERE ri.organisation_id = $1 AND ri.item_id = $2
UNION ALL
SELECT 'return_signed', r.signed_at, r.person_id, p.name, r.signature, '', '', r.id
FROM equipment_returned_items ri
JOIN equipment_returns r ON r.organisation_id = ri.organisation_id AND r.id = ri.return_id
JOIN people p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
WHERE ri.organisation_id = $1 AND ri.item_id = $2 AND r.signed_at IS NOT NULL
UNION ALL
SELECT 'loss_reported', l.created_at, l.person_id, p.name, b.name, l.number, l.kind, l.id
FROM equipment_loss_items li
JOIN equipment_losses l ON l.organisation_id = li.organisation_id AND l.id = li.loss_id
JOIN people p ON p.organisation_id = l.organisation_id AND p.id = l.person_id
JOIN people b ON b.organisation_id = l.organisation_id AND b.id = l.reported_by_id
WHERE li.organisation_id = $1 AND li.item_id = $2`

// ItemHistory returns the item's history, oldest first (see
// distans.EquipmentService): all of it for IT over the item's unit; for
// anyone else who sees the item, only the events about its holder.
func (s *Store) ItemHistory(ctx context.Context, id string) ([]distans.ItemEvent, error) {
	it, err := s.FindEquipmentItem(ctx, id)
	if err != nil {
		return nil, err
	}
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	all := act.System || act.EquipmentScope().Contains(it.UnitPath)
	rows, err := s.rdb.QueryContext(ctx, itemHistorySQL, it.OrganisationID, it.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []distans.ItemEvent{{At: it.CreatedAt, Kind: distans.ItemRegistered}}
	for rows.Next() {
		var e distans.ItemEvent
		var by, loss string
		if err := rows.Scan(&e.Kind, tm(&e.At), &e.PersonID, &e.PersonName, &by, &e.Detail, &loss, &e.RecordID); err != nil {
			return nil, err
		}
		if !all && (it.HolderID == "" || e.PersonID != it.HolderID) {
			continue
		}
		e.ByName, e.LossKind = by, distans.LossKind(loss)
		if e.Kind == distans.ItemReturnSigned {
			var sig distans.Signature
			if json.Unmarshal([]byte(by), &sig) == nil {
				e.ByName = sig.Name
			} else {
				e.ByName = ""
			}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !all {
		out = out[1:] // the registration is IT's
	}
	slices.SortStableFunc(out, func(x, y distans.ItemEvent) int { return x.At.Compare(y.At) })
	return out, nil
}
