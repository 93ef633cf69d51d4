package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/distans/distans"
)

// TestRetryAborted: a transaction that PostgreSQL aborted as a deadlock
// victim or for a serialization failure runs again, a bounded number of
// times, and ends as ECONFLICT, never as an internal error; every other
// outcome is returned at once.
func TestRetryAborted(t *testing.T) {
	t.Parallel()
	deadlock := &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
	serialization := &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
	unique := &pgconn.PgError{Code: "23505", Message: "duplicate key"}
	other := errors.New("disk on fire")
	for _, tc := range []struct {
		name      string
		errs      []error // what each attempt returns; nil after the list
		wantCalls int
		wantCode  string
		wantErr   error
	}{
		{"success", nil, 1, "", nil},
		{"deadlock once", []error{deadlock}, 2, "", nil},
		{"serialization twice", []error{serialization, serialization}, 3, "", nil},
		{"wrapped deadlock", []error{fmt.Errorf("insert: %w", deadlock)}, 2, "", nil},
		{"deadlock every time", []error{deadlock, deadlock, deadlock, deadlock, deadlock, deadlock}, 5, distans.ECONFLICT, nil},
		{"unique violation", []error{unique}, 1, distans.EINTERNAL, unique},
		{"other error", []error{other}, 1, distans.EINTERNAL, other},
		{"domain error", []error{distans.Forbidden()}, 1, distans.EFORBIDDEN, nil},
		{"deadlock then other", []error{deadlock, other}, 2, distans.EINTERNAL, other},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := retryAborted(context.Background(), 5, func() error {
				calls++
				if calls <= len(tc.errs) {
					return tc.errs[calls-1]
				}
				return nil
			})
			if calls != tc.wantCalls {
				t.Errorf("fn ran %d times, want %d", calls, tc.wantCalls)
			}
			if code := distans.ErrorCode(err); (err == nil) != (tc.wantCode == "") || (err != nil && code != tc.wantCode) {
				t.Errorf("err = %v (code %q), want code %q", err, code, tc.wantCode)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("err = %v, want %v itself", err, tc.wantErr)
			}
		})
	}
}
