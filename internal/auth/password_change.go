package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/distans/distans"
)

// ChangePassword is the signed-in person changing their own password. The
// current password must be given, and a wrong one counts as a failed
// sign-in, so a borrowed or stolen session cannot be used to guess it.
//
// The store's SetPasswordHash ends every session of the person, this one
// included: after a change you sign in again with the new password. That is
// simple to explain and is what Kristianstad 003 asks for when a password may
// be known to someone else ("bytas omedelbart vid misstanke"): whoever knew
// the old one is signed out too.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	acc, p, err := s.checkOwnPassword(ctx, current, "current_password",
		"Det nuvarande lösenordet stämmer inte.", "The current password is wrong.")
	if err != nil {
		return err
	}
	if err := s.setPassword(ctx, acc, p, next); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "password changed", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
	return nil
}

// Reauthenticate checks the signed-in person's password again, for a
// signature. Like ChangePassword, a wrong password counts as a failed
// sign-in, and a locked account is refused whatever the password.
func (s *Service) Reauthenticate(ctx context.Context, password string) error {
	acc, _, err := s.checkOwnPassword(ctx, password, "password",
		"Lösenordet stämmer inte. Ange ditt lösenord för att skriva under.", "The password is wrong. Give your password to sign.")
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "re-authenticated", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
	return nil
}

// checkOwnPassword verifies the actor's own password. A wrong one, or any
// password for an account without one (single sign-on only) or a locked
// account, records a failure and is EINVALID on field with the message.
func (s *Service) checkOwnPassword(ctx context.Context, password, field, sv, en string) (*distans.Account, distans.PasswordPolicy, error) {
	a, err := person(ctx)
	if err != nil {
		return nil, distans.PasswordPolicy{}, err
	}
	sctx := system(ctx, a.OrganisationID)
	acc, err := s.accounts.FindAccount(sctx, a.OrganisationID, a.PersonID)
	if err != nil {
		return nil, distans.PasswordPolicy{}, fmt.Errorf("auth: find account: %w", err)
	}
	org, err := s.orgs.FindOrganisationByID(sctx, a.OrganisationID)
	if err != nil {
		return nil, distans.PasswordPolicy{}, fmt.Errorf("auth: find organisation: %w", err)
	}
	p, err := s.passwordPolicy(ctx, a.OrganisationID)
	if err != nil {
		return nil, p, err
	}
	now := s.clock(ctx)
	if acc.LockedUntil != nil && now.Before(*acc.LockedUntil) {
		return nil, p, errLocked(*acc.LockedUntil, org.Location(), now)
	}
	ok := false
	if acc.PasswordHash != "" && len(password) <= 4*MaxPasswordLength {
		if ok, err = CheckPassword(acc.PasswordHash, password); err != nil {
			s.log.ErrorContext(ctx, "malformed password hash", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID, "err", err)
		}
	} else {
		s.dummyCheck(password)
	}
	if !ok {
		until := now.Add(time.Duration(p.LockoutMinutes) * time.Minute).UTC()
		if _, err := s.accounts.RecordSignInFailure(sctx, acc.OrganisationID, acc.PersonID, p.MaxFailures, now, until); err != nil {
			return nil, p, fmt.Errorf("auth: record failure: %w", err)
		}
		s.log.WarnContext(ctx, "password check failed", "field", field, "organisation_id", acc.OrganisationID, "person_id", acc.PersonID)
		var v distans.Validation
		v.Add(field, sv, en)
		return nil, p, v.Err()
	}
	return acc, p, nil
}

// SetPassword is HR or an administrator giving someone a new password, for
// example when they have forgotten theirs (Actor.SetsPasswordOf); a person
// the caller cannot see is ENOTFOUND. The account is unlocked and every
// session of the person ends.
func (s *Service) SetPassword(ctx context.Context, personID, next string) error {
	acc, p, err := s.managedAccount(ctx, personID, (*distans.Actor).SetsPasswordOf)
	if err != nil {
		return err
	}
	if err := s.setPassword(ctx, acc, p, next); err != nil {
		return err
	}
	a := distans.ActorFrom(ctx)
	s.log.InfoContext(ctx, "password set", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID, "by", a.PersonID)
	return nil
}

// UnlockAccount lifts a lock before its time, for HR, an administrator or
// IT support (Actor.UnlocksAccountOf), whom the lock message names.
func (s *Service) UnlockAccount(ctx context.Context, personID string) error {
	acc, _, err := s.managedAccount(ctx, personID, (*distans.Actor).UnlocksAccountOf)
	if err != nil {
		return err
	}
	if err := s.accounts.UnlockAccount(system(ctx, acc.OrganisationID), acc.OrganisationID, acc.PersonID); err != nil {
		return fmt.Errorf("auth: unlock: %w", err)
	}
	a := distans.ActorFrom(ctx)
	s.log.InfoContext(ctx, "account unlocked", "organisation_id", acc.OrganisationID, "person_id", acc.PersonID, "by", a.PersonID)
	return nil
}

// managedAccount returns the account of a person whose sign-in the actor
// in ctx may manage as may says, with the organisation's password policy.
func (s *Service) managedAccount(ctx context.Context, personID string,
	may func(a *distans.Actor, personID, unitPath string) bool) (*distans.Account, distans.PasswordPolicy, error) {
	a, err := person(ctx)
	if err != nil {
		return nil, distans.PasswordPolicy{}, err
	}
	// FindPerson runs as the actor: someone outside their view is not found.
	pp, err := s.people.FindPerson(ctx, personID)
	if err != nil {
		return nil, distans.PasswordPolicy{}, err
	}
	if !may(a, pp.ID, pp.UnitPath) {
		return nil, distans.PasswordPolicy{}, distans.Forbidden()
	}
	sctx := system(ctx, a.OrganisationID)
	acc, err := s.accounts.FindAccount(sctx, a.OrganisationID, pp.ID)
	if err != nil {
		return nil, distans.PasswordPolicy{}, fmt.Errorf("auth: find account: %w", err)
	}
	p, err := s.passwordPolicy(ctx, a.OrganisationID)
	if err != nil {
		return nil, p, err
	}
	return acc, p, nil
}

// setPassword checks next against the policy, the history and the person's
// name, and stores its hash.
func (s *Service) setPassword(ctx context.Context, acc *distans.Account, p distans.PasswordPolicy, next string) error {
	hash, err := s.newPasswordHash(ctx, acc, p, next)
	if err != nil {
		return err
	}
	if err := s.accounts.SetPasswordHash(system(ctx, acc.OrganisationID), acc.OrganisationID, acc.PersonID, hash); err != nil {
		return fmt.Errorf("auth: set password: %w", err)
	}
	return nil
}

// newPasswordHash checks next against the organisation's policy p, the
// person's history and their name, and returns its hash: the one check
// every way of setting a password goes through.
func (s *Service) newPasswordHash(ctx context.Context, acc *distans.Account, p distans.PasswordPolicy, next string) (string, error) {
	// The current hash plus HistoryCount earlier ones may not come back.
	history, err := s.accounts.PasswordHistory(system(ctx, acc.OrganisationID), acc.OrganisationID, acc.PersonID, p.HistoryCount+1)
	if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
		return "", fmt.Errorf("auth: password history: %w", err)
	}
	if err := CheckPolicy(p, next, history); err != nil {
		return "", err
	}
	if err := checkPersonal(acc, next); err != nil {
		return "", err
	}
	return HashPassword(next)
}
