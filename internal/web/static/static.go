// Package static holds the pages' own CSS and the few lines of JavaScript
// that only enhance a page (enhance.js), embedded in the binary
// and served under URLs that carry a hash of their content, so that they can
// be cached for a year and still change the moment a new version ships.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed *.css *.js
var files embed.FS

// Prefix is where the files are served.
const Prefix = "/static/"

// Assets is the set of embedded files with their hashed names.
type Assets struct {
	byHashed map[string]asset // "style.1a2b3c4d.css" → file
	urls     map[string]string
}

type asset struct {
	name string
	body []byte
}

// Load reads and hashes every embedded file.
func Load() (*Assets, error) {
	a := &Assets{byHashed: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		a.byHashed[hashed] = asset{name: p, body: body}
		a.urls[p] = Prefix + hashed
		return nil
	})
	return a, err
}

// URL returns the hashed URL of an embedded file, or "" if there is none.
func (a *Assets) URL(name string) string { return a.urls[name] }

// ServeHTTP serves a file by its hashed name; an unknown or stale name is
// not found.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byHashed[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(f.name)))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(f.body))
}
