package web_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
)

// exampleFiles is the sample CSV set of the repository, by name.
func exampleFiles(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("../../examples/*.csv")
	if err != nil || len(paths) == 0 {
		t.Fatalf("examples: %v (%d files)", err, len(paths))
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files
}

// multipartBody is an upload form: the files in "files" and the fields.
func multipartBody(t *testing.T, files map[string][]byte, fields map[string]string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(b)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

// upload posts the import form with the CSRF token of the last page.
func (c *client) upload(files map[string][]byte, fields map[string]string) page {
	c.e.t.Helper()
	if fields == nil {
		fields = map[string]string{}
	}
	fields["csrf_token"] = c.csrf
	ct, body := multipartBody(c.e.t.(*testing.T), files, fields)
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+"/imports", body)
	req.Header.Set("Content-Type", ct)
	return c.do(req)
}

// work runs the import worker until nothing is waiting.
func (e *env) work() {
	e.t.Helper()
	w := e.imports.Worker()
	for range 10 {
		worked, err := w.RunOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if !worked {
			return
		}
	}
	e.t.Fatal("the import worker never ran out of work")
}

var importIDRE = regexp.MustCompile(`^/imports/([^/]+)$`)

// TestImportPages: upload → check → confirm → done, on the pages, as the
// administrator; the page refreshes itself while the work runs.
func TestImportPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	home := c.get("/")
	mustContain(t, home, `href="/imports"`)

	list := c.get("/imports")
	wantStatus(t, list, http.StatusOK)
	mustContain(t, list, `type="file"`, "multiple", `enctype="multipart/form-data"`, "Fullständig export: avsluta anställningen för den som saknas")

	p := c.upload(exampleFiles(t), nil)
	wantStatus(t, p, http.StatusSeeOther)
	m := importIDRE.FindStringSubmatch(p.location)
	if m == nil {
		t.Fatalf("redirected to %q", p.location)
	}
	id := m[1]
	running := c.get(p.location)
	wantStatus(t, running, http.StatusOK)
	mustContain(t, running, "Kontrolleras", "<progress", `<noscript><meta http-equiv="refresh" content="2"></noscript>`)
	if strings.Contains(running.body, "/confirm") {
		t.Error("an import being checked can be confirmed")
	}

	e.work()
	checked := c.get("/imports/" + id)
	mustContain(t, checked, "Kontrollerad", "Genomför importen", "Skapas", "Personer", "personal.csv")
	if strings.Contains(checked.body, "http-equiv") {
		t.Error("a checked import still refreshes itself")
	}
	if got := c.get("/people?q=asa.lindqvist"); strings.Contains(got.body, "Lindqvist") {
		t.Error("the dry run saved a person")
	}

	conf := c.post("/imports/"+id+"/confirm", nil)
	wantStatus(t, conf, http.StatusSeeOther)
	mustContain(t, c.get(conf.location), "Väntar på att genomföras")
	e.work()
	done := c.get("/imports/" + id)
	mustContain(t, done, "Genomförd", "Det här gjorde importen")
	e.person("vara", "asa.lindqvist@exempelby.se")
	// The imported people have no password yet: the finished import
	// offers to invite them, and comes back here afterwards.
	mustContain(t, done, "Bjud in alla som saknar lösenord (", `action="/invitations"`, `name="back" value="/imports/`+id+`"`)
	invited := c.post("/invitations", url.Values{"back": {"/imports/" + id}})
	wantStatus(t, invited, http.StatusOK)
	mustContain(t, invited, "inbjudningar skapade", "Ladda ner alla länkar som CSV-fil", `href="/imports/`+id+`"`)
	if strings.Contains(c.get("/imports/"+id).body, `action="/invitations"`) {
		t.Error("the finished import still offers to invite after everyone was invited")
	}

	listed := c.get("/imports")
	mustContain(t, listed, "/imports/"+id, "Genomförd")
}

// TestImportBadFile: a file with errors shows every error with file, row
// and column, offers no confirmation, and saves nothing.
func TestImportBadFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	c.get("/imports")
	bad := map[string][]byte{"personal.csv": []byte("Anställningsnummer;Förnamn;Efternamn;E-post\n" +
		"9001;Åsa;Lind;asa.lind@exempelby.se\n9001;Björn;Ek;bjorn.ek@exempelby.se\n")}
	p := c.upload(bad, nil)
	wantStatus(t, p, http.StatusSeeOther)
	e.work()
	shown := c.get(p.location)
	mustContain(t, shown, "Fel i filerna", "Rad", "Kolumn", "personal.csv")
	if strings.Contains(shown.body, "/confirm") {
		t.Error("an invalid import can be confirmed")
	}
	people, _, err := e.store.ListPeople(e.system("vara"), distans.PersonFilter{Query: "exempelby", Limit: 5})
	if err != nil || len(people) != 0 {
		t.Errorf("saved %d people (%v)", len(people), err)
	}

	// No files, and a full export without its day: the form again, with
	// the messages on the fields.
	c.get("/imports")
	none := c.upload(nil, map[string]string{"full": "1"})
	wantStatus(t, none, http.StatusUnprocessableEntity)
	mustContain(t, none, "Välj minst en fil.", "Ange den dag då anställningen avslutas")

	c.get("/imports")
	binary := c.upload(map[string][]byte{"lista.xlsx": []byte("PK\x03\x04\x00\x00\x00")}, nil)
	wantStatus(t, binary, http.StatusUnprocessableEntity)
	mustContain(t, binary, "lista.xlsx är inte en CSV-fil")
}

