package importertest

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestFiles(t *testing.T) {
	t.Parallel()
	a, b := Files(1000), Files(1000)
	for i := range a {
		if !bytes.Equal(a[i].Content, b[i].Content) {
			t.Errorf("%s differs between two calls", a[i].Name)
		}
	}
	lines := func(name string) int {
		for _, f := range a {
			if f.Name == name {
				return strings.Count(string(f.Content), "\n") - 1
			}
		}
		return -1
	}
	if n := lines("enheter.csv"); n != 40 {
		t.Errorf("%d units for 1,000 people, want 40", n)
	}
	if n := lines("personal.csv"); n != 1010 {
		t.Errorf("%d people rows, want 1,000 and 10 earlier employments", n)
	}
	paths, err := Write(t.TempDir(), 1000)
	if err != nil || len(paths) != len(a) {
		t.Fatal(paths, err)
	}
	for i, p := range paths {
		if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, a[i].Content) {
			t.Errorf("%s: %v", p, err)
		}
	}
}
