package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/distans/distans"
)

// agreementChange is one change of a case: who may make it, in which
// states, and what it does. apply changes g (and may notify); the store
// then saves g on the next version and writes the audit event.
type agreementChange struct {
	action string
	who    func(act *distans.Actor, a *distans.Agreement) bool
	states []distans.AgreementState
	apply  func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (summary string, err error)
	// readsPlace says that the change reads the remote place (a signature
	// covers it): the read is audited with the change, so that only a
	// change that stands leaves it in the trail.
	readsPlace bool
}

var (
	agreementUndecided = []distans.AgreementState{distans.AgreementRequested, distans.AgreementAssessed}
	agreementSigning   = []distans.AgreementState{distans.AgreementAwaitingSignature}
	agreementActive    = []distans.AgreementState{distans.AgreementActive}
)

// changeAgreement runs a change in one transaction: the case must be in
// reach (ENOTFOUND), the actor allowed (EFORBIDDEN), the version the one
// the caller saw and the state one the change needs (ECONFLICT).
func (s *Store) changeAgreement(ctx context.Context, id string, version int, c agreementChange) (*distans.Agreement, error) {
	act, err := actorIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *distans.Agreement
	err = s.write(ctx, func(tx *sql.Tx) error {
		g, err := visibleAgreement(ctx, tx, act, id, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if !c.who(act, g.Agreement) {
			return distans.Forbidden()
		}
		if version != g.Version {
			return errAgreementStale()
		}
		if !contains(c.states, g.State) {
			return errAgreementState(g.State)
		}
		today, err := s.today(ctx, tx, g.OrganisationID)
		if err != nil {
			return err
		}
		summary, err := c.apply(tx, act, g, today)
		if err != nil {
			return err
		}
		if err := saveAgreement(ctx, tx, g); err != nil {
			return err
		}
		out = g.public()
		if c.readsPlace {
			if err := s.audit(ctx, tx, act, g.OrganisationID, distans.AgreementAuditPlaceRead, "agreement", g.ID,
				"read the remote place of "+g.Number+" to sign"); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, act, g.OrganisationID, c.action, "agreement", g.ID, g.Number+": "+summary)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// splitRequest returns a copy of the request without the place, and the place.
func splitRequest(r *distans.AgreementRequest) (distans.AgreementRequest, string) {
	c := *r
	c.Place = ""
	return c, r.Place
}

// splitTerms returns a copy of the terms without the place, and the place.
func splitTerms(t *distans.Terms) (*distans.Terms, string) {
	c := *t
	c.RemotePlace = ""
	return &c, t.RemotePlace
}

// CreateAgreement opens a case for the actor in their current unit with
// the next registration number; ECONFLICT when they have an open case. It
// notifies the managers of the unit.
func (s *Store) CreateAgreement(ctx context.Context, a *distans.Agreement) error {
	act, err := actorIn(ctx)
	if err != nil {
		return err
	}
	if act.System || act.PersonID == "" {
		return distans.Errorf(distans.EFORBIDDEN, "Bara medarbetaren själv kan ansöka om distansarbete.",
			"Only the employee can request remote work.")
	}
	// Kept apart from *a, which the transaction replaces: write may run
	// the transaction again.
	in := a.Request
	req, place := splitRequest(&in)
	return s.write(ctx, func(tx *sql.Tx) error {
		today, err := s.today(ctx, tx, act.OrganisationID)
		if err != nil {
			return err
		}
		if err := in.Validate(today); err != nil {
			return err
		}
		// The number first, before any other lock: its row is the one every
		// request in the organisation takes, so a request holding it never
		// waits for a lock that a request queued on it holds. Taken after
		// the person's row, it deadlocked with a request whose notification
		// to this person (a manager) waited for that row.
		number, err := nextNumber(ctx, tx, act.OrganisationID, today.Year())
		if err != nil {
			return err
		}
		p, err := findPersonRow(ctx, tx, act.OrganisationID, act.PersonID, s.dialect.forUpdate)
		if err != nil {
			return err
		}
		if p.UnitID == "" {
			return distans.Errorf(distans.EINVALID, "Du är inte placerad på någon enhet, så ingen chef kan pröva ansökan.",
				"You are not placed in a unit, so no manager can decide on the request.")
		}
		unit, err := findUnit(ctx, tx, act.OrganisationID, p.UnitID)
		if err != nil {
			return err
		}
		t := now(ctx)
		*a = distans.Agreement{ID: newID(), OrganisationID: act.OrganisationID, Number: number, PersonID: p.ID, PersonName: p.Name,
			UnitID: unit.ID, UnitName: unit.Name, UnitPath: unit.Path, State: distans.AgreementRequested, Version: 1,
			Request: req, PlaceSet: place != "", CreatedAt: t, UpdatedAt: t}
		g := &agreement{Agreement: a, requestPlace: place}
		if err := insertAgreement(ctx, tx, g); err != nil {
			return err
		}
		managers, err := managersOf(ctx, tx, a.OrganisationID, unit.Path, today, p.ID)
		if err != nil {
			return err
		}
		if err := notifyAll(ctx, tx, a, distans.NotifyRequestWaiting, "request_waiting",
			map[string]string{"name": p.Name, "number": number}, managers...); err != nil {
			return err
		}
		return s.audit(ctx, tx, act, a.OrganisationID, "agreement.request", "agreement", a.ID,
			number+": requested remote work from "+day(req.Start)+" to "+day(req.End))
	})
}

// UpdateRequest replaces the request; the employee, until a decision.
func (s *Store) UpdateRequest(ctx context.Context, id string, version int, r *distans.AgreementRequest) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.request_update", who: isAgreementEmployee,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			kept := *r
			if strings.TrimSpace(kept.Place) == "" {
				kept.Place = g.requestPlace // nobody reads the place back to send it again
			}
			if err := kept.Validate(today); err != nil {
				return "", err
			}
			g.Request, g.requestPlace = splitRequest(&kept)
			return "changed the request", nil
		}})
}

