// Package distans is the domain of Distans: the organisations, units, sites,
// people, roles, sessions and audit events that every other package works
// with, the service interfaces that the stores implement, and the error type
// that carries a code and a message for the user. It imports only the
// standard library so that every other package can depend on it.
package distans

import (
	"context"
	"time"
)

// Version is set at build time with -ldflags "-X github.com/distans/distans.Version=…".
var Version = "dev"

// Now is the wall clock, in UTC. Only the places that start a request or a
// job round read it (and pass it on with WithNow); everything they call reads
// NowFrom, so that one request sees one instant and tests can set it.
func Now() time.Time { return time.Now().UTC() }

type nowKey struct{}

// WithNow returns a copy of ctx in which it is t: NowFrom(ctx) returns t
// for the rest of the request or job round that carries ctx.
func WithNow(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, nowKey{}, t.UTC())
}

// NowFrom returns the instant the request or job round of ctx runs at, as
// set by WithNow, or the wall clock when none was set.
func NowFrom(ctx context.Context) time.Time {
	if t, ok := ctx.Value(nowKey{}).(time.Time); ok {
		return t
	}
	return Now()
}

// Today returns the calendar day on which the instant now falls in loc, as
// midnight UTC of that day (the form every date in Distans takes). It is the
// one place that turns an instant into "today"; callers give it the
// organisation's zone (Organisation.Today), never the server's.
func Today(now time.Time, loc *time.Location) time.Time {
	return DateOf(now.In(loc))
}
