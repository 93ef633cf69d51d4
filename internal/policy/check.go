package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"github.com/distans/distans"
)

// Finding is a tripped rule: what it says, how serious it is, the clause it
// comes from, and the pack version it was checked against (which a caller
// stores beside anything it checked).
type Finding struct {
	RuleID      string     `json:"rule_id"`
	Kind        string     `json:"kind"`
	Severity    Severity   `json:"severity"`
	MessageSv   string     `json:"message_sv"`
	MessageEn   string     `json:"message_en"`
	Source      Source     `json:"source"`
	Citation    string     `json:"citation"` // Cite(pack, Source).String(): how pages and the CLI name the clause
	PackVersion int        `json:"pack_version"`
	Generic     bool       `json:"generic,omitempty"`
	Deadlines   []Deadline `json:"deadlines,omitempty"`
}

// Deadline is a time by which something must be done because a rule
// tripped. At is From plus the rule's span (see DeadlineSpec): Hours of
// real elapsed time, so a deadline that spans a daylight-saving change is
// still exactly Hours long; Days calendar days at the same local clock
// time; or, with SameDay, 23:59:59 local time on From's day. Exactly one
// of the three is set. AtLocal shows the same instant in the pack's time
// zone. Duty is the incident duty the deadline is for, when the rule names
// one: the incident's clock.
type Deadline struct {
	Duty      string    `json:"duty,omitempty"`
	By        string    `json:"by,omitempty"`        // who does it (a loss step, a return task)
	Skippable bool      `json:"skippable,omitempty"` // a loss step that may be skipped with a reason
	Equipment []string  `json:"equipment,omitempty"` // a return_item task's kinds; empty: everything
	Label     Text      `json:"label"`
	From      string    `json:"from"` // the input field counted from
	Hours     int       `json:"hours"`
	Days      int       `json:"days,omitempty"`
	SameDay   bool      `json:"same_day,omitempty"`
	At        time.Time `json:"at"`
	AtLocal   string    `json:"at_local"`
	Passed    bool      `json:"passed"` // At is before the time of the check
}

// deadlineAt is the instant sp after from, read in loc.
func deadlineAt(from time.Time, sp span, loc *time.Location) time.Time {
	switch {
	case sp.sameDay:
		return EndOfDay(from, loc)
	case sp.days != 0:
		return AddDays(from, sp.days, loc)
	}
	// Add counts real elapsed time: 72 hours from 12:00 on the Saturday
	// before daylight saving ends is 11:00 local time on the Tuesday.
	return from.Add(time.Duration(sp.hours) * time.Hour)
}

// AddDays returns the instant n calendar days after t in loc: the same
// local clock time on the local date n days on, whatever daylight-saving
// changes lie between (so 28 days is four weeks to the minute on the wall
// clock, and 27 days 23 or 24 hours of real time on either side of a
// change). A clock time that does not exist on that day (it falls in the
// hour skipped when summer time starts) is read with the offset in force
// before the change, i.e. moved forward by the gap (02:30 becomes 03:30);
// a clock time that occurs twice (the hour repeated when summer time ends)
// is the later of the two, so that the change never shortens a deadline.
func AddDays(t time.Time, n int, loc *time.Location) time.Time {
	l := t.In(loc)
	y, m, d := l.Date()
	hh, mm, ss := l.Clock()
	ns := l.Nanosecond()
	at := time.Date(y, m, d+n, hh, mm, ss, ns, loc)
	wy, wm, wd := at.Date()
	wh, wmin, ws := at.Clock()
	want := time.Date(y, m, d+n, hh, mm, ss, ns, time.UTC) // the wall clock asked for, normalised
	if got := time.Date(wy, wm, wd, wh, wmin, ws, at.Nanosecond(), time.UTC); !got.Equal(want) {
		// In the gap: the wall time with the offset before the change.
		// A day earlier is safely before the change.
		_, off := want.Add(-24 * time.Hour).In(loc).Zone()
		return want.Add(-time.Duration(off) * time.Second).In(loc)
	}
	// The latest instant with the same wall clock: a repeated hour gives two.
	for _, step := range []time.Duration{2 * time.Hour, time.Hour, 30 * time.Minute} {
		later := at.Add(step)
		if sameWall(later, at) {
			return later
		}
	}
	return at
}

