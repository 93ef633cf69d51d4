package notify_test

import (
	"strings"
	"testing"

	"github.com/distans/distans"
	"github.com/distans/distans/internal/notify"
)

func TestText(t *testing.T) {
	t.Parallel()
	params := map[string]string{"name": "Åsa Öberg", "number": "DIST 2026/0042", "days": "30", "date": "2026-03-01",
		"approved": "true", "reason": "manager", "unit": "Enhet X1"}
	tests := []struct {
		kind    distans.NotificationKind
		params  map[string]string
		lang    string
		subject string   // exactly, when given
		body    []string // contained in the body
	}{
		{distans.NotifyRequestWaiting, params, "sv", "Ny ansökan om distansarbete väntar på ditt beslut", []string{"Åsa Öberg har ansökt", "(DIST 2026/0042)"}},
		{distans.NotifyRequestWaiting, params, "en", "A new remote-work request awaits your decision", []string{"Åsa Öberg has asked"}},
		{distans.NotifyDecisionMade, params, "sv", "Din ansökan om distansarbete är beviljad", []string{"har beviljat", "skriver under"}},
		{distans.NotifyDecisionMade, with(params, "approved", "false"), "sv", "Din ansökan om distansarbete har fått avslag", []string{"har avslagit", "går inte att överklaga"}},
		{distans.NotifyDecisionMade, with(params, "approved", "false"), "en", "Your remote-work request is declined", []string{"cannot be appealed"}},
		{distans.NotifySignatureNeeded, params, "sv", "Överenskommelsen DIST 2026/0042 väntar på din underskrift", nil},
		{distans.NotifySignatureNeeded, params, "en", "Agreement DIST 2026/0042 awaits your signature", nil},
		{distans.NotifyAgreementActive, params, "sv", "Överenskommelsen DIST 2026/0042 gäller nu", []string{"från och med 1 mars 2026"}},
		{distans.NotifyAgreementActive, params, "en", "Agreement DIST 2026/0042 is now in force", []string{"from 1 March 2026"}},
		{distans.NotifyExpiring, params, "sv", "Överenskommelsen DIST 2026/0042 upphör om 30 dagar", []string{"till och med 1 mars 2026", "förnya"}},
		{distans.NotifyExpiring, with(params, "days", "1"), "sv", "Överenskommelsen DIST 2026/0042 upphör om 1 dag", nil},
		{distans.NotifyExpiring, params, "en", "Agreement DIST 2026/0042 ends in 30 days", []string{"until 1 March 2026"}},
		{distans.NotifyFollowUpDue, params, "sv", "Dags för uppföljning av distansarbete: Åsa Öberg", []string{"Den 1 mars 2026", "digitala arbetsmiljön"}},
		{distans.NotifyFollowUpOverdue, params, "sv", "Försenad uppföljning av distansarbete: Åsa Öberg", []string{"senast 1 mars 2026"}},
		{distans.NotifyFollowUpOverdue, params, "en", "Overdue remote-work follow-up: Åsa Öberg", []string{"by 1 March 2026"}},
		{distans.NotifyAgreementEnded, params, "sv", "Överenskommelsen DIST 2026/0042 har upphört", []string{"avslutad av chef efter dialog."}},
		{distans.NotifyAgreementEnded, with(params, "reason", "employee"), "sv", "", []string{"avslutad av medarbetaren."}},
		// The employee and the manager each read the move in their own words.
		{distans.NotifyAgreementEnded, with(with(params, "reason", "unit_move"), "role", "employee"), "sv", "", []string{"avslutad eftersom du har bytt enhet – ny bedömning krävs.", "ansöker du på nytt", "chefen för din nya enhet"}},
		{distans.NotifyAgreementEnded, with(with(params, "reason", "unit_move"), "role", "manager"), "sv", "", []string{"för Åsa Öberg", "avslutad eftersom medarbetaren har bytt enhet – ny bedömning krävs.", "nya enhetens chef"}},
		{distans.NotifyAgreementEnded, with(params, "reason", "unit_move"), "sv", "", []string{"avslutad eftersom medarbetaren har bytt enhet"}},
		{distans.NotifyAgreementEnded, with(with(params, "reason", "unit_move"), "role", "employee"), "en", "", []string{"because you moved", "make a new request"}},
		{distans.NotifyAgreementEnded, with(with(params, "reason", "unit_move"), "role", "manager"), "en", "", []string{"for Åsa Öberg", "because the employee moved"}},
		{distans.NotifyFollowUpOverdue, with(params, "role", "employee"), "sv", "", []string{"ditt distansarbete", "Din chef har fått en påminnelse"}},
		{distans.NotifyFollowUpOverdue, with(params, "role", "manager"), "sv", "", []string{"för Åsa Öberg", "Genomför uppföljningen"}},
		{distans.NotifyFollowUpOverdue, with(params, "role", "employee"), "en", "", []string{"your remote work", "Your manager has been reminded"}},
		{distans.NotifyAgreementEnded, with(params, "reason", "employment_end"), "sv", "", []string{"anställningen har upphört"}},
		{distans.NotifyAgreementEnded, with(params, "reason", "expired"), "sv", "", []string{"avtalstiden har löpt ut"}},
		{distans.NotifyAgreementEnded, with(params, "reason", "manager"), "en", "Agreement DIST 2026/0042 has ended", []string{"ended by the manager after a dialogue"}},
		{distans.NotifyAgreementEnded, with(params, "reason", "unit_move"), "en", "", []string{"a new assessment is needed"}},
		{distans.NotifyNewManagerAssess, params, "sv", "Ny bedömning av distansarbete krävs: Åsa Öberg", []string{"bytt enhet till Enhet X1", "ny bedömning"}},
		{distans.NotifyNewManagerAssess, params, "en", "A new remote-work assessment is needed: Åsa Öberg", []string{"moved to Enhet X1"}},
		{distans.NotifyBookingCancelled, map[string]string{"desk": "A3", "date": "2026-03-01"}, "sv", "Din skrivbordsbokning är avbokad (1 mars 2026)", []string{"Skrivbordet A3 tas ur bruk"}},
		{distans.NotifyBookingCancelled, map[string]string{"desk": "A3", "date": "2026-03-01"}, "en", "Your desk booking is cancelled (1 March 2026)", []string{"The desk A3"}},
		{"equipment.loss_reported", map[string]string{"number": "FÖR 2026/0001", "loss": "stolen", "name": "Åsa Öberg", "incident": "INC 2026/0003"}, "sv",
			"Förlustanmälan FÖR 2026/0001: stulen utrustning", []string{"Utrustning som innehas av Åsa Öberg har anmälts stulen (FÖR 2026/0001), och incident INC 2026/0003 är skapad."}},
		{"equipment.loss_reported", map[string]string{"number": "FÖR 2026/0001", "loss": "lost"}, "en", "Loss report FÖR 2026/0001: lost equipment", nil},
		{"equipment.issued", map[string]string{"count": "1"}, "sv", "Utrustning väntar på din underskrift", []string{"IT har lämnat ut en utrustning till dig."}},
		{"equipment.return_task", map[string]string{"name": "Åsa Öberg", "reason": "employment_end", "date": "2026-03-01"}, "sv",
			"Utrustning ska lämnas tillbaka: Åsa Öberg", []string{"när anställningen upphör, senast 1 mars 2026"}},
		{"equipment.trip_decided", map[string]string{"approved": "true", "destination": "Oslo"}, "en", "Your trip with equipment is approved", []string{"mobile data"}},
		// Swedish is the default; missing parameters are left out.
		{distans.NotifyExpiring, params, "fi", "Överenskommelsen DIST 2026/0042 upphör om 30 dagar", nil},
		{distans.NotifyExpiring, nil, "sv", "Överenskommelsen om distansarbete upphör om några dagar", []string{"gäller i några dagar till"}},
		{distans.NotifyRequestWaiting, nil, "sv", "", []string{"En medarbetare har ansökt om distansarbete. "}},
		{"something.new", params, "sv", "Ny avisering i Distans", []string{"ny avisering"}},
		{"something.new", params, "en", "New notification in Distans", nil},
	}
	// Words for the employee that no manager may read, and the other way round.
	notFor := map[string][]string{
		"manager":  {"du har bytt enhet", "du bytt enhet", "you moved", "ditt distansarbete", "your remote work", "din anställning", "your employment"},
		"employee": {"Genomför uppföljningen", "Hold the follow-up", "för Åsa Öberg", "for Åsa Öberg", "medarbetaren har bytt", "the employee moved"},
		"":         {"du har bytt enhet", "du bytt enhet", "you moved"},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind)+"/"+tc.lang, func(t *testing.T) {
			t.Parallel()
			subject, body := notify.Text(&distans.Notification{Kind: tc.kind, Params: tc.params}, tc.lang)
			if tc.kind == distans.NotifyAgreementEnded || tc.kind == distans.NotifyFollowUpOverdue {
				for _, bad := range notFor[tc.params["role"]] {
					if strings.Contains(body, bad) {
						t.Errorf("a notice to %q reads %q:\n%s", tc.params["role"], bad, body)
					}
				}
			}
			if tc.subject != "" && subject != tc.subject {
				t.Errorf("subject %q, want %q", subject, tc.subject)
			}
			for _, want := range tc.body {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
			checkText(t, subject, body)
		})
	}
}

