// Package config reads the binary's settings from flags and the
// environment. Flags win over the environment; there are no globals.
package config

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// Config holds every setting of the distans binary.
type Config struct {
	Addr          string        // DISTANS_ADDR / -addr
	DB            string        // DISTANS_DB / -db: sqlite:PATH or postgres://…
	Demo          bool          // DISTANS_DEMO=1 / -demo; serve defaults to true on the default database
	LogFormat     string        // DISTANS_LOG_FORMAT / -log-format: text or json
	LogLevel      string        // DISTANS_LOG_LEVEL / -log-level: debug, info, warn, error
	SecureCookies bool          // DISTANS_SECURE_COOKIES / -secure-cookies: set behind HTTPS
	ShutdownGrace time.Duration // how long in-flight requests get on SIGTERM
}

// Defaults are what a newcomer gets with no settings at all.
func Defaults() Config {
	return Config{
		Addr:          "127.0.0.1:8080",
		DB:            "sqlite:distans.db",
		LogFormat:     "text",
		LogLevel:      "info",
		ShutdownGrace: 15 * time.Second,
	}
}

// Load reads the environment, then the flags in args, into a Config for
// the named subcommand; extra registers the subcommand's own flags.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (Config, []string, error) {
	c := Defaults()
	if v := getenv("DISTANS_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("DISTANS_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("DISTANS_LOG_FORMAT"); v != "" {
		c.LogFormat = v
	}
	if v := getenv("DISTANS_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	c.Demo = truthy(getenv("DISTANS_DEMO"))
	c.SecureCookies = truthy(getenv("DISTANS_SECURE_COOKIES"))

	fs := flag.NewFlagSet("distans "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (DISTANS_ADDR)")
	fs.StringVar(&c.DB, "db", c.DB, "database: sqlite:PATH or postgres://… (DISTANS_DB)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo organisations into an empty database (DISTANS_DEMO=1)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (DISTANS_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (DISTANS_LOG_LEVEL)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark cookies Secure; set when served over HTTPS (DISTANS_SECURE_COOKIES=1)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", c.ShutdownGrace, "time in-flight requests get on shutdown")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	// A newcomer's plain "distans" on the default SQLite file gets the demo
	// organisations; anyone who names a database decides for themselves.
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if name == "serve" && getenv("DISTANS_DB") == "" && getenv("DISTANS_DEMO") == "" && !set["db"] && !set["demo"] {
		c.Demo = true
	}
	return c, fs.Args(), c.Validate()
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Addr == "":
		return fmt.Errorf("config: -addr is empty")
	case !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://"):
		return fmt.Errorf("config: -db must be sqlite:PATH or a postgres:// URL, not %q", c.DB)
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("config: -log-format must be text or json")
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: -log-level must be debug, info, warn or error")
	}
	return nil
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
