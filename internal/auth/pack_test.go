package auth

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
)

// TestPackSetsPasswordPolicy: sign-in follows the parameters of the
// organisation's policy pack, Kristianstad's seed pack here. For each
// parameter, the behaviour at the document's value and after HR changes it
// in the pack differ as the parameter says.
func TestPackSetsPasswordPolicy(t *testing.T) {
	t.Parallel()
	seed, err := policy.SeedYAML("kristianstad")
	if err != nil {
		t.Fatal(err)
	}
	// withValue is the seed pack as version 2 with the parameter's value set.
	withValue := func(name string, v int) string {
		src := strings.Replace(string(seed), "version: 1\n", "version: 2\n", 1)
		i := strings.Index(src, "  - name: "+name+"\n")
		j := strings.Index(src[i:], "    default: ")
		k := strings.Index(src[i+j:], "\n")
		at := i + j + k + 1
		return src[:at] + "    value: " + strconv.Itoa(v) + "\n" + src[at:]
	}
	const email = "bo.ek@kristianstad.se"
	for _, tc := range []struct {
		param string
		value int
		// check runs once at the document's value (changed false) and once
		// after the change.
		check func(t *testing.T, f *fixture, o *distans.Organisation, changed bool)
	}{
		{MinLengthParam, 12, func(t *testing.T, f *fixture, o *distans.Organisation, changed bool) {
			ctx := f.as(f.signIn(email, "rätt-lösenord", ""))
			err := f.svc.ChangePassword(ctx, "rätt-lösenord", "tio-tecken")
			if !changed {
				if err != nil {
					t.Fatalf("a ten-character password at length 8: %v", err)
				}
				return
			}
			wantCode(t, err, distans.EINVALID, "minst 12 tecken")
		}},
		{MaxFailuresParam, 3, func(t *testing.T, f *fixture, o *distans.Organisation, changed bool) {
			for range 3 {
				_, _ = f.svc.SignIn(f.ctx, email, "fel-lösenord", "")
			}
			_, err := f.svc.SignIn(f.ctx, email, "rätt-lösenord", "")
			if !changed {
				if err != nil {
					t.Fatalf("locked after three failures at five: %v", err)
				}
				return
			}
			wantCode(t, err, distans.EUNAUTHORIZED, "") // a lock answers as a wrong password; the right one refused is the lock
		}},
		{LockoutMinutesParam, 60, func(t *testing.T, f *fixture, o *distans.Organisation, changed bool) {
			for range 5 {
				_, _ = f.svc.SignIn(f.ctx, email, "fel-lösenord", "")
			}
			f.clock.Add(20 * time.Minute)
			_, err := f.svc.SignIn(f.ctx, email, "rätt-lösenord", "")
			if !changed {
				if err != nil {
					t.Fatalf("still locked after 20 minutes at 15: %v", err)
				}
				return
			}
			wantCode(t, err, distans.EUNAUTHORIZED, "") // a lock answers as a wrong password; the right one refused is the lock
		}},
		{HistoryParam, 0, func(t *testing.T, f *fixture, o *distans.Organisation, changed bool) {
			ctx := f.as(f.signIn(email, "rätt-lösenord", ""))
			if err := f.svc.ChangePassword(ctx, "rätt-lösenord", "nytt-lösenord"); err != nil {
				t.Fatal(err)
			}
			err := f.svc.ChangePassword(ctx, "nytt-lösenord", "rätt-lösenord")
			if !changed {
				wantCode(t, err, distans.EINVALID, "använt det här lösenordet tidigare")
				return
			}
			if err != nil {
				t.Fatalf("an earlier password with no history kept: %v", err)
			}
		}},
	} {
		t.Run(tc.param, func(t *testing.T) {
			t.Parallel()
			for _, changed := range []bool{false, true} {
				f := newFixture(t)
				o, root := f.org("kristianstad", distans.PasswordPolicy{})
				f.person(o, root, "Bo Ek", email, "rätt-lösenord")
				if err := f.st.SavePolicyVersion(f.sys(o.ID), 0, &distans.PolicyVersion{Source: string(seed)}); err != nil {
					t.Fatal(err)
				}
				if changed {
					if err := f.st.SavePolicyVersion(f.sys(o.ID), 1, &distans.PolicyVersion{Source: withValue(tc.param, tc.value), Reason: "Ändrat"}); err != nil {
						t.Fatal(err)
					}
				}
				tc.check(t, f, o, changed)
			}
		})
	}
}
