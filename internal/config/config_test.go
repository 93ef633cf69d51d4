package config

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(Config) bool
		wantErr bool
	}{
		{"defaults load the demo", nil, nil, func(c Config) bool { return c.Addr == "127.0.0.1:8080" && c.DB == "sqlite:distans.db" && c.Demo }, false},
		{"a named database gets no demo", []string{"-db", "sqlite:/tmp/x.db"}, nil, func(c Config) bool { return !c.Demo }, false},
		{"demo can be turned off", []string{"-demo=false"}, nil, func(c Config) bool { return !c.Demo }, false},
		{"environment", nil, map[string]string{"DISTANS_ADDR": ":9000", "DISTANS_DB": "postgres://x/y", "DISTANS_DEMO": "1"},
			func(c Config) bool { return c.Addr == ":9000" && c.DB == "postgres://x/y" && c.Demo }, false},
		{"flags win over environment", []string{"-addr", ":7000", "-demo=false"}, map[string]string{"DISTANS_ADDR": ":9000", "DISTANS_DEMO": "1"},
			func(c Config) bool { return c.Addr == ":7000" && !c.Demo }, false},
		{"bad database", []string{"-db", "mysql://x"}, nil, nil, true},
		{"bad log format", []string{"-log-format", "xml"}, nil, nil, true},
		{"unknown flag", []string{"-nope"}, nil, nil, true},
		{"pool and credential cache by default", nil, nil, func(c Config) bool { return c.DBConns == 16 && c.CredentialCache == 5*time.Second }, false},
		{"pool and credential cache from the environment", nil, map[string]string{"DISTANS_DB_CONNS": "8", "DISTANS_CREDENTIAL_CACHE": "0s"},
			func(c Config) bool { return c.DBConns == 8 && c.CredentialCache == 0 }, false},
		{"credential cache from a flag", []string{"-credential-cache", "2s"}, nil, func(c Config) bool { return c.CredentialCache == 2*time.Second }, false},
		{"no connections", []string{"-db-conns", "0"}, nil, nil, true},
		{"connections not a number", nil, map[string]string{"DISTANS_DB_CONNS": "många"}, nil, true},
		{"requests at once by default", nil, nil, func(c Config) bool { return c.MaxActive == 4*runtime.GOMAXPROCS(0) }, false},
		{"requests at once from the environment", nil, map[string]string{"DISTANS_MAX_ACTIVE": "0"}, func(c Config) bool { return c.MaxActive == 0 }, false},
		{"requests at once from a flag", []string{"-max-active", "32"}, map[string]string{"DISTANS_MAX_ACTIVE": "4"}, func(c Config) bool { return c.MaxActive == 32 }, false},
		{"requests at once not a number", nil, map[string]string{"DISTANS_MAX_ACTIVE": "åtta"}, nil, true},
		{"negative requests at once", []string{"-max-active", "-1"}, nil, nil, true},
		{"credential cache not a duration", nil, map[string]string{"DISTANS_CREDENTIAL_CACHE": "5"}, nil, true},
		{"credential cache too long", []string{"-credential-cache", "10m"}, nil, nil, true},
		{"negative credential cache", []string{"-credential-cache", "-1s"}, nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, err := Load("serve", tt.args, env(tt.env), io.Discard, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if tt.want != nil && !tt.want(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

func TestMailSettings(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(Config) bool
		wantErr string
	}{
		{"no e-mail by default", nil, nil, func(c Config) bool {
			return c.SMTPURL == "" && c.SMTPFrom == "Distans <distans@localhost>" && c.BaseURL == "http://127.0.0.1:8080"
		}, ""},
		{"base URL follows the address", []string{"-addr", ":9000"}, nil, func(c Config) bool { return c.BaseURL == "http://localhost:9000" }, ""},
		{"environment", nil, map[string]string{"DISTANS_SMTP_URL": "smtps://u:p@mail.example.se", "DISTANS_SMTP_FROM": "Distans <distans@kommun.se>",
			"DISTANS_BASE_URL": "https://distans.kommun.se"}, func(c Config) bool {
			return c.SMTPURL == "smtps://u:p@mail.example.se" && c.SMTPFrom == "Distans <distans@kommun.se>" && c.BaseURL == "https://distans.kommun.se"
		}, ""},
		{"flags win", []string{"-smtp-url", "smtp://mail.example.se:25", "-smtp-from", "a@b.se", "-base-url", "http://x.se"},
			map[string]string{"DISTANS_SMTP_URL": "smtps://u:p@mail.example.se", "DISTANS_BASE_URL": "https://distans.kommun.se"},
			func(c Config) bool {
				return c.SMTPURL == "smtp://mail.example.se:25" && c.SMTPFrom == "a@b.se" && c.BaseURL == "http://x.se"
			}, ""},
		{"bad scheme", []string{"-smtp-url", "http://u:hemligt@mail.example.se"}, nil, nil, "smtp://"},
		{"no host", []string{"-smtp-url", "smtp://u:hemligt@"}, nil, nil, "no host"},
		{"bad port", []string{"-smtp-url", "smtp://u:hemligt@mail.example.se:x25"}, nil, nil, "parsed"},
		{"unparsable", []string{"-smtp-url", "smtp://u:hemligt@mail\x7f.se"}, nil, nil, "parsed"},
		{"bad sender", []string{"-smtp-url", "smtp://mail.example.se", "-smtp-from", "Distans"}, nil, nil, "smtp-from"},
		{"bad base URL", []string{"-base-url", "distans.kommun.se"}, nil, nil, "base-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, err := Load("serve", tt.args, env(tt.env), io.Discard, nil)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hemligt") {
				t.Fatalf("the error shows the password: %v", err)
			}
			if tt.want != nil && !tt.want(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

func TestAuditSettings(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(Config) bool
		wantErr string
	}{
		{"no checkpoints by default", nil, nil, func(c Config) bool {
			return c.AuditKeyFile == "" && c.AuditKey == "" && c.AuditCheckpoints == "" && c.AuditCheckpointEvery == 15*time.Minute
		}, ""},
		{"key file and checkpoints from flags", []string{"-audit-key", "/etc/distans/audit.pem", "-audit-checkpoints", "/var/lib/distans/cp.jsonl",
			"-audit-checkpoint-every", "5m"}, nil, func(c Config) bool {
			return c.AuditKeyFile == "/etc/distans/audit.pem" && c.AuditCheckpoints == "/var/lib/distans/cp.jsonl" && c.AuditCheckpointEvery == 5*time.Minute
		}, ""},
		{"environment", nil, map[string]string{"DISTANS_AUDIT_KEY_FILE": "/k.pem", "DISTANS_AUDIT_CHECKPOINTS": "/cp.jsonl",
			"DISTANS_AUDIT_CHECKPOINT_EVERY": "1h"}, func(c Config) bool {
			return c.AuditKeyFile == "/k.pem" && c.AuditCheckpoints == "/cp.jsonl" && c.AuditCheckpointEvery == time.Hour
		}, ""},
		{"the key itself in the environment", nil, map[string]string{"DISTANS_AUDIT_KEY": "MC4CAQAwBQYDK2VwBCIEI"},
			func(c Config) bool { return c.AuditKey == "MC4CAQAwBQYDK2VwBCIEI" && c.AuditKeyFile == "" }, ""},
		{"flags win", []string{"-audit-key", "/b.pem"}, map[string]string{"DISTANS_AUDIT_KEY_FILE": "/a.pem"},
			func(c Config) bool { return c.AuditKeyFile == "/b.pem" }, ""},
		{"key in a file and in the environment", []string{"-audit-key", "/k.pem"}, map[string]string{"DISTANS_AUDIT_KEY": "x"}, nil, "not both"},
		{"checkpoints without a key", []string{"-audit-checkpoints", "/cp.jsonl"}, nil, nil, "needs a key"},
		{"interval not a duration", nil, map[string]string{"DISTANS_AUDIT_CHECKPOINT_EVERY": "15"}, nil, "DISTANS_AUDIT_CHECKPOINT_EVERY"},
		{"interval zero", []string{"-audit-checkpoint-every", "0s"}, nil, nil, "audit-checkpoint-every"},
		{"interval too long", []string{"-audit-checkpoint-every", "48h"}, nil, nil, "audit-checkpoint-every"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, err := Load("serve", tt.args, env(tt.env), io.Discard, nil)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if tt.want != nil && !tt.want(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

// TestNoPasswordInLogs: printed or logged, the settings keep the SMTP and
// database passwords to themselves.
func TestNoPasswordInLogs(t *testing.T) {
	t.Parallel()
	c, _, err := Load("serve", []string{"-smtp-url", "smtp://distans:hemligt@mail.example.se:587", "-db", "postgres://distans:lösen@db/distans"},
		func(k string) string {
			if k == "DISTANS_AUDIT_KEY" {
				return "nyckelhemlighet"
			}
			return ""
		}, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "config", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", c)
	fmt.Fprintf(&buf, "%v %+v %s", c, c, c)
	out := buf.String()
	for _, secret := range []string{"hemligt", "lösen", "l%C3%B6sen", "nyckelhemlighet"} {
		if strings.Contains(out, secret) {
			t.Fatalf("a password is printed:\n%s", out)
		}
	}
	if !strings.Contains(out, "mail.example.se:587") || !strings.Contains(out, "distans:xxxxx@") {
		t.Fatalf("the settings are not printed:\n%s", out)
	}
	if c.SMTPURL != "smtp://distans:hemligt@mail.example.se:587" {
		t.Fatalf("the setting itself was redacted: %s", c.SMTPURL)
	}
}
