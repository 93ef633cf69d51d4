package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/distans/distans"
)

// fill sets every field reachable from v, pointers and slices included, to
// a value other than its zero, with strings that need escaping, so that
// encoding/json writes every field a type has, including any added later.
func fill(t *testing.T, v reflect.Value, s string) {
	t.Helper()
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), s)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), s)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 11, 22, 8, 15, 0, 120_000_000, time.FixedZone("", 3600))))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), s+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.String:
		v.SetString(s + ` "Åsa" <&> ` + "\u2028\t\xff")
	case reflect.Int:
		v.SetInt(int64(len(s)))
	case reflect.Bool:
		v.SetBool(true)
	default:
		t.Fatalf("fill: %s (%s) has no test value", s, v.Type())
	}
}

// TestAvailabilityJSON: the hand-written JSON of a site's availability is
// byte for byte what encoding/json writes, for every field set, for the
// fields left out when empty, and for a real site's day.
func TestAvailabilityJSON(t *testing.T) {
	full := &distans.SiteAvailability{}
	fill(t, reflect.ValueOf(full).Elem(), "av")
	empty := &distans.SiteAvailability{Site: &distans.Site{}, Rules: &distans.BookingRules{}, Zones: []*distans.ZoneAvailability{
		{Zone: &distans.Zone{}, Desks: []*distans.DeskAvailability{{Desk: &distans.Desk{}, AM: &distans.SlotHolder{}}, nil}},
		{}, nil,
	}}
	for name, v := range map[string]availabilityJSON{
		"every field":       {SiteAvailability: full, Date: NewDate(full.Date)},
		"empty fields":      {SiteAvailability: empty},
		"nothing":           {SiteAvailability: &distans.SiteAvailability{}},
		"a full site's day": {SiteAvailability: benchAvailability(), Date: NewDate(time.Now())},
	} {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			if err := json.NewEncoder(&want).Encode(v); err != nil {
				t.Fatal(err)
			}
			if got := append(v.appendJSON(nil), '\n'); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("hand-written JSON differs from encoding/json's:\n got %s\nwant %s", got, want.Bytes())
			}
		})
	}
}

// FuzzAppendString: any string is written as encoding/json writes it.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "P10", "Åsa Öberg", `a"b\c`, "<&>", "\u2028\u2029", "\x00\x1f\x7f", "\xff\xfe", "é\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}
