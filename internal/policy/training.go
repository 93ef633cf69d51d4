package policy

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/distans/distans"
)

// courseFile is one course of a pack's catalogue as HR writes it. The
// deadline and the renewal interval name int parameters, so that HR sets
// them on the parameters page like every other value.
type courseFile struct {
	ID          string `yaml:"id"`
	Title       Text   `yaml:"title"`
	Description Text   `yaml:"description"`
	URL         string `yaml:"url"`
	Audience    struct {
		Everyone  bool     `yaml:"everyone"`
		Roles     []string `yaml:"roles"`
		UnitCodes []string `yaml:"unit_codes"`
	} `yaml:"audience"`
	DeadlineDays string `yaml:"deadline_days"` // an int parameter with unit days
	RenewMonths  string `yaml:"renew_months"`  // an int parameter with unit months; empty: for ever
	Source       Source `yaml:"source"`
}

// templateFile is one checklist template as HR writes it. LeaveDays names
// an int parameter with unit days, so that a long leave's checklist opens
// after the same length as the pack's return rule (Sorsele 004 §8.6: a
// year).
type templateFile struct {
	ID        string     `yaml:"id"`
	Event     string     `yaml:"event"`
	Title     Text       `yaml:"title"`
	LeadDays  int        `yaml:"lead_days"`
	LeaveDays string     `yaml:"leave_days"`
	Source    Source     `yaml:"source"`
	Tasks     []taskFile `yaml:"tasks"`
}

type taskFile struct {
	ID       string `yaml:"id"`
	Title    Text   `yaml:"title"`
	Owner    string `yaml:"owner"`
	DueDays  int    `yaml:"due_days"`
	DoneWhen string `yaml:"done_when"`
	Source   Source `yaml:"source"`
}

// Course returns the course of the catalogue with the given id.
func (p *Pack) Course(id string) (*distans.Course, bool) {
	i := slices.IndexFunc(p.Courses, func(c *distans.Course) bool { return c.ID == id })
	if i < 0 {
		return nil, false
	}
	return p.Courses[i], true
}

// UnitCodes are the unit codes the catalogue's audiences name, for the
// store's distans.TrainingSubject paths (training.Store.UnitPathsByCode).
func (p *Pack) UnitCodes() []string {
	var out []string
	for _, c := range p.Courses {
		for _, code := range c.Audience.UnitCodes {
			if !slices.Contains(out, code) {
				out = append(out, code)
			}
		}
	}
	return out
}

// merged lays the organisation's entries over the generic pack's: an
// entry of the organisation with the id of a generic one takes its place.
// Courses and checklists, unlike the rules of law, are what an
// organisation asks of its own people: the generic pack offers DISA in
// every catalogue without asking it of anyone (no law does), and an
// organisation whose document requires it (Kristianstad 003 Utbildning)
// gives the same id with its audience and deadline. One id, one course:
// a completion of "disa" counts whichever pack asked for it.
func merged[T any](generic, own []T, id func(T) string) []T {
	out := slices.Clone(generic)
	for _, x := range own {
		if i := slices.IndexFunc(out, func(g T) bool { return id(g) == id(x) }); i >= 0 {
			out[i] = x
			continue
		}
		out = append(out, x)
	}
	return out
}

func (p *Pack) checkCourses(v *distans.Validation, files []*packFile) {
	var generic, own []*distans.Course
	for _, f := range files {
		seen := map[string]bool{}
		for i := range f.Courses {
			cf := &f.Courses[i]
			if seen[cf.ID] {
				v.Add("courses["+cf.ID+"].id", "Kursens id förekommer flera gånger.", "The course id appears more than once.")
				continue
			}
			seen[cf.ID] = true
			if c := p.checkCourse(v, cf); c != nil {
				if f.generic {
					generic = append(generic, c)
				} else {
					own = append(own, c)
				}
			}
		}
	}
	p.Courses = merged(generic, own, func(c *distans.Course) string { return c.ID })
}

