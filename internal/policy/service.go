package policy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/distans/distans"
)

// Service is an organisation's policy as the pages, the API and the CLI use
// it: the versions in a distans.PolicyStore, compiled into Packs. Each
// version is compiled once and cached by organisation and version; the
// store stays the one source of truth for which version is active, so
// several instances of Distans agree as soon as a save is committed.
type Service struct {
	store distans.PolicyStore
	orgs  distans.OrganisationService

	mu    sync.Mutex
	cache map[string]map[int]*compiled // organisation ID → version → pack
}

// compiled is one cache entry; once makes concurrent callers wait for
// one compilation.
type compiled struct {
	once sync.Once
	key  string // for version 0: what the generic pack was built from
	pack *Pack
	err  error
	v    *distans.PolicyVersion // the saved version compiled (not version 0's)
}

// cachePerOrg is how many compiled versions are kept per organisation: the
// active one and a few that the history page shows.
const cachePerOrg = 4

// NewService returns a service on the store. orgs is asked for the
// organisation of the actor: a saved pack must carry the organisation's
// slug, and an organisation without a saved pack gets the generic rules
// under its own slug and name.
func NewService(store distans.PolicyStore, orgs distans.OrganisationService) *Service {
	return &Service{store: store, orgs: orgs, cache: map[string]map[int]*compiled{}}
}

func actorOf(ctx context.Context) (*distans.Actor, error) {
	a := distans.ActorFrom(ctx)
	if a == nil || a.OrganisationID == "" {
		return nil, distans.Errorf(distans.EUNAUTHORIZED, "Du måste logga in.", "You must sign in.")
	}
	return a, nil
}

