package presence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/policy"
	"github.com/distans/distans/internal/presence"
	"github.com/distans/distans/internal/sqlstore"
	"github.com/distans/distans/internal/sqlstore/storetest"
)

// The tests run at Monday 4 March 2030, 10:00 in Stockholm.
var (
	stockholm, _ = time.LoadLocation("Europe/Stockholm")
	now          = time.Date(2030, 3, 4, 10, 0, 0, 0, stockholm)
	today        = storetest.Day(2030, 3, 4)
)

func at(h, m int) *time.Time {
	t := time.Date(2030, 3, 4, h, m, 0, 0, stockholm)
	return &t
}

// org is one organisation of the setting: its pack, and people in one unit.
type org struct {
	o                     *distans.Organisation
	unit                  *distans.Unit
	emp, colleague, boss  *distans.Person
	empCtx, bossCtx, sys  context.Context
	colleagueCtx, outside context.Context
}

// customPack is Sorsele's pack under another slug, with the parameters
// Distans reads without a rule set otherwise: one-off remote days
// forbidden, and status history kept 30 days, the organisation's own value
// over the default 90.
func customPack(t *testing.T) string {
	t.Helper()
	src, err := policy.SeedYAML("sorsele")
	storetest.Must(t, err)
	text := strings.Replace(string(src), "slug: sorsele", "slug: custom", 1)
	text = strings.Replace(text, "parameters:\n", `parameters:
  - name: one_off_remote_days
    type: bool
    default: false
    label: {sv: Enstaka distansdagar utanför överenskommelse, en: One-off remote days outside an agreement}
`, 1)
	kept := "  - name: status_history_days\n    type: int\n    unit: days\n    default: 90\n"
	if !strings.Contains(text, kept) {
		t.Fatal("Sorsele's pack has no status_history_days of 90 days")
	}
	text = strings.Replace(text, kept, kept+"    value: 30\n", 1)
	if _, err := policy.Parse([]byte(text)); err != nil {
		t.Fatalf("custom pack: %v", err)
	}
	return text
}

// setup makes four organisations: sorsele and stockholm with their seed
// packs, custom with customPack, and tom with no pack (the rules of law alone).
func setup(t *testing.T, s *sqlstore.Store) map[string]*org {
	t.Helper()
	out := map[string]*org{}
	for _, slug := range []string{"sorsele", "stockholm", "custom", "tom"} {
		o := &org{o: storetest.NewOrg(t, s, slug)}
		id := o.o.ID
		o.sys = storetest.System(id)
		var src string
		switch slug {
		case "custom":
			src = customPack(t)
		case "tom":
		default:
			b, err := policy.SeedYAML(slug)
			storetest.Must(t, err)
			src = string(b)
		}
		if src != "" {
			storetest.Must(t, s.SavePolicyVersion(o.sys, 0, &distans.PolicyVersion{Source: src}))
		}
		o.unit = storetest.NewUnit(t, s, id, "", "Kommunledningskontoret", distans.UnitAdministration)
		other := storetest.NewUnit(t, s, id, o.unit.ID, "Östersundsenheten", distans.UnitSection)
		o.emp = storetest.NewPerson(t, s, id, "Åsa Öberg", o.unit.ID)
		o.colleague = storetest.NewPerson(t, s, id, "Nils Nilsson", o.unit.ID)
		o.boss = storetest.NewPerson(t, s, id, "Kim Kommunchef", o.unit.ID)
		outsider := storetest.NewPerson(t, s, id, "Olle Utanför", other.ID)
		storetest.Assign(t, s, o.boss, distans.PhoneHoursApprover, "")
		o.empCtx, o.bossCtx = storetest.As(t, s, o.emp), storetest.As(t, s, o.boss)
		o.colleagueCtx, o.outside = storetest.As(t, s, o.colleague), storetest.As(t, s, outsider)
		out[slug] = o
	}
	return out
}

