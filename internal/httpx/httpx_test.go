package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/distans/distans"
)

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	type body struct {
		Name string   `json:"name"`
		Age  int      `json:"age"`
		Tags []string `json:"tags"`
	}
	tests := []struct {
		name, ct, body string
		wantField      string // "" for success
		wantMsg        string
	}{
		{"ok", "application/json", `{"name":"Åsa","age":3}`, "", ""},
		{"no content type is accepted", "", `{"name":"Åsa"}`, "", ""},
		{"form body", "application/x-www-form-urlencoded", `name=x`, "-", "JSON"},
		{"empty", "application/json", ``, "-", "saknas"},
		{"syntax", "application/json", `{"name":`, "-", "inte giltig JSON"},
		{"unknown field", "application/json", `{"name":"x","salary":1}`, "salary", "Okänt fält"},
		{"wrong type", "application/json", `{"age":"tre"}`, "age", "fel typ"},
		{"wrong type of list", "application/json", `{"tags":"a"}`, "tags", "en lista där varje post är en text"},
		{"wrong type in a list", "application/json", `{"tags":[1]}`, "tags", "en text"},
		{"two objects", "application/json", `{"name":"a"}{"name":"b"}`, "-", "ett JSON-objekt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.ct != "" {
				r.Header.Set("Content-Type", tt.ct)
			}
			var b body
			err := DecodeJSON(httptest.NewRecorder(), r, &b)
			if tt.wantField == "" {
				if err != nil || b.Name != "Åsa" {
					t.Fatalf("err = %v, body = %+v", err, b)
				}
				return
			}
			e, ok := err.(*distans.Error)
			all := ""
			if ok {
				all = e.Sv
				for _, f := range e.Fields {
					all += " " + f.Sv
				}
			}
			if !ok || e.Code != distans.EINVALID || !strings.Contains(strings.ToLower(all), strings.ToLower(tt.wantMsg)) {
				t.Fatalf("err = %v, want EINVALID mentioning %q", err, tt.wantMsg)
			}
			if tt.wantField != "-" && (len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField) {
				t.Fatalf("fields = %+v, want %s", e.Fields, tt.wantField)
			}
			// The people who read the message write JSON, not Go: no Go
			// type name may show, in either language.
			for _, f := range e.Fields {
				for _, msg := range []string{f.Sv, f.En} {
					if strings.ContainsAny(msg, "[]") || strings.Contains(msg, "int") || strings.Contains(msg, "string") {
						t.Errorf("field message %q names a Go type", msg)
					}
				}
			}
		})
	}
}

