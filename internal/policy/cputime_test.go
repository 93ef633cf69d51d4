//go:build unix

package policy

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used. The benchmarks report CPU
// time per check beside the wall-clock figure because the machines they
// run on are shared: under load the wall clock measures the neighbours,
// while CPU time is what a check costs a core (garbage collection
// included).
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
