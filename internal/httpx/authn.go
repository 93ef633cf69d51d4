package httpx

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/distans/distans"
)

// Cookie names. The session cookie is HttpOnly and SameSite=Lax; the CSRF
// cookie carries the token for forms shown before anyone has signed in.
const (
	SessionCookie = "distans_session"
	CSRFCookie    = "distans_csrf"
	CSRFField     = "csrf_token"
	CSRFHeader    = "X-CSRF-Token"
)

type sessionKey struct{}
type tokenKey struct{}

// SessionFrom returns the session of a browser request, or nil.
func SessionFrom(ctx context.Context) *distans.Session {
	s, _ := ctx.Value(sessionKey{}).(*distans.Session)
	return s
}

// SessionTokenFrom returns the raw session token of a browser request, for
// signing out, or "".
func SessionTokenFrom(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey{}).(string)
	return t
}

// Authenticate puts the actor of a valid session cookie or bearer token in
// the request context. A request without credentials passes on with no
// actor; handlers that need one say so with RequireActor. An invalid bearer
// token is refused at once, since an integration should hear about it.
func Authenticate(signin distans.SignInService) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if IsDrift(r.URL.Path) {
				// The installation's pages know only operators
				// (AuthenticateOperator).
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			if h := r.Header.Get("Authorization"); h != "" {
				token, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					WriteError(w, r, nil, unauthorized())
					return
				}
				actor, err := signin.AuthenticateAPIToken(ctx, strings.TrimSpace(token))
				if err != nil {
					WriteError(w, r, nil, unauthorized())
					return
				}
				ctx = distans.NewContext(ctx, actor)
			} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				if actor, sess, err := signin.Authenticate(ctx, c.Value); err == nil {
					ctx = distans.NewContext(ctx, actor)
					ctx = context.WithValue(ctx, sessionKey{}, sess)
					ctx = context.WithValue(ctx, tokenKey{}, c.Value)
				}
			}
			if a := distans.ActorFrom(ctx); a != nil {
				ctx = context.WithValue(ctx, langKey{}, a.Language)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func unauthorized() error {
	return distans.Errorf(distans.EUNAUTHORIZED, "Du är inte inloggad, eller så har inloggningen gått ut.", "You are not signed in, or your session has expired.")
}

// SetSessionCookie sets the session cookie; secure marks it Secure, which
// every deployment behind HTTPS must have.
func SetSessionCookie(w http.ResponseWriter, token string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// WithCSRFKey gives the requests below it the server's key for the
// pre-session CSRF tokens (see CSRFToken). Every instance that serves the
// same site must have the same key.
func WithCSRFKey(key []byte) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), csrfKeyKey{}, key)))
		})
	}
}

type csrfKeyKey struct{}

// preSessionToken is the form token that belongs to the pre-session cookie
// value c: an HMAC of it under the server's key. Whoever can set a cookie in
// the browser (a sibling subdomain, a network attacker on plain HTTP) can
// choose c but cannot compute its token, so an attacker-chosen cookie and
// field never pass together. Without a key there is no valid token.
func preSessionToken(r *http.Request, c string) string {
	key, _ := r.Context().Value(csrfKeyKey{}).([]byte)
	if len(key) == 0 || c == "" {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("distans pre-session csrf v1\x00"))
	m.Write([]byte(c))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CSRFToken returns the token a form must carry: the session's when signed
// in, otherwise the one bound to the pre-session cookie, which it sets when
// missing.
func CSRFToken(w http.ResponseWriter, r *http.Request, secure bool) string {
	if s := SessionFrom(r.Context()); s != nil {
		return s.CSRFToken
	}
	if s := OperatorSessionFrom(r.Context()); s != nil {
		return s.CSRFToken
	}
	if c, err := r.Cookie(CSRFCookie); err == nil && len(c.Value) >= 32 {
		return preSessionToken(r, c.Value)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	t := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: t, Path: "/", HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode})
	// Let a page rendered in the same request see it as well.
	r.AddCookie(&http.Cookie{Name: CSRFCookie, Value: t})
	return preSessionToken(r, t)
}

// Why a state-changing request was refused by CSRF; the pages answer each
// in its own words.
var (
	// ErrCrossOrigin: the browser says the request came from another site.
	ErrCrossOrigin = distans.Errorf(distans.EFORBIDDEN,
		"Begäran kom från en annan webbplats och har inte utförts.",
		"The request came from another site and was not carried out.")
	// ErrCSRF: the form's token is missing or wrong (a page open from
	// before a restart, or a forged form).
	ErrCSRF = distans.Errorf(distans.EFORBIDDEN,
		"Formuläret kunde inte verifieras, så det har inte skickats. Ladda om sidan och försök igen.",
		"The form could not be verified, so it was not sent. Reload the page and try again.")
	// ErrSessionEnded: the browser still has a session cookie, but the
	// session it names has ended (it expired or was signed out), so the
	// form's token belongs to a session that is gone.
	ErrSessionEnded = distans.Errorf(distans.EFORBIDDEN,
		"Din inloggning har gått ut, så formuläret har inte skickats. Logga in igen och skicka det på nytt.",
		"Your session has ended, so the form was not sent. Sign in again and send it once more.")
)