// Active returns the organisation's active pack (from ctx's actor),
// compiled once per (organisation, version) and cached; with no saved
// version, the generic pack of rules that hold everywhere (GDPR art. 33)
// as version 0 — so the rules of law always apply.
func (s *Service) Active(ctx context.Context) (*Pack, *distans.PolicyVersion, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	// Every page asks: the number alone is read, and the version's source
	// (tens of kilobytes) only when its pack is not compiled here yet.
	n, err := s.store.ActivePolicyVersionNumber(ctx)
	if distans.ErrorCode(err) == distans.ENOTFOUND {
		return s.generic(ctx, a)
	} else if err != nil {
		return nil, nil, err
	}
	if c := s.compiledVersion(a.OrganisationID, n); c != nil {
		v := *c.v
		return c.pack, &v, c.err
	}
	v, err := s.store.FindPolicyVersion(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.compile(a.OrganisationID, v, "")
	return p, v, err
}

// compiledVersion is the cache's entry of a saved version once it is
// compiled, or nil.
func (s *Service) compiledVersion(orgID string, version int) *compiled {
	s.mu.Lock()
	c := s.cache[orgID][version]
	s.mu.Unlock()
	if c == nil || c.v == nil {
		return nil
	}
	c.once.Do(c.build) // or wait for the compilation under way
	return c
}

// Version returns a saved version and its pack; version 0 is the generic
// pack that holds before anything is saved.
func (s *Service) Version(ctx context.Context, n int) (*Pack, *distans.PolicyVersion, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return s.generic(ctx, a)
	}
	v, err := s.store.FindPolicyVersion(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.compile(a.OrganisationID, v, "")
	return p, v, err
}

// Versions returns the saved versions, newest first, without their texts.
// Version 0 (the generic rules alone) is not among them.
func (s *Service) Versions(ctx context.Context) ([]*distans.PolicyVersion, error) {
	if _, err := actorOf(ctx); err != nil {
		return nil, err
	}
	return s.store.ListPolicyVersions(ctx)
}

// Save parses source (Parse) and stores it as the version after base; a
// pack that does not parse is refused with the rule id and reason (the
// *distans.Error from Parse) and nothing changes. The pack's slug must be
// the organisation's. The stored version number is authoritative: the
// pack's own version field is set to it when loaded.
func (s *Service) Save(ctx context.Context, base int, source []byte, reason string) (*distans.PolicyVersion, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	// Refuse early whoever may not save, before compiling anything for them;
	// the store checks again in its transaction.
	if !a.ManagesPolicy() {
		return nil, distans.Forbidden()
	}
	p, err := Parse(source)
	if err != nil {
		return nil, err
	}
	o, err := s.orgs.FindOrganisationByID(ctx, a.OrganisationID)
	if err != nil {
		return nil, err
	}
	if p.Slug != o.Slug {
		return nil, invalidField("slug",
			fmt.Sprintf("Regelpaketet gäller %q men organisationen har kortnamnet %q. Ändra slug till %q om paketet ska gälla här.", p.Slug, o.Slug, o.Slug),
			fmt.Sprintf("The pack is for %q but the organisation's slug is %q. Change slug to %q if the pack is meant for it.", p.Slug, o.Slug, o.Slug))
	}
	v := &distans.PolicyVersion{Source: string(source), Reason: strings.TrimSpace(reason)}
	if err := s.store.SavePolicyVersion(ctx, base, v); err != nil {
		return nil, err
	}
	// The pack just parsed is the new version's: keep it rather than
	// compiling it again on the next check.
	p.Version = v.Version
	s.put(a.OrganisationID, v.Version, &compiled{pack: p})
	return v, nil
}

// SetParameters sets parameter values (name → value as text) in the active
// version's YAML, and saves it as a new version. Only the value lines (and
// the version line) of the text change: comments and layout stay as HR
// wrote them. The parameters of the rules of law cannot be set here.
//
// It is the one validator of parameter values, for the pages and the API
// alike: every value is checked (CheckParameterValue) and the reason is
// required, all at once, and any problem is EINVALID with one field per
// parameter ("parameters[NAME].value") or "reason", and nothing is saved.
// Values equal to the ones in force are left out; when none is left, the
// answer is EINVALID (no new version is saved for no change).
func (s *Service) SetParameters(ctx context.Context, base int, values map[string]string, reason string) (*distans.PolicyVersion, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if !a.ManagesPolicy() {
		return nil, distans.Forbidden()
	}
	pack, cur, err := s.Active(ctx)
	if err != nil {
		return nil, err
	}
	if cur.Version == 0 {
		return nil, distans.NotFound("Organisationen har inget eget regelpaket ännu. Spara ett innan du ändrar parametrar.",
			"The organisation has no policy pack of its own yet. Save one before changing parameters.")
	}
	if len(values) == 0 {
		return nil, invalidField("parameters", "Ange minst en parameter att ändra.", "Give at least one parameter to change.")
	}
	var v distans.Validation
	typed, generic := map[string]any{}, map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		field := "parameters[" + name + "].value"
		x, ok := pack.Param(name)
		switch {
		case !ok:
			v.Add(field, "Parametern finns inte i regelpaketet.", "The parameter is not in the policy pack.")
			continue
		case x.Generic && !x.Settable:
			v.Add(field, "Parametern hör till reglerna enligt lag och kan inte ändras här.", "The parameter belongs to the rules of law and cannot be changed here.")
			continue
		case x.Generic:
			generic[name] = true
		}
		if val, ok := checkValue(&v, field, x, values[name]); ok && val != x.Effective() {
			typed[name] = val
		}
	}
	switch reason = strings.TrimSpace(reason); {
	case reason == "":
		v.Add("reason", "Skriv varför regelverket ändras.", "Say why the policy is being changed.")
	case utf8.RuneCountInString(reason) > MaxReason:
		v.Add("reason", fmt.Sprintf("Högst %d tecken.", MaxReason), fmt.Sprintf("At most %d characters.", MaxReason))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Over a newer version than the caller saw, the store's conflict says
	// so; "nothing changed" would be measured against a version they did
	// not see.
	if len(typed) == 0 && base == cur.Version {
		return nil, distans.Errorf(distans.EINVALID, "Inga värden har ändrats, så ingen ny version sparades.",
			"No value was changed, so no new version was saved.")
	}
	source, err := setValues([]byte(cur.Source), typed, generic, base+1)
	if err != nil {
		return nil, err
	}
	return s.Save(ctx, base, source, reason)
}

// MaxReason bounds the reason given for a change of the pack, in characters.
const MaxReason = 1000

// maxTextParameter bounds a text parameter's value, in characters.
const maxTextParameter = 500

// CheckParameterValue reads a parameter's value from text as a person
// types it and checks its type and bounds: the value in the pack's type
// (int64, float64, bool or string), or a *distans.Error (EINVALID) on
// field whose message says what is wrong in Swedish and English. A number
// may use a decimal comma and spaces between digits; a bool is true/false,
// ja/nej or yes/no. Pages use it to show a value as it will be saved;
// SetParameters uses it on every value it is given.
func CheckParameterValue(field string, x Parameter, text string) (any, error) {
	var v distans.Validation
	val, _ := checkValue(&v, field, x, text)
	return val, v.Err()
}

// checkValue is CheckParameterValue adding its problem to v.
func checkValue(v *distans.Validation, field string, x Parameter, text string) (any, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		v.Add(field, "Ange ett värde.", "Give a value.")
		return nil, false
	}
	var out any
	var f float64
	switch x.Type {
	case "int":
		n, err := strconv.ParseInt(strings.ReplaceAll(text, " ", ""), 10, 64)
		if err != nil {
			v.Add(field, "Ange ett heltal.", "Give a whole number.")
			return nil, false
		}
		out, f = n, float64(n)
	case "number":
		n, err := strconv.ParseFloat(strings.Replace(strings.ReplaceAll(text, " ", ""), ",", ".", 1), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			v.Add(field, "Ange ett tal, till exempel 2,5.", "Give a number, for example 2.5.")
			return nil, false
		}
		out, f = n, n
	case "bool":
		switch strings.ToLower(text) {
		case "true", "ja", "yes":
			return true, true
		case "false", "nej", "no":
			return false, true
		}
		v.Add(field, "Ange ja eller nej.", "Give yes or no.")
		return nil, false
	default:
		if utf8.RuneCountInString(text) > maxTextParameter {
			v.Add(field, fmt.Sprintf("Högst %d tecken.", maxTextParameter), fmt.Sprintf("At most %d characters.", maxTextParameter))
			return nil, false
		}
		return text, true
	}
	lo, hi := x.Min != nil && f < *x.Min, x.Max != nil && f > *x.Max
	switch {
	case (lo || hi) && x.Min != nil && x.Max != nil:
		v.Add(field, fmt.Sprintf("Värdet ska vara mellan %s och %s.", FormatValue(*x.Min, true), FormatValue(*x.Max, true)),
			fmt.Sprintf("The value must be between %s and %s.", FormatValue(*x.Min, false), FormatValue(*x.Max, false)))
	case lo:
		v.Add(field, fmt.Sprintf("Värdet ska vara minst %s.", FormatValue(*x.Min, true)),
			fmt.Sprintf("The value must be at least %s.", FormatValue(*x.Min, false)))
	case hi:
		v.Add(field, fmt.Sprintf("Värdet får vara högst %s.", FormatValue(*x.Max, true)),
			fmt.Sprintf("The value must be at most %s.", FormatValue(*x.Max, false)))
	default:
		return out, true
	}
	return nil, false
}

