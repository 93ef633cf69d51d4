package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/distans/distans"
)

// FuzzCheck feeds Check any bytes as a file beside the examples: it must
// answer with a plan or with errors that name the file, never panic.
func FuzzCheck(f *testing.F) {
	paths, _ := filepath.Glob("../../examples/*.csv")
	var examples []distans.ImportFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		examples = append(examples, distans.ImportFile{Name: filepath.Base(p), Content: b})
		f.Add(filepath.Base(p), b)
	}
	f.Add("enheter.csv", []byte("Kod;Namn;Överordnad enhet\nA;A;B\nB;B;A\n"))
	f.Add("x.csv", []byte("\"a;b\n\"\"\n"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		files := append([]distans.ImportFile{{Name: "fuzz-" + name, Content: content}}, examples...)
		plan, errs, err := Check("org", files, nil, distans.ImportOptions{}, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		if (plan == nil) == (len(errs) == 0) {
			t.Fatalf("plan %v with %d errors", plan != nil, len(errs))
		}
		for _, e := range errs {
			if e.Sv == "" || e.En == "" {
				t.Fatalf("error without a message: %+v", e)
			}
		}
	})
}