// TestDecodeJSONTooLarge: a body over the limit is 413, not a validation
// error, and the message names the limit.
func TestDecodeJSONTooLarge(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{"name":"`+strings.Repeat("x", MaxBodyBytes)+`"}`))
	var v struct{ Name string }
	err := DecodeJSON(httptest.NewRecorder(), r, &v)
	if e, ok := err.(*distans.Error); !ok || Status(e.Code) != http.StatusRequestEntityTooLarge || !strings.Contains(e.Sv, "1 MiB") {
		t.Fatalf("err = %v, want 413 naming 1 MiB", err)
	}
}

func TestLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cookie, accept, want string
	}{
		{"", "", "sv"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "sv-SE,en;q=0.8", "sv"},
		{"", "de-DE", "sv"},
		{"en", "sv", "en"},
		{"sv", "en", "sv"},
		{"fr", "en", "en"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		if tt.cookie != "" {
			r.AddCookie(&http.Cookie{Name: LangCookie, Value: tt.cookie})
		}
		r.Header.Set("Accept-Language", tt.accept)
		if got := Lang(r); got != tt.want {
			t.Errorf("cookie %q accept %q: %s, want %s", tt.cookie, tt.accept, got, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]int{
		distans.EINVALID: 422, distans.ENOTFOUND: 404, distans.ECONFLICT: 409, distans.EUNAUTHORIZED: 401,
		distans.EFORBIDDEN: 403, distans.ELOCKED: 423, distans.ETOOLARGE: 413, distans.EINTERNAL: 500, "other": 500,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

// TestCSRF checks the pre-session token: a form posted with the cookie's
// token passes, one without it or with another is refused, a cross-site
// request is refused by its Fetch metadata, and bearer requests pass.
func TestCSRF(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	refused := func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusForbidden) }
	key := []byte("the server's key, which no attacker has")
	h := WithCSRFKey(key)(CSRF(refused)(ok))

	// A page gives the browser its token.
	rec := httptest.NewRecorder()
	var token string
	WithCSRFKey(key)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token = CSRFToken(w, r, false)
	})).ServeHTTP(rec, httptest.NewRequest("GET", "/signin", nil))
	cookie := rec.Result().Cookies()[0]
	if token == cookie.Value || token == "" {
		t.Fatalf("the form's token %q must not be the cookie %q", token, cookie.Value)
	}
	// An attacker who can set a cookie in the browser (a sibling
	// subdomain, plain HTTP on the network) picks both cookie and field.
	chosen := &http.Cookie{Name: CSRFCookie, Value: strings.Repeat("a", 43)}
	// The same cookie under another server's key: the token does not carry over.
	var otherKeyToken string
	WithCSRFKey([]byte("another key"))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(cookie)
		otherKeyToken = CSRFToken(w, r, false)
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/signin", nil))

	post := func(path string, form url.Values, hdr map[string]string, c *http.Cookie) int {
		r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		if c != nil {
			r.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	tests := []struct {
		name   string
		path   string
		form   url.Values
		hdr    map[string]string
		cookie *http.Cookie
		want   int
	}{
		{"token matches", "/signin", url.Values{CSRFField: {token}}, nil, cookie, 204},
		{"no token", "/signin", url.Values{}, nil, cookie, 403},
		{"other token", "/signin", url.Values{CSRFField: {strings.Repeat("x", 43)}}, nil, cookie, 403},
		{"no cookie", "/signin", url.Values{CSRFField: {token}}, nil, nil, 403},
		{"the cookie's value as the token", "/signin", url.Values{CSRFField: {cookie.Value}}, nil, cookie, 403},
		{"attacker-chosen cookie and field", "/signin", url.Values{CSRFField: {chosen.Value}}, nil, chosen, 403},
		{"attacker-chosen cookie, header", "/signin", url.Values{}, map[string]string{CSRFHeader: chosen.Value}, chosen, 403},
		{"token under another key", "/signin", url.Values{CSRFField: {otherKeyToken}}, nil, cookie, 403},
		{"cross-site", "/signin", url.Values{CSRFField: {token}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, cookie, 403},
		{"header token", "/signin", url.Values{}, map[string]string{CSRFHeader: token}, cookie, 204},
		{"bearer", "/signin", url.Values{}, map[string]string{"Authorization": "Bearer dst_x"}, nil, 204},
		{"API without a session", "/api/v1/units", url.Values{}, nil, nil, 204},
	}
	for _, tt := range tests {
		if got := post(tt.path, tt.form, tt.hdr, tt.cookie); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCSRFSessionAPI: a browser's session cookie is an ambient credential,
// so an API change made with it needs the session's token in a header.
func TestCSRFSessionAPI(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	refused := func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusForbidden) }
	h := CSRF(refused)(ok)
	sess := &distans.Session{CSRFToken: "session-token-0123456789-0123456789"}
	for _, tt := range []struct {
		header string
		want   int
	}{{"", 403}, {"wrong", 403}, {sess.CSRFToken, 204}} {
		r := httptest.NewRequest("POST", "/api/v1/units", strings.NewReader(`{}`))
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
		if tt.header != "" {
			r.Header.Set(CSRFHeader, tt.header)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.want {
			t.Errorf("header %q: %d, want %d", tt.header, rec.Code, tt.want)
		}
	}
}

// TestWriteJSON: a response, encoded or appended, carries its length, over
// a real connection the client reads the whole body, and a value that
// cannot be encoded is a 500 with nothing of it sent.
func TestWriteJSON(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("å", 40_000) // larger than the server's write buffers
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			WriteJSON(w, http.StatusCreated, map[string]string{"namn": big})
		case "/appended":
			WriteAppendedJSON(w, http.StatusCreated, func(b []byte) []byte { return append(append(append(b, `{"namn":"`...), big...), `"}`...) })
		default:
			WriteJSON(w, http.StatusOK, map[string]any{"bad": func() {}})
		}
	}))
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}
	for _, path := range []string{"/big", "/big", "/appended", "/appended"} { // later answers reuse buffers
		resp, body := get(path)
		if want := `{"namn":"` + big + `"}` + "\n"; resp.StatusCode != http.StatusCreated || body != want {
			t.Fatalf("status %d, %d bytes, want %d", resp.StatusCode, len(body), len(want))
		}
		if resp.ContentLength != int64(len(body)) || resp.TransferEncoding != nil {
			t.Fatalf("Content-Length %d, Transfer-Encoding %v for %d bytes", resp.ContentLength, resp.TransferEncoding, len(body))
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("Content-Type %q", ct)
		}
	}
	if resp, body := get("/bad"); resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, "bad") {
		t.Fatalf("unencodable value: status %d, body %q", resp.StatusCode, body)
	}
}

// TestUserErrorClientGone: a request the client abandoned is no internal
// error for the operator; a real failure still is.
func TestUserErrorClientGone(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gone := httptest.NewRequest("GET", "/api/v1/people", nil).WithContext(ctx)
	if e := UserError(gone, logger, fmt.Errorf("list people: %w", context.Canceled)); e.Code != distans.EINTERNAL {
		t.Fatalf("code %s", e.Code)
	}
	if strings.Contains(buf.String(), "level=ERROR") || !strings.Contains(buf.String(), "level=INFO") {
		t.Fatalf("a client that went away is logged as:\n%s", buf.String())
	}

	buf.Reset()
	UserError(httptest.NewRequest("GET", "/api/v1/people", nil), logger, errors.New("database on fire"))
	if !strings.Contains(buf.String(), `level=ERROR msg="internal error"`) {
		t.Fatalf("a real failure is logged as:\n%s", buf.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		w := httptest.NewRecorder()
		SecurityHeaders(secure)(http.NotFoundHandler()).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		csp := w.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		hsts := w.Header().Get("Strict-Transport-Security")
		if secure && !strings.HasPrefix(hsts, "max-age=31536000") {
			t.Errorf("secure: HSTS %q", hsts)
		}
		if !secure && hsts != "" {
			t.Errorf("plain HTTP: HSTS %q", hsts)
		}
	}
}
