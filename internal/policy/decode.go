package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/distans/distans"
)

// maxInput bounds what DecodeInput reads: the largest legitimate input (an
// agreement with long free texts) is a few kilobytes.
const maxInput = 1 << 20

// DecodeInput reads one JSON object of the given kind. It refuses unknown
// fields, values of the wrong type, derived variables, anything after the
// object, and values outside the kind's enumerations, with messages in
// Swedish and English (*distans.Error, code EINVALID). Times without an
// offset ("2025-10-26T02:30") are read in loc, and a local time that does
// not exist or exists twice because of a daylight-saving change is refused
// rather than guessed.
func DecodeInput(kind string, r io.Reader, loc *time.Location) (Input, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxInput {
		return nil, invalid("Indata är för stora (högst 1 MB).", "The input is too large (at most 1 MB).")
	}
	return decodeBytes(kind, data, loc)
}

func decodeBytes(kind string, data []byte, loc *time.Location) (Input, error) {
	switch kind {
	case KindAgreement:
		var a Agreement
		return &a, strict(kind, data, &a)
	case KindPhoneHours:
		var p PhoneHours
		return p, strict(kind, data, &p)
	case KindLeave:
		var raw struct {
			Days      int      `json:"days"`
			Equipment []string `json:"equipment"`
			FirstDay  string   `json:"first_day"`
		}
		if err := strict(kind, data, &raw); err != nil {
			return nil, err
		}
		var v distans.Validation
		return Leave{Days: raw.Days, Equipment: raw.Equipment, FirstDay: parseTime(&v, "first_day", raw.FirstDay, loc)}, v.Err()
	case KindEmploymentEnd:
		var raw struct {
			Equipment []string `json:"equipment"`
			LastDay   string   `json:"last_day"`
		}
		if err := strict(kind, data, &raw); err != nil {
			return nil, err
		}
		var v distans.Validation
		return EmploymentEnd{Equipment: raw.Equipment, LastDay: parseTime(&v, "last_day", raw.LastDay, loc)}, v.Err()
	case KindLoss:
		var raw struct {
			Kind              string   `json:"kind"`
			Categories        []string `json:"categories"`
			OutsidePremises   bool     `json:"outside_premises"`
			ReportedByManager bool     `json:"reported_by_manager"`
			DiscoveredAt      string   `json:"discovered_at"`
			ReportedAt        string   `json:"reported_at"`
		}
		if err := strict(kind, data, &raw); err != nil {
			return nil, err
		}
		var v distans.Validation
		return Loss{Kind: raw.Kind, Categories: raw.Categories, OutsidePremises: raw.OutsidePremises,
			ReportedByManager: raw.ReportedByManager,
			DiscoveredAt:      parseTime(&v, "discovered_at", raw.DiscoveredAt, loc),
			ReportedAt:        parseTime(&v, "reported_at", raw.ReportedAt, loc)}, v.Err()
	case KindTravel:
		var t Travel
		return t, strict(kind, data, &t)
	case KindMeeting:
		var m Meeting
		return m, strict(kind, data, &m)
	case KindPrecondition:
		var p Precondition
		return p, strict(kind, data, &p)
	case KindRedirect:
		var raw struct {
			Phone  string `json:"phone"`
			Target string `json:"target"`
			Until  string `json:"until"`
		}
		if err := strict(kind, data, &raw); err != nil {
			return nil, err
		}
		var v distans.Validation
		until := parseTime(&v, "until", raw.Until, loc)
		return Redirect{Phone: raw.Phone, Target: raw.Target, Until: until}, v.Err()
	case KindIncident:
		var raw struct {
			Kind             string `json:"kind"`
			DiscoveredAt     string `json:"discovered_at"`
			Severity         string `json:"severity"`
			Ongoing          bool   `json:"ongoing"`
			CyberSignificant bool   `json:"cyber_significant"`
			InjurySerious    bool   `json:"injury_serious"`
			OutsidePremises  bool   `json:"outside_premises"`
			IMYFiledAt       string `json:"imy_filed_at"`
		}
		if err := strict(kind, data, &raw); err != nil {
			return nil, err
		}
		var v distans.Validation
		in := Incident{Kind: raw.Kind, DiscoveredAt: parseTime(&v, "discovered_at", raw.DiscoveredAt, loc),
			Severity: raw.Severity, Ongoing: raw.Ongoing, CyberSignificant: raw.CyberSignificant,
			InjurySerious: raw.InjurySerious, OutsidePremises: raw.OutsidePremises}
		if raw.IMYFiledAt != "" {
			if t := parseTime(&v, "imy_filed_at", raw.IMYFiledAt, loc); !t.IsZero() {
				in.IMYFiledAt = &t
			}
		}
		return in, v.Err()
	}
	return nil, unknownKind(kind)
}

func unknownKind(kind string) error {
	names := strings.Join(kindNames(), ", ")
	return invalid(fmt.Sprintf("Okänd typ av kontroll %q. Tillåtna: %s.", kind, names),
		fmt.Sprintf("Unknown kind of check %q. Allowed: %s.", kind, names))
}

