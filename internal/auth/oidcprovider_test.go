package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/distans/distans/internal/secret"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// testOP is a real OpenID provider (zitadel's pkg/op) served in-process
// over plain HTTP, with an in-memory storage and a login page that signs in
// whoever the test names in User, without asking.
type testOP struct {
	URL          string
	ClientID     string
	ClientSecret string

	mu     sync.Mutex
	user   testUser
	reqs   map[string]*testAuthRequest
	codes  map[string]string // code → request id
	key    *rsa.PrivateKey
	redirs []string
}

// testUser is who the provider's login page signs in.
type testUser struct {
	Subject        string
	Email          string
	EmailVerified  bool
	EmployeeNumber string // sent as the claim "employee_number"
}

// newTestOP starts a provider that accepts redirects to redirectURL.
func newTestOP(t *testing.T, redirectURL string) *testOP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := &testOP{
		ClientID:     "distans",
		ClientSecret: "hemligt",
		reqs:         map[string]*testAuthRequest{},
		codes:        map[string]string{},
		key:          key,
		redirs:       []string{redirectURL},
	}
	var handler http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	s.URL = srv.URL

	var cryptoKey [32]byte
	_, _ = rand.Read(cryptoKey[:])
	provider, err := op.NewOpenIDProvider(srv.URL, &op.Config{CryptoKey: cryptoKey, CodeMethodS256: true}, s,
		op.WithAllowInsecure(), op.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", provider)
	// The login page: mark the request as authenticated as s.user and send
	// the browser back to the provider, which redirects to the client.
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		s.mu.Lock()
		req, ok := s.reqs[id]
		if ok {
			req.subject, req.done, req.authTime = s.user.Subject, true, time.Now()
		}
		s.mu.Unlock()
		if !ok {
			http.Error(w, "unknown request", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, srv.URL+"/authorize/callback?id="+id, http.StatusFound)
	})
	handler = mux
	return s
}

// SetUser sets who the next login signs in as.
func (s *testOP) SetUser(u testUser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user = u
}

// authorize follows authURL through the provider's login and returns the
// redirect to the client's callback, without following it.
func authorize(t *testing.T, authURL, redirectURL string) (code, state string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme+"://"+req.URL.Host+req.URL.Path == redirectURL {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d, want a redirect to the callback", resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if e := q.Get("error"); e != "" {
		t.Fatalf("provider error %s: %s", e, q.Get("error_description"))
	}
	return q.Get("code"), q.Get("state")
}

// testAuthRequest implements op.AuthRequest.
type testAuthRequest struct {
	id        string
	req       *oidc.AuthRequest
	subject   string
	done      bool
	authTime  time.Time
	challenge *oidc.CodeChallenge
}

func (a *testAuthRequest) GetID() string                         { return a.id }
func (a *testAuthRequest) GetACR() string                        { return "" }
func (a *testAuthRequest) GetAMR() []string                      { return []string{"pwd"} }
func (a *testAuthRequest) GetAudience() []string                 { return []string{a.req.ClientID} }
func (a *testAuthRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *testAuthRequest) GetClientID() string                   { return a.req.ClientID }
func (a *testAuthRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *testAuthRequest) GetNonce() string                      { return a.req.Nonce }
func (a *testAuthRequest) GetRedirectURI() string                { return a.req.RedirectURI }
func (a *testAuthRequest) GetResponseType() oidc.ResponseType    { return a.req.ResponseType }
func (a *testAuthRequest) GetResponseMode() oidc.ResponseMode    { return a.req.ResponseMode }
func (a *testAuthRequest) GetScopes() []string                   { return a.req.Scopes }
func (a *testAuthRequest) GetState() string                      { return a.req.State }
func (a *testAuthRequest) GetSubject() string                    { return a.subject }
func (a *testAuthRequest) Done() bool                            { return a.done }

