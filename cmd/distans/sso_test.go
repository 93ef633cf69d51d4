package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestSSOCommand(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "d.db")
	if out, err := runCmd(t, "demo", "-db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	secretEnv := env(map[string]string{"DISTANS_SSO_CLIENT_SECRET": "hemligt"})
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no verb", []string{"sso"}, 2, "sso set"},
		{"no org", []string{"sso", "set", "-db", db, "-issuer", "https://idp.example", "-client-id", "distans"}, 2, "-org"},
		{"unknown org", []string{"sso", "set", "-db", db, "-org", "nowhere", "-issuer", "https://idp.example", "-client-id", "distans"}, 1, "okänd organisation"},
		{"bad issuer", []string{"sso", "set", "-db", db, "-org", "vara", "-issuer", "idp.example", "-client-id", "distans"}, 2, "https"},
		{"bad match", []string{"sso", "set", "-db", db, "-org", "vara", "-issuer", "https://idp.example", "-client-id", "distans", "-match-by", "name"}, 2, "match_by"},
		{"not set up", []string{"sso", "show", "-db", db, "-org", "sorsele"}, 1, "inte inställd"},
		{"set", []string{"sso", "set", "-db", db, "-org", "vara", "-issuer", "https://idp.example", "-client-id", "distans", "-match-by", "employee_number", "-claim", "employee_id"}, 0, "inställd för vara"},
	}
	for _, tt := range tests {
		var out, errOut syncBuffer
		err := run(context.Background(), tt.args, secretEnv, strings.NewReader(""), &out, &errOut)
		if exitCode(err) != tt.code || !strings.Contains(out.String()+errString(err), tt.want) {
			t.Errorf("%s: exit %d (%v) output %q, want exit %d with %q", tt.name, exitCode(err), err, out.String(), tt.code, tt.want)
		}
	}
	out, err := runCmd(t, "sso", "show", "-db", db, "-org", "vara")
	if err != nil || !strings.Contains(out, "https://idp.example") || !strings.Contains(out, "employee_number") ||
		!strings.Contains(out, "satt / set") || strings.Contains(out, "hemligt") {
		t.Errorf("show: %v\n%s", err, out)
	}
}
