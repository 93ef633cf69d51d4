package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"go.yaml.in/yaml/v3"

	"github.com/distans/distans"
)

// Severity says what a tripped rule means for the thing checked.
type Severity string

const (
	// SeverityBlock: the thing may not go ahead as it is (an agreement
	// longer than the policy allows). For an incident it means the
	// organisation is out of step with the law or its own rules right now;
	// an incident is always recorded whatever its findings say.
	SeverityBlock Severity = "block"
	// SeverityWarn: allowed, but someone should look at it and decide.
	SeverityWarn Severity = "warn"
	// SeverityInfo: what the rules say applies here, for the person to know.
	SeverityInfo Severity = "info"
)

var severities = []Severity{SeverityBlock, SeverityWarn, SeverityInfo}

// Text is a text in Swedish and English.
type Text struct {
	Sv string `json:"sv" yaml:"sv"`
	En string `json:"en" yaml:"en"`
}

// Source is the clause a rule or parameter comes from: the document (a file
// name in the seed documents, or a law), the section as the document
// numbers or names it, and a short verbatim quote in Swedish.
type Source struct {
	Document string `json:"document" yaml:"document"`
	Section  string `json:"section" yaml:"section"`
	Quote    string `json:"quote" yaml:"quote"`
}

// Parameter is a typed value that rules and other parts of Distans use (a
// password length, a retention period). Default is the value the source
// document gives; Value, when set, is the organisation's own choice.
type Parameter struct {
	Name    string   `json:"name" yaml:"name"`
	Type    string   `json:"type" yaml:"type"` // int, number, bool, string
	Unit    string   `json:"unit,omitempty" yaml:"unit"`
	Default any      `json:"default" yaml:"default"`
	Value   any      `json:"value,omitempty" yaml:"value"`
	Min     *float64 `json:"min,omitempty" yaml:"min"`
	Max     *float64 `json:"max,omitempty" yaml:"max"`
	Label   Text     `json:"label" yaml:"label"`
	Note    *Text    `json:"note,omitempty" yaml:"note"`     // why this value, when the document is vague
	Source  *Source  `json:"source,omitempty" yaml:"source"` // where the value comes from
	// Settable marks a parameter of the rules of law (generic.yaml) whose
	// value an organisation's pack may set under generic_values: a switch
	// such as whether the organisation falls under the Cybersecurity Act,
	// or a period the law leaves to the organisation. The law's own figures
	// (GDPR's 72 hours) are not settable.
	Settable bool `json:"settable,omitempty" yaml:"settable"`
	Generic  bool `json:"generic,omitempty" yaml:"-"`
}

// Effective returns Value when set, else Default.
func (p Parameter) Effective() any {
	if p.Value != nil {
		return p.Value
	}
	return p.Default
}

var (
	paramTypes = []string{"int", "number", "bool", "string"}
	units      = []string{"", "days", "months", "hours", "minutes", "percent", "characters", "attempts", "count"}
)

// DeadlineSpec declares a deadline that follows when a rule trips,
// counted from the input's timestamp From in one of three ways, exactly one
// of which is given:
//
//   - Hours, the name of an int parameter with unit hours: real elapsed
//     time, so 72 hours across a daylight-saving change is still 72 hours
//     (GDPR art. 33: "72 timmar");
//   - Days, the name of an int parameter with unit days: calendar days in
//     the pack's time zone, the same local clock time that many days later,
//     so four weeks from 10:00 end at 10:00 even across a change (IMY's four
//     weeks for supplements, a month's final report);
//   - SameDay: the end of From's local day, 23:59:59 in the pack's time
//     zone ("samma dag", arbetsmiljöförordningen 2 §).
//
// Duty names what the deadline is for, by the rule's kind: on an incident
// rule one of the distans.Duty* constants (the incident's clock it
// becomes); on a loss rule a step of the loss procedure (distans.Step*);
// on a leave or employment_end rule a return task (distans.ReturnTaskKind).
//
// By is the role that does a loss step or a return task (it, medarbetare,
// chef); a loss step must name it. Skippable, on a loss step only, lets
// the step be skipped with a reason recorded instead (Sorsele 004 §8.1: no
// police report when the risk that someone unauthorised has the equipment
// can be ruled out). Equipment, on a return_item task only, limits what is
// asked back to those kinds (Sorsele 004 §8.6: the phone and the computer);
// empty asks back everything the person holds.
type DeadlineSpec struct {
	From      string   `json:"from" yaml:"from"`
	Hours     string   `json:"hours,omitempty" yaml:"hours"`
	Days      string   `json:"days,omitempty" yaml:"days"`
	SameDay   bool     `json:"same_day,omitempty" yaml:"same_day"`
	Duty      string   `json:"duty,omitempty" yaml:"duty"`
	By        string   `json:"by,omitempty" yaml:"by"`
	Skippable bool     `json:"skippable,omitempty" yaml:"skippable"`
	Equipment []string `json:"equipment,omitempty" yaml:"equipment"`
	Label     Text     `json:"label" yaml:"label"`
}

