package view_test

import (
	"github.com/distans/distans/internal/web/locale"
	"github.com/distans/distans/internal/web/view"
)

// driftSamples are the installation's pages, for TestRenderEveryPage.
func driftSamples(lang string) []view.Page {
	l := func() view.Layout {
		return view.Layout{Lang: lang, P: locale.New(lang), Title: "Titel", Path: "/drift", CSRF: "tok", CSS: "/s.css",
			User: &view.User{Name: "Olle Drift", OrgName: "Driftadministratör"}, Version: "test", OtherLang: "en",
			Home: "/drift", SignOut: "/drift/signout", LangAction: "/drift/lang"}
	}
	failed := func(fields ...string) *view.Form {
		f := view.NewForm()
		f.Message = "Fel"
		for _, n := range fields {
			f.Set(n, "x<script>")
			f.Fail(n, "Fel i "+n)
		}
		return f
	}
	row := view.DriftOrgRow{ID: "o1", Slug: "vara", Name: "Vara kommun", TimeZone: "Europe/Stockholm", Language: "sv",
		Status: "suspended", StatusLabel: "Avstängd", StatusChanged: "2026-11-22 10:00", People: 12, Units: 3,
		Employments: 11, Agreements: 4, PolicyVersion: 2, FailedNotifications: 1, LastActivity: "2026-11-22 10:00"}
	opts := []view.Option{{Value: "generic", Label: "Generic"}, {Value: "vara", Label: "Vara"}}
	signedOut := l()
	signedOut.User = nil
	return []view.Page{
		&view.DriftSignInPage{Layout: signedOut, Form: failed("email", "password")},
		&view.DriftLinkPage{Layout: signedOut, Form: failed("password", "password_again"), Email: "olle@drift.example",
			Action: "/drift/link/x", MinLength: 12},
		&view.DriftHomePage{Layout: l(), Orgs: []view.DriftOrgRow{row}},
		&view.DriftHomePage{Layout: l()},
		&view.DriftNewOrgPage{Layout: l(), Form: failed("slug", "name", "time_zone", "language", "pack", "admin_email", "admin_name"),
			Packs: opts, Languages: opts},
		&view.DriftCreatedPage{Layout: l(), Org: row, AdminName: "Anna Admin", AdminEmail: "anna@vara.example",
			Pack: "Kopierad från mallen vara.", InviteURL: "https://distans.example/link/x", InviteExpires: "2026-12-06 10:00"},
		&view.DriftCreatedPage{Layout: l(), Org: row, InviteSent: true, InviteExpires: "2026-12-06 10:00"},
		&view.DriftCreatedPage{Layout: l(), Org: row, InviteError: "Fel"},
		&view.DriftOrgPage{Layout: l(), Org: row, Form: failed("name", "slug"), EndForm: failed("confirm"), CanResume: true, CanEnd: true},
		&view.DriftOrgPage{Layout: l(), Org: row, Ended: true, Form: view.NewForm(), EndForm: view.NewForm()},
	}
}
