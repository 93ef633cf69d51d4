package httpx

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/distans/distans"
)

// FuzzCheckInput sends text in the path, the query, a form and a JSON
// string. CheckInput refuses it exactly when it holds a NUL or is not
// UTF-8 (nothing good is refused, nothing bad passes), and a handler behind
// it only ever sees clean text and the body as it was sent. The seeds run
// as a plain test in CI.
func FuzzCheckInput(f *testing.F) {
	for _, s := range []string{"", "Åsa Öberg", "x\x00@y.example", "\x00", "\xff\xfe", "\xc3", "\xed\xa0\x80",
		`\u0000`, `\\u0000`, `\\\u0000`, `\u00000`, `\u0001`, `\ud800`, `a\"b`, "rad 1\r\nrad 2", "\t", "😀", "%00", "%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		clean := utf8.ValidString(s) && !strings.Contains(s, "\x00")
		var seen []string
		var seenBody []byte
		h := CheckInput(func(w http.ResponseWriter, r *http.Request, err error) {
			if c := distans.ErrorCode(err); c != distans.EINVALID {
				t.Fatalf("refused with %v", err)
			}
			w.WriteHeader(http.StatusUnprocessableEntity)
		})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.URL.Path)
			for k, vs := range r.URL.Query() {
				seen = append(seen, k)
				seen = append(seen, vs...)
			}
			seen = append(seen, r.PostFormValue("name"))
			seenBody, _ = io.ReadAll(r.Body)
		}))
		run := func(r *http.Request) bool {
			seen, seenBody = nil, nil
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			for _, v := range seen {
				if !utf8.ValidString(v) || strings.Contains(v, "\x00") {
					t.Fatalf("a handler saw %q", v)
				}
			}
			return w.Code != http.StatusUnprocessableEntity
		}

		// The path and the query, as a browser escapes them.
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path = "/people/" + s
		r.URL.RawQuery = "q=" + url.QueryEscape(s)
		if passed := run(r); passed != clean {
			t.Fatalf("path and query %q: passed %v", s, passed)
		}
		// A form.
		r = httptest.NewRequest("POST", "/units", strings.NewReader(url.Values{"name": {s}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if passed := run(r); passed != clean {
			t.Fatalf("form %q: passed %v", s, passed)
		}
		// s as the inside of a JSON string, escapes and all.
		body := `{"name":"` + s + `"}`
		r = httptest.NewRequest("POST", "/api/v1/units", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		passed := run(r)
		if passed && string(seenBody) != body {
			t.Fatalf("the handler read %q, not the body sent %q", seenBody, body)
		}
		var v map[string]any
		if json.Unmarshal([]byte(body), &v) == nil {
			name, _ := v["name"].(string)
			want := utf8.ValidString(body) && !strings.Contains(name, "\x00")
			if passed != want {
				t.Fatalf("JSON %s (name %q): passed %v, want %v", body, name, passed, want)
			}
		} else if passed && (!utf8.ValidString(body) || strings.Contains(body, "\x00")) {
			t.Fatalf("JSON-like %q with bad text passed", body)
		}
	})
}

// TestCheckInputTooLarge: a body over MaxBodyBytes is 413 whether it says
// its length or not, and a form is parsed for the handler.
func TestCheckInputTooLarge(t *testing.T) {
	t.Parallel()
	var got error
	h := CheckInput(func(w http.ResponseWriter, r *http.Request, err error) { got = err })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PostForm == nil {
			t.Error("the form was not parsed")
		}
	}))
	for _, chunked := range []bool{false, true} {
		got = nil
		body := strings.NewReader("name=" + strings.Repeat("x", MaxBodyBytes))
		r := httptest.NewRequest("POST", "/units", body)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if chunked {
			r.ContentLength = -1
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if e, ok := got.(*distans.Error); !ok || Status(e.Code) != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked %v: %v, want 413", chunked, got)
		}
	}
	r := httptest.NewRequest("POST", "/units", strings.NewReader("name=ok"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got = nil
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != nil {
		t.Errorf("a small form: %v", got)
	}
}

// TestEvidenceLimit: a loss procedure's step may carry the police
// report's copy (up to distans.MaxAttachment) for someone signed in, on
// the page and in the API; nobody signed in, and no other route, gets more
// than MaxBodyBytes.
func TestEvidenceLimit(t *testing.T) {
	t.Parallel()
	signedIn := distans.NewContext(context.Background(), &distans.Actor{OrganisationID: "o", PersonID: "p"})
	tests := []struct {
		method, path string
		ctx          context.Context
		want         int64
	}{
		{"POST", "/equipment/losses/L1/steps", signedIn, EvidenceBodyBytes},
		{"POST", "/api/v1/equipment/losses/L1/steps", signedIn, EvidenceBodyBytes},
		{"POST", "/equipment/losses/L1/steps", context.Background(), MaxBodyBytes},
		{"POST", "/equipment/losses/L1/assessment", signedIn, MaxBodyBytes},
		{"POST", "/equipment/losses//steps", signedIn, MaxBodyBytes},
		{"POST", "/equipment/losses/L1/x/steps", signedIn, MaxBodyBytes},
		{"GET", "/equipment/losses/L1/steps", signedIn, MaxBodyBytes},
		{"POST", "/units", signedIn, MaxBodyBytes},
	}
	for _, tc := range tests {
		r := httptest.NewRequest(tc.method, tc.path, nil).WithContext(tc.ctx)
		if got := bodyLimit(r); got != tc.want {
			t.Errorf("%s %s: limit %d, want %d", tc.method, tc.path, got, tc.want)
		}
	}
	// Past the limit: 413 naming the file's limit, in Swedish first.
	err := refuseLarge(httptest.NewRequest("POST", "/equipment/losses/L1/steps", nil).WithContext(signedIn), EvidenceBodyBytes)
	if e, ok := err.(*distans.Error); !ok || Status(e.Code) != http.StatusRequestEntityTooLarge || !strings.Contains(e.Sv, "10 MiB") {
		t.Errorf("too large evidence: %v", err)
	}
}

// BenchmarkCheckInput is what the edge check costs a request before its
// handler runs: a search, a form post and a 4 KB JSON body, each beside the
// same request to a bare handler (which reads the body too).
func BenchmarkCheckInput(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
	})
	checked := CheckInput(func(w http.ResponseWriter, r *http.Request, err error) {
		b.Fatalf("refused: %v", err)
	})(bare)
	form := url.Values{"name": {"Åsa Öberg"}, "title": {"Handläggare"}, "phone": {"0932-140 00"}, "note": {strings.Repeat("Tisdagar på kontoret. ", 20)}}.Encode()
	doc, _ := json.Marshal(map[string]any{"tasks": strings.Repeat("Utredningar och skrivande. ", 150), "weekdays": []string{"mon", "wed"}})
	for _, tc := range []struct {
		name, method, target, ctype, body string
	}{
		{"search", "GET", "/directory?q=%C3%B6stersund&unit=0194", "", ""},
		{"form", "POST", "/people/0194/edit", "application/x-www-form-urlencoded", form},
		{"json", "POST", "/api/v1/agreements", "application/json", string(doc)},
	} {
		for _, h := range []struct {
			name string
			h    http.Handler
		}{{"bare", bare}, {"checked", checked}} {
			b.Run(tc.name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					var body io.Reader
					if tc.body != "" {
						body = strings.NewReader(tc.body)
					}
					r := httptest.NewRequest(tc.method, tc.target, body)
					if tc.ctype != "" {
						r.Header.Set("Content-Type", tc.ctype)
					}
					h.h.ServeHTTP(httptest.NewRecorder(), r)
				}
			})
		}
	}
}