// wednesdaysRemote is a default-status hook: an agreement with Wednesdays
// at home for everyone.
func wednesdaysRemote(_ context.Context, personIDs []string, date time.Time) (map[string]distans.StatusKind, error) {
	out := map[string]distans.StatusKind{}
	if date.Weekday() == time.Wednesday {
		for _, id := range personIDs {
			out[id] = distans.StatusRemote
		}
	}
	return out, nil
}

func newService(s *sqlstore.Store) *presence.Service {
	return presence.New(s, policy.NewService(s, s), wednesdaysRemote)
}

func TestRedirectRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		orgs := setup(t, s)
		svc := newService(s)
		type want struct {
			code    string
			cites   []string // in the Swedish message
			notices []string // rule ids
		}
		for _, tc := range []struct {
			name   string
			org    string
			phone  distans.PhoneKind
			target distans.RedirectTarget
			until  *time.Time
			want   want
		}{
			{"colleague with return time", "sorsele", "", distans.RedirectColleague, at(13, 0), want{}},
			{"voicemail: listen daily", "sorsele", "", distans.RedirectVoicemail, at(13, 0), want{notices: []string{"sorsele-4-voicemail"}}},
			{"switchboard", "sorsele", distans.PhonePersonal, distans.RedirectSwitchboard, at(16, 30), want{}},
			{"private phone", "sorsele", "", distans.RedirectPrivate, at(13, 0),
				want{code: distans.EINVALID, cites: []string{"får inte vidarekopplas till en privat telefon", "4. När du inte kan vara tillgänglig på telefon", "Sorsele kommun"}}},
			{"on-call phone", "sorsele", distans.PhoneOnCall, distans.RedirectSwitchboard, at(13, 0),
				want{code: distans.EINVALID, cites: []string{"Jourtelefonen får inte hänvisas", "e-postanvändning, 6. Jourtelefoner"}}},
			{"on-call phone to a private phone", "sorsele", distans.PhoneOnCall, distans.RedirectPrivate, at(13, 0),
				want{code: distans.EINVALID, cites: []string{"6. Jourtelefoner", "4. När du inte kan"}}},
			{"no return time", "sorsele", "", distans.RedirectSwitchboard, nil,
				want{code: distans.EINVALID, cites: []string{"Ange när du åter är tillgänglig", "1. Bemötande och tillgänglighet på telefon"}}},
			{"return time passed", "sorsele", "", distans.RedirectSwitchboard, at(9, 0), want{code: distans.EINVALID}},
			{"return time passed, Stockholm", "stockholm", "", distans.RedirectSwitchboard, at(9, 59), want{code: distans.EINVALID}},
			// Stockholm's pack says nothing of redirects: Sorsele's rules do not apply there.
			{"private phone, Stockholm", "stockholm", "", distans.RedirectPrivate, at(13, 0), want{}},
			{"no return time, Stockholm", "stockholm", "", distans.RedirectVoicemail, nil, want{}},
			{"private phone, no pack", "tom", "", distans.RedirectPrivate, at(13, 0), want{}},
			// An on-call phone is never redirected, whatever the pack.
			{"on-call phone, Stockholm", "stockholm", distans.PhoneOnCall, distans.RedirectSwitchboard, at(13, 0),
				want{code: distans.EINVALID, cites: []string{"jourtelefon"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := orgs[tc.org]
				r := &distans.Redirect{PersonID: o.emp.ID, Phone: tc.phone, Text: "I möte", Until: tc.until, Target: tc.target}
				if tc.target == distans.RedirectColleague {
					r.ColleagueID = o.colleague.ID
				}
				err := svc.SetRedirect(o.empCtx, r, now)
				storetest.WantCode(t, err, tc.want.code)
				got, ferr := svc.FindRedirect(o.colleagueCtx, o.emp.ID, now)
				if tc.want.code != "" {
					msg := err.(*distans.Error).Sv
					for _, c := range tc.want.cites {
						if !strings.Contains(msg, c) {
							t.Errorf("message %q does not cite %q", msg, c)
						}
					}
					if ferr == nil {
						t.Errorf("a refused redirect was saved: %+v", got)
					}
					return
				}
				storetest.Must(t, ferr)
				version := 1 // the seed pack saved as version 1
				if tc.org == "tom" {
					version = 0 // the rules of law alone
				}
				if got.Target != tc.target || got.PackVersion != version {
					t.Errorf("stored %+v", got)
				}
				var ids []string
				for _, n := range r.Notices {
					ids = append(ids, n.RuleID)
				}
				if strings.Join(ids, ",") != strings.Join(tc.want.notices, ",") {
					t.Errorf("notices = %v, want %v", ids, tc.want.notices)
				}
				// Back early: the person clears it.
				storetest.Must(t, svc.ClearRedirect(o.empCtx, o.emp.ID))
			})
		}
	})
}