// testClient implements op.Client: a confidential web client in dev mode
// (plain-HTTP redirect URIs allowed).
type testClient struct{ s *testOP }

func (c testClient) GetID() string                       { return c.s.ClientID }
func (c testClient) RedirectURIs() []string              { return c.s.redirs }
func (c testClient) PostLogoutRedirectURIs() []string    { return nil }
func (c testClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c testClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c testClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c testClient) GrantTypes() []oidc.GrantType         { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c testClient) LoginURL(id string) string            { return c.s.URL + "/login?id=" + id }
func (c testClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeBearer }
func (c testClient) IDTokenLifetime() time.Duration       { return 5 * time.Minute }
func (c testClient) DevMode() bool                        { return true }
func (c testClient) IsScopeAllowed(string) bool           { return false }
func (c testClient) IDTokenUserinfoClaimsAssertion() bool { return true } // e-mail in the ID token
func (c testClient) ClockSkew() time.Duration             { return 0 }
func (c testClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c testClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

type testKey struct{ k *rsa.PrivateKey }

func (k testKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k testKey) Algorithm() jose.SignatureAlgorithm          { return jose.RS256 }
func (k testKey) Key() any                                    { return k.k }
func (k testKey) ID() string                                  { return "key1" }
func (k testKey) Use() string                                 { return "sig" }

type testPublicKey struct{ testKey }

func (k testPublicKey) Key() any { return &k.k.PublicKey }

var errTestNotFound = errors.New("not found")

// op.Storage

func (s *testOP) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, _ := secret.New(12)
	a := &testAuthRequest{id: id, req: r}
	if r.CodeChallenge != "" {
		a.challenge = &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod}
	}
	s.reqs[id] = a
	return a, nil
}

func (s *testOP) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.reqs[id]; ok {
		return a, nil
	}
	return nil, errTestNotFound
}

func (s *testOP) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errTestNotFound
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *testOP) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

func (s *testOP) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.reqs, id)
	for c, rid := range s.codes {
		if rid == id {
			delete(s.codes, c)
		}
	}
	return nil
}

func (s *testOP) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	id, _ := secret.New(12)
	return id, time.Now().Add(5 * time.Minute), nil
}

func (s *testOP) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errors.New("refresh tokens not supported")
}

func (s *testOP) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *testOP) TerminateSession(context.Context, string, string) error { return nil }

func (s *testOP) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (s *testOP) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *testOP) SigningKey(context.Context) (op.SigningKey, error) { return testKey{s.key}, nil }

func (s *testOP) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *testOP) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{testPublicKey{testKey{s.key}}}, nil
}

func (s *testOP) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != s.ClientID {
		return nil, errTestNotFound
	}
	return testClient{s}, nil
}

func (s *testOP) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if id != s.ClientID || secret != s.ClientSecret {
		return errors.New("wrong client secret")
	}
	return nil
}

func (s *testOP) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the user's claims in the ID token.
func (s *testOP) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, r op.IDTokenRequest, _ []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	info.Subject = r.GetSubject()
	if s.user.Email != "" {
		info.Email = s.user.Email
		info.EmailVerified = oidc.Bool(s.user.EmailVerified)
		if !s.user.EmailVerified {
			// The library omits a false email_verified; say it explicitly.
			info.AppendClaims("email_verified", false)
		}
	}
	if s.user.EmployeeNumber != "" {
		info.AppendClaims("employee_number", s.user.EmployeeNumber)
	}
	return nil
}

func (s *testOP) SetUserinfoFromToken(context.Context, *oidc.UserInfo, string, string, string) error {
	return nil
}

func (s *testOP) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return nil
}

func (s *testOP) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

func (s *testOP) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errTestNotFound
}

func (s *testOP) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errTestNotFound
}

func (s *testOP) Health(context.Context) error { return nil }

var (
	_ op.Storage                   = (*testOP)(nil)
	_ op.CanSetUserinfoFromRequest = (*testOP)(nil)
)
