package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is the distans binary running as a child process.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	out  *tail
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed

	stopOnce sync.Once
	stopErr  error
}

// startServer starts "bin serve" on a free loopback port against dsn and
// waits until /readyz answers 200, for at most a minute.
func startServer(ctx context.Context, bin, dsn string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, out: &tail{max: 8 << 10}, done: make(chan struct{})}
	// Not CommandContext: the server is stopped with SIGTERM, never killed
	// outright, so that its shutdown runs.
	s.cmd = exec.Command(bin, "serve", "-addr", addr, "-db", dsn)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/readyz", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("server exited (%v): %s", s.err, s.out.String())
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("server not ready after a minute: %s", s.out.String())
		}
	}
}

// stop sends SIGTERM and waits up to 15 seconds before killing the process.
// It reports a non-zero exit; calling it again returns the first result.
func (s *server) stop() error {
	s.stopOnce.Do(func() {
		select {
		case <-s.done:
		default:
			if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
				s.stopErr = err
				return
			}
			select {
			case <-s.done:
			case <-time.After(15 * time.Second):
				s.cmd.Process.Kill()
				<-s.done
				s.stopErr = errors.New("server did not stop within 15 s of SIGTERM; killed")
				return
			}
		}
		if s.err != nil {
			s.stopErr = fmt.Errorf("server: %v: %s", s.err, s.out.String())
		}
	})
	return s.stopErr
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// memory returns VmHWM (peak resident memory) and VmRSS (resident memory
// now) of process pid, as /proc shows them.
func memory(pid int) (hwm, rss string, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		switch k {
		case "VmHWM":
			hwm = humanKB(v)
		case "VmRSS":
			rss = humanKB(v)
		}
	}
	if hwm == "" || rss == "" {
		return "", "", errors.New("no VmHWM or VmRSS in /proc status")
	}
	return hwm, rss, sc.Err()
}

// humanKB turns "  123456 kB" into "120.6 MiB".
func humanKB(v string) string {
	var kb float64
	if _, err := fmt.Sscanf(strings.TrimSpace(v), "%f kB", &kb); err != nil {
		return strings.TrimSpace(v)
	}
	return fmt.Sprintf("%.1f MiB", kb/1024)
}

// tail keeps the last max bytes written to it: the server's log, for error
// messages, without growing with every request it logs.
type tail struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