func (p *Pack) checkCourse(v *distans.Validation, cf *courseFile) *distans.Course {
	field := "courses[" + cf.ID + "]"
	ok := true
	fail := func(part, sv, en string) { v.Add(field+part, sv, en); ok = false }
	if !idRe.MatchString(cf.ID) {
		fail(".id", "Ett id ska bestå av små bokstäver, siffror, punkt och bindestreck.", "An id must be lower-case letters, digits, dots and hyphens.")
	}
	if strings.TrimSpace(cf.Title.Sv) == "" || strings.TrimSpace(cf.Title.En) == "" {
		fail(".title", "Ange kursens namn på svenska och engelska.", "Give the course's title in Swedish and English.")
	}
	if cf.URL != "" {
		if u, err := url.Parse(cf.URL); err != nil || u.Scheme != "https" || u.Host == "" {
			fail(".url", "Ange en adress som börjar med https://.", "Give an address that begins with https://.")
		}
	}
	c := &distans.Course{ID: cf.ID, Title: distans.PolicyText(cf.Title), Description: distans.PolicyText(cf.Description),
		URL: cf.URL, Source: distans.PolicySource(cf.Source)}
	c.Audience.Everyone = cf.Audience.Everyone
	for _, r := range cf.Audience.Roles {
		if !slices.Contains(distans.Roles, distans.Role(r)) {
			fail(".audience.roles", "Okänd roll: "+r+".", "Unknown role: "+r+".")
		}
		c.Audience.Roles = append(c.Audience.Roles, distans.Role(r))
	}
	for _, code := range cf.Audience.UnitCodes {
		if strings.TrimSpace(code) == "" {
			fail(".audience.unit_codes", "En enhetskod får inte vara tom.", "A unit code cannot be empty.")
		}
		c.Audience.UnitCodes = append(c.Audience.UnitCodes, strings.TrimSpace(code))
	}
	required := c.Audience.Everyone || len(c.Audience.Roles) > 0 || len(c.Audience.UnitCodes) > 0
	switch {
	case cf.DeadlineDays != "":
		if n, good := p.intParam(cf.DeadlineDays, "days"); good {
			c.DeadlineDays = n
		} else {
			fail(".deadline_days", "Ange namnet på en heltalsparameter (int) med enheten days; \""+cf.DeadlineDays+"\" är ingen sådan parameter.",
				"Give the name of an int parameter with the unit days; \""+cf.DeadlineDays+"\" is no such parameter.")
		}
	case required:
		fail(".deadline_days", "En kurs som någon måste gå behöver en frist (deadline_days, en parameter med enheten days).",
			"A course someone must take needs a deadline (deadline_days, a parameter with the unit days).")
	}
	if cf.RenewMonths != "" {
		if n, good := p.intParam(cf.RenewMonths, "months"); good {
			c.RenewMonths = n
		} else {
			fail(".renew_months", "Ange namnet på en heltalsparameter (int) med enheten months; \""+cf.RenewMonths+"\" är ingen sådan parameter.",
				"Give the name of an int parameter with the unit months; \""+cf.RenewMonths+"\" is no such parameter.")
		}
	}
	if !sourceGiven(cf.Source) {
		fail(".source", "Ange källa: dokument, avsnitt och citat.", "Give the source: document, section and quote.")
	}
	if !ok {
		return nil
	}
	c.Citation = Cite(p, cf.Source).String()
	return c
}

func sourceGiven(s Source) bool {
	return s.Document != "" && s.Section != "" && strings.TrimSpace(s.Quote) != ""
}

// intParam is the effective value of an int parameter with the unit.
func (p *Pack) intParam(name, unit string) (int, bool) {
	x, ok := p.Param(name)
	if !ok || x.Type != "int" || x.Unit != unit {
		return 0, false
	}
	n, ok := x.Effective().(int64)
	return int(n), ok
}

