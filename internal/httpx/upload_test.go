package httpx

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/distans/distans"
)

// TestUploadLimit: the import routes take more than a MiB, and only from
// someone who may import; everyone else is refused for who they are
// before the size is mentioned, and every other route stays at a MiB.
func TestUploadLimit(t *testing.T) {
	t.Parallel()
	admin := &distans.Actor{OrganisationID: "o", PersonID: "a", Grants: []distans.Grant{{Role: distans.RoleAdmin}}}
	hr := &distans.Actor{OrganisationID: "o", PersonID: "h", Grants: []distans.Grant{{Role: distans.RoleHR}}}
	big := bytes.Repeat([]byte("1;Åsa;Öberg\n"), 200_000) // 2.6 MB
	for _, tc := range []struct {
		name   string
		path   string
		actor  *distans.Actor
		cookie bool
		code   string // "" passes
	}{
		{"administrator, page", "/imports", admin, false, ""},
		{"administrator, API", "/api/v1/imports", admin, false, ""},
		{"administrator, another route", "/people", admin, false, distans.ETOOLARGE},
		{"HR", "/imports", hr, false, distans.EFORBIDDEN},
		{"nobody", "/imports", nil, false, distans.EUNAUTHORIZED},
		{"a session that ended", "/imports", nil, true, distans.EFORBIDDEN},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("files", "personal.csv")
		fw.Write(big)
		mw.Close()
		r := httptest.NewRequest("POST", tc.path, &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		if tc.cookie {
			r.AddCookie(&http.Cookie{Name: SessionCookie, Value: "gone"})
		}
		if tc.actor != nil {
			r = r.WithContext(distans.NewContext(context.Background(), tc.actor))
		}
		var got error
		var tmp []string
		h := CheckInput(func(w http.ResponseWriter, r *http.Request, err error) { got = err })(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			files, _, err := ImportForm(r)
			if err != nil || len(files) != 1 || !bytes.Equal(files[0].Content, big) {
				t.Errorf("%s: the handler read %d files (%v)", tc.name, len(files), err)
			}
			for _, fhs := range r.MultipartForm.File {
				for _, fh := range fhs {
					if f, err := fh.Open(); err == nil {
						if osf, ok := f.(*os.File); ok {
							tmp = append(tmp, osf.Name())
						}
						f.Close()
					}
				}
			}
		}))
		h.ServeHTTP(httptest.NewRecorder(), r)
		if c := distans.ErrorCode(got); got != nil && c != tc.code || got == nil && tc.code != "" {
			t.Errorf("%s: %v, want %q", tc.name, got, tc.code)
		}
		for _, name := range tmp {
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				t.Errorf("%s: the temporary file %s is left behind", tc.name, name)
			}
		}
		if tc.code == "" && len(tmp) == 0 {
			t.Errorf("%s: the file was kept in memory, not spooled to disk", tc.name)
		}
	}
}

// TestUploadOutlastsTimeouts: an upload may take longer than the server's
// read and write timeouts allow other requests, and is still answered.
func TestUploadOutlastsTimeouts(t *testing.T) {
	t.Parallel()
	admin := &distans.Actor{OrganisationID: "o", PersonID: "a", Grants: []distans.Grant{{Role: distans.RoleAdmin}}}
	h := CheckInput(func(w http.ResponseWriter, r *http.Request, err error) {
		t.Errorf("refused: %v", err)
		w.WriteHeader(http.StatusTeapot)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		files, _, err := ImportForm(r)
		if err != nil || len(files) != 1 {
			t.Errorf("files %d, %v", len(files), err)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(distans.NewContext(r.Context(), admin)))
	}))
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "personal.csv")
	fw.Write(bytes.Repeat([]byte("1;Åsa;Öberg\n"), 1000))
	mw.Close()
	pr, pw := io.Pipe()
	go func() {
		// Half a second for the body, over twice the timeouts.
		b := body.Bytes()
		for i := 0; i < 5; i++ {
			time.Sleep(100 * time.Millisecond)
			pw.Write(b[i*len(b)/5 : (i+1)*len(b)/5])
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", srv.URL+"/imports", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.ContentLength = int64(body.Len())
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("status %d", res.StatusCode)
	}
}
