package sqlstore

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/distans/distans"
)

// TestFTSBucketOrder holds ftsBucket to the order of name keys: a key that
// sorts after another never gets a smaller bucket, whatever bytes it holds.
// Names where a byte shared by several codes is followed by a smaller
// letter ("a-z" against "a0a") are the case a naive encoding breaks.
func TestFTSBucketOrder(t *testing.T) {
	t.Parallel()
	names := []string{"", "a", "a-z", "a0a", "a a", "aa", "anna andersson", "anna anderssonsson", "anna andersso",
		"åsa öberg", "asa oberg", "ärla", "örjan öst", "zara", "sean o'brien", "émile ek", "anna-lena", "anna lena",
		"ångström", "ølstad", "łukasz", "李", "kristoffer berg", "kristoffer östberg", "kristoffer lind"}
	alphabet := []byte(" -'0az{|}~\x7f\xc3\xa5\x01")
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		names = append(names, string(b))
	}
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = distans.SortKey(n)
	}
	keys = append(keys, names...) // raw bytes too
	slices.SortFunc(keys, strings.Compare)
	for i := 1; i < len(keys); i++ {
		if a, b := ftsBucket(keys[i-1]), ftsBucket(keys[i]); a > b {
			t.Fatalf("ftsBucket(%q) = %x > ftsBucket(%q) = %x", keys[i-1], a, keys[i], b)
		}
	}
	// Names that differ in their first nine letters fall in buckets apart.
	if ftsBucket("kristoffe") == ftsBucket("kristoffa") || ftsBucket("anna b") == ftsBucket("anna a") {
		t.Error("keys that differ early share a bucket")
	}
	if max := ftsBucket(strings.Repeat("\xff", 20)); max<<ftsCounterBits+ftsBucketSpan-1 < 0 {
		t.Errorf("the largest rowid overflows: bucket %x", max)
	}
}