// Check decodes the JSON input for kind and checks it against the active
// pack at now. The report names the pack's slug and the stored version.
func (s *Service) Check(ctx context.Context, kind string, input io.Reader, now time.Time) (Report, error) {
	p, _, err := s.Active(ctx)
	if err != nil {
		return Report{}, err
	}
	findings, err := CheckJSON(p, kind, input, now)
	if err != nil {
		return Report{}, err
	}
	return NewReport(p, kind, now, findings), nil
}

// compile returns the pack of a stored version from the cache, compiling
// it on first use. A stored version that no longer parses (this binary's
// generic rules clash with it) is an error for the operator.
func (s *Service) compile(orgID string, v *distans.PolicyVersion, key string) (*Pack, error) {
	kept := *v
	c := s.put(orgID, v.Version, &compiled{key: key, v: &kept})
	c.once.Do(c.build)
	return c.pack, c.err
}

// build compiles the saved version c.v.
func (c *compiled) build() {
	c.pack, c.err = Parse([]byte(c.v.Source))
	if c.err != nil {
		c.err = fmt.Errorf("policy: stored version %d of organisation %s does not parse: %w", c.v.Version, c.v.OrganisationID, c.err)
		return
	}
	c.pack.Version = c.v.Version
}

// put stores c unless an entry for the same version (and key) is there,
// and returns the entry in the cache. It keeps at most cachePerOrg entries
// per organisation, dropping the oldest versions first.
func (s *Service) put(orgID string, version int, c *compiled) *compiled {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.cache[orgID]
	if m == nil {
		m = map[int]*compiled{}
		s.cache[orgID] = m
	}
	if old := m[version]; old != nil && old.key == c.key {
		return old
	}
	if c.pack != nil {
		c.once.Do(func() {}) // already compiled
	}
	m[version] = c
	for len(m) > cachePerOrg {
		oldest := slices.Min(slices.Collect(maps.Keys(m)))
		if oldest == version {
			break
		}
		delete(m, oldest)
	}
	return c
}