// Withdraw takes the request back; the employee, until a decision.
func (s *Store) Withdraw(ctx context.Context, id string, version int) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.withdraw", who: isAgreementEmployee,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			g.State = distans.AgreementWithdrawn
			return "withdrew the request", nil
		}})
}

// SaveAssessment records the manager's assessment before the decision.
func (s *Store) SaveAssessment(ctx context.Context, id string, version int, as *distans.Assessment) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.assess", who: isAgreementManager,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if err := as.Validate(); err != nil {
				return "", err
			}
			c := *as
			c.AssessedBy, c.AssessedName, c.AssessedAt = act.PersonID, act.Name, now(ctx)
			g.Assessment = &c
			g.State = distans.AgreementAssessed
			return "assessed the request", nil
		}})
}

// AnswerRisk records the employee's answers to the risk assessment of the
// home workplace, before the decision; new answers need a new review.
func (s *Store) AnswerRisk(ctx context.Context, id string, version int, answers map[string]distans.RiskAnswer) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.risk_answer", who: isAgreementEmployee,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			r := &distans.RiskAssessment{Answers: answers, AnsweredAt: now(ctx)}
			if err := r.ValidateAnswers(); err != nil {
				return "", err
			}
			g.Risk = r
			return "answered the risk assessment", nil
		}})
}

// ReviewRisk records the manager's review of the answered risk assessment.
func (s *Store) ReviewRisk(ctx context.Context, id string, version int, outcome distans.RiskOutcome, measures string) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.risk_review", who: isAgreementManager,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if g.Risk == nil || len(g.Risk.Answers) == 0 {
				return "", distans.Errorf(distans.ECONFLICT, "Medarbetaren har inte besvarat riskbedömningen än.",
					"The employee has not answered the risk assessment yet.")
			}
			r := *g.Risk
			r.Outcome, r.Measures = outcome, measures
			if err := r.ValidateReview(); err != nil {
				return "", err
			}
			t := now(ctx)
			r.ReviewedBy, r.ReviewedName, r.ReviewedAt = act.PersonID, act.Name, &t
			g.Risk = &r
			return "reviewed the risk assessment: " + string(outcome), nil
		}})
}