// incidentDuties are the distans.Duty* constants a deadline may name.
var incidentDuties = []string{
	distans.DutyIMYNotification, distans.DutyIMYSupplement, distans.DutyDataSubjects,
	distans.DutyCyberEarlyWarning, distans.DutyCyberNotification, distans.DutyCyberFinalReport,
	distans.DutySeriousEscalation, distans.DutyWorkEnvironmentReport, distans.DutyInsuranceReport,
	distans.DutySafetyRepresentative, distans.DutyPoliceReport,
}

// returnDuties are the return tasks a leave or employment_end deadline may
// name.
var returnDuties = []string{string(distans.TaskReturnItem), string(distans.TaskEndSubscription)}

// duties are the duties a deadline of each kind may name; a kind not here
// has none.
var duties = map[string][]string{
	KindIncident:      incidentDuties,
	KindLoss:          distans.LossSteps,
	KindLeave:         returnDuties,
	KindEmploymentEnd: returnDuties,
}

// stepRoles are the roles that do a loss step or a return task.
var stepRoles = []string{string(distans.RoleIT), string(distans.RoleEmployee), string(distans.RoleManager)}

// span is a deadline's length resolved from the parameters: hours of real
// time, calendar days, or the end of the day.
type span struct {
	hours, days int
	sameDay     bool
}

// Examples are a rule's two test inputs, complete (the pack's base example
// for the kind with the rule's changes laid over it): Pass must not trip
// the rule and Trip must. Parse runs them; the package tests run them all.
type Examples struct {
	Now  time.Time       `json:"now"`
	Pass json.RawMessage `json:"pass"`
	Trip json.RawMessage `json:"trip"`
}

