package config

import (
	"io"
	"testing"
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
