// Package config reads the binary's settings from flags and the
// environment. Flags win over the environment; there are no globals.
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"runtime"
	"strconv"
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
	// CredentialCache is how long an instance may trust what it read about
	// a session or API token (its person, employment and roles) before
	// reading it again; 0 reads it on every request. Another instance's
	// revocation or role change takes effect this late here.
	// DISTANS_CREDENTIAL_CACHE / -credential-cache.
	CredentialCache time.Duration
	// DBConns is how many connections an instance keeps open to
	// PostgreSQL: about twice the database server's cores.
	// DISTANS_DB_CONNS / -db-conns.
	DBConns int
	// MaxActive is how many requests an instance serves at once, the rest
	// waiting their turn in order; 0 for no limit. DISTANS_MAX_ACTIVE /
	// -max-active.
	MaxActive int

	// CSRFKey signs the tokens of the forms shown before sign-in (at least
	// 32 characters, the same on every instance behind one address; empty
	// picks a random key per process). Only from the environment, so that
	// it shows in no process list: DISTANS_CSRF_KEY.
	CSRFKey string

	// SMTPURL is where e-mail goes: smtp://user:password@host:port
	// (STARTTLS when offered) or smtps://… (TLS); empty for no e-mail, and
	// notifications are then only shown in Distans. It holds a password:
	// String and LogValue print it redacted. DISTANS_SMTP_URL / -smtp-url.
	SMTPURL string
	// SMTPFrom is the sender of e-mail. DISTANS_SMTP_FROM / -smtp-from.
	SMTPFrom string
	// BaseURL is the address people reach Distans at, for links in
	// e-mail; by default http:// and Addr (localhost when Addr names no
	// host). DISTANS_BASE_URL / -base-url.
	BaseURL string

	// AuditKeyFile is the Ed25519 private key (PEM, PKCS #8) that signs
	// checkpoints of the audit chains; it must not be readable by the
	// database's administrators. DISTANS_AUDIT_KEY_FILE / -audit-key.
	AuditKeyFile string
	// AuditKey is that key itself, PEM or the base64 of its DER, for a
	// secret handed over in the environment; never a flag, which every
	// user of the machine sees. String and LogValue leave it out.
	// DISTANS_AUDIT_KEY.
	AuditKey string
	// AuditCheckpoints is the file the checkpoints are appended to, one
	// JSON object a line; empty for the log alone.
	// DISTANS_AUDIT_CHECKPOINTS / -audit-checkpoints.
	AuditCheckpoints string
	// AuditCheckpointEvery is the time between two checkpoints.
	// DISTANS_AUDIT_CHECKPOINT_EVERY / -audit-checkpoint-every.
	AuditCheckpointEvery time.Duration
}

// Defaults are what a newcomer gets with no settings at all.
func Defaults() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DB:              "sqlite:distans.db",
		LogFormat:       "text",
		LogLevel:        "info",
		ShutdownGrace:   15 * time.Second,
		CredentialCache: 5 * time.Second, // sqlstore.DefaultCredentialTTL
		DBConns:         16,              // sqlstore.DefaultPostgresConns
		MaxActive:       DefaultMaxActive(),
		SMTPFrom:        "Distans <distans@localhost>",

		AuditCheckpointEvery: 15 * time.Minute, // jobs.DefaultCheckpointEvery
	}
}

