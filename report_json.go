package distans

import "encoding/json"

// MarshalJSON writes a suppressed or empty cell with "value": null, so
// that no number, zero included, stands where the union may not see one:
// {"value":null,"suppressed":true}.
func (c ReportCell) MarshalJSON() ([]byte, error) {
	type cell struct {
		Value      *float64 `json:"value"`
		Suppressed bool     `json:"suppressed,omitempty"`
		Empty      bool     `json:"empty,omitempty"`
	}
	out := cell{Suppressed: c.Suppressed, Empty: c.Empty}
	if !c.Suppressed && !c.Empty {
		v := c.Value
		out.Value = &v
	}
	return json.Marshal(out)
}
