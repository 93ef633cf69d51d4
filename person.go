package distans

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Person is someone in an organisation: an employee, an elected member or a
// contractor. The personal identity number is secret: PersonalNumber is
// filled only by RevealPersonalNumber, which is audited, and every other read
// carries only PersonalNumberMasked.
type Person struct {
	ID                   string `json:"id"`
	OrganisationID       string `json:"organisation_id"`
	Name                 string `json:"name"`
	Email                string `json:"email"`
	Phone                string `json:"phone,omitempty"`
	EmployeeNumber       string `json:"employee_number,omitempty"`
	PersonalNumber       string `json:"personal_number,omitempty"`
	PersonalNumberMasked string `json:"personal_number_masked,omitempty"`
	Language             string `json:"language"` // "sv" or "en"
	// UnitID, UnitPath, Title and SiteID come from the current employment.
	UnitID    string    `json:"unit_id,omitempty"`
	UnitPath  string    `json:"-"`
	Title     string    `json:"title,omitempty"`
	SiteID    string    `json:"site_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var (
	phoneRE      = regexp.MustCompile(`^\+?[0-9 ()-]{5,20}$`)
	postalCodeRE = regexp.MustCompile(`^[0-9]{3} ?[0-9]{2}$`)
	pnrRE        = regexp.MustCompile(`^(\d{2})?(\d{6})[-+]?(\d{4})$`)
)

// Validate checks the person's fields. PersonalNumber is checked only when
// set: a Swedish personnummer or samordningsnummer with a valid check digit.
func (p *Person) Validate() error {
	var v Validation
	v.Required("name", p.Name)
	v.MaxLen("name", p.Name, 200)
	if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
		v.Add("email", "Ange en giltig e-postadress.", "Enter a valid e-mail address.")
	}
	if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
		v.Add("phone", "Ange telefonnumret med siffror, till exempel 0932-140 00.", "Enter the phone number in digits.")
	}
	v.MaxLen("employee_number", p.EmployeeNumber, 40)
	if p.PersonalNumber != "" {
		if _, ok := NormalizePersonalNumber(p.PersonalNumber); !ok {
			v.Add("personal_number", "Personnumret är inte giltigt (ÅÅÅÅMMDD-NNNN).", "The personal identity number is not valid (YYYYMMDD-NNNN).")
		}
	}
	if p.Language != "" && p.Language != "sv" && p.Language != "en" {
		v.Add("language", "Språket måste vara sv eller en.", "The language must be sv or en.")
	}
	return v.Err()
}

// NormalizeEmail returns the e-mail address as the stores compare it.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NormalizePersonalNumber returns a personal identity number as
// YYYYMMDD-NNNN, and whether it is valid (date digits and Luhn check digit).
func NormalizePersonalNumber(s string) (string, bool) {
	m := pnrRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	ten := m[2] + m[3]
	sum := 0
	for i, r := range ten {
		d := int(r - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if sum%10 != 0 {
		return "", false
	}
	century := m[1]
	if century == "" {
		yy, _ := strconv.Atoi(m[2][:2])
		century = "19"
		if yy <= time.Now().Year()%100 && !strings.Contains(s, "+") {
			century = "20"
		}
	}
	month, _ := strconv.Atoi(m[2][2:4])
	day, _ := strconv.Atoi(m[2][4:6])
	if day > 60 { // samordningsnummer
		day -= 60
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return "", false
	}
	return century + m[2] + "-" + m[3], true
}

// MaskPersonalNumber keeps the date of birth and hides the last four digits.
func MaskPersonalNumber(n string) string {
	if len(n) < 4 {
		return ""
	}
	return n[:len(n)-4] + "****"
}

// Employment is a period in which a person works in a unit with a title.
// A person has at most one employment that is current on a given day.
type Employment struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	UnitID         string     `json:"unit_id"`
	Title          string     `json:"title"`
	SiteID         string     `json:"site_id,omitempty"` // main workplace
	StartsOn       time.Time  `json:"starts_on"`
	EndsOn         *time.Time `json:"ends_on,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// CurrentOn reports whether the employment holds on the calendar day day
// (midnight UTC): it has begun and not ended before it.
func (e *Employment) CurrentOn(day time.Time) bool {
	return !e.StartsOn.After(day) && (e.EndsOn == nil || !e.EndsOn.Before(day))
}

// Validate checks the employment's own fields; the store checks that the
// unit and site exist in the organisation and that periods do not overlap.
func (e *Employment) Validate() error {
	var v Validation
	v.Required("unit_id", e.UnitID)
	v.Required("title", e.Title)
	v.MaxLen("title", e.Title, 200)
	if e.StartsOn.IsZero() {
		v.Add("starts_on", "Ange startdatum.", "Enter a start date.")
	}
	if e.EndsOn != nil && e.EndsOn.Before(e.StartsOn) {
		v.Add("ends_on", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
	}
	return v.Err()
}

// LeaveKind is the kind of leave; it is shown only to HR and the person's
// managers, never to the switchboard or colleagues.
type LeaveKind string

const (
	LeaveParental LeaveKind = "foraldraledighet"
	LeaveStudy    LeaveKind = "studieledighet"
	LeaveUnpaid   LeaveKind = "tjanstledighet"
	LeaveOther    LeaveKind = "annan"
)

// Leave is a period of leave from an employment.
type Leave struct {
	ID             string     `json:"id"`
	OrganisationID string     `json:"organisation_id"`
	PersonID       string     `json:"person_id"`
	Kind           LeaveKind  `json:"kind"`
	StartsOn       time.Time  `json:"starts_on"`
	EndsOn         *time.Time `json:"ends_on,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// Validate checks the leave's fields.
func (l *Leave) Validate() error {
	var v Validation
	switch l.Kind {
	case LeaveParental, LeaveStudy, LeaveUnpaid, LeaveOther:
	default:
		v.Add("kind", "Okänd typ av ledighet.", "Unknown kind of leave.")
	}
	if l.StartsOn.IsZero() {
		v.Add("starts_on", "Ange startdatum.", "Enter a start date.")
	}
	if l.EndsOn != nil && l.EndsOn.Before(l.StartsOn) {
		v.Add("ends_on", "Slutdatum kan inte vara före startdatum.", "The end date cannot be before the start date.")
	}
	return v.Err()
}

// PersonUpdate is a change to a person's own fields: each field that is
// not nil replaces the person's. PersonalNumber changes the number only
// when it is not empty. UpdatedAt, when set, is the person's UpdatedAt as
// the caller read it; the change is then refused if the person has changed
// since.
type PersonUpdate struct {
	Name           *string
	Email          *string
	Phone          *string
	EmployeeNumber *string
	PersonalNumber *string
	Language       *string
	UpdatedAt      *time.Time
}

// Apply makes the change on p. p.PersonalNumber is left empty unless upd
// gives a number: reads never carry it.
func (upd *PersonUpdate) Apply(p *Person) {
	p.PersonalNumber = ""
	set(&p.Name, upd.Name)
	set(&p.Email, upd.Email)
	set(&p.Phone, upd.Phone)
	set(&p.EmployeeNumber, upd.EmployeeNumber)
	set(&p.PersonalNumber, upd.PersonalNumber)
	set(&p.Language, upd.Language)
}

// EmploymentUpdate is a change to an employment: each field that is not
// nil replaces the employment's; with SetEndsOn, EndsOn replaces the end
// date (nil: none). UpdatedAt, when set, is the employment's UpdatedAt as
// the caller read it; the change is then refused if it has changed since.
// Invalid is what the caller could not read of the change (a date that is
// not a date): the store answers it only after deciding that the actor may
// change the employment, so that nobody else learns how input is judged.
type EmploymentUpdate struct {
	UnitID    *string
	Title     *string
	SiteID    *string
	StartsOn  *time.Time
	SetEndsOn bool
	EndsOn    *time.Time
	UpdatedAt *time.Time
	Invalid   error
}

// Apply makes the change on e.
func (upd *EmploymentUpdate) Apply(e *Employment) {
	set(&e.UnitID, upd.UnitID)
	set(&e.Title, upd.Title)
	set(&e.SiteID, upd.SiteID)
	set(&e.StartsOn, upd.StartsOn)
	if upd.SetEndsOn {
		e.EndsOn = upd.EndsOn
	}
}

// PersonFilter narrows ListPeople. Each word of Query must begin a word of
// the name, the title, the e-mail address (whole or a part of it) or the
// employee number, case- and diacritic-insensitively on both databases:
// "ost" finds Östen and Ostrowski, not Kristoffer.
type PersonFilter struct {
	Query  string
	UnitID string // this unit and its subtree
	// After and Before are cursors (Page.Next, Page.Prev): the page after
	// or before that place in name order; neither is the first page.
	After, Before string
	Limit         int // 0 means 50; at most 500
	// ExactCount counts every match instead of up to CountCap+1, for the
	// few pages that show a head count rather than a search.
	ExactCount bool
}

// PersonService manages people, their employments and leave. Reading needs
// PermViewPeople in the person's unit, except that everyone reads their own
// record; changes need PermManagePeople. Employments and leave are people's
// data and follow the same rules.
//
// UpdatePerson and UpdateEmployment read the record, apply the update and
// write it in one transaction, so that concurrent updates of different
// fields all stand. They return the record as saved; ENOTFOUND outside the
// caller's reach, EFORBIDDEN without the permission (a person may change
// only their own phone and language), EINVALID when the result is not
// valid, and ECONFLICT for an e-mail address in use, an overlapping
// employment, or when upd.UpdatedAt is set and the record has changed since.
type PersonService interface {
	FindPerson(ctx context.Context, id string) (*Person, error)
	// FindSelf returns the actor's own person and organisation in one
	// read: who-am-I, which every client asks first.
	FindSelf(ctx context.Context) (*Person, *Organisation, error)
	ListPeople(ctx context.Context, f PersonFilter) ([]*Person, Page, error)
	CreatePerson(ctx context.Context, p *Person) error
	UpdatePerson(ctx context.Context, id string, upd PersonUpdate) (*Person, error)
	// RevealPersonalNumber returns the unmasked number and writes an audit
	// event in the same transaction; it needs PermViewSecret.
	RevealPersonalNumber(ctx context.Context, personID string) (string, error)

	FindEmployment(ctx context.Context, id string) (*Employment, error)
	ListEmployments(ctx context.Context, personID string) ([]*Employment, error)
	CreateEmployment(ctx context.Context, e *Employment) error
	UpdateEmployment(ctx context.Context, id string, upd EmploymentUpdate) (*Employment, error)
	EndEmployment(ctx context.Context, id string, on time.Time) error

	ListLeaves(ctx context.Context, personID string) ([]*Leave, error)
	CreateLeave(ctx context.Context, l *Leave) error
	EndLeave(ctx context.Context, id string, on time.Time) error
}