// DefaultMaxActive is four requests at once a core: enough to keep the
// cores busy while some wait on the database, few enough that each keeps
// its place. On two cores, 8 at a time served the directory at 100
// clients with more requests a second and a p99 half as long as no limit.
func DefaultMaxActive() int { return 4 * runtime.GOMAXPROCS(0) }

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
	if v := getenv("DISTANS_SMTP_URL"); v != "" {
		c.SMTPURL = v
	}
	if v := getenv("DISTANS_SMTP_FROM"); v != "" {
		c.SMTPFrom = v
	}
	if v := getenv("DISTANS_BASE_URL"); v != "" {
		c.BaseURL = v
	}
	if v := getenv("DISTANS_AUDIT_KEY_FILE"); v != "" {
		c.AuditKeyFile = v
	}
	c.AuditKey = getenv("DISTANS_AUDIT_KEY")
	if v := getenv("DISTANS_AUDIT_CHECKPOINTS"); v != "" {
		c.AuditCheckpoints = v
	}
	if v := getenv("DISTANS_AUDIT_CHECKPOINT_EVERY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, nil, fmt.Errorf("config: DISTANS_AUDIT_CHECKPOINT_EVERY must be a duration such as 15m, not %q", v)
		}
		c.AuditCheckpointEvery = d
	}
	if v := getenv("DISTANS_DB_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return c, nil, fmt.Errorf("config: DISTANS_DB_CONNS must be a whole number, not %q", v)
		}
		c.DBConns = n
	}
	if v := getenv("DISTANS_MAX_ACTIVE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return c, nil, fmt.Errorf("config: DISTANS_MAX_ACTIVE must be a whole number, not %q", v)
		}
		c.MaxActive = n
	}
	if v := getenv("DISTANS_CREDENTIAL_CACHE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, nil, fmt.Errorf("config: DISTANS_CREDENTIAL_CACHE must be a duration such as 5s, not %q", v)
		}
		c.CredentialCache = d
	}
	c.Demo = truthy(getenv("DISTANS_DEMO"))
	c.SecureCookies = truthy(getenv("DISTANS_SECURE_COOKIES"))
	c.CSRFKey = getenv("DISTANS_CSRF_KEY")

	fs := flag.NewFlagSet("distans "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (DISTANS_ADDR)")
	fs.StringVar(&c.DB, "db", c.DB, "database: sqlite:PATH or postgres://… (DISTANS_DB)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the demo organisations into an empty database (DISTANS_DEMO=1)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (DISTANS_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn, error (DISTANS_LOG_LEVEL)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies, "mark cookies Secure; set when served over HTTPS (DISTANS_SECURE_COOKIES=1)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", c.ShutdownGrace, "time in-flight requests get on shutdown")
	fs.IntVar(&c.DBConns, "db-conns", c.DBConns, "connections kept open to PostgreSQL, about twice the database server's cores; half as many again for bookings (DISTANS_DB_CONNS)")
	fs.IntVar(&c.MaxActive, "max-active", c.MaxActive, "requests served at once, the rest waiting their turn in order; 0 for no limit (DISTANS_MAX_ACTIVE)")
	fs.DurationVar(&c.CredentialCache, "credential-cache", c.CredentialCache,
		"how long a session's or API token's person and roles are trusted before being read again; another instance's revocation takes effect this late; 0 reads them on every request (DISTANS_CREDENTIAL_CACHE)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "e-mail server: smtp://user:password@host:port or smtps://…; empty for no e-mail (DISTANS_SMTP_URL)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", c.SMTPFrom, "sender of e-mail (DISTANS_SMTP_FROM)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "address of Distans for links in e-mail; default http:// and -addr (DISTANS_BASE_URL)")
	fs.StringVar(&c.AuditKeyFile, "audit-key", c.AuditKeyFile,
		"Ed25519 private key (PEM) that signs checkpoints of the audit chains, kept from the database's administrators; or the key itself in DISTANS_AUDIT_KEY (DISTANS_AUDIT_KEY_FILE)")
	fs.StringVar(&c.AuditCheckpoints, "audit-checkpoints", c.AuditCheckpoints,
		"file the signed checkpoints are appended to, out of the database's administrators' reach; they are logged as well (DISTANS_AUDIT_CHECKPOINTS)")
	fs.DurationVar(&c.AuditCheckpointEvery, "audit-checkpoint-every", c.AuditCheckpointEvery,
		"time between two checkpoints of the audit chains (DISTANS_AUDIT_CHECKPOINT_EVERY)")
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
	if c.BaseURL == "" {
		c.BaseURL = baseURL(c.Addr)
	}
	return c, fs.Args(), c.Validate()
}

// baseURL is http:// and addr, with localhost for an address that names
// no host or every host.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
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
	case c.DBConns < 1 || c.DBConns > 1000:
		return fmt.Errorf("config: -db-conns must be between 1 and 1000, not %d", c.DBConns)
	case c.MaxActive < 0 || c.MaxActive > 100000:
		return fmt.Errorf("config: -max-active must be between 0 and 100000, not %d", c.MaxActive)
	case c.CSRFKey != "" && len(c.CSRFKey) < 32:
		return fmt.Errorf("config: DISTANS_CSRF_KEY must be at least 32 characters")
	case c.CredentialCache < 0 || c.CredentialCache > time.Minute:
		return fmt.Errorf("config: -credential-cache must be between 0 and 1m, not %s", c.CredentialCache)
	case c.AuditKeyFile != "" && c.AuditKey != "":
		return fmt.Errorf("config: give the audit key either in a file (-audit-key) or in DISTANS_AUDIT_KEY, not both")
	case c.AuditCheckpoints != "" && c.AuditKeyFile == "" && c.AuditKey == "":
		return fmt.Errorf("config: -audit-checkpoints needs a key to sign them with: -audit-key FILE or DISTANS_AUDIT_KEY")
	case c.AuditCheckpointEvery < time.Second || c.AuditCheckpointEvery > 24*time.Hour:
		return fmt.Errorf("config: -audit-checkpoint-every must be between 1s and 24h, not %s", c.AuditCheckpointEvery)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: -log-level must be debug, info, warn or error")
	}
	if c.SMTPURL != "" {
		// url.Parse's errors quote the URL, password and all: say less.
		u, err := url.Parse(c.SMTPURL)
		switch {
		case err != nil:
			return fmt.Errorf("config: -smtp-url cannot be parsed")
		case u.Scheme != "smtp" && u.Scheme != "smtps":
			return fmt.Errorf("config: -smtp-url must start with smtp:// or smtps://, not %q", u.Scheme+"://")
		case u.Hostname() == "":
			return fmt.Errorf("config: -smtp-url %s names no host", u.Redacted())
		case u.Port() != "" && strings.Trim(u.Port(), "0123456789") != "":
			return fmt.Errorf("config: -smtp-url %s has a bad port", u.Redacted())
		}
		if _, err := netmail.ParseAddress(c.SMTPFrom); err != nil {
			return fmt.Errorf("config: -smtp-from %q is not an e-mail address", c.SMTPFrom)
		}
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("config: -base-url must be an http:// or https:// URL, not %q", c.BaseURL)
		}
	}
	return nil
}