func TestPhoneHoursRules(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		orgs := setup(t, s)
		svc := newService(s)
		fiveHours := []distans.PhoneSession{{Weekday: "mon", Start: "09:00", End: "11:00"},
			{Weekday: "wed", Start: "09:00", End: "11:00"}, {Weekday: "fri", Start: "13:00", End: "14:00"}}
		fourHours := fiveHours[:2]
		halfHour := []distans.PhoneSession{{Weekday: "mon", Start: "08:00", End: "12:00"}, {Weekday: "tue", Start: "08:00", End: "09:00"},
			{Weekday: "fri", Start: "13:00", End: "13:30"}}
		for _, tc := range []struct {
			name      string
			org       string
			asBoss    bool
			sessions  []distans.PhoneSession
			exception string // the decision's reason
			code      string
			cites     []string
			notices   []string
		}{
			// Sorsele 004 §3: no phone hours at all without the kommunchef's
			// exception, however regular they are.
			{"five hours, no exception", "sorsele", false, fiveHours, "", distans.EINVALID,
				[]string{"kommunchefen har beslutat om undantag", "3. Telefontider", "beslut av förvaltningsledning"}, nil},
			{"exception asked by the employee", "sorsele", false, fiveHours, "Växeln når inte handläggarna", distans.EFORBIDDEN, nil, nil},
			{"five hours with the approver's exception", "sorsele", true, fiveHours, "Växeln når inte handläggarna", "", nil,
				[]string{"sorsele-3-registered"}},
			// Hours that are used are at least five hours a week and one hour a
			// session; an exception does not waive that.
			{"four hours a week with an exception", "sorsele", true, fourHours, "Deltid 50 %", distans.EINVALID,
				[]string{"minst 5 timmar per vecka", "3. Telefontider"}, nil},
			{"half an hour with an exception", "sorsele", true, halfHour, "Deltid 50 %", distans.EINVALID,
				[]string{"minst 60 minuter", "3. Telefontider"}, nil},
			{"exception without a reason", "sorsele", true, fiveHours, " ", distans.EINVALID, nil, nil},
			{"one hour in Stockholm", "stockholm", false, fiveHours[2:], "", "", nil, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := orgs[tc.org]
				ctx := o.empCtx
				if tc.asBoss {
					ctx = o.bossCtx
				}
				h := &distans.PhoneHours{PersonID: o.emp.ID, Sessions: tc.sessions}
				if tc.exception != "" {
					h.Exception = &distans.PhoneHoursDecision{Reason: tc.exception}
				}
				err := svc.SavePhoneHours(ctx, h, now)
				storetest.WantCode(t, err, tc.code)
				if tc.code != "" {
					var e *distans.Error
					e, _ = err.(*distans.Error)
					for _, c := range tc.cites {
						if e == nil || !strings.Contains(e.Sv, c) {
							t.Errorf("message %v does not cite %q", err, c)
						}
					}
					if _, err := svc.FindPhoneHours(o.empCtx, o.emp.ID); distans.ErrorCode(err) != distans.ENOTFOUND {
						t.Errorf("refused hours were saved (%v)", err)
					}
					return
				}
				var ids []string
				for _, n := range h.Notices {
					ids = append(ids, n.RuleID)
				}
				if strings.Join(ids, ",") != strings.Join(tc.notices, ",") {
					t.Errorf("notices = %v, want %v", ids, tc.notices)
				}
				got, err := svc.FindPhoneHours(o.colleagueCtx, o.emp.ID)
				storetest.Must(t, err)
				if len(got.Sessions) != len(tc.sessions) {
					t.Errorf("stored %+v", got)
				}
				if tc.exception != "" {
					if got.Exception == nil || got.Exception.DecidedBy != o.boss.ID || got.Exception.Reason != tc.exception ||
						got.Exception.Role != distans.PhoneHoursApprover || got.PackVersion != 1 {
						t.Errorf("decision = %+v (pack %d)", got.Exception, got.PackVersion)
					}
				} else if got.Exception != nil {
					t.Errorf("a decision was recorded that nobody made: %+v", got.Exception)
				}
				storetest.Must(t, svc.DeletePhoneHours(o.empCtx, o.emp.ID))
			})
		}
		// The decision stands for the person: later changes to the hours,
		// by whoever keeps them, need no new one, and are still held to the
		// minimum.
		o := orgs["sorsele"]
		h := &distans.PhoneHours{PersonID: o.emp.ID, Sessions: fiveHours, Exception: &distans.PhoneHoursDecision{Reason: "Växeln når inte handläggarna"}}
		storetest.Must(t, svc.SavePhoneHours(o.bossCtx, h, now))
		moved := append([]distans.PhoneSession{{Weekday: "tue", Start: "09:00", End: "11:00"}}, fiveHours[1:]...)
		h = &distans.PhoneHours{PersonID: o.emp.ID, Sessions: moved}
		storetest.Must(t, svc.SavePhoneHours(o.empCtx, h, now))
		got, err := svc.FindPhoneHours(o.empCtx, o.emp.ID)
		storetest.Must(t, err)
		if got.Exception == nil || got.Exception.DecidedBy != o.boss.ID || got.Sessions[0].Weekday != "tue" {
			t.Fatalf("after a change by the employee: %+v, decision %+v", got.Sessions, got.Exception)
		}
		storetest.WantCode(t, svc.SavePhoneHours(o.empCtx, &distans.PhoneHours{PersonID: o.emp.ID, Sessions: fourHours}, now), distans.EINVALID)
		// Removing the hours removes the decision with them.
		storetest.Must(t, svc.DeletePhoneHours(o.empCtx, o.emp.ID))
		storetest.WantCode(t, svc.SavePhoneHours(o.empCtx, &distans.PhoneHours{PersonID: o.emp.ID, Sessions: fiveHours}, now), distans.EINVALID)
	})
}

