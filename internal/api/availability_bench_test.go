package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/distans/distans"
)

// benchAvailability is a full site as the load test sees it: 50 desks in
// 5 zones, every one booked for the day by someone the viewer may not see.
func benchAvailability() *distans.SiteAvailability {
	at := time.Date(2026, 11, 22, 15, 8, 19, 123456000, time.UTC)
	id := func(kind string, i int) string { return fmt.Sprintf("01a203cd-%s-763d-a006-%012d", kind, i) }
	av := &distans.SiteAvailability{
		Site: &distans.Site{ID: id("site", 1), OrganisationID: id("orgn", 1), Name: "Stadshuset", Kind: "office",
			Street: "Storgatan 1", PostalCode: "111 22", City: "Stockholm", CreatedAt: at, UpdatedAt: at},
		Date:  at.Truncate(24 * time.Hour),
		Rules: &distans.DefaultBookingRules,
	}
	for z := range 5 {
		za := &distans.ZoneAvailability{Zone: &distans.Zone{ID: id("zone", z), OrganisationID: id("orgn", 1), SiteID: id("site", 1), Name: fmt.Sprintf("Zon %d", z)}}
		for d := range 10 {
			h := &distans.SlotHolder{Part: distans.PartDay, Status: "booked"}
			za.Desks = append(za.Desks, &distans.DeskAvailability{
				Desk: &distans.Desk{ID: id("desk", z*10+d), OrganisationID: id("orgn", 1), SiteID: id("site", 1), ZoneID: za.Zone.ID,
					Label: fmt.Sprintf("P%d", d), Screens: 2, HeightAdjustable: true, CreatedAt: at, UpdatedAt: at},
				State: distans.DeskDayTaken, AM: h, PM: h,
			})
		}
		av.Zones = append(av.Zones, za)
		av.Desks += 10
	}
	return av
}

// BenchmarkAvailabilityJSON compares encoding/json with the hand-written
// encoding the handler uses.
func BenchmarkAvailabilityJSON(b *testing.B) {
	v := availabilityJSON{SiteAvailability: benchAvailability(), Date: NewDate(time.Now())}
	b.Run("encoding/json", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := json.NewEncoder(&buf).Encode(v); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
	})
	b.Run("appended", func(b *testing.B) {
		var buf []byte
		b.ReportAllocs()
		for b.Loop() {
			buf = v.appendJSON(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
}
