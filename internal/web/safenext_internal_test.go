package web

import "testing"

// TestSafeNext: only a clean path on this site survives; everything a
// browser could resolve to another site becomes "/".
func TestSafeNext(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"/sites", "/sites"},
		{"/people/019a?tab=roles#x", "/people/019a?tab=roles#x"},
		{"/directory?q=%C3%A5sa", "/directory?q=%C3%A5sa"},
		{"/%2Fsites", "/"},
		{"", "/"},
		{"sites", "/"},
		{"//evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"/x\\..\\..\\evil", "/"},
		{"/\x00", "/"},
		{"/\x7f", "/"},
		{"/\xff", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/ /evil.example", "/ /evil.example"},
	} {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