// checkChecklists compiles the templates of both files, the
// organisation's laid over the generic ones by id, and checks them with
// distans.ValidateTemplates and against the catalogue: a task done when a
// course is completed must name a course of the pack.
func (p *Pack) checkChecklists(v *distans.Validation, files []*packFile) {
	var generic, own []distans.ChecklistTemplate
	for _, f := range files {
		for i := range f.Checklists {
			t := p.checkTemplate(v, &f.Checklists[i])
			if f.generic {
				generic = append(generic, t)
			} else {
				own = append(own, t)
			}
		}
	}
	// Duplicates within one file are ValidateTemplates' to find; across
	// the files an id replaces.
	for _, list := range [][]distans.ChecklistTemplate{generic, own} {
		if err := distans.ValidateTemplates(list); err != nil {
			var de *distans.Error
			if errors.As(err, &de) {
				for _, fe := range de.Fields {
					v.Add(fe.Field, fe.Sv, fe.En)
				}
			}
		}
	}
	p.Checklists = merged(generic, own, func(t distans.ChecklistTemplate) string { return t.ID })
	for _, t := range p.Checklists {
		for _, k := range t.Tasks {
			if id, ok := k.DoneWhen.Course(); ok && id != "" {
				if _, found := p.Course(id); !found {
					v.Add("checklists["+t.ID+"].tasks["+k.ID+"].done_when", "Kursen \""+id+"\" finns inte i regelpaketets kurskatalog.",
						"The course \""+id+"\" is not in the policy pack's catalogue.")
				}
			}
		}
	}
}

func (p *Pack) checkTemplate(v *distans.Validation, tf *templateFile) distans.ChecklistTemplate {
	field := "checklists[" + tf.ID + "]"
	t := distans.ChecklistTemplate{ID: tf.ID, Event: distans.ChecklistEvent(tf.Event), Title: distans.PolicyText(tf.Title),
		LeadDays: tf.LeadDays, Source: distans.PolicySource(tf.Source), Citation: Cite(p, tf.Source).String()}
	if tf.ID != "" && !idRe.MatchString(tf.ID) {
		v.Add(field+".id", "Ett id ska bestå av små bokstäver, siffror, punkt och bindestreck.", "An id must be lower-case letters, digits, dots and hyphens.")
	}
	if strings.TrimSpace(tf.Title.Sv) == "" || strings.TrimSpace(tf.Title.En) == "" {
		v.Add(field+".title", "Ange checklistans rubrik på svenska och engelska.", "Give the checklist's title in Swedish and English.")
	}
	if tf.LeadDays < 0 {
		v.Add(field+".lead_days", "Ange hur många dagar före händelsen checklistan öppnas (0 eller fler).",
			"Give how many days before the event the checklist opens (0 or more).")
	}
	if tf.LeaveDays != "" {
		if n, ok := p.intParam(tf.LeaveDays, "days"); ok {
			t.LeaveDays = n
		} else {
			v.Add(field+".leave_days", "Ange namnet på en heltalsparameter (int) med enheten days; \""+tf.LeaveDays+"\" är ingen sådan parameter.",
				"Give the name of an int parameter with the unit days; \""+tf.LeaveDays+"\" is no such parameter.")
		}
	}
	if !sourceGiven(tf.Source) {
		v.Add(field+".source", "Ange källa: dokument, avsnitt och citat.", "Give the source: document, section and quote.")
	}
	for _, kf := range tf.Tasks {
		k := distans.TemplateTask{ID: kf.ID, Title: distans.PolicyText(kf.Title), Owner: distans.TaskOwner(kf.Owner),
			DueDays: kf.DueDays, DoneWhen: distans.DoneWhen(kf.DoneWhen), Source: distans.PolicySource(kf.Source),
			Citation: Cite(p, kf.Source).String()}
		if !sourceGiven(kf.Source) {
			v.Add(field+".tasks["+kf.ID+"].source", "Ange källa: dokument, avsnitt och citat.", "Give the source: document, section and quote.")
		}
		if strings.TrimSpace(kf.Title.En) == "" {
			v.Add(field+".tasks["+kf.ID+"].title", "Ange uppgiftens rubrik på engelska också.", "Give the task's title in English too.")
		}
		t.Tasks = append(t.Tasks, k)
	}
	return t
}
