package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// mixedEvery is how often a mixed office run prints what was answered.
const mixedEvery = 10 * time.Second

// tally counts the answers of one kind of request as they come, for the
// lines a mixed run prints while it runs. A nil tally counts nothing.
type tally struct {
	name       string
	ok, failed atomic.Int64
}

func (t *tally) add(ok bool) {
	switch {
	case t == nil:
	case ok:
		t.ok.Add(1)
	default:
		t.failed.Add(1)
	}
}

// runOfficeMixed runs the office's requests all at once for c.Duration:
// availability and who-am-I with c.Conns clients each, and the racing
// bookings paced so that their slots last the whole run. Every mixedEvery
// it prints the wall-clock time (UTC) and the answers a second of each kind
// and the failed requests since the last line, so that a run beside an
// operator's change, such as a Citus rebalance, shows the throughput
// before, during and after it and any request that failed meanwhile.
func runOfficeMixed(ctx context.Context, base string, data *officeData, c *config, read creds, availability, me scenario, out io.Writer) ([]*result, *raceResult) {
	tallies := []*tally{{name: "availability"}, {name: "/api/v1/me"}, {name: "bookings"}}
	fmt.Fprintf(out, "running availability and /api/v1/me with %d clients each and %d racing clients (paced) at once for %s…\n",
		c.Conns, len(data.raceTokens), c.Duration)
	stop := make(chan struct{})
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		tick := time.NewTicker(mixedEvery)
		defer tick.Stop()
		last, lastOK, lastFailed := time.Now(), make([]int64, len(tallies)), make([]int64, len(tallies))
		line := func(now time.Time) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s", now.UTC().Format("15:04:05Z"))
			for i, t := range tallies {
				ok, failed := t.ok.Load(), t.failed.Load()
				fmt.Fprintf(&b, "  %s %.1f/s", t.name, float64(ok-lastOK[i])/now.Sub(last).Seconds())
				if failed > lastFailed[i] {
					fmt.Fprintf(&b, " (%d failed)", failed-lastFailed[i])
				}
				lastOK[i], lastFailed[i] = ok, failed
			}
			fmt.Fprintln(out, b.String())
			last = now
		}
		for {
			select {
			case now := <-tick.C:
				line(now)
			case <-stop:
				line(time.Now())
				return
			}
		}
	}()

	results := make([]*result, 2)
	var race *raceResult
	var wg sync.WaitGroup
	wg.Go(func() { results[0] = runScenario(ctx, base, availability, read, c.Conns, c.Duration, tallies[0]) })
	wg.Go(func() { results[1] = runScenario(ctx, base, me, read, c.Conns, c.Duration, tallies[1]) })
	wg.Go(func() { race = runRace(ctx, base, data, c.Duration, true, tallies[2]) })
	wg.Wait()
	close(stop)
	<-printed
	return results, race
}
