package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/distans/distans"
)

// One's own data (GDPR art. 15 and 20): the log of requests
// (data_requests) and the export of everything the schema holds about a
// person. The export is two lists that together name every column of the
// schema that names a person (a key to people, or a column named for who
// acted, "…_by"): ownDataSources, what is exported and how, and
// ownDataOmitted, what is not and why. TestOwnDataCoversSchema derives
// those columns from the schema itself and fails for any column in
// neither list, so a table added later is exported or left out on
// purpose, never forgotten.

// ownDataSource is one section of the export: the rows of table whose
// column names the person ($2, in the organisation $1), as query selects
// them: the columns listed by name, so that a secret added to the table
// later is not exported by accident. column is empty for a section
// reached through another table (an agreement's follow-ups).
type ownDataSource struct {
	table, column    string
	titleSv, titleEn string
	query            string
}

var ownDataSources = []ownDataSource{
	{"people", "id", "Personuppgifter", "Personal details", `SELECT id, name, email, phone, employee_number,
		personal_number, language, title, unit_id, site_id, created_at, updated_at
		FROM people WHERE organisation_id = $1 AND id = $2`},
	{"employments", "person_id", "Anställningar", "Employments", `SELECT id, unit_id, title, site_id, starts_on, ends_on,
		created_at, updated_at FROM employments WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_on, id`},
	{"leaves", "person_id", "Ledigheter", "Leave", `SELECT id, kind, starts_on, ends_on, created_at
		FROM leaves WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_on, id`},
	{"role_assignments", "person_id", "Roller", "Roles", `SELECT id, role, unit_id, source, created_at, ended_at
		FROM role_assignments WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"units", "manager_id", "Enheter där du är chef", "Units you manage", `SELECT id, name, kind, ended_on
		FROM units WHERE organisation_id = $1 AND manager_id = $2 ORDER BY name, id`},
	{"accounts", "person_id", "Konto", "Account", `SELECT CASE WHEN password_hash IS NULL OR password_hash = '' THEN 'nej' ELSE 'ja' END AS has_password,
		failed_count, locked_until, disabled_at FROM accounts WHERE organisation_id = $1 AND person_id = $2`},
	{"password_history", "person_id", "Lösenordsbyten", "Password changes", `SELECT created_at
		FROM password_history WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at`},
	{"sessions", "person_id", "Inloggningssessioner", "Sessions", `SELECT created_at, expires_at, last_seen_at
		FROM sessions WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at`},
	{"signin_events", "person_id", "Inloggningar och misslyckade försök", "Sign-ins and failed attempts", `SELECT at, outcome, method, address, user_agent
		FROM signin_events WHERE organisation_id = $1 AND person_id = $2 ORDER BY at, id`},
	{"api_tokens", "person_id", "API-nycklar", "API tokens", `SELECT id, name, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"account_links", "person_id", "Inbjudnings- och återställningslänkar", "Invitation and reset links", `SELECT id, purpose,
		created_at, expires_at, used_at FROM account_links WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"calendar_feeds", "person_id", "Kalenderprenumerationer", "Calendar feeds", `SELECT id, created_at, revoked_at
		FROM calendar_feeds WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"report_subscriptions", "person_id", "Månadsrapporter med e-post", "Monthly reports by e-mail", `SELECT id, kind, unit_id,
		created_at, sent_month FROM report_subscriptions WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"scim_users", "person_id", "Från identitetssystemet (SCIM)", "From the identity system (SCIM)", `SELECT user_name,
		external_id, given_name, family_name, department, created_at, updated_at
		FROM scim_users WHERE organisation_id = $1 AND person_id = $2`},
	{"scim_group_members", "person_id", "Grupper i identitetssystemet", "Groups in the identity system", `SELECT g.display_name
		FROM scim_group_members m JOIN scim_groups g ON g.organisation_id = m.organisation_id AND g.id = m.group_id
		WHERE m.organisation_id = $1 AND m.person_id = $2 ORDER BY g.display_name`},
	{"agreements", "person_id", "Överenskommelser om distansarbete", "Remote-work agreements", `SELECT id, number, unit_id,
		state, start_on, end_on, next_follow_up_on, manager_id, renewal_of, ended_on, end_reason, end_note, request,
		request_place, assessment, risk, decision, terms, terms_place, findings, pack_version, signatures, evaluation,
		created_at, updated_at FROM agreements WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"agreement_follow_ups", "", "Uppföljningar av distansarbetet", "Follow-ups of remote work", `SELECT f.id, a.number AS agreement,
		f.on_date, f.body, f.recorded_by_name, f.recorded_at
		FROM agreement_follow_ups f JOIN agreements a ON a.organisation_id = f.organisation_id AND a.id = f.agreement_id
		WHERE f.organisation_id = $1 AND a.person_id = $2 ORDER BY f.on_date, f.id`},
	{"day_statuses", "person_id", "Status och närvaro", "Status and presence", `SELECT on_date, kind, site_id, back_at, reason,
		one_off, updated_at FROM day_statuses WHERE organisation_id = $1 AND person_id = $2 ORDER BY on_date`},
	{"redirects", "person_id", "Hänvisningar", "Redirects", `SELECT phone, message, until_at, target, colleague_id, updated_at
		FROM redirects WHERE organisation_id = $1 AND person_id = $2`},
	{"phone_hours", "owner_id", "Telefontider", "Phone hours", `SELECT pack_version, decided_by_name, decided_role,
		decision_reason, decided_at, updated_at FROM phone_hours WHERE organisation_id = $1 AND owner_id = $2`},
	{"phone_sessions", "owner_id", "Telefontider per veckodag", "Phone hours by weekday", `SELECT weekday, starts, ends
		FROM phone_sessions WHERE organisation_id = $1 AND owner_id = $2 ORDER BY weekday, starts`},
	{"on_call_duties", "person_id", "Jourtelefon", "On-call duties", `SELECT id, phone_id, starts_at, ends_at, created_at
		FROM on_call_duties WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_at, id`},
	{"directory_profiles", "person_id", "Katalogprofil och sökord", "Directory profile and keywords", `SELECT keywords,
		work_mobile, updated_at FROM directory_profiles WHERE organisation_id = $1 AND person_id = $2`},
	{"bookings", "person_id", "Platsbokningar", "Desk bookings", `SELECT id, site_id, desk_id, date, part, status, series_id,
		booked_by, checked_in_at, created_at, updated_at
		FROM bookings WHERE organisation_id = $1 AND person_id = $2 ORDER BY date, id`},
	{"notifications", "person_id", "Aviseringar", "Notifications", `SELECT id, kind, params, link, created_at, read_at, emailed_at
		FROM notifications WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"acknowledgements", "person_id", "Bekräftade dokument", "Acknowledged documents", `SELECT a.document_id, d.title, a.version, a.at
		FROM acknowledgements a LEFT JOIN policy_documents d ON d.organisation_id = a.organisation_id AND d.id = a.document_id
		AND d.version = a.version WHERE a.organisation_id = $1 AND a.person_id = $2 ORDER BY a.at`},
	{"incidents", "reporter_id", "Incidenter du har rapporterat", "Incidents you reported", `SELECT id, number, kind, title,
		description, occurred_at, discovered_at, systems, ongoing, state, created_at, closed_at
		FROM incidents WHERE organisation_id = $1 AND reporter_id = $2 ORDER BY created_at, id`},
	{"equipment_items", "holder_id", "Utrustning du har", "Equipment you hold", `SELECT id, category, serial, asset_tag,
		phone_number, status, handover_id FROM equipment_items WHERE organisation_id = $1 AND holder_id = $2 ORDER BY id`},
	{"equipment_handovers", "person_id", "Utlämnad utrustning", "Equipment handed over", `SELECT id, issued_at, note, state,
		terms_title, terms_version, acceptance, accepted_at, created_at
		FROM equipment_handovers WHERE organisation_id = $1 AND person_id = $2 ORDER BY issued_at, id`},
	{"equipment_handover_items", "", "Utlämnade enheter", "Items handed over", `SELECT i.handover_id, i.category, i.model_name,
		i.serial, i.asset_tag, i.phone_number
		FROM equipment_handover_items i JOIN equipment_handovers h ON h.organisation_id = i.organisation_id AND h.id = i.handover_id
		WHERE i.organisation_id = $1 AND h.person_id = $2 ORDER BY i.handover_id, i.position`},
	{"equipment_returns", "person_id", "Återlämnad utrustning", "Equipment returned", `SELECT id, recorded_at, signature, signed_at
		FROM equipment_returns WHERE organisation_id = $1 AND person_id = $2 ORDER BY recorded_at, id`},
	{"equipment_returned_items", "", "Återlämnade enheter", "Items returned", `SELECT i.return_id, i.category, i.model_name,
		i.serial, i.asset_tag, i.phone_number, i.condition, i.note
		FROM equipment_returned_items i JOIN equipment_returns r ON r.organisation_id = i.organisation_id AND r.id = i.return_id
		WHERE i.organisation_id = $1 AND r.person_id = $2 ORDER BY i.return_id, i.position`},
	{"equipment_losses", "person_id", "Förlust och skada på utrustning", "Equipment lost or damaged", `SELECT id, number, kind,
		occurred_at, discovered_at, place, outside_premises, description, gross_negligence, assessment_reasons,
		assessed_at, state, created_at, closed_at
		FROM equipment_losses WHERE organisation_id = $1 AND person_id = $2 ORDER BY created_at, id`},
	{"equipment_loss_attachments", "", "Bilagor till förlustanmälningar", "Attachments to loss reports", `SELECT x.loss_id, x.name,
		x.content_type, x.size, x.sha256, x.created_at
		FROM equipment_loss_attachments x JOIN equipment_losses l ON l.organisation_id = x.organisation_id AND l.id = x.loss_id
		WHERE x.organisation_id = $1 AND l.person_id = $2 ORDER BY x.created_at, x.id`},
	{"equipment_trips", "person_id", "Resor med utrustning", "Trips with equipment", `SELECT id, private, abroad, destination,
		starts_on, ends_on, reasons, state, decided_at, decision_note, created_at
		FROM equipment_trips WHERE organisation_id = $1 AND person_id = $2 ORDER BY starts_on, id`},
	{"equipment_return_tasks", "person_id", "Återlämningsuppgifter", "Return tasks", `SELECT id, kind, reason, item_id, due_on,
		state, note, done_at, created_at
		FROM equipment_return_tasks WHERE organisation_id = $1 AND person_id = $2 ORDER BY due_on, id`},
	{"training_completions", "person_id", "Genomförda utbildningar", "Training completed", `SELECT id, course_id, completed_on,
		source, certificate_name, certificate_content_type, certificate_size, certificate_sha256, created_at, removed_at,
		removed_reason FROM training_completions WHERE organisation_id = $1 AND person_id = $2 ORDER BY completed_on, id`},
	{"checklists", "person_id", "Checklistor", "Checklists", `SELECT id, template_id, event, title_sv, event_on, state,
		opened_at, closed_at FROM checklists WHERE organisation_id = $1 AND person_id = $2 ORDER BY opened_at, id`},
	{"checklist_tasks", "", "Checklistornas uppgifter", "Checklist tasks", `SELECT t.checklist_id, t.title_sv, t.owner, t.due_on,
		t.state, t.note, t.done_at
		FROM checklist_tasks t JOIN checklists c ON c.organisation_id = t.organisation_id AND c.id = t.checklist_id
		WHERE t.organisation_id = $1 AND c.person_id = $2 ORDER BY t.checklist_id, t.position`},
	{"data_requests", "person_id", "Begäranden om dina uppgifter", "Requests for your data", `SELECT id, requested_by,
		requested_at, due_on, delivered_at FROM data_requests WHERE organisation_id = $1 AND person_id = $2 ORDER BY requested_at, id`},
	// The trail of what was done by the person or to their record. Events
	// about their other records (an agreement, a booking) name those
	// records, not the person, and are not searched for: the records
	// themselves are in the export.
	{"audit_events", "actor_id", "Logg: händelser du har utfört eller som gäller dig", "Audit trail: what you did, and what was done to your record",
		`SELECT seq, at, actor_name, action, record_type, record_id, summary FROM audit_events
		WHERE organisation_id = $1 AND (actor_id = $2 OR (record_type = 'person' AND record_id = $2)) ORDER BY seq`},
}

// ownDataOmitted is every column naming a person whose rows are not in
// the export, and why. Its reasons are shown to the person (in Swedish:
// the export is theirs to read), the key ("table.column") to the test.
var ownDataOmitted = map[string]string{
	"audit_pending.actor_id":                   "Händelser väntar här några sekunder innan de förs in i loggen, som exporten läser efter att de förts in.",
	"booking_slots.person_id":                  "Halvdagarna i dina bokningar, samma uppgifter som under platsbokningar.",
	"bookings.booked_by":                       "Bokningar du har gjort åt någon annan är den personens uppgifter; dina handlingar finns i loggen.",
	"redirects.colleague_id":                   "Andras hänvisningar till dig är deras uppgifter.",
	"redirects.updated_by":                     "Vem som senast ändrade en hänvisning (ofta du själv); ändringen finns i loggen.",
	"day_statuses.updated_by":                  "Vem som senast ändrade en status; ändringen finns i loggen.",
	"phone_hours.decided_by":                   "Beslut om telefontider du har fattat för andra; dina egna telefontider finns med.",
	"phone_hours.updated_by":                   "Vem som senast ändrade telefontider; ändringen finns i loggen.",
	"agreements.manager_id":                    "Överenskommelser där du är chef gäller dina medarbetare.",
	"agreements.renewed_by":                    "Vem som förnyade en överenskommelse; det finns i loggen.",
	"agreements.ended_by":                      "Vem som avslutade en överenskommelse; det finns i loggen.",
	"agreement_follow_ups.recorded_by":         "Uppföljningar du har gjort av andras distansarbete; dina egna uppföljningar finns med.",
	"account_links.created_by":                 "Länkar du har skapat åt andra är deras uppgifter.",
	"team_days.created_by":                     "Teamdagar du har lagt för en enhet; det finns i loggen.",
	"policy_documents.published_by":            "Dokument du har publicerat; det finns i loggen.",
	"policy_versions.created_by":               "Versioner av regelpaketet du har sparat; det finns i loggen.",
	"imports.created_by":                       "Importer du har gjort; det finns i loggen.",
	"scim_tokens.created_by":                   "Nycklar för identitetssystemet du har skapat; det finns i loggen.",
	"oidc_providers.match_by":                  "Anger vilket påstående inloggningen matchar konton på; ingen person.",
	"incidents.owner_id":                       "Incidenter du handlägger gäller andra; incidenter du har rapporterat finns med.",
	"incidents.registered_by_id":               "Incidenter du har registrerat åt någon annan är den personens rapport.",
	"incident_measures.owner_id":               "Åtgärder du ansvarar för i incidenter du handlägger.",
	"incident_clocks.done_by_id":               "Skyldigheter du har fullgjort i incidenter du handlägger; det finns i loggen.",
	"incident_risk_assessments.assessed_by_id": "Riskbedömningar du har gjort i incidenter du handlägger.",
	"equipment_handovers.issued_by_id":         "Utrustning du har lämnat ut till andra är deras uppgifter.",
	"equipment_returns.recorded_by_id":         "Återlämningar du har tagit emot från andra är deras uppgifter.",
	"equipment_losses.reported_by_id":          "Förluster du har anmält åt någon annan är den personens; dina egna förluster finns med.",
	"equipment_losses.assessed_by_id":          "Bedömningar du har gjort av andras förluster.",
	"equipment_loss_steps.done_by_id":          "Steg du har gjort i andras förlustärenden; det finns i loggen.",
	"equipment_loss_attachments.created_by_id": "Bilagor du har lagt till i andras förlustärenden; bilagor till dina egna finns med.",
	"equipment_trips.decided_by_id":            "Beslut du har fattat om andras resor.",
	"equipment_return_tasks.manager_id":        "Återlämningsuppgifter för dina medarbetare är deras uppgifter.",
	"equipment_return_tasks.done_by_id":        "Uppgifter du har gjort åt andra; det finns i loggen.",
	"training_completions.recorded_by":         "Utbildningar du har registrerat åt andra är deras uppgifter; dina egna finns med.",
	"training_completions.removed_by":          "Utbildningar du har tagit bort hos andra; det finns i loggen.",
	"checklist_tasks.done_by":                  "Uppgifter du har bockat av i andras checklistor; det finns i loggen.",
	"disposal_holds.person_id":                 "Ett kvarhållande under en pågående utredning (gallring); uppgifterna det håller kvar finns med, och utredningen kan begränsa rätten till tillgång medan den pågår.",
	"disposal_holds.placed_by":                 "Kvarhållanden du som informationssäkerhetssamordnare har lagt gäller andra; det finns i loggen.",
	"disposal_log.actor_id":                    "Gallringar du har gjort gäller organisationens uppgifter, inte dig; det finns i loggen.",
	"data_requests.requested_by":               "Begäranden du som HR har gjort åt andra är deras uppgifter.",
	"release_requests.decided_by":              "Beslut om utlämnande av allmänna handlingar som du har fattat som registrator; de finns i loggen.",
	"person_prefixes.person_id":                "Sökindexets början av orden i dina personuppgifter, som finns med; inget annat.",
}

// ownDataSecrets is what the export never holds, though the tables above
// keep it: told to the person so that they know it exists.
var ownDataSecrets = []distans.OwnDataOmission{
	{Where: "accounts.password_hash, password_history.hash", Reason: "Lösenord sparas bara som kontrollsummor, som inte lämnas ut: de skyddar kontot."},
	{Where: "sessions, api_tokens, account_links, calendar_feeds: token_hash", Reason: "Nycklar och länkar sparas bara som kontrollsummor, som inte lämnas ut."},
	{Where: "training_completions.certificate_content, equipment_loss_attachments.content", Reason: "Intygens och bilagornas innehåll hämtas där de visas (Utbildning, förlustanmälan); exporten anger namn, storlek och kontrollsumma."},
	{Where: "incidents", Reason: "Handläggarnas bedömningar och uppgifter som är sekretessmarkerade i incidenter du har rapporterat ingår inte; rapporten och dess status ingår."},
}

// ownDataOmissions returns what the lists above leave out, for the export.
func ownDataOmissions() []distans.OwnDataOmission {
	out := append([]distans.OwnDataOmission(nil), ownDataSecrets...)
	keys := make([]string, 0, len(ownDataOmitted))
	for k := range ownDataOmitted {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, distans.OwnDataOmission{Where: k, Reason: ownDataOmitted[k]})
	}
	return out
}

const dataRequestCols = `r.id, r.organisation_id, r.person_id, p.name, r.requested_by, b.name, r.requested_at, r.due_on, r.delivered_at`

const dataRequestFrom = ` FROM data_requests r
	JOIN people p ON p.organisation_id = r.organisation_id AND p.id = r.person_id
	JOIN people b ON b.organisation_id = r.organisation_id AND b.id = r.requested_by`

func scanDataRequest(sc interface{ Scan(...any) error }) (*distans.DataRequest, error) {
	r := &distans.DataRequest{}
	err := sc.Scan(&r.ID, &r.OrganisationID, &r.PersonID, &r.PersonName, &r.RequestedByID, &r.RequestedByName,
		tm(&r.RequestedAt), dt(&r.DueOn), nulltm(&r.DeliveredAt))
	return r, err
}

func errDataRequestNotFound() error {
	return distans.NotFound("Begäran finns inte.", "The request does not exist.")
}

// dataSubject returns the person a request is for when the actor may ask
// for their data (RequestsDataOf), else ENOTFOUND: whoever may not learns
// nothing of whether the person exists.
func dataSubject(ctx context.Context, q querier, a *distans.Actor, personID string) (*distans.Person, error) {
	p, err := findPersonRow(ctx, q, a.OrganisationID, personID)
	if err != nil {
		return nil, err
	}
	if !a.RequestsDataOf(p.ID, p.UnitPath) {
		return nil, errPersonNotFound()
	}
	return p, nil
}

// CreateDataRequest logs a request for the person's own data, due one
// month from today in the organisation (DataRequestDue), and audits it.
func (s *Store) CreateDataRequest(ctx context.Context, personID string) (*distans.DataRequest, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.DataRequest
	err = s.write(ctx, func(tx *sql.Tx) error {
		p, err := dataSubject(ctx, tx, a, personID)
		if err != nil {
			return err
		}
		today, err := s.today(ctx, tx, a.OrganisationID)
		if err != nil {
			return err
		}
		r := &distans.DataRequest{ID: newID(), OrganisationID: a.OrganisationID, PersonID: p.ID, PersonName: p.Name,
			RequestedByID: a.PersonID, RequestedByName: a.Name, RequestedAt: now(ctx), DueOn: distans.DataRequestDue(today)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO data_requests (organisation_id, id, person_id, requested_by,
			requested_at, due_on) VALUES ($1, $2, $3, $4, $5, $6)`,
			r.OrganisationID, r.ID, r.PersonID, r.RequestedByID, ts(r.RequestedAt), day(r.DueOn)); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, tx, a, a.OrganisationID, "owndata.request", "person", p.ID,
			"asked for the own data of "+p.Name+" (GDPR art. 15), due "+day(r.DueOn))
	})
	return out, err
}

