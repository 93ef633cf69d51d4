package auth

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/distans/distans"
)

func TestHashPasswordFormat(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("korrekt häst batteri")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: want PHC argon2id with m=19456,t=2,p=1", h)
	}
	h2, _ := HashPassword("korrekt häst batteri")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	const pw = "Sommar i Skåne 2024!"
	good, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	// A hash made with other parameters, as an older Distans or another
	// system might have stored it.
	salt := []byte("0123456789abcdef")
	other := fmt.Sprintf("$argon2id$v=19$m=8192,t=3,p=2$%s$%s", b64.EncodeToString(salt),
		b64.EncodeToString(argon2.IDKey([]byte(pw), salt, 3, 8192, 2, 24)))
	flip := func(s string) string { // change one character of the key
		b := []byte(s)
		if b[len(b)-2] == 'A' {
			b[len(b)-2] = 'B'
		} else {
			b[len(b)-2] = 'A'
		}
		return string(b)
	}

	tests := []struct {
		name    string
		hash    string
		pw      string
		want    bool
		wantErr bool
	}{
		{"round trip", good, pw, true, false},
		{"wrong password", good, "Sommar i Skåne 2025!", false, false},
		{"empty password", good, "", false, false},
		{"NFD form of the same password", good, "Sommar i Ska\u030ane 2024!", true, false},
		{"other parameters", other, pw, true, false},
		{"other parameters, wrong password", other, "fel", false, false},
		{"tampered key", flip(good), pw, false, false},
		{"tampered salt", strings.Join([]string{"", parts[1], parts[2], parts[3], b64.EncodeToString([]byte("saltsaltsaltsalt")), parts[5]}, "$"), pw, false, false},
		{"tampered parameters", strings.Replace(good, "t=2", "t=3", 1), pw, false, false},
		{"not argon2id", strings.Replace(good, "argon2id", "argon2i", 1), pw, false, true},
		{"wrong version", strings.Replace(good, "v=19", "v=16", 1), pw, false, true},
		{"memory above limit", strings.Replace(good, "m=19456", "m=4194304", 1), pw, false, true},
		{"missing parameter", strings.Replace(good, ",p=1", "", 1), pw, false, true},
		{"bad base64", strings.Replace(good, parts[4], "!!!", 1), pw, false, true},
		{"empty", "", pw, false, true},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", pw, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := CheckPassword(tt.hash, tt.pw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckPolicy(t *testing.T) {
	t.Parallel()
	old1, _ := HashPassword("gammalt-lösen-1")
	old2, _ := HashPassword("gammalt-lösen-2")
	history := []string{old1, "not a hash", old2}
	def := distans.DefaultPasswordPolicy

	tests := []struct {
		name    string
		policy  distans.PasswordPolicy
		pw      string
		history []string
		wantSv  string // part of the Swedish field message; empty means valid
	}{
		{"eight characters", def, "abcdefgh", nil, ""},
		{"seven characters", def, "abcdefg", nil, "minst 8 tecken"},
		{"empty", def, "", nil, "minst 8 tecken"},
		{"runes not bytes: åäöåäöå is seven", def, "åäöåäöå", nil, "minst 8 tecken"},
		{"runes: åäöåäöåä is eight", def, "åäöåäöåä", nil, ""},
		{"longer policy", distans.PasswordPolicy{MinLength: 12}, "elva tecken", nil, "minst 12 tecken"},
		{"unset policy keeps the floor of eight", distans.PasswordPolicy{}, "kort", nil, "minst 8 tecken"},
		{"maximum length", def, strings.Repeat("a", MaxPasswordLength), nil, ""},
		{"too long", def, strings.Repeat("a", MaxPasswordLength+1), nil, "högst 256 tecken"},
		{"invalid UTF-8", def, "abcdefgh\xff", nil, "ogiltiga tecken"},
		{"reuses an earlier password", def, "gammalt-lösen-2", history, "använt det här lösenordet tidigare"},
		{"new password, history with a bad entry", def, "helt-nytt-lösen", history, ""},
		{"no organisation's document named for another's", def, "kort", nil, "Lösenordet måste ha minst 8 tecken."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CheckPolicy(tt.policy, tt.pw, tt.history)
			if tt.wantSv == "" {
				if err != nil {
					t.Fatalf("CheckPolicy = %v, want nil", err)
				}
				return
			}
			e, ok := err.(*distans.Error)
			if !ok || e.Code != distans.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "password" {
				t.Fatalf("CheckPolicy = %#v, want EINVALID on field password", err)
			}
			if !strings.Contains(e.Fields[0].Sv, tt.wantSv) {
				t.Fatalf("message %q, want it to contain %q", e.Fields[0].Sv, tt.wantSv)
			}
			if e.Fields[0].En == "" {
				t.Fatal("no English message")
			}
		})
	}
}

func TestCheckPersonal(t *testing.T) {
	t.Parallel()
	a := &distans.Account{Name: "Märta Nord Lindqvist", Email: "marta.lindqvist@kristianstad.se"}
	tests := []struct {
		pw      string
		wantErr bool
	}{
		{"Lindqvist2024", true},
		{"MÄRTAs hemliga", true},
		{"marta.l!2024", true},
		{"sommar-i-skåne", false},
		{"evaluate-this", false},
		{"mitt-lösenord-är-långt", false}, // a short name part would match inside words

	}
	for _, tt := range tests {
		if err := checkPersonal(a, tt.pw); (err != nil) != tt.wantErr {
			t.Errorf("checkPersonal(%q) = %v, want error %v", tt.pw, err, tt.wantErr)
		}
	}
}
