package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/distans/distans"
)

// Argon2id parameters for new hashes. OWASP's Password Storage Cheat Sheet
// lists m=19 MiB, t=2, p=1 as its minimum configuration; we take exactly that
// because a Distans server is typically two cores shared with the database,
// and a verification at these settings costs roughly 20–40 ms of one core and
// 19 MiB while it runs. Higher memory would let a burst of sign-ins (or an
// attacker) push the machine into swap; lower would fall below the
// recommendation. The parameters are stored in every hash, so they can be
// raised later and old hashes still verify.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Bounds for parameters read from a stored hash, so that a tampered or
// foreign hash cannot make a verification take gigabytes or minutes.
const (
	maxArgonMemory  = 256 * 1024 // KiB
	maxArgonTime    = 16
	maxArgonThreads = 16
)

// MaxPasswordLength is the longest password accepted, in characters. Long
// passphrases are welcome; the limit only stops megabyte-sized input.
const MaxPasswordLength = 256

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// HashPassword returns an argon2id hash of pw in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>. The password is normalised to
// Unicode NFC first, so that "å" typed as one code point or as "a" plus a
// ring verifies the same on every device.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errMalformedHash is returned for a stored hash that is not argon2id PHC.
var errMalformedHash = errors.New("auth: malformed password hash")

// CheckPassword reports whether pw matches hash. The parameters are read from
// the hash itself; the comparison is constant-time. An error means the hash
// is malformed, never that the password is wrong.
func CheckPassword(hash, pw string) (bool, error) {
	p, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

func parseHash(s string) (*argonHash, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, errMalformedHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, fmt.Errorf("auth: unsupported argon2 version %q", parts[2])
	}
	var h argonHash
	var seen int
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, errMalformedHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			return nil, errMalformedHash
		}
		switch k {
		case "m":
			if n > maxArgonMemory {
				return nil, fmt.Errorf("auth: argon2 memory %d KiB above limit", n)
			}
			h.memory = uint32(n)
			seen |= 1
		case "t":
			if n > maxArgonTime {
				return nil, fmt.Errorf("auth: argon2 time %d above limit", n)
			}
			h.time = uint32(n)
			seen |= 2
		case "p":
			if n > maxArgonThreads {
				return nil, fmt.Errorf("auth: argon2 parallelism %d above limit", n)
			}
			h.threads = uint8(n)
			seen |= 4
		default:
			return nil, errMalformedHash
		}
	}
	if seen != 7 {
		return nil, errMalformedHash
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return nil, errMalformedHash
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return nil, errMalformedHash
	}
	return &h, nil
}

// CheckPolicy checks a new password against an organisation's rules:
// at least policy.MinLength characters (counted as runes, so "åäö" is three),
// at most MaxPasswordLength, and not one of the earlier passwords whose
// hashes are given in history (Kristianstad 003, "Lösenord": at least eight
// characters; do not reuse earlier passwords). It returns an EINVALID
// *distans.Error on the field "password", or nil.
func CheckPolicy(policy distans.PasswordPolicy, pw string, history []string) error {
	minLen := policy.MinLength
	if minLen < distans.DefaultPasswordPolicy.MinLength {
		// An unset or broken policy never lowers the floor of the instruction.
		minLen = distans.DefaultPasswordPolicy.MinLength
	}
	var v distans.Validation
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		v.Add("password", "Lösenordet innehåller ogiltiga tecken.", "The password contains invalid characters.")
	case n < minLen:
		v.Add("password",
			fmt.Sprintf("Lösenordet måste ha minst %d tecken.", minLen),
			fmt.Sprintf("The password must have at least %d characters.", minLen))
	case n > MaxPasswordLength:
		v.Add("password",
			fmt.Sprintf("Lösenordet får ha högst %d tecken.", MaxPasswordLength),
			fmt.Sprintf("The password may have at most %d characters.", MaxPasswordLength))
	default:
		for _, h := range history {
			// A malformed entry cannot match; skipping it is safer than
			// refusing every new password because of one bad row.
			if ok, err := CheckPassword(h, pw); err == nil && ok {
				v.Add("password",
					"Du har använt det här lösenordet tidigare. Välj ett nytt.",
					"You have used this password before. Choose a new one.")
				break
			}
		}
	}
	return v.Err()
}

// checkPersonal refuses a password that contains the person's name or the
// first part of their e-mail address: Kristianstad 003 asks that a password
// "inte lätt kan kopplas till enskild person". Parts shorter than five
// characters are ignored: short Swedish surnames hide in ordinary words
// ("Nord" in "lösenord", "Lind" in "blind"), and refusing those would only
// teach people that the rule is arbitrary.
func checkPersonal(a *distans.Account, pw string) error {
	lower := strings.ToLower(norm.NFC.String(pw))
	local, _, _ := strings.Cut(a.Email, "@")
	parts := strings.FieldsFunc(strings.ToLower(a.Name+" "+local), func(r rune) bool {
		return r == ' ' || r == '.' || r == '-' || r == '_' || r == '+'
	})
	for _, p := range parts {
		if utf8.RuneCountInString(p) >= 5 && strings.Contains(lower, norm.NFC.String(p)) {
			var v distans.Validation
			v.Add("password",
				"Lösenordet får inte innehålla ditt namn eller din e-postadress (Kristianstads informationssäkerhetsinstruktion: lösenordet ska inte lätt kunna kopplas till dig).",
				"The password may not contain your name or e-mail address (Kristianstad's information-security instruction: it must not be easy to link to you).")
			return v.Err()
		}
	}
	return nil
}