// generic returns version 0: the rules of law alone, under the
// organisation's slug and name and in its time zone.
func (s *Service) generic(ctx context.Context, a *distans.Actor) (*Pack, *distans.PolicyVersion, error) {
	o, err := s.orgs.FindOrganisationByID(ctx, a.OrganisationID)
	if err != nil {
		return nil, nil, err
	}
	g, err := genericFile()
	if err != nil {
		return nil, nil, err
	}
	v := &distans.PolicyVersion{OrganisationID: o.ID, Version: 0, CreatedByName: "system",
		Reason: "Inget eget regelpaket är sparat: bara reglerna enligt lag gäller."}
	key := strings.Join([]string{o.Slug, o.Name, o.TimeZone}, "\x00")
	c := s.put(o.ID, 0, &compiled{key: key})
	// The stub is written once for the key: every page of an organisation
	// without a pack asks for it.
	c.once.Do(func() {
		var stub []byte
		stub, c.err = yaml.Marshal(map[string]any{
			"slug": o.Slug, "organisation": o.Name, "title": g.Title, "document": g.Document,
			"decided_by": g.DecidedBy, "valid_from": g.ValidFrom, "version": 1, "time_zone": o.TimeZone,
		})
		if c.err == nil {
			c.pack, c.err = Parse(stub)
		}
		if c.err == nil {
			c.pack.Version = 0
		}
	})
	return c.pack, v, c.err
}

// setValues sets the value of each named parameter, and the version field,
// in a pack's YAML text. It finds the places with yaml.v3's Node API and
// changes only those bytes, so comments, blank lines and line breaks stay
// exactly as they were; a parameter without a value line gets one below
// its default.
func setValues(source []byte, values map[string]any, generic map[string]bool, version int) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(source, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, invalid("Regelpaketet går inte att läsa.", "The policy pack cannot be read.")
	}
	lines := bytes.SplitAfter(source, []byte("\n"))
	type edit struct {
		line, col int    // 1-based; col in characters, as yaml.v3 counts
		end       int    // byte offset in the line where the replaced text ends; -1 to insert a line
		text      string // the new value, or the whole new line
	}
	var edits []edit
	replace := func(n *yaml.Node, val any) error {
		if n.Kind != yaml.ScalarNode || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 || n.Line > len(lines) {
			return fmt.Errorf("policy: cannot edit the value on line %d in place", n.Line)
		}
		line := lines[n.Line-1]
		start := byteCol(line, n.Column)
		end, ok := scalarEnd(line, start, n.Style)
		if !ok {
			return fmt.Errorf("policy: cannot edit the value on line %d in place", n.Line)
		}
		text, err := scalarText(val)
		if err != nil {
			return err
		}
		edits = append(edits, edit{line: n.Line, col: n.Column, end: end, text: text})
		return nil
	}
	root := doc.Content[0]
	if n := mapValue(root, "version"); n != nil {
		if err := replace(n, version); err != nil {
			return nil, err
		}
	}
	params := mapValue(root, "parameters")
	// A settable parameter of the rules of law is set under
	// generic_values: in place when it is there, else as a new entry, and
	// the mapping itself added at the end of the text when there is none.
	var tail []string
	gv := mapValue(root, "generic_values")
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if !generic[name] {
			continue
		}
		text, err := scalarText(values[name])
		if err != nil {
			return nil, err
		}
		switch {
		case gv == nil:
			tail = append(tail, "  "+name+": "+text+"\n")
		case gv.Kind != yaml.MappingNode || gv.Style&yaml.FlowStyle != 0 || len(gv.Content) == 0:
			return nil, fmt.Errorf("policy: generic_values cannot be edited in place")
		case mapValue(gv, name) != nil:
			if err := replace(mapValue(gv, name), values[name]); err != nil {
				return nil, err
			}
		default:
			first, last := gv.Content[0], gv.Content[len(gv.Content)-1]
			if last.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("policy: generic_values cannot be edited in place")
			}
			edits = append(edits, edit{line: last.Line, end: -1, text: strings.Repeat(" ", first.Column-1) + name + ": " + text + "\n"})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if generic[name] {
			continue
		}
		var item *yaml.Node
		if params != nil {
			for _, it := range params.Content {
				if n := mapValue(it, "name"); n != nil && n.Value == name {
					item = it
				}
			}
		}
		if item == nil || item.Style&yaml.FlowStyle != 0 {
			return nil, fmt.Errorf("policy: parameter %s cannot be edited in place", name)
		}
		if n := mapValue(item, "value"); n != nil {
			if err := replace(n, values[name]); err != nil {
				return nil, err
			}
			continue
		}
		// No value yet: a new line "value: X" after the default's line,
		// indented like the default's key.
		key, def := mapKey(item, "default"), mapValue(item, "default")
		if key == nil || def.Kind != yaml.ScalarNode || def.Line != key.Line {
			return nil, fmt.Errorf("policy: parameter %s has no default to put the value after", name)
		}
		text, err := scalarText(values[name])
		if err != nil {
			return nil, err
		}
		edits = append(edits, edit{line: key.Line, end: -1, text: strings.Repeat(" ", key.Column-1) + "value: " + text + "\n"})
	}
	// Apply from the bottom up so that earlier positions stay valid.
	slices.SortFunc(edits, func(x, y edit) int { return y.line - x.line })
	for _, e := range edits {
		i := e.line - 1
		line := lines[i]
		if e.end < 0 {
			if !bytes.HasSuffix(line, []byte("\n")) {
				lines[i] = append(slices.Clip(line), '\n')
			}
			lines = slices.Insert(lines, i+1, []byte(e.text))
			continue
		}
		start := byteCol(line, e.col)
		lines[i] = slices.Concat(line[:start], []byte(e.text), line[e.end:])
	}
	out := bytes.Join(lines, nil)
	if len(tail) > 0 {
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		out = append(out, "\ngeneric_values:\n"+strings.Join(tail, "")...)
	}
	return out, nil
}

