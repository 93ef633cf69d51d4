//go:build !unix

package policy

import (
	"testing"
	"time"
)

// cpuTime is not measured here; the benchmarks then report only wall time.
func cpuTime(testing.TB) time.Duration { return 0 }
