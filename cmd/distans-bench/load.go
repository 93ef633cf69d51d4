package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// creds is how a scenario's requests authenticate.
type creds struct {
	cookie string // the Cookie header after sign-in
	token  string // the API bearer token
}

// scenario is one kind of request, made again and again.
type scenario struct {
	name string
	req  func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error)
}

// fragments are what people type into the search field: parts of common
// Swedish names, so that most searches find someone.
var fragments = []string{"ander", "berg", "lind", "son", "anna", "erik", "karl", "ström", "maria", "jo",
	"lund", "holm", "nils", "sv", "eva", "per", "ing", "ek", "sjö", "öberg"}

var scenarios = []scenario{
	{"GET / (start page)", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		return page(ctx, base+"/", a)
	}},
	{"GET /people?q= (search)", func(ctx context.Context, base string, r *rand.Rand, a creds) (*http.Request, error) {
		return page(ctx, base+"/people?q="+url.QueryEscape(fragments[r.IntN(len(fragments))]), a)
	}},
	{"GET /api/v1/people", func(ctx context.Context, base string, _ *rand.Rand, a creds) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/people?limit=50", nil)
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+a.token)
			req.Header.Set("Accept", "application/json")
		}
		return req, err
	}},
}

func page(ctx context.Context, u string, a creds) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err == nil {
		req.Header.Set("Cookie", a.cookie)
		req.Header.Set("Accept", "text/html")
	}
	return req, err
}

// result is what one scenario measured.
type result struct {
	name      string
	clients   int
	elapsed   time.Duration
	latencies []time.Duration // of every completed request, errors included
	errors    int
	firstErr  string
	// CPU time a request cost the server and PostgreSQL (cpu.go), when
	// measured.
	serverCPU, postgresCPU time.Duration
}

// runScenario runs sc with n clients that start requests for d; requests
// under way then finish (at most the client timeout later) and count, and
// requests per second are over the whole time. Redirects are not followed:
// a redirect to the sign-in page is an error, not a fast answer. A tally,
// when given, counts each request as it ends (see office_mixed.go).
func runScenario(ctx context.Context, base string, sc scenario, a creds, n int, d time.Duration, t *tally) *result {
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: 2 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: 30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()

	res := &result{name: sc.name, clients: n}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for i := range n {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), uint64(start.UnixNano())))
			var lat []time.Duration
			var errs int
			var first string
			// Requests started before the deadline run to their end, so a
			// slow page is measured rather than cut off.
			for ctx.Err() == nil && time.Now().Before(deadline) {
				req, err := sc.req(ctx, base, r, a)
				if err != nil {
					first = err.Error()
					errs++
					break
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", req.URL.Path, resp.StatusCode)
					}
				}
				if ctx.Err() != nil {
					break // interrupted: not counted
				}
				lat = append(lat, time.Since(t0))
				t.add(err == nil)
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			if res.firstErr == "" {
				res.firstErr = first
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(res.latencies)
	return res
}

// percentile returns the p-th percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func printResults(w io.Writer, results []*result) {
	// Numbers align right; the names are padded so that they read from the left.
	width := len("scenario")
	for _, r := range results {
		width = max(width, utf8.RuneCountInString(r.name))
	}
	cpu := slices.ContainsFunc(results, func(r *result) bool { return r.serverCPU > 0 })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tclients\trequests\treq/s\tp50\tp95\tp99\terrors\t", width, "scenario")
	if cpu {
		fmt.Fprint(tw, "server CPU/req\tPostgreSQL CPU/req\t")
	}
	fmt.Fprintln(tw)
	for _, r := range results {
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%d\t", width, r.name, r.clients, len(r.latencies),
			float64(len(r.latencies))/r.elapsed.Seconds(), ms(percentile(r.latencies, 50)),
			ms(percentile(r.latencies, 95)), ms(percentile(r.latencies, 99)), r.errors)
		if cpu {
			fmt.Fprintf(tw, "%s\t%s\t", ms(r.serverCPU), ms(r.postgresCPU))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, r := range results {
		if r.firstErr != "" {
			fmt.Fprintf(w, "first error in %s: %s\n", r.name, r.firstErr)
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

var csrfRE = regexp.MustCompile(`<input[^>]*name="csrf_token"[^>]*>`)
var valueRE = regexp.MustCompile(`value="([^"]*)"`)

// signIn signs in through the form as a browser would and returns the Cookie
// header to send. Cookies are kept by hand rather than in a cookie jar,
// because a jar will not send a Secure cookie over plain http.
func signIn(ctx context.Context, base, email, password string) (string, error) {
	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	cookies := map[string]string{}
	header := func() string {
		var parts []string
		for k, v := range cookies {
			parts = append(parts, k+"="+v)
		}
		slices.Sort(parts)
		return strings.Join(parts, "; ")
	}
	keep := func(resp *http.Response) {
		for _, c := range resp.Cookies() {
			if c.MaxAge < 0 || c.Value == "" {
				delete(cookies, c.Name)
			} else {
				cookies[c.Name] = c.Value
			}
		}
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/signin", nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET /signin: status %d", resp.StatusCode)
	}
	keep(resp)
	form := url.Values{"email": {email}, "password": {password}}
	if tag := csrfRE.Find(body); tag != nil {
		if m := valueRE.FindSubmatch(tag); m != nil {
			form.Set("csrf_token", html.UnescapeString(string(m[1])))
		}
	}

	req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/signin", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Cookie", header())
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	keep(resp)
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("POST /signin: status %d", resp.StatusCode)
	}

	// Signed in when the start page answers 200 rather than a redirect.
	req, err = page(ctx, base+"/", creds{cookie: header()})
	if err != nil {
		return "", err
	}
	resp, err = client.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", errors.New("the start page still asks for sign-in (status " + resp.Status + ", location " + resp.Header.Get("Location") + ")")
	}
	return header(), nil
}