// findDataRequest reads a request the actor may follow, else ENOTFOUND.
func findDataRequest(ctx context.Context, q querier, a *distans.Actor, id string, lock string) (*distans.DataRequest, error) {
	r, err := scanDataRequest(q.QueryRowContext(ctx, `SELECT `+dataRequestCols+dataRequestFrom+
		` WHERE r.organisation_id = $1 AND r.id = $2`+lock, a.OrganisationID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errDataRequestNotFound()
	} else if err != nil {
		return nil, err
	}
	if _, err := dataSubject(ctx, q, a, r.PersonID); err != nil {
		if distans.ErrorCode(err) == distans.ENOTFOUND {
			return nil, errDataRequestNotFound()
		}
		return nil, err
	}
	return r, nil
}

// DeliverDataRequest marks the request delivered (the export may be
// downloaded from now on) and audits it; a request delivered already is
// returned as it is.
func (s *Store) DeliverDataRequest(ctx context.Context, id string) (*distans.DataRequest, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.DataRequest
	err = s.write(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.dialect.forUpdate != "" {
			lock = s.dialect.forUpdate + " OF r"
		}
		r, err := findDataRequest(ctx, tx, a, id, lock)
		if err != nil {
			return err
		}
		out = r
		if !r.Open() {
			return nil
		}
		at := now(ctx)
		if _, err := tx.ExecContext(ctx, `UPDATE data_requests SET delivered_at = $3 WHERE organisation_id = $1 AND id = $2`,
			r.OrganisationID, r.ID, ts(at)); err != nil {
			return err
		}
		r.DeliveredAt = &at
		return s.audit(ctx, tx, a, r.OrganisationID, "owndata.deliver", "person", r.PersonID,
			"delivered the own data of "+r.PersonName+", asked "+day(r.RequestedAt)+", due "+day(r.DueOn))
	})
	return out, err
}

