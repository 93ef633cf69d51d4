package web_test

import (
	"net/http"
	"testing"

	"github.com/distans/distans"
)

// BenchmarkStartPage measures the start page for a signed-in HR officer
// through the whole middleware chain: session lookup, grants, the person,
// the organisation and rendering.
//
//	go test -run XXX -bench StartPage -cpuprofile /tmp/cpu.out ./internal/web
func BenchmarkStartPage(b *testing.B) {
	e := newEnv(b)
	c := e.as("stockholm", distans.RoleHR)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
			res, err := c.http.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("status %d", res.StatusCode)
				return
			}
		}
	})
}