// CSRF refuses state-changing browser requests that are cross-origin (by the
// Fetch metadata headers, http.CrossOriginProtection) or that lack the
// form's token, and calls fail with ErrCrossOrigin, ErrSessionEnded or
// ErrCSRF. Requests with a bearer token, and API requests without a session,
// carry no ambient credentials and are exempt from the token check.
func CSRF(fail ErrorFunc) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fail(w, r, ErrCrossOrigin) }))
	return func(next http.Handler) http.Handler {
		check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				next.ServeHTTP(w, r)
				return
			}
			// A bearer token is no ambient credential, and an API request
			// without a session carries none: the API answers 401 itself.
			if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") ||
				(strings.HasPrefix(r.URL.Path, "/api/") && SessionFrom(r.Context()) == nil) {
				next.ServeHTTP(w, r)
				return
			}
			want := ""
			sessionCookie := SessionCookie
			if IsDrift(r.URL.Path) {
				sessionCookie = OperatorCookie
			}
			if s := SessionFrom(r.Context()); s != nil {
				want = s.CSRFToken
			} else if s := OperatorSessionFrom(r.Context()); s != nil {
				want = s.CSRFToken
			} else if c, err := r.Cookie(CSRFCookie); err == nil {
				want = preSessionToken(r, c.Value)
			}
			got := r.Header.Get(CSRFHeader)
			if got == "" {
				got = formValue(r, CSRFField)
			}
			if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && SessionFrom(r.Context()) == nil &&
					OperatorSessionFrom(r.Context()) == nil {
					fail(w, r, ErrSessionEnded)
					return
				}
				fail(w, r, ErrCSRF)
				return
			}
			next.ServeHTTP(w, r)
		})
		return cop.Handler(check)
	}
}

// formValue reads one field of a urlencoded or multipart form, bounded by
// MaxBodyBytes; handlers read the same parsed form afterwards.
func formValue(r *http.Request, name string) string {
	if r.Form == nil {
		r.Body = http.MaxBytesReader(nil, r.Body, MaxBodyBytes)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			_ = r.ParseMultipartForm(MaxBodyBytes)
		} else {
			_ = r.ParseForm()
		}
	}
	return r.PostFormValue(name)
}

// The installation's pages (/drift) have a session of their own, kept
// apart from every organisation's: its own cookie, sent only under /drift,
// its own table and its own CSRF token. Under /drift an organisation's
// session or API token counts for nothing, and an operator's session
// counts nowhere else.
const (
	OperatorCookie = "distans_drift"
	DriftPath      = "/drift"
)

// IsDrift reports whether path is one of the installation's pages.
func IsDrift(path string) bool { return path == DriftPath || strings.HasPrefix(path, DriftPath+"/") }

// OperatorAuthenticator authenticates an operator's session token;
// distans.InstallationService is one.
type OperatorAuthenticator interface {
	Authenticate(ctx context.Context, token string) (*distans.Actor, *distans.OperatorSession, error)
}

type operatorSessionKey struct{}

// OperatorSessionFrom returns the operator's session of a /drift request,
// or nil.
func OperatorSessionFrom(ctx context.Context) *distans.OperatorSession {
	s, _ := ctx.Value(operatorSessionKey{}).(*distans.OperatorSession)
	return s
}

// AuthenticateOperator puts the operator of a valid operator cookie in the
// context of a /drift request; Authenticate leaves those requests alone.
// ops may be nil: then nobody is an operator.
func AuthenticateOperator(ops OperatorAuthenticator) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !IsDrift(r.URL.Path) || ops == nil {
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			if c, err := r.Cookie(OperatorCookie); err == nil && c.Value != "" {
				if actor, sess, err := ops.Authenticate(ctx, c.Value); err == nil {
					ctx = distans.NewContext(ctx, actor)
					ctx = context.WithValue(ctx, operatorSessionKey{}, sess)
					ctx = context.WithValue(ctx, tokenKey{}, c.Value)
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// SetOperatorCookie sets the operator's session cookie: only under /drift,
// and SameSite=Strict, as nothing outside links into a signed-in console.
func SetOperatorCookie(w http.ResponseWriter, token string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: OperatorCookie, Value: token, Path: DriftPath, Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// ClearOperatorCookie removes it.
func ClearOperatorCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: OperatorCookie, Value: "", Path: DriftPath, MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}