// FindDataRequest returns a request the actor may follow.
func (s *Store) FindDataRequest(ctx context.Context, id string) (*distans.DataRequest, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.DataRequest
	err = s.read(ctx, func(tx *sql.Tx) error {
		out, err = findDataRequest(ctx, tx, a, id, "")
		return err
	})
	return out, err
}

// ListDataRequests returns the person's requests, newest first.
func (s *Store) ListDataRequests(ctx context.Context, personID string) ([]*distans.DataRequest, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out []*distans.DataRequest
	err = s.read(ctx, func(tx *sql.Tx) error {
		if _, err := dataSubject(ctx, tx, a, personID); err != nil {
			return err
		}
		out, err = queryDataRequests(ctx, tx, ` WHERE r.organisation_id = $1 AND r.person_id = $2
			ORDER BY r.requested_at DESC, r.id DESC`, a.OrganisationID, personID)
		return err
	})
	return out, err
}

// OpenDataRequests returns the open requests of the people in the actor's
// DataRequestScope, earliest due first; none outside HR.
func (s *Store) OpenDataRequests(ctx context.Context) ([]*distans.DataRequest, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	sc := a.DataRequestScope()
	if a.System || sc.None() {
		return []*distans.DataRequest{}, nil
	}
	var out []*distans.DataRequest
	err = s.read(ctx, func(tx *sql.Tx) error {
		all, err := queryDataRequests(ctx, tx, ` WHERE r.organisation_id = $1 AND r.delivered_at IS NULL
			ORDER BY r.due_on, r.requested_at`, a.OrganisationID)
		if err != nil {
			return err
		}
		// Open requests are few: the scope is decided per person, by the
		// one rule, rather than written again as SQL.
		for _, r := range all {
			if _, err := dataSubject(ctx, tx, a, r.PersonID); err == nil {
				out = append(out, r)
			} else if distans.ErrorCode(err) != distans.ENOTFOUND {
				return err
			}
		}
		return nil
	})
	if out == nil {
		out = []*distans.DataRequest{}
	}
	return out, err
}

