package distans

import (
	"context"
	"encoding/json"
	"io"
	"time"
)

// One's own data: a person's right of access (GDPR art. 15) and to data
// portability (art. 20). A person asks for everything Distans holds about
// them, or HR asks for them; the request is logged with the deadline of
// art. 12.3 (one month), and delivered as a structured, machine-readable
// JSON file and as a readable PDF of the same content.

// DataRequest is one request for a person's own data. DueOn is the last
// day of the month art. 12.3 allows (DataRequestDue of the day it was
// asked, in the organisation's time zone); DeliveredAt is set when the
// export was made available, after which it can be downloaded.
type DataRequest struct {
	ID              string     `json:"id"`
	OrganisationID  string     `json:"organisation_id"`
	PersonID        string     `json:"person_id"`
	PersonName      string     `json:"person_name"`
	RequestedByID   string     `json:"requested_by_id"`
	RequestedByName string     `json:"requested_by_name"`
	RequestedAt     time.Time  `json:"requested_at"`
	DueOn           time.Time  `json:"-"` // a day, midnight UTC
	DeliveredAt     *time.Time `json:"delivered_at,omitempty"`
}

// MarshalJSON writes DueOn as a day, "YYYY-MM-DD".
func (r DataRequest) MarshalJSON() ([]byte, error) {
	type plain DataRequest
	return json.Marshal(struct {
		plain
		DueOn string `json:"due_on"`
	}{plain(r), r.DueOn.Format(time.DateOnly)})
}

// Open reports whether the request is not yet delivered.
func (r *DataRequest) Open() bool { return r.DeliveredAt == nil }

// Overdue reports whether the request is open past its due day; today is
// the organisation's day at midnight UTC.
func (r *DataRequest) Overdue(today time.Time) bool { return r.Open() && today.After(r.DueOn) }

// ByPerson reports whether the person asked for themselves rather than HR
// for them.
func (r *DataRequest) ByPerson() bool { return r.RequestedByID == r.PersonID }

// DataRequestDue is the due day of a request made on the day requestedOn
// (midnight UTC): the same date of the next month, or that month's last
// day when it has no such date (GDPR art. 12.3 "within one month"; a
// period in months ends on the date of the same number, or the month's
// last day, Council Regulation (EEC, Euratom) No 1182/71 art. 3.2(c)).
func DataRequestDue(requestedOn time.Time) time.Time {
	y, m, d := requestedOn.Date()
	first := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

// DataRequestScope is where the actor asks for other people's data: the
// scope of their HR grants (HR keeps the personnel records and answers
// for the employer).
func (a *Actor) DataRequestScope() Scope { return a.RoleScope(RoleHR) }

// RequestsDataOf reports whether the actor may ask for, follow and download
// the own data of the person personID in the unit at unitPath: the person
// themselves, and HR in scope for them. The system asks for nobody: a
// request is a person's, or HR's on their behalf. The store enforces it;
// the pages and the API ask it only to decide what to offer.
func (a *Actor) RequestsDataOf(personID, unitPath string) bool {
	return a != nil && !a.System && a.PersonID != "" &&
		(a.PersonID == personID || a.DataRequestScope().Contains(unitPath))
}

// OwnData is everything Distans holds about one person, as delivered for
// a request: one section per kind of record, each a list of records.
type OwnData struct {
	Request      *DataRequest     `json:"request"`
	Organisation string           `json:"organisation"`
	ProducedAt   time.Time        `json:"produced_at"`
	Sections     []OwnDataSection `json:"sections"`
	// Omitted says what Distans holds that names the person but is not
	// in the export, and why (secrets, other people's records).
	Omitted []OwnDataOmission `json:"omitted"`
}

// OwnDataSection is one kind of record: Key names it for machines (the
// table it comes from), TitleSv and TitleEn for people.
type OwnDataSection struct {
	Key     string          `json:"key"`
	TitleSv string          `json:"title_sv"`
	TitleEn string          `json:"title_en"`
	Records []OwnDataRecord `json:"records"`
}

// OwnDataRecord is one record: its fields in order, those without a value
// left out.
type OwnDataRecord []OwnDataField

// OwnDataField is one field of a record. JSON marks a value that is itself
// JSON (an agreement's terms), which the JSON export embeds as such.
type OwnDataField struct {
	Name  string
	Value string
	JSON  bool
}

// MarshalJSON writes the record as one object, its fields in order.
func (r OwnDataRecord) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, f := range r {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(f.Name)
		if err != nil {
			return nil, err
		}
		b = append(append(b, k...), ':')
		if f.JSON {
			b = append(b, f.Value...)
			continue
		}
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}

// Get returns the value of the field name, and whether the record has it.
func (r OwnDataRecord) Get(name string) (string, bool) {
	for _, f := range r {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// OwnDataOmission is something about the person that the export leaves
// out: where it is kept and why it is not delivered.
type OwnDataOmission struct {
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

// OwnDataFormat is a form the export is delivered in.
type OwnDataFormat string

const (
	OwnDataJSON OwnDataFormat = "json" // art. 20: structured, machine-readable
	OwnDataPDF  OwnDataFormat = "pdf"  // readable, with Swedish headings
)

// OwnDataService answers requests for one's own data. Every method acts
// as the actor in ctx under RequestsDataOf: ENOTFOUND for a person or
// request outside it (another person, another organisation).
//
// RequestOwnData logs a request for the person (audited
// "owndata.request", due in one month) and delivers it at once (audited
// "owndata.deliver"); should delivery fail, the request stays open with
// its deadline and DeliverDataRequest delivers it later.
// ListDataRequests is the person's requests, newest first.
// OpenDataRequests is HR's view: the requests not yet delivered of the
// people in DataRequestScope, earliest due first.
// DownloadOwnData writes the delivered export in format to w, read
// afresh and audited ("owndata.download", and the reads of the personal
// identity number and the remote places as their own reads are audited);
// ECONFLICT before delivery.
type OwnDataService interface {
	RequestOwnData(ctx context.Context, personID string) (*DataRequest, error)
	DeliverDataRequest(ctx context.Context, id string) (*DataRequest, error)
	FindDataRequest(ctx context.Context, id string) (*DataRequest, error)
	ListDataRequests(ctx context.Context, personID string) ([]*DataRequest, error)
	OpenDataRequests(ctx context.Context) ([]*DataRequest, error)
	DownloadOwnData(ctx context.Context, id string, format OwnDataFormat, w io.Writer) error
}