// Decide approves (with terms, awaiting signatures) or declines (final).
func (s *Store) Decide(ctx context.Context, id string, version int, d *distans.Decision, terms *distans.Terms,
	findings []distans.AgreementFinding, packVersion int) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.decide", who: isAgreementManager,
		states: agreementUndecided,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if err := d.Validate(); err != nil {
				return "", err
			}
			c := *d
			c.DecidedBy, c.DecidedName, c.DecidedAt = act.PersonID, act.Name, now(ctx)
			summary := "declined the request"
			if c.Approved {
				switch {
				case g.Risk == nil || g.Risk.Outcome == "":
					return "", distans.Errorf(distans.EINVALID,
						"Riskbedömningen av hemarbetsplatsen måste vara granskad innan ansökan kan beviljas (Bjurholm 002 §5).",
						"The risk assessment of the home workplace must be reviewed before the request can be approved (Bjurholm 002 §5).")
				case g.Risk.Outcome == distans.RiskNotAcceptable:
					return "", distans.Errorf(distans.EINVALID,
						"Hemarbetsplatsen är bedömd som inte godtagbar, så ansökan kan inte beviljas (Bjurholm 002 §5).",
						"The home workplace is assessed as not acceptable, so the request cannot be approved (Bjurholm 002 §5).")
				}
				if terms == nil {
					return "", invalid("terms", "Överenskommelsens villkor saknas.", "The terms of the agreement are missing.")
				}
				if err := terms.Validate(); err != nil {
					return "", err
				}
				g.Terms, g.termsPlace = splitTerms(terms)
				g.Findings, g.PackVersion = findings, packVersion
				g.Signatures = nil
				g.State = distans.AgreementAwaitingSignature
				summary = "approved the request"
			} else {
				g.State = distans.AgreementDeclined
			}
			g.Decision = &c
			approved := "false"
			if c.Approved {
				approved = "true"
			}
			// The decision tells the employee that both are to sign; the
			// terms are the manager's to complete first, and the employee is
			// asked to sign once the manager has signed them (Sign), so
			// that one version of the terms is announced once.
			if err := notifyAll(ctx, tx, g.Agreement, distans.NotifyDecisionMade, "decision",
				map[string]string{"approved": approved, "number": g.Number}, g.PersonID); err != nil {
				return "", err
			}
			return summary, nil
		}})
}

// notifySignature tells the party in role that the agreement waits for
// their signature, once for each version of the terms.
func (s *Store) notifySignature(ctx context.Context, tx *sql.Tx, g *agreement, role distans.SignerRole, today time.Time) error {
	recipients := []string{g.PersonID}
	if role == distans.SignerManager {
		var err error
		if recipients, err = managersOf(ctx, tx, g.OrganisationID, g.UnitPath, today, g.PersonID); err != nil {
			return err
		}
	}
	occasion := "signature_needed/" + g.fullTerms().Hash(g.ID, g.PersonID)[:16]
	return notifyAll(ctx, tx, g.Agreement, distans.NotifySignatureNeeded, occasion,
		map[string]string{"number": g.Number, "role": string(role)}, recipients...)
}

// SaveTerms replaces the terms while the agreement awaits signatures and
// voids any signature made on the old ones.
func (s *Store) SaveTerms(ctx context.Context, id string, version int, t *distans.Terms, findings []distans.AgreementFinding,
	packVersion int) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.terms", who: isAgreementManager,
		states: agreementSigning,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if t == nil {
				return "", invalid("terms", "Överenskommelsens villkor saknas.", "The terms of the agreement are missing.")
			}
			if err := t.Validate(); err != nil {
				return "", err
			}
			summary := "saved the terms"
			if n := len(g.Signatures); n > 0 {
				var who []string
				for _, sg := range g.Signatures {
					who = append(who, string(sg.Role))
				}
				summary += "; voided the signatures of " + strings.Join(who, " and ")
			}
			place := g.termsPlace
			g.Terms, g.termsPlace = splitTerms(t)
			if strings.TrimSpace(g.termsPlace) == "" {
				g.termsPlace = place // an empty place keeps the one registered
			}
			g.Findings, g.PackVersion = findings, packVersion
			g.Signatures = nil
			return summary, nil
		}})
}

// Sign records a signature on the current terms: as the employee by the
// person, as the manager by a manager who is not the person. The second
// makes the agreement active. The signature's hash covers the remote
// place, so the store reads it, and audits that read, here.
func (s *Store) Sign(ctx context.Context, id string, version int, sig distans.Signature, nextFollowUp time.Time) (*distans.Agreement, error) {
	who := func(act *distans.Actor, a *distans.Agreement) bool {
		switch sig.Role {
		case distans.SignerEmployee:
			return isAgreementEmployee(act, a)
		case distans.SignerManager:
			return isAgreementManager(act, a)
		}
		return false
	}
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.sign", who: who, states: agreementSigning,
		readsPlace: true,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if g.Terms == nil {
				return "", errAgreementState(g.State)
			}
			if g.Signed(sig.Role) != nil {
				return "", distans.Errorf(distans.ECONFLICT, "Överenskommelsen är redan undertecknad av den parten.",
					"The agreement is already signed by that party.")
			}
			if sig.Hash != g.fullTerms().Hash(g.ID, g.PersonID) {
				return "", distans.Errorf(distans.ECONFLICT,
					"Överenskommelsen har ändrats sedan du läste den. Läs den igen innan du skriver under.",
					"The agreement has changed since you read it. Read it again before you sign.")
			}
			other := distans.SignerManager
			if sig.Role == distans.SignerManager {
				other = distans.SignerEmployee
			}
			last := g.Signed(other) != nil
			if last && nextFollowUp.IsZero() {
				return "", invalid("next_follow_up", "Ange när den första uppföljningen ska göras.", "Give the day of the first follow-up.")
			}
			sig.PersonID, sig.Name = act.PersonID, act.Name
			if sig.At.IsZero() {
				sig.At = now(ctx)
			}
			g.Signatures = append(g.Signatures, sig)
			if !last {
				if err := s.notifySignature(ctx, tx, g, other, today); err != nil {
					return "", err
				}
				return "signed as the " + string(sig.Role), nil
			}
			if nextFollowUp.After(g.Terms.End) {
				return "", errFollowUpAfterEnd()
			}
			nf := nextFollowUp
			g.NextFollowUpOn = &nf
			g.State = distans.AgreementActive
			if err := notifyAll(ctx, tx, g.Agreement, distans.NotifyAgreementActive, "active",
				map[string]string{"number": g.Number}, g.PersonID, g.Signed(distans.SignerManager).PersonID); err != nil {
				return "", err
			}
			return "signed as the " + string(sig.Role) + "; the agreement is active", nil
		}})
}