func queryDataRequests(ctx context.Context, q querier, where string, args ...any) ([]*distans.DataRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+dataRequestCols+dataRequestFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*distans.DataRequest{}
	for rows.Next() {
		r, err := scanDataRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GatherOwnData reads everything the schema holds about the person of a
// delivered request (ECONFLICT before delivery), in one transaction with
// its audit: the download ("owndata.download"), the read of the personal
// identity number ("person.secret_read", as RevealPersonalNumber audits
// it) and of each agreement's remote place ("agreement.place_read", as
// RevealRemotePlace does). The number and the places are the person's
// own; HR, who asks for them, reads them on their behalf.
func (s *Store) GatherOwnData(ctx context.Context, requestID string, format distans.OwnDataFormat) (*distans.OwnData, error) {
	a, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.OwnData
	err = s.write(ctx, func(tx *sql.Tx) error {
		r, err := findDataRequest(ctx, tx, a, requestID, "")
		if err != nil {
			return err
		}
		if r.Open() {
			return distans.Errorf(distans.ECONFLICT, "Begäran är inte levererad än.", "The request has not been delivered yet.")
		}
		// Pending events are sealed first, so that the trail the export
		// reads is the whole of it.
		if err := s.sealAll(ctx, tx, r.OrganisationID); err != nil {
			return err
		}
		var org string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, r.OrganisationID).Scan(&org); err != nil {
			return err
		}
		d := &distans.OwnData{Request: r, Organisation: org, ProducedAt: now(ctx), Omitted: ownDataOmissions()}
		for _, src := range ownDataSources {
			recs, err := ownDataRows(ctx, tx, src.query, r.OrganisationID, r.PersonID)
			if err != nil {
				return errors.New("sqlstore: own data " + src.table + ": " + err.Error())
			}
			d.Sections = append(d.Sections, distans.OwnDataSection{Key: src.table, TitleSv: src.titleSv, TitleEn: src.titleEn, Records: recs})
			if err := s.auditOwnDataReads(ctx, tx, a, r, src.table, recs); err != nil {
				return err
			}
		}
		out = d
		return s.audit(ctx, tx, a, r.OrganisationID, "owndata.download", "person", r.PersonID,
			"downloaded the own data of "+r.PersonName+" as "+string(format))
	})
	return out, err
}

// auditOwnDataReads audits the reads of secrets among the records of
// table, as their own reads are audited elsewhere.
func (s *Store) auditOwnDataReads(ctx context.Context, tx *sql.Tx, a *distans.Actor, r *distans.DataRequest, table string, recs []distans.OwnDataRecord) error {
	switch table {
	case "people":
		for _, rec := range recs {
			if pnr, _ := rec.Get("personal_number"); pnr != "" {
				if err := s.audit(ctx, tx, a, r.OrganisationID, "person.secret_read", "person", r.PersonID,
					"read the personal identity number of "+r.PersonName+" for their own data"); err != nil {
					return err
				}
			}
		}
	case "agreements":
		for _, rec := range recs {
			req, _ := rec.Get("request_place")
			terms, _ := rec.Get("terms_place")
			if req == "" && terms == "" {
				continue
			}
			id, _ := rec.Get("id")
			num, _ := rec.Get("number")
			if err := s.audit(ctx, tx, a, r.OrganisationID, distans.AgreementAuditPlaceRead, "agreement", id,
				"read the remote place of "+num+" for the own data of "+r.PersonName); err != nil {
				return err
			}
		}
	}
	return nil
}

// ownDataRows runs one section's query and returns its rows as records:
// every value as text (times in UTC as the store writes them, days as
// YYYY-MM-DD on both databases), NULLs and empty texts left out, and
// JSON kept as JSON.
func ownDataRows(ctx context.Context, tx *sql.Tx, query, orgID, personID string) ([]distans.OwnDataRecord, error) {
	rows, err := tx.QueryContext(ctx, query, orgID, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := []distans.OwnDataRecord{}
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var rec distans.OwnDataRecord
		for i, v := range vals {
			f, ok := ownDataField(types[i].Name(), types[i].DatabaseTypeName(), v)
			if ok {
				rec = append(rec, f)
			}
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

func ownDataField(name, dbType string, v any) (distans.OwnDataField, bool) {
	f := distans.OwnDataField{Name: name}
	switch x := v.(type) {
	case nil:
		return f, false
	case time.Time:
		if strings.EqualFold(dbType, "DATE") {
			f.Value = x.UTC().Format(time.DateOnly)
		} else {
			f.Value = ts(x)
		}
	case []byte:
		if !utf8.Valid(x) {
			f.Value = strconv.Itoa(len(x)) + " bytes"
		} else {
			f.Value = string(x)
		}
	case string:
		f.Value = x
	case int64:
		f.Value = strconv.FormatInt(x, 10)
	case float64:
		f.Value = strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		f.Value = strconv.FormatBool(x)
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return f, false
		}
		f.Value = string(b)
	}
	if f.Value == "" {
		return f, false
	}
	if t := strings.TrimSpace(f.Value); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && json.Valid([]byte(t)) {
		f.Value, f.JSON = t, true
	}
	return f, true
}