// TestTextEveryKind renders every kind in both languages with every
// parameter and with none.
func TestTextEveryKind(t *testing.T) {
	t.Parallel()
	kinds := []distans.NotificationKind{distans.NotifyRequestWaiting, distans.NotifyDecisionMade, distans.NotifySignatureNeeded,
		distans.NotifyAgreementActive, distans.NotifyExpiring, distans.NotifyFollowUpDue, distans.NotifyFollowUpOverdue,
		distans.NotifyAgreementEnded, distans.NotifyNewManagerAssess, distans.NotifyBookingCancelled,
		distans.NotifyIncidentReported, distans.NotifyIncidentAssigned, distans.NotifyIncidentDeadlineNear,
		distans.NotifyIncidentDeadlinePassed, distans.NotifyIncidentClosed,
		"equipment.issued", "equipment.handover_reminder", "equipment.handover_unaccepted", "equipment.loss_reported",
		"equipment.trip_requested", "equipment.trip_decided", "equipment.return_task", "equipment.return_task_near",
		"equipment.return_task_overdue", distans.NotifyTrainingOverdue, distans.NotifyAcknowledgeReminder,
		distans.NotifyChecklistOpened, distans.NotifyTaskDueSoon, distans.NotifyTaskOverdue}
	general, _ := notify.Text(&distans.Notification{Kind: "x"}, "sv")
	for _, k := range kinds {
		for _, lang := range []string{"sv", "en"} {
			for _, params := range []map[string]string{nil, {"name": "N", "number": "DIST 2026/0001", "days": "7", "date": "2026-12-31", "reason": "expired", "approved": "true", "unit": "U",
				"kind": "personal_data", "duty": distans.DutyIMYNotification, "due": "2026-03-30 09:00", "owner": "O",
				"count": "2", "by": "Ivar IT", "loss": "stolen", "incident": "INC 2026/0001", "destination": "Oslo",
				"course": "disa", "person": "Anna A", "title": "Instruktion", "version": "2", "event": "employment_end", "task": "Kontot stängt"}} {
				subject, body := notify.Text(&distans.Notification{Kind: k, Params: params}, lang)
				checkText(t, subject, body)
				if subject == general {
					t.Errorf("%s has no text of its own in %s", k, lang)
				}
			}
		}
	}
	// An incident's kind and duty are said in words, never as codes.
	for _, k := range distans.IncidentKinds {
		for _, lang := range []string{"sv", "en"} {
			subject, body := notify.Text(&distans.Notification{Kind: distans.NotifyIncidentDeadlineNear,
				Params: map[string]string{"kind": string(k), "duty": distans.DutyWorkEnvironmentReport, "number": "INC 2026/0001"}}, lang)
			if strings.Contains(subject+body, distans.DutyWorkEnvironmentReport) {
				t.Errorf("duty as a code in %s: %s %s", lang, subject, body)
			}
			subject, _ = notify.Text(&distans.Notification{Kind: distans.NotifyIncidentReported,
				Params: map[string]string{"kind": string(k)}}, lang)
			if strings.Contains(string(k), "_") && strings.Contains(subject, string(k)) {
				t.Errorf("kind as a code in %s: %s", lang, subject)
			}
		}
	}
	for _, r := range distans.EndReasons {
		for _, lang := range []string{"sv", "en"} {
			_, body := notify.Text(&distans.Notification{Kind: distans.NotifyAgreementEnded, Params: map[string]string{"reason": string(r)}}, lang)
			if strings.Contains(body, ": "+string(r)+".") {
				t.Errorf("reason %s not in words in %s: %s", r, lang, body)
			}
		}
	}
}

func checkText(t *testing.T, subject, body string) {
	t.Helper()
	if subject == "" || body == "" || strings.Contains(subject, "\n") {
		t.Errorf("subject %q, body %q", subject, body)
	}
	for _, bad := range []string{"<no value>", "[agreement", "[unknown", "%!", "  ", " .", " ,", "()"} {
		if strings.Contains(subject, bad) || strings.Contains(body, bad) {
			t.Errorf("text contains %q:\n%s\n%s", bad, subject, body)
		}
	}
}

func with(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range m {
		if key != k {
			out[key] = val
		}
	}
	return out
}
