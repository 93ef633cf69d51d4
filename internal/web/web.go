// Package web is Distans's HTML pages: sign-in, the start page, people,
// units, sites, the audit trail, the person's own profile, the
// organisation's policy pack ("Regelverk"), its policy documents and the
// import of the HR system's files with the invitations that follow it.
// Every page works without JavaScript, is written in Swedish first and
// English second, and follows WCAG 2.1 AA.
//
// The pages talk only to the services of the root package; the services
// enforce who may see and change what, and the pages show only what the
// actor's permissions allow. Every POST answers with a redirect and a flash
// message (Post/Redirect/Get), except those that show a secret once (a
// revealed personal identity number, a new API token, and invitation links
// to hand over), which are rendered directly and never cached, so that no
// secret travels in a cookie.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/web/static"
	"github.com/distans/distans/internal/web/view"
)

// Config is what the pages need.
type Config struct {
	Services      distans.Services
	Logger        *slog.Logger // nil discards
	SecureCookies bool         // mark cookies Secure: every deployment behind HTTPS
	Version       string       // shown in the footer
	// Demo is what the sign-in page says about the demo accounts when the
	// demo organisations are loaded; nil for every other installation, so
	// that nothing about them shows there.
	Demo *Demo
}

// Demo is the demo organisations' accounts and their one password.
type Demo struct {
	Password string
	Accounts []DemoAccount
}

// DemoAccount is one demo account: a role in an organisation.
type DemoAccount struct {
	Org   string // the organisation's slug
	Role  distans.Role
	Email string
}

// Web is the HTML pages, ready to be registered on a mux.
type Web struct {
	svc     distans.Services
	log     *slog.Logger
	secure  bool
	version string
	views   *view.Templates
	assets  *static.Assets
	demo    *Demo
}

// New parses the templates and hashes the static files; it fails when a
// template does not parse, so that a broken build never starts serving.
func New(cfg Config) (*Web, error) {
	if cfg.Services.SignIn == nil || cfg.Services.People == nil || cfg.Services.Units == nil ||
		cfg.Services.Sites == nil || cfg.Services.Roles == nil || cfg.Services.Audit == nil ||
		cfg.Services.Organisations == nil || cfg.Services.Documents == nil || cfg.Services.Policies == nil {
		return nil, errors.New("web: every service must be set")
	}
	views, err := view.Parse()
	if err != nil {
		return nil, err
	}
	assets, err := static.Load()
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	version := cfg.Version
	if version == "" {
		version = distans.Version
	}
	return &Web{svc: cfg.Services, log: logger, secure: cfg.SecureCookies, version: version, views: views, assets: assets, demo: cfg.Demo}, nil
}

// Register mounts the pages on mux; see routes.go.
func (web *Web) Register(mux *http.ServeMux) { web.routes(mux) }
