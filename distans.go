// Package distans is the domain of Distans: the organisations, units, sites,
// people, roles, sessions and audit events that every other package works
// with, the service interfaces that the stores implement, and the error type
// that carries a code and a message for the user. It imports only the
// standard library so that every other package can depend on it.
package distans

import "time"

// Version is set at build time with -ldflags "-X github.com/distans/distans.Version=…".
var Version = "dev"

// Now is the clock the domain uses; tests never replace it, they pass times
// explicitly instead.
func Now() time.Time { return time.Now().UTC() }