// AddFollowUp records a follow-up of an active agreement by the manager
// and sets the next one due.
func (s *Store) AddFollowUp(ctx context.Context, id string, version int, f *distans.FollowUp, next time.Time) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.follow_up", who: isAgreementManager,
		states: agreementActive,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if err := f.Validate(today); err != nil {
				return "", err
			}
			// No next follow-up (zero) only when this one is held on the
			// agreement's last day or later: none is left to hold.
			last := g.Terms.End
			switch {
			case next.IsZero() && f.Date.Before(last), !next.IsZero() && !next.After(f.Date):
				return "", invalid("next", "Ange dag för nästa uppföljning, efter den här.", "Give the day of the next follow-up, after this one.")
			case next.After(last):
				return "", errFollowUpAfterEnd()
			}
			f.ID, f.AgreementID = newID(), g.ID
			f.RecordedBy, f.RecordedByName, f.RecordedAt = act.PersonID, act.Name, now(ctx)
			if err := insertFollowUp(ctx, tx, g.OrganisationID, f); err != nil {
				return "", err
			}
			if next.IsZero() {
				g.NextFollowUpOn = nil
				return "recorded the follow-up of " + day(f.Date) + "; none left before the end", nil
			}
			n := next
			g.NextFollowUpOn = &n
			return "recorded the follow-up of " + day(f.Date) + "; next " + day(next), nil
		}})
}

// SaveEvaluation records the evaluation of an active agreement by the manager.
func (s *Store) SaveEvaluation(ctx context.Context, id string, version int, e *distans.Evaluation) (*distans.Agreement, error) {
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.evaluate", who: isAgreementManager,
		states: agreementActive,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if err := e.Validate(today); err != nil {
				return "", err
			}
			c := *e
			c.RecordedBy, c.RecordedByName, c.RecordedAt = act.PersonID, act.Name, now(ctx)
			g.Evaluation = &c
			if c.Continue {
				return "evaluated the agreement, recommending renewal", nil
			}
			return "evaluated the agreement", nil
		}})
}

// Renew opens the renewal of an active agreement whose evaluation
// recommends it: a new case awaiting signatures with the new terms.
func (s *Store) Renew(ctx context.Context, id string, version int, terms *distans.Terms, findings []distans.AgreementFinding,
	packVersion int) (*distans.Agreement, error) {
	var renewal *agreement
	_, err := s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.renew", who: isAgreementManager,
		states: agreementActive,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			if g.RenewedBy != "" {
				return "", distans.Errorf(distans.ECONFLICT, "Överenskommelsen är redan förnyad.", "The agreement is already renewed.")
			}
			if g.Evaluation == nil || !g.Evaluation.Continue {
				return "", distans.Errorf(distans.EINVALID,
					"En förnyelse kräver en utvärdering som rekommenderar fortsatt distansarbete (Bjurholm 002 §12).",
					"A renewal needs an evaluation that recommends continued remote work (Bjurholm 002 §12).")
			}
			if terms == nil {
				return "", invalid("terms", "Överenskommelsens villkor saknas.", "The terms of the agreement are missing.")
			}
			if err := terms.Validate(); err != nil {
				return "", err
			}
			number, err := nextNumber(ctx, tx, g.OrganisationID, today.Year())
			if err != nil {
				return "", err
			}
			t := now(ctx)
			n := &distans.Agreement{ID: newID(), OrganisationID: g.OrganisationID, Number: number, PersonID: g.PersonID,
				PersonName: g.PersonName, UnitID: g.UnitID, UnitName: g.UnitName, UnitPath: g.UnitPath,
				State: distans.AgreementAwaitingSignature, Version: 1, Request: g.Request, Assessment: g.Assessment,
				Risk: g.Risk, Decision: g.Decision, Findings: findings, PackVersion: packVersion, RenewalOf: g.ID,
				CreatedAt: t, UpdatedAt: t}
			renewal = &agreement{Agreement: n, requestPlace: g.requestPlace}
			n.Terms, renewal.termsPlace = splitTerms(terms)
			if err := insertAgreement(ctx, tx, renewal); err != nil {
				return "", err
			}
			g.RenewedBy = n.ID
			if err := s.notifySignature(ctx, tx, renewal, distans.SignerEmployee, today); err != nil {
				return "", err
			}
			return "renewed as " + number, nil
		}})
	if err != nil {
		return nil, err
	}
	return renewal.public(), nil
}

