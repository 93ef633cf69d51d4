package policy

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/distans/distans"
)

// packFS holds the seed packs, the generic rules of law, and copies of the
// five seed documents that the packs quote (so that a test can hold every
// quote to its document, and the policy-documents feature can publish them).
//
//go:embed packs/*.yaml packs/sources/*.txt
var packFS embed.FS

// seedSlugs are the organisations with a seed pack, in the order of their
// source documents.
var seedSlugs = []string{"stockholm", "vara", "bjurholm", "kristianstad", "sorsele"}

// SeedSlugs returns the slugs of the embedded seed packs.
func SeedSlugs() []string { return slices.Clone(seedSlugs) }

// Seed parses the embedded pack of a seed organisation. Each call returns a
// new Pack; callers that check often keep the one they got.
func Seed(slug string) (*Pack, error) {
	data, err := SeedYAML(slug)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// SeedYAML returns the embedded YAML of a seed pack, which is what a store
// saves as version 1 of the organisation's pack.
func SeedYAML(slug string) ([]byte, error) {
	if !slices.Contains(seedSlugs, slug) {
		return nil, distans.NotFound(fmt.Sprintf("Det finns inget regelpaket för %q.", slug),
			fmt.Sprintf("There is no policy pack for %q.", slug))
	}
	return packFS.ReadFile("packs/" + slug + ".yaml")
}

// SeedDocument returns one of the seed documents by file name (for example
// 002_09262497f78a89f4.txt), the text that the seed packs quote.
func SeedDocument(name string) ([]byte, error) {
	if name != path.Base(name) || !strings.HasSuffix(name, ".txt") {
		return nil, distans.NotFound("Dokumentet finns inte.", "The document does not exist.")
	}
	data, err := packFS.ReadFile("packs/sources/" + name)
	if err != nil {
		return nil, distans.NotFound("Dokumentet finns inte.", "The document does not exist.")
	}
	return data, nil
}

// SeedDocuments lists the file names of the seed documents.
func SeedDocuments() []string {
	names, _ := fs.Glob(packFS, "packs/sources/*.txt")
	for i, n := range names {
		names[i] = path.Base(n)
	}
	return names
}

// genericFile is packs/generic.yaml, decoded once: it is merged into every
// pack that Parse reads.
var genericFile = sync.OnceValues(func() (*packFile, error) {
	data, err := packFS.ReadFile("packs/generic.yaml")
	if err != nil {
		return nil, err
	}
	f, err := decodeFile(data)
	if err != nil {
		return nil, fmt.Errorf("policy: packs/generic.yaml: %w", err)
	}
	f.generic = true
	return f, nil
})