// redacted is c with the passwords in the SMTP and PostgreSQL URLs, and
// the audit key, replaced by "xxxxx".
func (c Config) redacted() Config {
	redact := func(s string) string {
		if !strings.Contains(s, "://") {
			return s
		}
		if u, err := url.Parse(s); err == nil {
			return u.Redacted()
		}
		return "(unparsable)"
	}
	c.SMTPURL, c.DB = redact(c.SMTPURL), redact(c.DB)
	if c.AuditKey != "" {
		c.AuditKey = "xxxxx"
	}
	if c.CSRFKey != "" {
		c.CSRFKey = "xxxxx"
	}
	return c
}

// String prints the settings without passwords.
func (c Config) String() string {
	type plain Config // without the method, so that %+v does not recurse
	return fmt.Sprintf("%+v", plain(c.redacted()))
}

// LogValue logs the settings without passwords.
func (c Config) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(slog.String("addr", r.Addr), slog.String("db", r.DB), slog.Bool("demo", r.Demo),
		slog.String("log_format", r.LogFormat), slog.String("log_level", r.LogLevel), slog.Bool("secure_cookies", r.SecureCookies),
		slog.Duration("shutdown_grace", r.ShutdownGrace), slog.Duration("credential_cache", r.CredentialCache), slog.Int("db_conns", r.DBConns), slog.Int("max_active", r.MaxActive), slog.String("smtp_url", r.SMTPURL), slog.String("smtp_from", r.SMTPFrom),
		slog.String("base_url", r.BaseURL), slog.String("audit_key", r.AuditKeyFile), slog.Bool("audit_key_in_env", r.AuditKey != ""),
		slog.String("audit_checkpoints", r.AuditCheckpoints), slog.Duration("audit_checkpoint_every", r.AuditCheckpointEvery))
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
