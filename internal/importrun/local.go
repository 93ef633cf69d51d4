package importrun

import (
	"context"

	"github.com/distans/distans"
)

// Check is the dry run in this process, for the command line: what files
// would do in the organisation of ctx's actor, and every row error (not
// only the first MaxErrors). Nothing is saved.
func (s *Service) Check(ctx context.Context, files []distans.ImportFile, opts distans.ImportOptions,
	progress func(done, total int)) (*distans.ImportPlan, []distans.ImportRowError, error) {
	a := distans.ActorFrom(ctx)
	if !a.Imports() {
		return nil, nil, distans.Forbidden()
	}
	opts, err := validate(files, opts)
	if err != nil {
		return nil, nil, err
	}
	snap, err := s.store.ImportSnapshot(ctx, a.OrganisationID)
	if err != nil {
		return nil, nil, err
	}
	return s.check(ctx, a.OrganisationID, files, opts, snap, progress)
}

// KeepChecked keeps files that Check has just found valid, with the plan's
// summary, as an import that is checked and ready to confirm, so that the
// command line need not have a worker check them a second time. The apply
// checks them again all the same, against the organisation as it is then.
func (s *Service) KeepChecked(ctx context.Context, files []distans.ImportFile, opts distans.ImportOptions,
	plan *distans.ImportPlan) (*distans.Import, error) {
	a := distans.ActorFrom(ctx)
	if !a.Imports() {
		return nil, distans.Forbidden()
	}
	opts, err := validate(files, opts)
	if err != nil {
		return nil, err
	}
	now := distans.NowFrom(ctx)
	sum := plan.Summary
	imp := &distans.Import{
		OrganisationID: a.OrganisationID,
		CreatedBy:      a.PersonID,
		CreatedByName:  a.Name,
		Status:         distans.ImportChecked,
		Options:        opts,
		Rows:           sum.Rows,
		Done:           sum.Rows,
		Summary:        &sum,
		CreatedAt:      now,
		UpdatedAt:      now,
	}
	for _, f := range files {
		imp.FileNames = append(imp.FileNames, f.Name)
	}
	if err := s.store.CreateImport(ctx, imp, files); err != nil {
		return nil, err
	}
	return imp, nil
}
