package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/distans/distans"
)

// A site's layout is the site itself, its booking rules, and its zones and
// desks, ended ones included, in the order availability shows them: zones
// by name in Swedish order, desks by label read naturally.
// It changes seldom and is read on every availability request, so each
// instance keeps it per site with the site's layout_version; every change
// to the site, its rules, a zone or a desk bumps that version in its own
// transaction, and a reader that sees a version other than the kept one
// reads the layout again.
type siteLayout struct {
	version int64
	site    distans.Site
	rules   distans.BookingRules
	desks   []layoutDesk
	index   map[string]int // desk ID → position in desks
}

type layoutDesk struct {
	desk distans.Desk
	zone distans.Zone // ID, site, name and floor: no timestamps
}

type layoutCache struct {
	mu    sync.RWMutex
	sites map[layoutKey]*siteLayout
}

type layoutKey struct{ orgID, siteID string }

func (c *layoutCache) get(orgID, siteID string, version int64) *siteLayout {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if l := c.sites[layoutKey{orgID, siteID}]; l != nil && l.version == version {
		return l
	}
	return nil
}

func (c *layoutCache) put(orgID, siteID string, l *siteLayout) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sites == nil {
		c.sites = map[layoutKey]*siteLayout{}
	}
	c.sites[layoutKey{orgID, siteID}] = l
}

// bumpLayout marks a change to the site's rules, zones or desks; a change
// to the site's own row bumps the version in the same UPDATE.
func bumpLayout(ctx context.Context, tx *sql.Tx, orgID, siteID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE sites SET layout_version = layout_version + 1 WHERE organisation_id = $1 AND id = $2`,
		orgID, siteID)
	return err
}

// layout returns the site's layout at version, from memory when it is kept.
// A layout read while a change commits may be newer than version; it is
// kept under version all the same and replaced at the next reader, which
// sees the bumped one.
func (s *Store) layout(ctx context.Context, orgID, siteID string, version int64) (*siteLayout, error) {
	if l := s.layouts.get(orgID, siteID, version); l != nil {
		return l, nil
	}
	l := &siteLayout{version: version}
	site, rules, err := siteWithRules(ctx, s.rdb, orgID, siteID)
	if err != nil {
		return nil, err
	}
	l.site, l.rules = *site, *rules
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+deskCols+`, z.name, z.floor
		FROM desks d JOIN office_zones z ON z.organisation_id = d.organisation_id AND z.id = d.zone_id
		WHERE d.organisation_id = $1 AND d.site_id = $2`, orgID, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var z distans.Zone
		d, err := scanDesk(rows, &z.Name, &z.Floor)
		if err != nil {
			return nil, err
		}
		z.ID, z.OrganisationID, z.SiteID = d.ZoneID, d.OrganisationID, d.SiteID
		l.desks = append(l.desks, layoutDesk{desk: *d, zone: z})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Zones in Swedish order (Å, Ä, Ö last), whatever the database's
	// collation.
	slices.SortFunc(l.desks, func(x, y layoutDesk) int {
		return cmp.Or(cmp.Compare(distans.SortKey(x.zone.Name), distans.SortKey(y.zone.Name)), cmp.Compare(x.zone.ID, y.zone.ID),
			naturalCompare(x.desk.Label, y.desk.Label), cmp.Compare(x.desk.ID, y.desk.ID))
	})
	l.index = make(map[string]int, len(l.desks))
	for i := range l.desks {
		l.index[l.desks[i].desk.ID] = i
	}
	s.layouts.put(orgID, siteID, l)
	return l, nil
}
