package compare

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// BUG(compare): a one-call program on this client is about 88% the size of
// the same program on the official client, short of the 80% we aimed for,
// and no client built on net/http can get there: the program with no AWS
// code at all, net/http and fmt only (internal/minimal/nethttp), is already
// about 81%. The test holds instead the share of the size each client adds
// on top of that floor: about 34% of what the official client adds.

// buildSize builds the main package in dir with plain `go build` and
// returns the size of the binary.
func buildSize(t *testing.T, dir string) int64 {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), filepath.Base(dir))
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-o", out, "./"+dir)
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./%s:\n%s", dir, output)
	info, err := os.Stat(out)
	require.NoError(t, err)
	return info.Size()
}

// TestBinarySize_LeanAddsLessThanOfficial builds the same one-call program on
// the official client and on this one, and the same request made with
// net/http alone, all with the same plain build flags. What this client
// adds to a program, over the net/http floor, must be at most 40% of what
// the official client adds.
func TestBinarySize_LeanAddsLessThanOfficial(t *testing.T) {
	t.Parallel()
	official := buildSize(t, "internal/minimal/official")
	lean := buildSize(t, "internal/minimal/lean")
	floor := buildSize(t, "internal/minimal/nethttp")
	t.Logf("official %d bytes, lean %d bytes (%.1f%% of official), "+
		"net/http floor %d bytes (%.1f%% of official)",
		official, lean, 100*float64(lean)/float64(official),
		floor, 100*float64(floor)/float64(official))
	t.Logf("added over the floor: official %d bytes, lean %d bytes (%.1f%%)",
		official-floor, lean-floor, 100*float64(lean-floor)/float64(official-floor))

	require.Greater(t, official, floor)
	assert.Less(t, lean, official)
	assert.LessOrEqual(t, float64(lean-floor), 0.4*float64(official-floor))
}
