package distans_test

import (
	"encoding/json"
	"testing"

	"github.com/distans/distans"
)

func TestReportCellJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    distans.ReportCell
		want string
	}{
		{distans.ReportCell{Value: 12.5}, `{"value":12.5}`},
		{distans.ReportCell{Value: 0}, `{"value":0}`},
		// A value left in a suppressed cell by mistake still does not show.
		{distans.ReportCell{Value: 3, Suppressed: true}, `{"value":null,"suppressed":true}`},
		{distans.ReportCell{Empty: true}, `{"value":null,"empty":true}`},
	} {
		b, err := json.Marshal(tc.c)
		if err != nil || string(b) != tc.want {
			t.Errorf("%+v: %s, %v; want %s", tc.c, b, err, tc.want)
		}
	}
}