func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() &&
		a.Second() == b.Second() && a.Nanosecond() == b.Nanosecond()
}

// EndOfDay returns 23:59:59 local time in loc on t's local day: the last
// second of the day, one second before the next local midnight. The
// second before midnight rather than midnight itself, so that the deadline
// reads as the same day ("2026-03-28 kl. 23.59") and counts as passed once
// the day is over; it is computed from the next midnight, so a day of 23 or
// 25 hours ends right.
func EndOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(-time.Second)
}

// Blocking reports whether any finding blocks.
func Blocking(findings []Finding) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool { return f.Severity == SeverityBlock })
}

// Check evaluates the pack's rules of one kind against an input and returns
// the findings, blocking ones first and otherwise in the pack's order; no
// findings is an empty result, not an error. The input is a typed input
// (*Agreement, Agreement, PhoneHours, …), a map[string]any or raw JSON
// ([]byte, json.RawMessage), the latter two decoded as strictly as
// DecodeInput does. now is the time of the check: deadlines are compared
// with it, and it is the CEL variable now. Bad input is a *distans.Error
// with code EINVALID.
func (p *Pack) Check(kind string, input any, now time.Time) ([]Finding, error) {
	in, err := p.toInput(kind, input)
	if err != nil {
		return nil, err
	}
	f, err := in.facts(now)
	if err != nil {
		return nil, err
	}
	return p.evaluate(kind, f, now)
}

func (p *Pack) toInput(kind string, input any) (Input, error) {
	if _, ok := kindByName(kind); !ok {
		return nil, unknownKind(kind)
	}
	var in Input
	switch x := input.(type) {
	case Agreement:
		in = &x
	case Input:
		in = x
	case map[string]any:
		data, err := json.Marshal(x)
		if err != nil {
			return nil, invalid("Indata går inte att läsa: "+err.Error(), "The input cannot be read: "+err.Error())
		}
		return decodeBytes(kind, data, p.loc)
	case json.RawMessage:
		return decodeBytes(kind, x, p.loc)
	case []byte:
		return decodeBytes(kind, x, p.loc)
	default:
		return nil, fmt.Errorf("policy: Check does not take %T", input)
	}
	if in.inputKind() != kind {
		return nil, invalid(fmt.Sprintf("Indata gäller %s, inte %s.", in.inputKind(), kind),
			fmt.Sprintf("The input is for %s, not %s.", in.inputKind(), kind))
	}
	return in, nil
}

// evaluate runs every rule of the kind against one set of facts. The
// execution frame is made once and shared by the rules, which saves a pool
// round trip per rule on the hot path of checking many agreements.
func (p *Pack) evaluate(kind string, f facts, now time.Time) ([]Finding, error) {
	defer f.release()
	rules := p.byKind[kind]
	if len(rules) == 0 {
		return nil, nil
	}
	frame, err := interpreter.NewExecutionFrame(f)
	if err != nil {
		return nil, err
	}
	defer frame.Close()
	// The tripped rules are gathered first (on the stack, for any sensible
	// pack) so that the findings take exactly one allocation.
	var buf [32]*Rule
	tripped := buf[:0]
	for _, r := range rules {
		val, _, err := r.prg.Eval(frame)
		if err != nil {
			// Conditions are type-checked and their examples ran at Parse, so
			// this is a fault in the rule for the operator, not bad input.
			return nil, fmt.Errorf("policy: %s rule %s: %w", p.Slug, r.ID, err)
		}
		if val == types.True {
			tripped = append(tripped, r)
		}
	}
	if len(tripped) == 0 {
		return nil, nil
	}
	out := make([]Finding, len(tripped))
	for i, r := range tripped {
		out[i] = p.finding(r, f, now)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return slices.Index(severities, a.Severity) - slices.Index(severities, b.Severity)
	})
	return out, nil
}

