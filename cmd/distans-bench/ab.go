package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// This machine's speed moves by a third within minutes, more than most
// changes to a page's cost: two builds measured one after the other tell
// the minutes apart, not the builds. With -ab the directory bench runs
// both builds at once against the same database, and measures each
// scenario in -rounds short turns, the builds in alternating order, so that
// each turn of one build has a turn of the other beside it. The ratio of
// their CPU time a request within each pair is what compares them.

// abSide is one build under comparison: its server and credentials.
type abSide struct {
	bin string
	srv *server
	cr  creds
}

// compareBuilds measures each run on both sides in turns and prints, per
// scenario, each build's medians and the paired ratio of their CPU time.
func compareBuilds(ctx context.Context, c *config, out io.Writer, runs []scenarioRun, sides [2]abSide) error {
	fmt.Fprintf(out, "A: %s\nB: %s\n", sides[0].bin, sides[1].bin)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tclients\tA req/s\tB req/s\tA p99\tB p99\tA CPU/req\tB CPU/req\tB/A CPU\tB/A range\t")
	for _, run := range runs {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(out, "comparing %s with %d clients: %d turns of %s each…\n", run.sc.name, run.clients, c.Rounds, c.Duration)
		for _, s := range sides {
			if c.Warmup > 0 {
				runScenario(ctx, s.srv.base, run.sc, s.cr, run.clients, c.Warmup, nil)
			}
		}
		var got [2][]*result
		for i := range c.Rounds {
			for j := range 2 {
				k := (i + j) % 2 // A first in even rounds, B first in odd
				s := sides[k]
				m := startCPU(s.srv.cmd.Process.Pid)
				r := runScenario(ctx, s.srv.base, run.sc, s.cr, run.clients, c.Duration, nil)
				m.stop(r)
				if r.errors > 0 {
					return fmt.Errorf("%s on %s: %d errors, the first: %s", run.sc.name, s.bin, r.errors, r.firstErr)
				}
				got[k] = append(got[k], r)
			}
		}
		ratios := make([]float64, c.Rounds)
		for i := range c.Rounds {
			ratios[i] = float64(cpuPerRequest(got[1][i])) / float64(cpuPerRequest(got[0][i]))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%.3f\t%.3f–%.3f\t\n", run.sc.name, run.clients,
			median(got[0], rate), median(got[1], rate),
			ms(time.Duration(median(got[0], p99))), ms(time.Duration(median(got[1], p99))),
			ms(time.Duration(median(got[0], cpuRate))), ms(time.Duration(median(got[1], cpuRate))),
			medianOf(ratios), slices.Min(ratios), slices.Max(ratios))
	}
	fmt.Fprintln(out)
	tw.Flush()
	fmt.Fprintln(out, "\nCPU/req is the server's and PostgreSQL's; B/A CPU is the median of the turns' paired ratios, and their range.")
	return ctx.Err()
}

// cpuPerRequest is what a request of r cost the server and PostgreSQL.
func cpuPerRequest(r *result) time.Duration { return r.serverCPU + r.postgresCPU }

func rate(r *result) float64    { return float64(len(r.latencies)) / r.elapsed.Seconds() }
func p99(r *result) float64     { return float64(percentile(r.latencies, 99)) }
func cpuRate(r *result) float64 { return float64(cpuPerRequest(r)) }

// median is the median of f over rs.
func median(rs []*result, f func(*result) float64) float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(r)
	}
	return medianOf(xs)
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