func invalid(sv, en string) *distans.Error { return distans.Errorf(distans.EINVALID, sv, en) }

func invalidField(field, sv, en string) *distans.Error {
	var v distans.Validation
	v.Add(field, sv, en)
	return v.Err().(*distans.Error)
}

// strict decodes exactly one JSON object into dst and translates the
// decoder's English into messages a person can act on.
func strict(kind string, data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, err := dec.Token(); err != io.EOF {
			return invalid("Efter JSON-objektet finns mer text.", "There is more text after the JSON object.")
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return invalid("Indata saknas: skicka ett JSON-objekt.", "The input is empty: send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("JSON-objektet tar slut för tidigt.", "The JSON object ends too early.")
	case errors.As(err, &syn):
		return invalid(fmt.Sprintf("Ogiltig JSON vid tecken %d.", syn.Offset), fmt.Sprintf("Invalid JSON at character %d.", syn.Offset))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalid("Indata ska vara ett JSON-objekt.", "The input must be a JSON object.")
		}
		want, wantEn := typeWords(typ.Type)
		return invalidField(typ.Field, fmt.Sprintf("Fältet ska vara %s, inte %s.", want, valueWord(typ.Value, true)),
			fmt.Sprintf("The field must be %s, not %s.", wantEn, valueWord(typ.Value, false)))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		known := variableNames(kind)
		return invalidField(name, fmt.Sprintf("Okänt fält. Fälten för %s är: %s.", kind, known),
			fmt.Sprintf("Unknown field. The fields of %s are: %s.", kind, known))
	}
	return invalid("Indata går inte att läsa: "+err.Error(), "The input cannot be read: "+err.Error())
}

// variableNames lists the input fields of a kind (derived variables are not
// input).
func variableNames(kind string) string {
	k, ok := kindByName(kind)
	if !ok {
		return ""
	}
	var names []string
	for _, v := range k.Variables {
		if !v.Derived {
			names = append(names, v.Name)
		}
	}
	return strings.Join(names, ", ")
}

func typeWords(t reflect.Type) (sv, en string) {
	switch t.Kind() {
	case reflect.String:
		return "text", "text"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "ett heltal", "a whole number"
	case reflect.Bool:
		return "true eller false", "true or false"
	case reflect.Slice:
		return "en lista", "a list"
	case reflect.Struct, reflect.Map:
		return "ett objekt", "an object"
	}
	return t.String(), t.String()
}

func valueWord(v string, sv bool) string {
	switch {
	case v == "string":
		return pick(sv, "text", "text")
	case strings.HasPrefix(v, "number"):
		return pick(sv, "ett tal ("+strings.TrimSpace(strings.TrimPrefix(v, "number"))+")", "a number ("+strings.TrimSpace(strings.TrimPrefix(v, "number"))+")")
	case v == "bool":
		return pick(sv, "true/false", "true/false")
	case v == "array":
		return pick(sv, "en lista", "a list")
	case v == "object":
		return pick(sv, "ett objekt", "an object")
	}
	return v
}

func pick(sv bool, a, b string) string {
	if sv {
		return a
	}
	return b
}

// offsetLayouts are the forms of a time with an offset that are accepted:
// RFC 3339, and the same without seconds.
var offsetLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00"}

// localLayouts are the forms of a time without an offset that people type.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// parseTime reads an RFC 3339 time, or a local time in loc. An empty string
// is the zero time (absent).
func parseTime(v *distans.Validation, field, s string, loc *time.Location) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range offsetLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	for _, layout := range localLayouts {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		// time.ParseInLocation silently moves a time that falls in the gap of
		// a spring-forward change, and picks one of the two instants of a
		// fall-back hour. Neither is acceptable for a legal deadline.
		if t.Format(layout) != s {
			v.Add(field, fmt.Sprintf("Tiden %s finns inte i %s (sommartid börjar). Ange tiden med tidszon.", s, loc),
				fmt.Sprintf("The time %s does not exist in %s (daylight saving starts). Give the time with an offset.", s, loc))
			return time.Time{}
		}
		if t.Add(-time.Hour).Format(layout) == s || t.Add(time.Hour).Format(layout) == s {
			v.Add(field, fmt.Sprintf("Tiden %s förekommer två gånger i %s (sommartid slutar). Ange tiden med tidszon, till exempel +02:00 eller +01:00.", s, loc),
				fmt.Sprintf("The time %s occurs twice in %s (daylight saving ends). Give the time with an offset, for example +02:00 or +01:00.", s, loc))
			return time.Time{}
		}
		return t
	}
	v.Add(field, "Ange tiden som ÅÅÅÅ-MM-DD TT:MM, gärna med tidszon (2025-10-26T14:30+01:00).",
		"Give the time as YYYY-MM-DDTHH:MM, preferably with an offset (2025-10-26T14:30+01:00).")
	return time.Time{}
}
