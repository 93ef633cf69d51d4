package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/distans/distans"
)

// args collects the arguments of a query and hands out their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// limitRows is a LIMIT clause of n rows, written into the statement's text.
// A LIMIT given as a parameter SQLite reads when it plans the statement, and
// so plans the statement afresh every time it is bound: a directory search
// planned its page of seven joins each time, a tenth of its CPU. The
// limits are few (page sizes, batches), and so are the texts.
func limitRows(n int) string { return " LIMIT " + strconv.Itoa(n) }

// actorIn returns the actor in ctx, who must belong to an organisation:
// EUNAUTHORIZED when nobody is signed in. The system actor must name the
// organisation it works in.
func actorIn(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, errUnauthorized()
	}
	return a, nil
}

func errUnauthorized() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
}

// pathRange returns the half-open range of materialised paths in the
// subtree rooted at path ("/a/b/"): every path p with lo <= p < hi. Paths
// hold only hexadecimal digits, hyphens and slashes, and '0' follows '/'.
// Both databases compare them byte-wise (PostgreSQL through COLLATE "C"),
// so the range is an index range on either.
func pathRange(path string) (lo, hi string) {
	return path, strings.TrimSuffix(path, "/") + "0"
}

// inSubtree returns the SQL condition "col is in the subtree of path".
func inSubtree(a *args, col, path string) string {
	lo, hi := pathRange(path)
	return "(" + col + " >= " + a.add(lo) + " AND " + col + " < " + a.add(hi) + ")"
}

// scopeSQL is the one place a Scope becomes SQL: a condition on the
// unit-path column col that holds for records inside the scope. All gives
// "TRUE" (1 = 1), no scope "1 = 0".
func scopeSQL(a *args, col string, s distans.Scope) string {
	switch {
	case s.All:
		return "1 = 1"
	case len(s.UnitPaths) == 0:
		return "1 = 0"
	}
	parts := make([]string, len(s.UnitPaths))
	for i, p := range s.UnitPaths {
		parts[i] = inSubtree(a, col, p)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}
