package distans

import (
	"context"
	"time"
)

// PolicyVersion is one saved version of an organisation's policy pack: the
// YAML text an HR officer edits (internal/policy parses it), numbered from 1
// per organisation. The newest version is the active one. Versions are never
// changed or removed, so that anything checked can name the version it was
// checked against.
type PolicyVersion struct {
	OrganisationID string    `json:"organisation_id"`
	Version        int       `json:"version"`
	Source         string    `json:"source"` // the pack's YAML text
	Reason         string    `json:"reason"` // why it was changed, required from version 2
	CreatedBy      string    `json:"created_by,omitempty"`
	CreatedByName  string    `json:"created_by_name"`
	CreatedAt      time.Time `json:"created_at"`
}

// PolicyStore keeps pack versions. Everyone signed in may read the active
// pack and the history of their own organisation; saving needs
// PermManagePolicy. SavePolicyVersion assigns the next number and refuses
// with ECONFLICT when base is not the newest version, so that two HR
// officers editing at once never overwrite each other silently; base 0
// means "the first version". It writes an audit event in the same
// transaction. The caller has already parsed and validated the text.
type PolicyStore interface {
	ActivePolicyVersion(ctx context.Context) (*PolicyVersion, error)
	FindPolicyVersion(ctx context.Context, version int) (*PolicyVersion, error)
	ListPolicyVersions(ctx context.Context) ([]*PolicyVersion, error) // newest first, Source left empty
	SavePolicyVersion(ctx context.Context, base int, v *PolicyVersion) error
}

// PolicyDocument is a document an organisation publishes in Distans, such
// as its guidelines for remote work or its information-security
// instruction, in numbered versions. A required document must be
// acknowledged (ansvarsförbindelse) by every person in UnitID's subtree, or
// everyone when UnitID is empty; a new version asks everyone again.
type PolicyDocument struct {
	ID             string    `json:"id"`
	OrganisationID string    `json:"organisation_id"`
	Title          string    `json:"title"`
	Version        int       `json:"version"`
	Body           string    `json:"body"`
	Required       bool      `json:"required"`
	UnitID         string    `json:"unit_id,omitempty"`
	PublishedBy    string    `json:"published_by,omitempty"`
	PublishedAt    time.Time `json:"published_at"`
}

// Validate checks the document's fields.
func (d *PolicyDocument) Validate() error {
	var v Validation
	v.Required("title", d.Title)
	v.MaxLen("title", d.Title, 200)
	v.Required("body", d.Body)
	v.MaxLen("body", d.Body, 200_000)
	return v.Err()
}

// Acknowledgement records that a person has read and accepted a version of
// a document.
type Acknowledgement struct {
	OrganisationID string    `json:"organisation_id"`
	DocumentID     string    `json:"document_id"`
	Version        int       `json:"version"`
	DocumentTitle  string    `json:"document_title"`
	PersonID       string    `json:"person_id"`
	At             time.Time `json:"at"`
}

// Outstanding is a person who has not acknowledged the current version of
// a required document that applies to them.
type Outstanding struct {
	PersonID      string `json:"person_id"`
	PersonName    string `json:"person_name"`
	UnitID        string `json:"unit_id"`
	DocumentID    string `json:"document_id"`
	DocumentTitle string `json:"document_title"`
	Version       int    `json:"version"`
}

// DocumentService publishes documents and records acknowledgements.
// Everyone reads the documents of their organisation; publishing needs
// PermManagePolicy. A person acknowledges only for themselves, and only the
// current version (ECONFLICT for an older one). Outstanding lists, for a
// manager or HR, the people in their PermViewPeople scope (optionally one
// unit's subtree) who have not acknowledged a required document.
type DocumentService interface {
	ListDocuments(ctx context.Context) ([]*PolicyDocument, error)                      // current versions
	FindDocument(ctx context.Context, id string, version int) (*PolicyDocument, error) // version 0: current
	ListDocumentVersions(ctx context.Context, id string) ([]*PolicyDocument, error)
	// PublishDocument creates a document (empty ID) or a new version of one.
	PublishDocument(ctx context.Context, d *PolicyDocument) error
	Acknowledge(ctx context.Context, documentID string, version int) (*Acknowledgement, error)
	// ListAcknowledgements returns a person's acknowledgements (their own,
	// or anyone's in the caller's Actor.OutstandingScope), newest first.
	ListAcknowledgements(ctx context.Context, personID string) ([]*Acknowledgement, error)
	// Pending returns the required documents the actor has yet to acknowledge.
	Pending(ctx context.Context) ([]*PolicyDocument, error)
	// Outstanding lists who in the caller's Actor.OutstandingScope has not
	// acknowledged a required document; EFORBIDDEN for anyone without one.
	Outstanding(ctx context.Context, unitID string) ([]*Outstanding, error)
}