// Rule is one checkable clause. Condition is a CEL expression over the
// kind's variables and the parameters (params.NAME); it is true when the
// rule is TRIPPED, that is, when the input breaks the clause or the clause
// has something to say about it.
type Rule struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`
	Condition string         `json:"condition"`
	Severity  Severity       `json:"severity"`
	Message   Text           `json:"message"` // as written, with {placeholders}
	Source    Source         `json:"source"`
	Deadlines []DeadlineSpec `json:"deadlines,omitempty"`
	Examples  *Examples      `json:"examples,omitempty"`
	// Generic marks the rules of law that hold for every organisation
	// (packs/generic.yaml); an organisation's pack cannot remove them.
	Generic bool `json:"generic,omitempty"`

	prg cel.Program
	// examplePrg is the condition with the parameters at their defaults,
	// set only when the organisation has changed some: the examples show
	// the rule as the source document states it, so an organisation may
	// move a parameter without rewriting them.
	examplePrg cel.Program
	sv, en     string // Message with parameters filled in; {deadline} stays for Check
	spans      []span // the length of each deadline, resolved from the parameters
	citation   string // Cite of the source, made once
}

// Pack is one organisation's policy: metadata, parameters and compiled
// rules. A Pack is immutable after Parse and safe for concurrent use;
// callers must not modify its slices.
type Pack struct {
	Slug           string      `json:"slug"`
	Organisation   string      `json:"organisation"`
	Title          string      `json:"title"`
	Document       string      `json:"document"` // file name in the seed documents
	DecidedBy      string      `json:"decided_by"`
	ValidFrom      string      `json:"valid_from,omitempty"` // YYYY-MM-DD; empty when the document does not say
	Version        int         `json:"version"`
	TimeZone       string      `json:"time_zone"`
	GenericVersion int         `json:"generic_version"` // the version of packs/generic.yaml merged in
	Parameters     []Parameter `json:"parameters"`
	Rules          []*Rule     `json:"rules"`
	Notes          []Note      `json:"notes,omitempty"`
	// Courses is the training catalogue (the generic pack's with the
	// organisation's laid over it by id), each with its Citation.
	Courses []*distans.Course `json:"courses,omitempty"`
	// Checklists are the checklist templates, likewise merged by id.
	Checklists []distans.ChecklistTemplate `json:"checklists,omitempty"`
	// SecrecyProvisions are the provisions a masking may cite when a copy
	// of a case is released, likewise merged by id.
	SecrecyProvisions []distans.SecrecyProvision `json:"secrecy_provisions,omitempty"`

	loc    *time.Location
	byKind map[string][]*Rule
}

// Location returns the pack's time zone, in which local times are read and
// deadlines shown.
func (p *Pack) Location() *time.Location { return p.loc }

// Param returns the named parameter.
func (p *Pack) Param(name string) (Parameter, bool) {
	i := slices.IndexFunc(p.Parameters, func(x Parameter) bool { return x.Name == name })
	if i < 0 {
		return Parameter{}, false
	}
	return p.Parameters[i], true
}

// Int returns the effective value of an int parameter, for the parts of
// Distans that apply a parameter without a rule (password length,
// retention, reminder intervals).
func (p *Pack) Int(name string) (int64, bool) {
	x, ok := p.Param(name)
	if !ok || x.Type != "int" {
		return 0, false
	}
	return x.Effective().(int64), true
}

// Rule returns the rule with the given id.
func (p *Pack) Rule(id string) (*Rule, bool) {
	i := slices.IndexFunc(p.Rules, func(r *Rule) bool { return r.ID == id })
	if i < 0 {
		return nil, false
	}
	return p.Rules[i], true
}

// The YAML shapes. They are separate from the exported types so that the
// file format can name things for HR while the Go types stay free to change.
type packFile struct {
	Slug         string         `yaml:"slug"`
	Organisation string         `yaml:"organisation"`
	Title        string         `yaml:"title"`
	Document     string         `yaml:"document"`
	DecidedBy    string         `yaml:"decided_by"`
	ValidFrom    string         `yaml:"valid_from"`
	Version      int            `yaml:"version"`
	TimeZone     string         `yaml:"time_zone"`
	Parameters   []Parameter    `yaml:"parameters"`
	Examples     map[string]any `yaml:"examples"`
	Rules        []ruleFile     `yaml:"rules"`
	Notes        []noteFile     `yaml:"notes"`
	Courses      []courseFile   `yaml:"courses"`
	Checklists   []templateFile `yaml:"checklists"`
	// SecrecyProvisions is the list of secrecy provisions (secrecy.go).
	SecrecyProvisions []secrecyFile `yaml:"secrecy_provisions"`
	// GenericValues sets the values of settable parameters of the rules of
	// law for this organisation (cyber_security_act: true).
	GenericValues map[string]any `yaml:"generic_values"`
	generic       bool           // set for packs/generic.yaml
}

type noteFile struct {
	ID      string `yaml:"id"`
	Form    string `yaml:"form"`
	Heading Text   `yaml:"heading"`
	Text    Text   `yaml:"text"`
	Source  Source `yaml:"source"`
}

type ruleFile struct {
	ID        string         `yaml:"id"`
	Kind      string         `yaml:"kind"`
	Condition string         `yaml:"condition"`
	Severity  Severity       `yaml:"severity"`
	Message   Text           `yaml:"message"`
	Source    Source         `yaml:"source"`
	Deadlines []DeadlineSpec `yaml:"deadlines"`
	Examples  *struct {
		// Params sets parameters for the examples alone, over their
		// defaults: a rule that is off unless the organisation turns it on
		// (cyber_security_act) shows what it does when on.
		Params map[string]any `yaml:"params"`
		Pass   map[string]any `yaml:"pass"`
		Trip   map[string]any `yaml:"trip"`
	} `yaml:"examples"`
}

// defaultExamplesNow is the clock examples run at unless a pack says
// otherwise; fixed so that Parse gives the same answer every time.
var defaultExamplesNow = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

var (
	nameRe        = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	idRe          = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	slugRe        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	placeholderRe = regexp.MustCompile(`\{([^{}]*)\}`)
)

// Parse reads a pack from YAML, merges in the rules of law that hold for
// every organisation (packs/generic.yaml), compiles every condition once
// against its kind's declared variables, and runs every rule's examples.
// It is pure: it touches nothing outside its result, so a caller that gets
// an error simply keeps the pack it had. The error is a *distans.Error with
// code EINVALID whose Fields name each problem (rules[ID].condition and so
// on) in Swedish and English.
func Parse(data []byte) (*Pack, error) {
	g, err := genericFile()
	if err != nil {
		return nil, err
	}
	return parse(data, g)
}

func parse(data []byte, generic *packFile) (*Pack, error) {
	f, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	var v distans.Validation
	p := &Pack{
		Slug: f.Slug, Organisation: f.Organisation, Title: f.Title, Document: f.Document,
		DecidedBy: f.DecidedBy, ValidFrom: f.ValidFrom, Version: f.Version, TimeZone: f.TimeZone,
		byKind: map[string][]*Rule{},
	}
	checkMeta(&v, f)
	if p.TimeZone == "" {
		p.TimeZone = "Europe/Stockholm"
	}
	if p.loc, err = time.LoadLocation(p.TimeZone); err != nil {
		v.Add("time_zone", "Okänd tidszon.", "Unknown time zone.")
		p.loc = time.UTC
	}
	files := []*packFile{f}
	if generic != nil {
		p.GenericVersion = generic.Version
		files = append(files, generic)
	}
	for _, file := range files {
		for _, x := range file.Parameters {
			x.Generic = file.generic
			p.Parameters = append(p.Parameters, x)
		}
	}
	setGenericValues(&v, f, p.Parameters)
	consts, defaults := checkParams(&v, p.Parameters)
	for _, file := range files {
		bases, now := exampleBases(&v, file, p.loc)
		for i := range file.Rules {
			if r := p.compileRule(&v, &file.Rules[i], file.generic, consts, defaults, bases, now); r != nil {
				r.citation = Cite(p, r.Source).String()
				p.Rules = append(p.Rules, r)
				p.byKind[r.Kind] = append(p.byKind[r.Kind], r)
			}
		}
	}
	p.Notes = checkNotes(&v, f.Notes)
	p.checkCourses(&v, files)
	p.checkChecklists(&v, files)
	p.checkSecrecy(&v, files)
	seen := map[string]bool{}
	for _, r := range p.Rules {
		if seen[r.ID] {
			v.Add(ruleField(r.ID, "id"), "Regel-id förekommer flera gånger.", "The rule id appears more than once.")
		}
		seen[r.ID] = true
	}
	if err := v.Err(); err != nil {
		return nil, packInvalid(err)
	}
	for _, r := range p.Rules {
		if err := p.runExamples(r); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// packInvalid gives a validation error the message every refused pack has.
func packInvalid(err error) *distans.Error {
	e := err.(*distans.Error)
	e.Sv = "Regelpaketet är inte giltigt och har inte tagits i bruk. Rätta felen nedan."
	e.En = "The policy pack is not valid and has not been put to use. Correct the errors below."
	return e
}

var yamlFieldRe = regexp.MustCompile(`line (\d+): field (\S+) not found in type`)

func decodeFile(data []byte) (*packFile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	// Unknown fields are refused: a misspelt "severty" must not silently
	// turn a blocking rule into one without a severity.
	dec.KnownFields(true)
	var f packFile
	err := dec.Decode(&f)
	if errors.Is(err, io.EOF) {
		return nil, invalid("Regelpaketet är tomt.", "The policy pack is empty.")
	}
	if err != nil {
		var v distans.Validation
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, msg := range te.Errors {
				if m := yamlFieldRe.FindStringSubmatch(msg); m != nil {
					v.Add("line "+m[1], fmt.Sprintf("Rad %s: okänt fält %q.", m[1], m[2]), fmt.Sprintf("Line %s: unknown field %q.", m[1], m[2]))
				} else {
					v.Add("yaml", "Fel i YAML: "+msg, "YAML error: "+msg)
				}
			}
		} else {
			v.Add("yaml", "Regelpaketet går inte att läsa som YAML: "+err.Error(), "The policy pack is not valid YAML: "+err.Error())
		}
		e := v.Err().(*distans.Error)
		e.Sv, e.En = "Regelpaketet går inte att läsa.", "The policy pack cannot be read."
		return nil, e
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, invalid("Regelpaketet får bara innehålla ett YAML-dokument.", "The policy pack must hold exactly one YAML document.")
	}
	return &f, nil
}

func checkMeta(v *distans.Validation, f *packFile) {
	if !slugRe.MatchString(f.Slug) {
		v.Add("slug", "Ange organisationens kortnamn med små bokstäver, siffror och bindestreck.", "Give the organisation's slug in lower-case letters, digits and hyphens.")
	}
	v.Required("title", f.Title)
	v.Required("organisation", f.Organisation)
	v.Required("document", f.Document)
	if f.Version < 1 {
		v.Add("version", "Versionen ska vara ett heltal från 1.", "The version must be a whole number from 1.")
	}
	if f.ValidFrom != "" {
		if _, err := time.Parse(time.DateOnly, f.ValidFrom); err != nil {
			v.Add("valid_from", "Ange datumet som ÅÅÅÅ-MM-DD.", "Give the date as YYYY-MM-DD.")
		}
	}
}

// setGenericValues lays the organisation's generic_values over the
// parameters of the rules of law; checkParams then checks their type and
// bounds like any value.
func setGenericValues(v *distans.Validation, f *packFile, params []Parameter) {
	for _, x := range params {
		if x.Settable && !x.Generic {
			v.Add("parameters["+x.Name+"].settable", "Bara de allmänna reglernas parametrar kan vara settable.",
				"Only the parameters of the rules of law can be settable.")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(f.GenericValues)) {
		field := "generic_values." + name
		i := slices.IndexFunc(params, func(x Parameter) bool { return x.Generic && x.Name == name })
		switch {
		case i < 0:
			v.Add(field, "Det finns ingen sådan parameter bland reglerna enligt lag.", "There is no such parameter among the rules of law.")
		case !params[i].Settable:
			v.Add(field, "Parametern hör till reglerna enligt lag och kan inte ändras av organisationen.",
				"The parameter belongs to the rules of law and cannot be changed by the organisation.")
		case f.GenericValues[name] == nil:
			v.Add(field, "Ange ett värde.", "Give a value.")
		default:
			params[i].Value = f.GenericValues[name]
		}
	}
}

// checkParams validates the parameters, normalises their values to int64,
// float64, bool or string, and returns them as CEL constants.
// checkParams validates the parameters and returns them as CEL constants,
// at their effective values and, when any differs, at their defaults.
func checkParams(v *distans.Validation, params []Parameter) (consts, defaults []cel.EnvOption) {
	customised := false
	seen := map[string]bool{}
	for i := range params {
		x := &params[i]
		field := "parameters[" + x.Name + "]"
		if !nameRe.MatchString(x.Name) {
			v.Add(field+".name", "Namnet ska bestå av små bokstäver, siffror och _.", "The name must be lower-case letters, digits and _.")
			continue
		}
		if seen[x.Name] {
			v.Add(field+".name", "Parametern förekommer flera gånger (eller finns redan bland de allmänna reglerna).", "The parameter appears more than once (or is already among the generic rules).")
			continue
		}
		seen[x.Name] = true
		if !slices.Contains(paramTypes, x.Type) {
			v.Add(field+".type", "Typen ska vara int, number, bool eller string.", "The type must be int, number, bool or string.")
			continue
		}
		if !slices.Contains(units, x.Unit) {
			v.Add(field+".unit", "Okänd enhet. Tillåtna: "+strings.Join(units[1:], ", ")+".", "Unknown unit. Allowed: "+strings.Join(units[1:], ", ")+".")
		}
		if x.Label.Sv == "" || x.Label.En == "" {
			v.Add(field+".label", "Ange etikett på svenska och engelska.", "Give a label in Swedish and English.")
		}
		var ok bool
		if x.Default, ok = normalise(v, field+".default", x, x.Default); !ok {
			continue
		}
		if x.Value != nil {
			if x.Value, ok = normalise(v, field+".value", x, x.Value); !ok {
				continue
			}
		}
		consts = append(consts, cel.Constant("params."+x.Name, celTypeOf(x.Type), celValue(x.Effective())))
		defaults = append(defaults, cel.Constant("params."+x.Name, celTypeOf(x.Type), celValue(x.Default)))
		customised = customised || x.Value != nil
	}
	if !customised {
		defaults = nil
	}
	return consts, defaults
}

func normalise(v *distans.Validation, field string, x *Parameter, val any) (any, bool) {
	var out any
	switch x.Type {
	case "int":
		if n, ok := val.(int); ok {
			out = int64(n)
		}
	case "number":
		switch n := val.(type) {
		case int:
			out = float64(n)
		case float64:
			out = n
		}
	case "bool":
		if b, ok := val.(bool); ok {
			out = b
		}
	case "string":
		if s, ok := val.(string); ok {
			out = s
		}
	}
	if out == nil {
		v.Add(field, "Värdet har fel typ, parametern är av typen "+x.Type+".", "The value has the wrong type; the parameter is of type "+x.Type+".")
		return nil, false
	}
	var f float64
	switch n := out.(type) {
	case int64:
		f = float64(n)
	case float64:
		f = n
	default:
		return out, true
	}
	if x.Min != nil && f < *x.Min || x.Max != nil && f > *x.Max {
		v.Add(field, fmt.Sprintf("Värdet ska ligga mellan %s och %s.", bound(x.Min), bound(x.Max)),
			fmt.Sprintf("The value must lie between %s and %s.", bound(x.Min), bound(x.Max)))
		return nil, false
	}
	return out, true
}

func bound(b *float64) string {
	if b == nil {
		return "–"
	}
	return strconv.FormatFloat(*b, 'f', -1, 64)
}

func celTypeOf(t string) *cel.Type {
	switch t {
	case "int":
		return cel.IntType
	case "number":
		return cel.DoubleType
	case "bool":
		return cel.BoolType
	}
	return cel.StringType
}

func celValue(x any) ref.Val { return types.DefaultTypeAdapter.NativeToValue(x) }

// baseEnvs are the CEL environments of the kinds, built once: declaring
// variables is the slow part of an environment, and every pack shares it.
var baseEnvs = sync.OnceValues(func() (map[string]*cel.Env, error) {
	envs := map[string]*cel.Env{}
	for _, k := range kinds {
		opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true)}
		for _, x := range k.Variables {
			opts = append(opts, cel.Variable(x.Name, x.celType))
		}
		env, err := cel.NewEnv(opts...)
		if err != nil {
			return nil, fmt.Errorf("policy: environment for %s: %w", k.Name, err)
		}
		envs[k.Name] = env
	}
	return envs, nil
})

func ruleField(id, part string) string { return "rules[" + id + "]." + part }

func (p *Pack) compileRule(v *distans.Validation, rf *ruleFile, generic bool, consts, defaults []cel.EnvOption, bases map[string]map[string]any, now time.Time) *Rule {
	id := rf.ID
	if !idRe.MatchString(id) {
		v.Add(ruleField(id, "id"), "Regel-id ska bestå av små bokstäver, siffror, punkt och bindestreck.", "A rule id must be lower-case letters, digits, dots and hyphens.")
		return nil
	}
	ok := true
	fail := func(part, sv, en string) { v.Add(ruleField(id, part), sv, en); ok = false }
	if _, known := kindByName(rf.Kind); !known {
		fail("kind", "Okänd typ. Tillåtna: "+strings.Join(kindNames(), ", ")+".", "Unknown kind. Allowed: "+strings.Join(kindNames(), ", ")+".")
		return nil
	}
	if !slices.Contains(severities, rf.Severity) {
		fail("severity", "Allvarlighetsgraden ska vara block, warn eller info.", "The severity must be block, warn or info.")
	}
	if rf.Source.Document == "" || rf.Source.Section == "" || strings.TrimSpace(rf.Source.Quote) == "" {
		fail("source", "Ange källa: dokument, avsnitt och citat.", "Give the source: document, section and quote.")
	}
	r := &Rule{ID: id, Kind: rf.Kind, Condition: rf.Condition, Severity: rf.Severity, Message: rf.Message,
		Source: rf.Source, Deadlines: rf.Deadlines, Generic: generic}
	for i, d := range rf.Deadlines {
		part := fmt.Sprintf("deadlines[%d]", i)
		if !slices.Contains(timeFields[rf.Kind], d.From) {
			fail(part+".from", fmt.Sprintf("En frist kan bara räknas från en tidpunkt i indata (%s).", strings.Join(timeFields[rf.Kind], ", ")),
				fmt.Sprintf("A deadline can only count from a time in the input (%s).", strings.Join(timeFields[rf.Kind], ", ")))
		}
		if sp, ok := p.checkSpan(d, func(field, sv, en string) { fail(part+field, sv, en) }); ok {
			r.spans = append(r.spans, sp)
		}
		checkDuty(rf.Kind, d, func(field, sv, en string) { fail(part+field, sv, en) })
		if d.Label.Sv == "" || d.Label.En == "" {
			fail(part+".label", "Ange fristens namn på svenska och engelska.", "Give the deadline's label in Swedish and English.")
		}
	}
	var err error
	if r.sv, err = p.fillIn(rf.Message.Sv, len(rf.Deadlines) > 0, true); err != nil || rf.Message.Sv == "" {
		fail("message.sv", "Meddelandet saknas eller har en okänd {parameter}: "+errText(err), "The message is missing or has an unknown {parameter}: "+errText(err))
	}
	if r.en, err = p.fillIn(rf.Message.En, len(rf.Deadlines) > 0, false); err != nil || rf.Message.En == "" {
		fail("message.en", "Meddelandet saknas eller har en okänd {parameter}: "+errText(err), "The message is missing or has an unknown {parameter}: "+errText(err))
	}
	envs, err := baseEnvs()
	if err != nil {
		fail("condition", "Internt fel i miljön för villkor.", "Internal error in the condition environment.")
		return nil
	}
	env, err := envs[rf.Kind].Extend(consts...)
	if err != nil {
		fail("condition", "Parametrarna går inte att använda i villkor: "+err.Error(), "The parameters cannot be used in conditions: "+err.Error())
		return nil
	}
	ast, iss := env.Compile(rf.Condition)
	switch {
	case strings.TrimSpace(rf.Condition) == "":
		fail("condition", "Villkoret saknas.", "The condition is missing.")
	case iss.Err() != nil:
		fail("condition", "Villkoret går inte att kompilera för "+rf.Kind+": "+iss.Err().Error(), "The condition does not compile for "+rf.Kind+": "+iss.Err().Error())
	case ast.OutputType() != cel.BoolType:
		fail("condition", "Villkoret ska ge true eller false men ger "+ast.OutputType().String()+".", "The condition must give true or false but gives "+ast.OutputType().String()+".")
	default:
		// OptOptimize folds the parameters (declared as constants) into the
		// program, so a check evaluates no more than the input needs.
		if r.prg, err = env.Program(ast, cel.EvalOptions(cel.OptOptimize)); err != nil {
			fail("condition", "Villkoret går inte att köra: "+err.Error(), "The condition cannot run: "+err.Error())
		} else if exDefaults := p.exampleConsts(v, rf, defaults); exDefaults != nil {
			if r.examplePrg, err = examplesProgram(envs[rf.Kind], exDefaults, rf.Condition); err != nil {
				fail("condition", "Villkoret går inte att köra: "+err.Error(), "The condition cannot run: "+err.Error())
			}
		}
	}
	if rf.Examples != nil {
		r.Examples = &Examples{Now: now}
		base := bases[rf.Kind]
		if r.Examples.Pass, err = overlay(base, rf.Examples.Pass); err != nil {
			fail("examples.pass", "Exemplet går inte att läsa: "+err.Error(), "The example cannot be read: "+err.Error())
		}
		if r.Examples.Trip, err = overlay(base, rf.Examples.Trip); err != nil {
			fail("examples.trip", "Exemplet går inte att läsa: "+err.Error(), "The example cannot be read: "+err.Error())
		}
		if rf.Examples.Trip == nil {
			fail("examples.trip", "Ange ett exempel som utlöser regeln.", "Give an example that trips the rule.")
		}
	}
	if !ok {
		return nil
	}
	return r
}

// checkDuty checks what a deadline says it is for: a duty of its rule's
// kind; who does it (required on a loss step); skippable on loss steps
// only; equipment kinds on return_item tasks only.
func checkDuty(kind string, d DeadlineSpec, fail func(field, sv, en string)) {
	allowed, hasDuties := duties[kind]
	switch {
	case d.Duty != "" && !hasDuties:
		fail(".duty", "Bara incidentregler, förlustregler (loss) och regler om återlämnande (leave, employment_end) har skyldigheter (duty).",
			"Only incident, loss and return (leave, employment_end) rules have duties.")
	case d.Duty != "" && !slices.Contains(allowed, d.Duty):
		fail(".duty", "Okänd skyldighet. Tillåtna: "+strings.Join(allowed, ", ")+".",
			"Unknown duty. Allowed: "+strings.Join(allowed, ", ")+".")
	case d.Duty == "" && kind == KindLoss:
		fail(".duty", "Ange vilket steg i förlustrutinen fristen gäller: "+strings.Join(allowed, ", ")+".",
			"Give the step of the loss procedure the deadline is for: "+strings.Join(allowed, ", ")+".")
	}
	switch {
	case d.By != "" && kind != KindLoss && kind != KindLeave && kind != KindEmploymentEnd:
		fail(".by", "Bara förlustregler och regler om återlämnande säger vem som gör något (by).",
			"Only loss and return rules say who does something (by).")
	case d.By != "" && !slices.Contains(stepRoles, d.By):
		fail(".by", "Okänd roll. Tillåtna: "+strings.Join(stepRoles, ", ")+".", "Unknown role. Allowed: "+strings.Join(stepRoles, ", ")+".")
	case d.By == "" && kind == KindLoss:
		fail(".by", "Ange vem som gör steget (by): "+strings.Join(stepRoles, ", ")+".",
			"Give who does the step (by): "+strings.Join(stepRoles, ", ")+".")
	}
	if d.Skippable && kind != KindLoss {
		fail(".skippable", "Bara ett steg i förlustrutinen kan hoppas över (skippable).", "Only a step of the loss procedure can be skipped.")
	}
	if len(d.Equipment) > 0 && d.Duty != string(distans.TaskReturnItem) {
		fail(".equipment", "Bara återlämnande av utrustning (return_item) begränsas till vissa slag av utrustning.",
			"Only the return of equipment (return_item) is limited to some kinds of equipment.")
	}
	for i, e := range d.Equipment {
		if !slices.Contains(itemCategories, e) || slices.Index(d.Equipment, e) != i {
			fail(fmt.Sprintf(".equipment[%d]", i), "Okänd eller upprepad utrustning. Tillåtna: "+strings.Join(itemCategories, ", ")+".",
				"Unknown or repeated equipment. Allowed: "+strings.Join(itemCategories, ", ")+".")
		}
	}
}

// checkSpan resolves a deadline's length: exactly one of hours, days and
// same_day, the first two naming an int parameter of that unit.
func (p *Pack) checkSpan(d DeadlineSpec, fail func(field, sv, en string)) (span, bool) {
	given := 0
	for _, b := range []bool{d.Hours != "", d.Days != "", d.SameDay} {
		if b {
			given++
		}
	}
	if given != 1 {
		fail("", "Ange exakt ett av hours (timmar i verklig tid), days (kalenderdagar) och same_day (samma dag) för fristen.",
			"Give exactly one of hours (real elapsed hours), days (calendar days) and same_day (the same day) for the deadline.")
		return span{}, false
	}
	if d.SameDay {
		return span{sameDay: true}, true
	}
	name, unit, field := d.Hours, "hours", "hours"
	if d.Days != "" {
		name, unit, field = d.Days, "days", "days"
	}
	x, found := p.Param(name)
	if !found || x.Type != "int" || x.Unit != unit {
		fail("."+field, fmt.Sprintf("Ange namnet på en heltalsparameter (int) med enheten %s; %q är ingen sådan parameter.", unit, name),
			fmt.Sprintf("Give the name of an int parameter with the unit %s; %q is no such parameter.", unit, name))
		return span{}, false
	}
	n, isInt := x.Effective().(int64)
	if !isInt {
		return span{}, false // the parameter's own error says why
	}
	if unit == "days" {
		return span{days: int(n)}, true
	}
	return span{hours: int(n)}, true
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fillIn replaces {name} with the effective value of parameter name. The
// placeholder {deadline} is left for Check, which knows the time.
// Text returns the rule's message in lang ("en", else Swedish) with the
// parameters filled in; {deadline}, which only a check knows, stays.
func (r *Rule) Text(lang string) string {
	if lang == "en" {
		return r.en
	}
	return r.sv
}

func (p *Pack) fillIn(msg string, hasDeadline, sv bool) (string, error) {
	var bad []string
	out := placeholderRe.ReplaceAllStringFunc(msg, func(m string) string {
		name := m[1 : len(m)-1]
		if name == "deadline" && hasDeadline {
			return m
		}
		x, ok := p.Param(name)
		if !ok || x.Effective() == nil {
			bad = append(bad, m)
			return m
		}
		return FormatValue(x.Effective(), sv)
	})
	if len(bad) > 0 {
		return "", errors.New(strings.Join(bad, ", "))
	}
	if strings.ContainsAny(placeholderRe.ReplaceAllString(out, ""), "{}") {
		return "", errors.New("{ }")
	}
	return out, nil
}

// FormatValue writes a parameter value as a message shows it: a decimal
// comma and ja/nej in Swedish (sv), a point and yes/no in English.
func FormatValue(x any, sv bool) string {
	switch n := x.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(n)
	case int64:
		return strconv.FormatInt(n, 10)
	case float64:
		s := strconv.FormatFloat(n, 'f', -1, 64)
		if sv {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	case bool:
		if sv {
			return pick(n, "ja", "nej")
		}
		return pick(n, "yes", "no")
	}
	return fmt.Sprint(x)
}

// exampleBases returns a file's base example per kind, which each rule's
// examples are laid over, and the clock the examples run at.
func exampleBases(v *distans.Validation, f *packFile, loc *time.Location) (map[string]map[string]any, time.Time) {
	bases := map[string]map[string]any{}
	now := defaultExamplesNow
	for _, key := range slices.Sorted(maps.Keys(f.Examples)) {
		val := f.Examples[key]
		if key == "now" {
			var tv distans.Validation
			s, _ := val.(string)
			if t := parseTime(&tv, "examples.now", s, loc); !t.IsZero() && tv.Err() == nil {
				now = t
			} else {
				v.Add("examples.now", "Ange en tid med tidszon.", "Give a time with an offset.")
			}
			continue
		}
		m, ok := val.(map[string]any)
		if _, known := kindByName(key); !known || !ok {
			v.Add("examples."+key, "Grundexempel ska anges per typ (agreement, incident, …).", "Base examples are given per kind (agreement, incident, …).")
			continue
		}
		bases[key] = m
	}
	return bases, now
}

// overlay lays a rule's example over the base for its kind and returns the
// JSON input. Keys set to null are removed, so an example can leave a field
// out.
func overlay(base, over map[string]any) (json.RawMessage, error) {
	m := maps.Clone(base)
	if m == nil {
		m = map[string]any{}
	}
	for k, val := range over {
		if val == nil {
			delete(m, k)
			continue
		}
		m[k] = val
	}
	return json.Marshal(m)
}

// runExamples checks that the rule's pass example does not trip it and its
// trip example does. A pack whose examples contradict its rules is refused:
// the examples are how HR sees what a rule means, so they must be true.
func (p *Pack) runExamples(r *Rule) error {
	if r.Examples == nil {
		return nil
	}
	for _, ex := range []struct {
		name string
		data json.RawMessage
		want bool
	}{{"pass", r.Examples.Pass, false}, {"trip", r.Examples.Trip, true}} {
		got, err := p.trips(r, ex.data, r.Examples.Now)
		field := ruleField(r.ID, "examples."+ex.name)
		if err != nil {
			sv, en := err.Error(), err.Error()
			var de *distans.Error
			if errors.As(err, &de) {
				sv, en = de.Sv, de.En
				for _, fe := range de.Fields {
					sv += " " + fe.Field + ": " + fe.Sv
					en += " " + fe.Field + ": " + fe.En
				}
			}
			return packInvalid(invalidField(field, "Exemplet är inte giltig indata: "+sv, "The example is not valid input: "+en))
		}
		if got != ex.want {
			if ex.want {
				return packInvalid(invalidField(field, "Exemplet ska utlösa regeln men gör det inte.", "The example should trip the rule but does not."))
			}
			return packInvalid(invalidField(field, "Exemplet ska klara regeln men utlöser den.", "The example should pass the rule but trips it."))
		}
	}
	return nil
}

// exampleConsts are the parameters a rule's examples run with: the
// defaults, with the examples' own params laid over them. It returns nil
// when they are the effective values, so the examples run the rule's own
// program.
func (p *Pack) exampleConsts(v *distans.Validation, rf *ruleFile, defaults []cel.EnvOption) []cel.EnvOption {
	if rf.Examples == nil || len(rf.Examples.Params) == 0 {
		return defaults
	}
	over := map[string]any{}
	for _, name := range slices.Sorted(maps.Keys(rf.Examples.Params)) {
		field := ruleField(rf.ID, "examples.params."+name)
		x, ok := p.Param(name)
		if !ok {
			v.Add(field, "Parametern finns inte i regelpaketet.", "The parameter is not in the policy pack.")
			continue
		}
		if val, ok := normalise(v, field, &x, rf.Examples.Params[name]); ok {
			over[name] = val
		}
	}
	var out []cel.EnvOption
	for _, x := range p.Parameters {
		val, ok := over[x.Name]
		if !ok {
			val = x.Default
		}
		if val == nil || !slices.Contains(paramTypes, x.Type) {
			continue // refused by checkParams
		}
		out = append(out, cel.Constant("params."+x.Name, celTypeOf(x.Type), celValue(val)))
	}
	return out
}

// examplesProgram compiles condition with the parameters at their defaults
// (and the examples' own params).
// The condition already compiled with the effective values, so the same
// text compiles here too.
func examplesProgram(env *cel.Env, defaults []cel.EnvOption, condition string) (cel.Program, error) {
	env, err := env.Extend(defaults...)
	if err != nil {
		return nil, err
	}
	ast, iss := env.Compile(condition)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	return env.Program(ast, cel.EvalOptions(cel.OptOptimize))
}

// trips decodes a JSON input and reports whether rule r trips on it.
func (p *Pack) trips(r *Rule, data []byte, now time.Time) (bool, error) {
	in, err := decodeBytes(r.Kind, data, p.loc)
	if err != nil {
		return false, err
	}
	f, err := in.facts(now)
	if err != nil {
		return false, err
	}
	defer f.release()
	prg := r.prg
	if r.examplePrg != nil {
		prg = r.examplePrg
	}
	out, _, err := prg.Eval(f)
	if err != nil {
		return false, err
	}
	return out == types.True, nil
}

// checkNotes validates the notes that forms show.
func checkNotes(v *distans.Validation, notes []noteFile) []Note {
	var out []Note
	seen := map[string]bool{}
	for _, n := range notes {
		field := "notes[" + n.ID + "]"
		switch {
		case !idRe.MatchString(n.ID):
			v.Add(field+".id", "Ett id ska bestå av små bokstäver, siffror, punkt och bindestreck.", "An id must be lower-case letters, digits, dots and hyphens.")
			continue
		case seen[n.ID]:
			v.Add(field+".id", "Id:t förekommer flera gånger.", "The id appears more than once.")
			continue
		}
		seen[n.ID] = true
		ok := true
		if !slices.Contains(noteForms, n.Form) {
			v.Add(field+".form", "Okänt formulär. Tillåtna: "+strings.Join(noteForms, ", ")+".", "Unknown form. Allowed: "+strings.Join(noteForms, ", ")+".")
			ok = false
		}
		if strings.TrimSpace(n.Text.Sv) == "" || strings.TrimSpace(n.Text.En) == "" {
			v.Add(field+".text", "Ange texten på svenska och engelska.", "Give the text in Swedish and English.")
			ok = false
		}
		if n.Source.Document == "" || n.Source.Section == "" || strings.TrimSpace(n.Source.Quote) == "" {
			v.Add(field+".source", "Ange källa: dokument, avsnitt och citat.", "Give the source: document, section and quote.")
			ok = false
		}
		if ok {
			out = append(out, Note(n))
		}
	}
	return out
}