func (p *Pack) finding(r *Rule, f facts, now time.Time) Finding {
	fd := Finding{RuleID: r.ID, Kind: r.Kind, Severity: r.Severity, MessageSv: r.sv, MessageEn: r.en,
		Source: r.Source, Citation: r.citation, PackVersion: p.Version, Generic: r.Generic}
	for i, d := range r.Deadlines {
		from, ok := f.timeOf(d.From)
		if !ok {
			continue
		}
		sp := r.spans[i]
		at := deadlineAt(from, sp, p.loc)
		fd.Deadlines = append(fd.Deadlines, Deadline{Duty: d.Duty, By: d.By, Skippable: d.Skippable, Equipment: d.Equipment, Label: d.Label, From: d.From, Hours: sp.hours,
			Days: sp.days, SameDay: sp.sameDay, At: at.UTC(), AtLocal: at.In(p.loc).Format(time.RFC3339), Passed: now.After(at)})
	}
	if len(fd.Deadlines) > 0 {
		local := fd.Deadlines[0].At.In(p.loc)
		fd.MessageSv = strings.ReplaceAll(fd.MessageSv, "{deadline}", local.Format("2006-01-02 kl. 15.04 MST"))
		fd.MessageEn = strings.ReplaceAll(fd.MessageEn, "{deadline}", local.Format("2 Jan 2006 15:04 MST"))
	}
	return fd
}

// CheckJSON decodes one JSON input of the kind from r (strictly, see
// DecodeInput) and checks it against the pack. It is what `distans policy
// check` and POST /api/v1/policy/check call.
func CheckJSON(pack *Pack, kind string, r io.Reader, now time.Time) ([]Finding, error) {
	if _, ok := kindByName(kind); !ok {
		return nil, unknownKind(kind)
	}
	in, err := DecodeInput(kind, r, pack.loc)
	if err != nil {
		return nil, err
	}
	f, err := in.facts(now)
	if err != nil {
		return nil, err
	}
	return pack.evaluate(kind, f, now)
}

// Report is the JSON answer of a check, shared by the CLI and the API.
type Report struct {
	Organisation string    `json:"organisation"` // the pack's slug
	PackVersion  int       `json:"pack_version"`
	Kind         string    `json:"kind"`
	CheckedAt    time.Time `json:"checked_at"`
	Blocking     bool      `json:"blocking"`
	Findings     []Finding `json:"findings"` // never null, so clients can iterate
}

// NewReport wraps findings for output.
func NewReport(pack *Pack, kind string, now time.Time, findings []Finding) Report {
	if findings == nil {
		findings = []Finding{}
	}
	return Report{Organisation: pack.Slug, PackVersion: pack.Version, Kind: kind, CheckedAt: now.UTC(),
		Blocking: Blocking(findings), Findings: findings}
}

// Exit codes of `distans policy check`.
const (
	ExitOK       = 0 // nothing blocks
	ExitBlocked  = 1 // at least one finding blocks
	ExitBadInput = 2 // the input (or the kind or organisation) is wrong; the message says how
	ExitInternal = 3 // anything else: a fault for the operator
)

// ExitCode maps the result of a check to the CLI's exit code.
func ExitCode(findings []Finding, err error) int {
	var e *distans.Error
	switch {
	case err == nil && Blocking(findings):
		return ExitBlocked
	case err == nil:
		return ExitOK
	case errors.As(err, &e) && (e.Code == distans.EINVALID || e.Code == distans.ENOTFOUND):
		return ExitBadInput
	}
	return ExitInternal
}
