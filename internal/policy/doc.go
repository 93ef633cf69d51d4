// Package policy holds each organisation's rules as data and checks
// requests and records against them, every finding citing its clause.
//
// A pack is a YAML file an HR officer can read (see packs/README.md and
// the five seed packs in packs/): metadata, typed parameters with units
// and defaults, and rules. A rule has an id, the kind of input it applies
// to (agreement, phone_hours, redirect, leave, employment_end, travel,
// incident, loss, meeting),
// a CEL condition that is true when the rule is TRIPPED, a severity
// (block, warn, info), a message in Swedish and English in which
// {parameter_name} is replaced by the parameter's value ({deadline} by the
// deadline a rule declares), the source clause with a verbatim quote, and
// two examples, one that passes and one that trips.
//
// Parse is strict and pure: unknown fields, conditions that do not compile
// or do not give a bool for their kind's variables, unknown placeholders
// and examples that contradict their rule are all refused, each naming the
// rule, and nothing outside the result changes, so the caller keeps the
// pack it had. The rules of law that hold everywhere (packs/generic.yaml,
// GDPR art. 33) are merged into every pack; an organisation can add to
// them but not remove them.
//
// Check and CheckJSON evaluate the compiled programs. Inputs are typed
// structs turned into CEL activations without reflection, and the
// parameters are compiled into the programs as constants, so that checking
// a million stored agreements takes seconds.
package policy

// The CEL variables, the JSON input fields and the typed structs are one
// list per kind (kinds.go); a test holds the resolvers in inputs.go to it.
// Deadlines are counted in real elapsed hours, in calendar days, or to the
// end of the local day (check.go), and shown in the pack's time zone, which
// the tzdata import below guarantees is available even on a machine
// without a zoneinfo database.
import _ "time/tzdata"
