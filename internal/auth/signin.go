package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/secret"
)

// SignIn checks an e-mail address and password. The same address may belong
// to people in several organisations (a municipality and its companies);
// when the password fits more than one and orgSlug is empty, the result
// lists the organisations to choose between and the page asks again with
// the chosen slug.
//
// Every attempt costs at least one argon2id verification, also when no
// account has the address, so that the response time does not tell whether
// an address is known. A locked account's password is not checked at all:
// guessing goes on only after the lock ends. A locked account is answered
// exactly as a wrong password (the message says that repeated failures
// lock an account), so that locking out an address does not tell an
// attacker it exists.
func (s *Service) SignIn(ctx context.Context, email, password, orgSlug string) (*distans.SignInResult, error) {
	email = distans.NormalizeEmail(email)
	now := s.clock(ctx)
	var accounts []*distans.Account
	if email != "" && len(password) <= 4*MaxPasswordLength {
		all, err := s.accounts.FindAccounts(system(ctx, ""), email)
		if err != nil && distans.ErrorCode(err) != distans.ENOTFOUND {
			return nil, fmt.Errorf("auth: find accounts: %w", err)
		}
		for _, a := range all {
			if orgSlug == "" || a.OrgSlug == orgSlug {
				accounts = append(accounts, a)
			}
		}
	}

	var matches, ended, locked, failed []*distans.Account
	verified := false
	for _, a := range accounts {
		if a.LockedUntil != nil && now.Before(*a.LockedUntil) {
			locked = append(locked, a)
			continue
		}
		if a.PasswordHash == "" {
			// Single sign-on only: no password can fit. Still counted, so
			// that guessing at such an account locks it like any other.
			failed = append(failed, a)
			continue
		}
		ok, err := CheckPassword(a.PasswordHash, password)
		verified = true
		if err != nil {
			s.log.ErrorContext(ctx, "malformed password hash", "organisation_id", a.OrganisationID, "person_id", a.PersonID, "err", err)
		}
		switch {
		case ok && a.Ended:
			ended = append(ended, a)
		case ok:
			matches = append(matches, a)
		default:
			failed = append(failed, a)
		}
	}
	if !verified {
		s.dummyCheck(password)
	}

	switch {
	case len(matches) > 1 && orgSlug == "":
		s.log.InfoContext(ctx, "sign-in: choose organisation", "accounts", len(matches))
		return &distans.SignInResult{Choices: matches}, nil
	case len(matches) >= 1:
		a := matches[0]
		res, err := s.newSession(ctx, a, distans.SignInPassword)
		if err != nil {
			return nil, err
		}
		s.log.InfoContext(ctx, "sign-in", "method", "password", "organisation_id", a.OrganisationID, "person_id", a.PersonID)
		return res, nil
	case len(ended) > 0:
		a := ended[0]
		s.log.InfoContext(ctx, "sign-in refused: employment ended", "organisation_id", a.OrganisationID, "person_id", a.PersonID)
		return nil, errEnded(a.OrgName)
	}

	// Nothing fitted: count a failure on every account the attempt could
	// have been for, and lock those that reach their organisation's limit.
	for _, a := range failed {
		p, err := s.passwordPolicy(ctx, a.OrganisationID)
		if err != nil {
			return nil, err
		}
		until := now.Add(time.Duration(p.LockoutMinutes) * time.Minute).UTC()
		nowLocked, err := s.accounts.RecordSignInFailure(system(ctx, a.OrganisationID), a.OrganisationID, a.PersonID, p.MaxFailures, now, until)
		if err != nil {
			return nil, fmt.Errorf("auth: record failure: %w", err)
		}
		s.log.WarnContext(ctx, "sign-in failed", "reason", "password", "organisation_id", a.OrganisationID, "person_id", a.PersonID, "locked", nowLocked)
	}
	for _, a := range locked {
		s.log.WarnContext(ctx, "sign-in refused: locked", "organisation_id", a.OrganisationID, "person_id", a.PersonID, "locked_until", a.LockedUntil)
	}
	if len(accounts) == 0 {
		// The address is logged hashed: it may be a typo of a real address
		// or a password typed in the wrong field.
		sum := sha256.Sum256([]byte(email))
		s.log.WarnContext(ctx, "sign-in failed", "reason", "unknown e-mail", "email_sha256", hex.EncodeToString(sum[:8]))
	}
	return nil, errBadCredentials()
}

// dummyCheck spends the time of one verification, for attempts where no
// real hash was checked.
func (s *Service) dummyCheck(password string) {
	s.dummyOnce.Do(func() {
		pw, _ := secret.New(16)
		s.dummy, _ = HashPassword(pw)
	})
	_, _ = CheckPassword(s.dummy, password)
}

// Parameters of a policy pack that sign-in reads (Kristianstad 003,
// Lösenord). The pack is the one place an organisation sets them; where
// its pack has none, distans.DefaultPasswordPolicy holds.
const (
	MinLengthParam      = "password_min_length"       // characters, never below the default's eight
	MaxFailuresParam    = "password_lockout_attempts" // failed sign-ins before the account locks
	LockoutMinutesParam = "password_lockout_minutes"  // how long a lock lasts unless HR or IT unlocks sooner
	HistoryParam        = "password_history_count"    // earlier passwords that may not come back
)

// passwordPolicy is the password policy of the organisation orgID: the
// parameters of its active policy pack, and distans.DefaultPasswordPolicy
// for any the pack does not have (or without Config.Packs).
func (s *Service) passwordPolicy(ctx context.Context, orgID string) (distans.PasswordPolicy, error) {
	p := distans.DefaultPasswordPolicy
	if s.packs == nil {
		return p, nil
	}
	pack, _, err := s.packs.Active(system(ctx, orgID))
	if err != nil {
		return p, fmt.Errorf("auth: policy pack: %w", err)
	}
	for _, x := range []struct {
		dst   *int
		name  string
		least int
	}{
		{&p.MinLength, MinLengthParam, distans.DefaultPasswordPolicy.MinLength},
		{&p.MaxFailures, MaxFailuresParam, 1},
		{&p.LockoutMinutes, LockoutMinutesParam, 1},
		{&p.HistoryCount, HistoryParam, 0},
	} {
		if v, ok := pack.Int(x.name); ok && v >= int64(x.least) {
			*x.dst = int(v)
		}
	}
	return p, nil
}