func TestStatusDefaultsAndOneOffDays(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		orgs := setup(t, s)
		svc := newService(s)
		wednesday, thursday := today.AddDate(0, 0, 2), today.AddDate(0, 0, 3)
		for _, tc := range []struct {
			name   string
			org    string
			date   time.Time
			kind   distans.StatusKind
			code   string
			oneOff bool
		}{
			{"agreed remote day", "sorsele", wednesday, distans.StatusRemote, "", false},
			{"one-off day at home", "sorsele", thursday, distans.StatusRemote, "", true},
			{"one-off day where the pack forbids it", "custom", thursday, distans.StatusRemote, distans.EINVALID, false},
			{"agreed day where one-offs are forbidden", "custom", wednesday, distans.StatusRemote, "", false},
			{"away where one-offs are forbidden", "custom", thursday, distans.StatusAway, "", false},
			{"yesterday", "sorsele", today.AddDate(0, 0, -1), distans.StatusAway, distans.EINVALID, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				o := orgs[tc.org]
				d := &distans.DayStatus{PersonID: o.emp.ID, Date: tc.date, Kind: tc.kind}
				err := svc.SetStatus(o.empCtx, d, now)
				storetest.WantCode(t, err, tc.code)
				if tc.code != "" {
					return
				}
				got, err := svc.FindStatus(o.empCtx, o.emp.ID, tc.date)
				storetest.Must(t, err)
				if got.Kind != tc.kind || got.OneOff != tc.oneOff || got.Default {
					t.Errorf("status = %+v", got)
				}
				storetest.Must(t, svc.ClearStatus(o.empCtx, o.emp.ID, tc.date))
			})
		}

		o := orgs["sorsele"]
		// Nothing set: the agreement's Wednesday shows, other days nothing.
		got, err := svc.FindStatus(o.colleagueCtx, o.emp.ID, wednesday)
		if err == nil {
			t.Fatalf("a colleague without PermViewPeople read the status: %+v", got)
		}
		got, err = svc.FindStatus(o.empCtx, o.emp.ID, wednesday)
		storetest.Must(t, err)
		if got.Kind != distans.StatusRemote || !got.Default {
			t.Fatalf("default = %+v", got)
		}
		_, err = svc.FindStatus(o.empCtx, o.emp.ID, thursday)
		storetest.WantCode(t, err, distans.ENOTFOUND)
		// Nobody out of reach gets a default made up.
		_, err = svc.FindStatus(orgs["stockholm"].empCtx, o.emp.ID, wednesday)
		storetest.WantCode(t, err, distans.ENOTFOUND)

		// The directory fills today's default for those who set nothing.
		wedNoon := now.AddDate(0, 0, 2)
		hits, _, err := svc.SearchDirectory(o.colleagueCtx, distans.DirectoryFilter{Query: "öberg"}, wedNoon)
		storetest.Must(t, err)
		if len(hits) != 1 || hits[0].Status != distans.StatusRemote || !hits[0].StatusDefault {
			t.Fatalf("hits = %+v", hits)
		}
		storetest.Must(t, svc.SetStatus(o.empCtx, &distans.DayStatus{PersonID: o.emp.ID, Date: wednesday, Kind: distans.StatusAway,
			Reason: "Sjuk"}, now))
		hits, _, _ = svc.SearchDirectory(o.colleagueCtx, distans.DirectoryFilter{Query: "öberg"}, wedNoon)
		if hits[0].Status != distans.StatusAway || hits[0].StatusDefault {
			t.Fatalf("set status in the directory = %+v", hits[0])
		}
	})
}