// End ends an active agreement on the day on (today or later, not after its
// last day): the employee at will, the manager after the documented
// dialogue in note. It notifies the other party.
func (s *Store) End(ctx context.Context, id string, version int, reason distans.EndReason, note string, on time.Time) (*distans.Agreement, error) {
	who := func(act *distans.Actor, a *distans.Agreement) bool {
		switch reason {
		case distans.EndByEmployee:
			return isAgreementEmployee(act, a)
		case distans.EndByManager:
			return isAgreementManager(act, a)
		}
		return isAgreementEmployee(act, a) || isAgreementManager(act, a)
	}
	return s.changeAgreement(ctx, id, version, agreementChange{action: "agreement.end", who: who, states: agreementActive,
		apply: func(tx *sql.Tx, act *distans.Actor, g *agreement, today time.Time) (string, error) {
			var v distans.Validation
			switch reason {
			case distans.EndByEmployee:
			case distans.EndByManager:
				v.Required("note", note)
				v.MaxLen("note", note, 4000)
			default:
				v.Add("reason", "Välj skäl: medarbetaren eller chefen avslutar.", "Choose the reason: the employee or the manager ends it.")
			}
			endOn := g.Request.End
			if g.Terms != nil {
				endOn = g.Terms.End
			}
			switch {
			case on.IsZero():
				v.Add("on", "Ange sista dag.", "Give the last day.")
			case on.Before(today):
				v.Add("on", "Sista dagen kan inte ha varit.", "The last day cannot have passed.")
			case on.After(endOn):
				v.Add("on", "Sista dagen kan inte ligga efter överenskommelsens slut.", "The last day cannot be after the agreement's end.")
			}
			if err := v.Err(); err != nil {
				return "", err
			}
			o := on
			g.State, g.EndedOn, g.EndReason, g.EndNote, g.EndedBy = distans.AgreementEnded, &o, reason, note, act.PersonID
			g.NextFollowUpOn = nil // an ended agreement has no follow-up due
			if err := notifyEnded(ctx, tx, g, act.PersonID); err != nil {
				return "", err
			}
			return "ended the agreement on " + day(on) + " (" + string(reason) + ")", nil
		}})
}

func errFollowUpAfterEnd() error {
	return invalid("next", "Nästa uppföljning kan inte ligga efter överenskommelsens sista dag.",
		"The next follow-up cannot fall after the agreement's last day.")
}

// notifyEnded tells the employee and the signing manager, not the actor,
// that the agreement has ended.
func notifyEnded(ctx context.Context, tx *sql.Tx, g *agreement, actorID string) error {
	manager := ""
	if sg := g.Signed(distans.SignerManager); sg != nil {
		manager = sg.PersonID
	}
	// Each party reads why in words of their own ("du har bytt enhet" is
	// for the employee, never for the manager): role names the recipient's part.
	for _, to := range []struct {
		person string
		role   distans.SignerRole
	}{{g.PersonID, distans.SignerEmployee}, {manager, distans.SignerManager}} {
		if to.person == "" || to.person == actorID {
			continue
		}
		params := map[string]string{"reason": string(g.EndReason), "number": g.Number, "name": g.PersonName,
			"role": string(to.role)}
		if g.EndedOn != nil {
			params["date"] = day(*g.EndedOn)
		}
		if err := notifyAll(ctx, tx, g.Agreement, distans.NotifyAgreementEnded, "ended", params, to.person); err != nil {
			return err
		}
	}
	return nil
}
