package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CPU time spent per request tells two builds apart where requests per
// second cannot: it is the work a request costs, whatever else the
// machine's two cores are doing, where throughput moves with them (the
// same build measured 890 and 1,000 req/s ten minutes apart).

// userHZ is the unit of the CPU times in /proc/PID/stat, the same on every
// Linux (USER_HZ).
const userHZ = 100

// cpuOf returns the CPU time (user and system) process pid has used, as
// /proc shows it.
func cpuOf(pid string) (time.Duration, error) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0, err
	}
	// The command's name, in parentheses, may hold spaces: the fields
	// counted are those after it (utime and stime are the 14th and 15th).
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: too few fields", pid)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// postgresCPU is the CPU time used by the processes of this machine named
// postgres (a PostgreSQL server's backends and workers), or 0 when none
// runs. A backend that exits between two readings takes its time along,
// which the bench's pool of connections, kept open, does not do.
func postgresCPU() time.Duration {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var sum time.Duration
	for _, d := range dirs {
		comm, err := os.ReadFile(filepath.Join(d, "comm"))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		if t, err := cpuOf(filepath.Base(d)); err == nil {
			sum += t
		}
	}
	return sum
}

// cpuMeter measures the CPU time of the server, and of PostgreSQL, over a
// scenario.
type cpuMeter struct {
	pid              string
	server, postgres time.Duration
}

func startCPU(pid int) *cpuMeter {
	m := &cpuMeter{pid: strconv.Itoa(pid)}
	m.server, _ = cpuOf(m.pid)
	m.postgres = postgresCPU()
	return m
}

// stop sets r's CPU times per request from the time used since start.
func (m *cpuMeter) stop(r *result) {
	n := time.Duration(len(r.latencies))
	if n == 0 {
		return
	}
	if t, err := cpuOf(m.pid); err == nil {
		r.serverCPU = (t - m.server) / n
	}
	r.postgresCPU = (postgresCPU() - m.postgres) / n
}
