package policy

import (
	"slices"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
)

// parseEnv parses conditions without declarations: Uses needs only their
// shape, not their types.
var parseEnv = sync.OnceValues(func() (*cel.Env, error) { return cel.NewEnv() })

// Uses returns the variables of the rule's kind that its condition reads,
// in the order of the kind's table; parameters and constants are not
// variables. A caller that knows only some of an input (a request, before
// the terms are written) checks with the rules whose variables it knows,
// and so reports no finding for what it was never told.
func (r *Rule) Uses() []string {
	k, ok := kindByName(r.Kind)
	if !ok {
		return nil
	}
	env, err := parseEnv()
	if err != nil {
		return nil
	}
	parsed, iss := env.Parse(r.Condition)
	if iss.Err() != nil {
		return nil
	}
	idents := map[string]bool{}
	celast.PostOrderVisit(parsed.NativeRep().Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() == celast.IdentKind {
			idents[e.AsIdent()] = true
		}
	}))
	var out []string
	for _, x := range k.Variables {
		if idents[x.Name] && !slices.Contains(out, x.Name) {
			out = append(out, x.Name)
		}
	}
	return out
}
