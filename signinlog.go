package distans

import (
	"context"
	"slices"
	"time"
)

// The sign-in log. Kristianstads kommun, Instruktion för digital
// kommunikation, Inloggning: "Alla aktiviteter i nätverket loggas.
// Loggningsfunktioner används för att spåra obehörig verksamhet och
// intrång", and Kontroll av IT-användning: the data behind the monitoring
// of IT use "gallras efter 90 dagar. Om en utredning påbörjas kommer
// uppgifterna att bevaras så länge utredningen pågår". Sign-ins and failed
// attempts are therefore kept in a log of their own, outside the
// hash-chained audit trail, which can never be disposed of without
// breaking the chain. The audit trail keeps what is decided: a lock, an
// unlock, a password set, a sign-out everywhere.

// SignInOutcome is how an attempt to sign in ended.
type SignInOutcome string

const (
	SignInSucceeded SignInOutcome = "success"
	SignInFailed    SignInOutcome = "failure" // wrong password (a lock that follows is audited)
)

// SignInOutcomes lists the outcomes in the order pages show them.
var SignInOutcomes = []SignInOutcome{SignInSucceeded, SignInFailed}

// Valid reports whether o is a known outcome.
func (o SignInOutcome) Valid() bool { return slices.Contains(SignInOutcomes, o) }

// Label returns the outcome for people to read.
func (o SignInOutcome) Label(lang string) string {
	switch {
	case o == SignInSucceeded && lang == "en":
		return "Signed in"
	case o == SignInSucceeded:
		return "Inloggad"
	case o == SignInFailed && lang == "en":
		return "Failed attempt"
	case o == SignInFailed:
		return "Misslyckat försök"
	}
	return string(o)
}

// SignInMethod is how someone signed in.
type SignInMethod string

const (
	SignInPassword SignInMethod = "password" // e-mail address and password
	SignInSSO      SignInMethod = "sso"      // the organisation's identity provider (OpenID Connect)
	SignInLink     SignInMethod = "link"     // an invitation or a password reset link
)

// Label returns the method for people to read.
func (m SignInMethod) Label(lang string) string {
	l, ok := map[SignInMethod][2]string{
		SignInPassword: {"Lösenord", "Password"},
		SignInSSO:      {"Inloggning via organisationen (SSO)", "The organisation's sign-in (SSO)"},
		SignInLink:     {"Inbjudan eller återställningslänk", "Invitation or reset link"},
	}[m]
	if !ok {
		return string(m)
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// Client is where a request came from, as the server saw it: the address
// of the connection (a reverse proxy's, when there is one) and the
// browser's own description of itself. Only sign-ins keep it.
type Client struct {
	Address   string
	UserAgent string
}

type clientKey struct{}

// WithClient returns a context that carries the client of a request.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the client in ctx; the zero Client when none is set
// (the system, a test, the command line).
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// SignInEvent is one attempt to sign in to the organisation.
type SignInEvent struct {
	ID             string        `json:"id"`
	OrganisationID string        `json:"organisation_id"`
	PersonID       string        `json:"person_id"`
	PersonName     string        `json:"person_name"`
	At             time.Time     `json:"at"`
	Outcome        SignInOutcome `json:"outcome"`
	// Method is empty for a failed attempt: only passwords can fail here
	// (an identity provider refuses on its own side).
	Method    SignInMethod `json:"method,omitempty"`
	Address   string       `json:"address"`
	UserAgent string       `json:"user_agent"`
}

// SignInFilter narrows ListSignInEvents. Events come newest first; After
// is the cursor a previous page returned.
type SignInFilter struct {
	PersonID string
	Outcome  SignInOutcome
	From, To time.Time // From included, To not; zero for no bound
	After    string
	Limit    int
}

// SignInLog reads the sign-in log. Whoever SeesAudit reads the
// organisation's; everyone reads their own (PersonID set to themselves);
// anything else is EFORBIDDEN. It returns the cursor of the next page, or
// "" at the end. A bad cursor or filter is EINVALID. The log is disposed
// of as DisposeAccessLog says.
type SignInLog interface {
	ListSignInEvents(ctx context.Context, f SignInFilter) ([]*SignInEvent, string, error)
}