// mapKey and mapValue return the key and value nodes of key in a mapping.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if k := mapKey(m, key); k != nil {
		i := slices.Index(m.Content, k)
		return m.Content[i+1]
	}
	return nil
}

// byteCol returns the byte offset of the 1-based character column col.
func byteCol(line []byte, col int) int {
	off := 0
	for range col - 1 {
		if off >= len(line) {
			break
		}
		_, size := utf8.DecodeRune(line[off:])
		off += size
	}
	return off
}

// scalarEnd returns the byte offset in line just after the one-line scalar
// that starts at start: a closing quote, or for a plain scalar the last
// character before a comment or the end of the line.
func scalarEnd(line []byte, start int, style yaml.Style) (int, bool) {
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
		return 0, false
	case style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, true
			}
		}
		return 0, false
	}
	rest := line[start:]
	if i := bytes.Index(rest, []byte(" #")); i >= 0 {
		rest = rest[:i]
	}
	rest = bytes.TrimRight(rest, " \t\r\n")
	return start + len(rest), true
}

// scalarText returns val as a YAML scalar on one line.
func scalarText(val any) (string, error) {
	out, err := yaml.Marshal(val)
	if err != nil {
		return "", err
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(text, "\n") {
		// A string with line breaks: write it double-quoted on one line.
		text = strconv.Quote(val.(string))
	}
	return text, nil
}

var _ distans.PolicyService = (*Service)(nil)

// ActivePolicy is Active as the root package's distans.Policy.
func (s *Service) ActivePolicy(ctx context.Context) (*distans.Policy, *distans.PolicyVersion, error) {
	p, v, err := s.Active(ctx)
	if err != nil {
		return nil, nil, err
	}
	return p.Policy(), v, nil
}

// FindPolicy is Version as the root package's distans.Policy.
func (s *Service) FindPolicy(ctx context.Context, version int) (*distans.Policy, *distans.PolicyVersion, error) {
	p, v, err := s.Version(ctx, version)
	if err != nil {
		return nil, nil, err
	}
	return p.Policy(), v, nil
}

// PolicyVersions is Versions.
func (s *Service) PolicyVersions(ctx context.Context) ([]*distans.PolicyVersion, error) {
	return s.Versions(ctx)
}

// SavePolicy is Save.
func (s *Service) SavePolicy(ctx context.Context, base int, source []byte, reason string) (*distans.PolicyVersion, error) {
	return s.Save(ctx, base, source, reason)
}

// SetPolicyParameters is SetParameters.
func (s *Service) SetPolicyParameters(ctx context.Context, base int, values map[string]string, reason string) (*distans.PolicyVersion, error) {
	return s.SetParameters(ctx, base, values, reason)
}

// CheckPolicy is Check as the root package's distans.PolicyReport.
func (s *Service) CheckPolicy(ctx context.Context, kind string, input io.Reader, now time.Time) (*distans.PolicyReport, error) {
	rep, err := s.Check(ctx, kind, input, now)
	if err != nil {
		return nil, err
	}
	return rep.Public(), nil
}

// Policy returns the pack as the root package shows it to the pages and
// the API, with each rule's message filled in.
func (p *Pack) Policy() *distans.Policy {
	out := &distans.Policy{Slug: p.Slug, Organisation: p.Organisation, Title: p.Title, Document: p.Document,
		DecidedBy: p.DecidedBy, ValidFrom: p.ValidFrom, Version: p.Version, TimeZone: p.TimeZone,
		GenericVersion: p.GenericVersion, Parameters: make([]distans.PolicyParameter, 0, len(p.Parameters)),
		Rules: make([]*distans.PolicyRule, 0, len(p.Rules))}
	for _, x := range p.Parameters {
		out.Parameters = append(out.Parameters, x.public())
	}
	for _, r := range p.Rules {
		out.Rules = append(out.Rules, r.public())
	}
	for _, n := range p.Notes {
		out.Notes = append(out.Notes, distans.PolicyNote{ID: n.ID, Form: n.Form, Heading: distans.PolicyText(n.Heading),
			Text: distans.PolicyText(n.Text), Source: distans.PolicySource(n.Source), Citation: Cite(p, n.Source).String()})
	}
	return out
}

func (x Parameter) public() distans.PolicyParameter {
	out := distans.PolicyParameter{Name: x.Name, Type: x.Type, Unit: x.Unit, Default: x.Default, Value: x.Value,
		Min: x.Min, Max: x.Max, Label: distans.PolicyText(x.Label), Generic: x.Generic}
	if x.Note != nil {
		n := distans.PolicyText(*x.Note)
		out.Note = &n
	}
	if x.Source != nil {
		src := distans.PolicySource(*x.Source)
		out.Source = &src
	}
	return out
}

func (r *Rule) public() *distans.PolicyRule {
	out := &distans.PolicyRule{ID: r.ID, Kind: r.Kind, Condition: r.Condition, Severity: string(r.Severity),
		Message: distans.PolicyText(r.Message), Source: distans.PolicySource(r.Source), Generic: r.Generic,
		TextSv: r.Text("sv"), TextEn: r.Text("en")}
	for _, d := range r.Deadlines {
		out.Deadlines = append(out.Deadlines, distans.PolicyDeadlineSpec{From: d.From, Hours: d.Hours, Days: d.Days,
			SameDay: d.SameDay, Duty: d.Duty, By: d.By, Skippable: d.Skippable, Equipment: d.Equipment,
			Label: distans.PolicyText(d.Label)})
	}
	if r.Examples != nil {
		out.Examples = (*distans.PolicyExamples)(r.Examples)
	}
	return out
}

// Public returns the report as the root package's distans.PolicyReport.
func (r Report) Public() *distans.PolicyReport {
	out := &distans.PolicyReport{Organisation: r.Organisation, PackVersion: r.PackVersion, Kind: r.Kind,
		CheckedAt: r.CheckedAt, Blocking: r.Blocking, Findings: make([]distans.PolicyFinding, 0, len(r.Findings))}
	for _, f := range r.Findings {
		pf := distans.PolicyFinding{RuleID: f.RuleID, Kind: f.Kind, Severity: string(f.Severity), MessageSv: f.MessageSv,
			MessageEn: f.MessageEn, Source: distans.PolicySource(f.Source), Citation: f.Citation, PackVersion: f.PackVersion,
			Generic: f.Generic}
		for _, d := range f.Deadlines {
			pf.Deadlines = append(pf.Deadlines, distans.PolicyDeadline{Duty: d.Duty, By: d.By, Skippable: d.Skippable,
				Equipment: d.Equipment, Label: distans.PolicyText(d.Label),
				From: d.From, Hours: d.Hours, Days: d.Days, SameDay: d.SameDay, At: d.At, AtLocal: d.AtLocal, Passed: d.Passed})
		}
		out.Findings = append(out.Findings, pf)
	}
	return out
}