// TestImportRefused: not an administrator is a 403 page everywhere, and
// another organisation's import is not found.
func TestImportRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.as("vara", distans.RoleAdmin)
	admin.get("/imports")
	p := admin.upload(exampleFiles(t), nil)
	wantStatus(t, p, http.StatusSeeOther)

	hr := e.as("vara", distans.RoleHR)
	if strings.Contains(hr.get("/").body, `href="/imports"`) {
		t.Error("HR sees the import link")
	}
	wantStatus(t, hr.get("/imports"), http.StatusForbidden)
	wantStatus(t, hr.get(p.location), http.StatusForbidden)
	hr.get("/profile")
	forbidden := hr.upload(exampleFiles(t), nil)
	wantStatus(t, forbidden, http.StatusForbidden)
	mustContain(t, forbidden, "Du har inte behörighet")
	wantStatus(t, hr.post(p.location+"/confirm", nil), http.StatusForbidden)

	other := e.as("bjurholm", distans.RoleAdmin)
	wantStatus(t, other.get(p.location), http.StatusNotFound)
	wantStatus(t, other.post(p.location+"/confirm", url.Values{}), http.StatusNotFound)
	token := other.apiToken()
	if got := apiStatus(t, "GET", e.srv.URL+"/api/v1"+p.location, "", token); got != http.StatusNotFound {
		t.Errorf("API: another organisation's import answers %d", got)
	}
}

// TestImportTooLarge: a 10 GB upload is answered 413 with a Swedish page
// before its body is read.
func TestImportTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.as("vara", distans.RoleAdmin)
	c.get("/imports")
	u, _ := url.Parse(e.srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var cookies []string
	for _, ck := range c.http.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	start := time.Now()
	fmt.Fprintf(conn, "POST /imports HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\nContent-Type: multipart/form-data; boundary=x\r\n"+
		"Content-Length: %d\r\nAccept-Language: sv\r\n\r\n--x\r\n", u.Host, strings.Join(cookies, "; "), int64(10)<<30)
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d\n%.1000s", res.StatusCode, text(string(body)))
	}
	if !strings.Contains(string(body), "Filerna är för stora: högst 256 MiB") || !strings.Contains(string(body), "<html") {
		t.Errorf("not the Swedish page:\n%.1000s", text(string(body)))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("answered after %s", d)
	}
}

// TestImportAPI: the same round trip through the API.
func TestImportAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	token := e.as("vara", distans.RoleAdmin).apiToken()
	call := func(method, path, ct string, body io.Reader) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+"/api/v1"+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		json.NewDecoder(res.Body).Decode(&v)
		return res.StatusCode, v
	}
	if got, _ := call("POST", "/imports", "application/json", strings.NewReader(`{}`)); got != http.StatusUnprocessableEntity {
		t.Errorf("JSON body: %d, want 422", got)
	}
	ct, body := multipartBody(t, exampleFiles(t), map[string]string{"full": "true", "end_missing_on": "2026-12-31"})
	status, imp := call("POST", "/imports", ct, body)
	if status != http.StatusAccepted || imp["status"] != "checking" {
		t.Fatalf("start: %d %v", status, imp)
	}
	if opts, _ := imp["options"].(map[string]any); opts["end_missing_on"] != "2026-12-31" || opts["full"] != true {
		t.Errorf("options %v", imp["options"])
	}
	id := imp["id"].(string)
	e.work()
	if status, imp = call("GET", "/imports/"+id, "", nil); status != http.StatusOK || imp["status"] != "checked" || imp["summary"] == nil {
		t.Fatalf("checked: %d %v", status, imp)
	}
	if status, imp = call("POST", "/imports/"+id+"/confirm", "", nil); status != http.StatusAccepted || imp["status"] != "queued" {
		t.Fatalf("confirm: %d %v", status, imp)
	}
	e.work()
	if status, imp = call("GET", "/imports/"+id, "", nil); imp["status"] != "done" {
		t.Fatalf("done: %d %v", status, imp)
	}
	if status, _ = call("POST", "/imports/"+id+"/confirm", "", nil); status != http.StatusConflict {
		t.Errorf("confirmed a done import: %d", status)
	}
	status, list := call("GET", "/imports", "", nil)
	if items, _ := list["items"].([]any); status != http.StatusOK || len(items) != 1 {
		t.Errorf("list: %d %v", status, list)
	}
}
