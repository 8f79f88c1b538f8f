package awsjson

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPlainRun_StopsAtFirstSpecialByte puts every byte value at every
// position of strings long enough to take both the word-at-a-time loop and
// the byte loop, after plain bytes and before other special ones, and
// checks that the run ends exactly at the first special byte.
func TestPlainRun_StopsAtFirstSpecialByte(t *testing.T) {
	t.Parallel()
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 31} {
		plain := strings.Repeat("a", n)
		assert.Equal(t, n, plainRun(plain), "all plain, length %d", n)
		for pos := range n {
			for c := range 256 {
				b := []byte(plain)
				b[pos] = byte(c)
				// A special byte after the first one must not change the
				// answer, whichever it is.
				if pos+1 < n {
					b[pos+1] = 0x00
				}
				want := n
				if special(byte(c)) {
					want = pos
				} else if pos+1 < n {
					want = pos + 1
				}
				if got := plainRun(string(b)); got != want {
					t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
				}
			}
		}
	}
}