func TestPurgeStatusHistory(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		orgs := setup(t, s)
		svc := newService(s)
		then := now.AddDate(0, 0, -60)
		for _, slug := range []string{"sorsele", "custom"} {
			o := orgs[slug]
			storetest.Must(t, svc.SetStatus(o.sys, &distans.DayStatus{PersonID: o.emp.ID, Date: storetest.Day(2030, 1, 7),
				Kind: distans.StatusAway}, then))
			storetest.Must(t, svc.SetStatus(o.sys, &distans.DayStatus{PersonID: o.emp.ID, Date: today, Kind: distans.StatusTravelling}, now))
		}
		for _, tc := range []struct {
			org  string
			days int
			n    int
		}{
			{"sorsele", distans.DefaultStatusHistoryDays, 0}, // 56 days old: kept under the default 90
			{"custom", 30, 1}, // the pack keeps 30 days
		} {
			o := orgs[tc.org]
			pack, _, err := policy.NewService(s, s).Active(o.sys)
			storetest.Must(t, err)
			if d := presence.RetentionDays(pack); d != tc.days {
				t.Errorf("%s: retention %d days, want %d", tc.org, d, tc.days)
			}
			_, err = svc.PurgeStatusHistory(o.bossCtx, now)
			storetest.WantCode(t, err, distans.EFORBIDDEN)
			n, err := svc.PurgeStatusHistory(o.sys, now)
			storetest.Must(t, err)
			if n != tc.n {
				t.Errorf("%s: removed %d, want %d", tc.org, n, tc.n)
			}
			left, err := svc.ListStatuses(o.sys, o.emp.ID, storetest.Day(2029, 1, 1), storetest.Day(2031, 1, 1))
			storetest.Must(t, err)
			if len(left) != 2-tc.n {
				t.Errorf("%s: %d statuses left", tc.org, len(left))
			}
		}
	})
}
