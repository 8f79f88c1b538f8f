package workspacestest

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenSealer_RoundTrip(t *testing.T) {
	t.Parallel()
	ts := newTokenSealer()
	pos := tokenPosition{imageID: "wsi-" + strings.Repeat("z", 63), incarnation: 1 << 40,
		after: "123456789012"}

	token := ts.seal(pos)
	assert.NotContains(t, token, "=", "unpadded")
	assert.NotContains(t, token, "+")
	assert.LessOrEqual(t, len(token), maxNextTokenLen)
	got, err := ts.open(token)
	require.NoError(t, err)
	assert.Equal(t, pos, got)
}

func TestTokenSealer_Rejects(t *testing.T) {
	t.Parallel()
	ts := newTokenSealer()
	token := ts.seal(tokenPosition{imageID: "wsi-abc123def", incarnation: 3, after: "1"})
	raw, err := base64.RawURLEncoding.DecodeString(token)
	require.NoError(t, err)

	tests := map[string]string{
		"empty":         "",
		"not base64":    "!!!",
		"short":         base64.RawURLEncoding.EncodeToString(raw[:20]),
		"other key":     newTokenSealer().seal(tokenPosition{imageID: "wsi-abc123def"}),
		"padded base64": base64.URLEncoding.EncodeToString(raw) + "=",
	}
	for i := range raw {
		c := append([]byte(nil), raw...)
		c[i] ^= 0x80
		tests["byte "+string(rune('a'+i%26))+strings.Repeat("'", i/26)] =
			base64.RawURLEncoding.EncodeToString(c)
	}
	for name, tok := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ts.open(tok)
			assert.ErrorIs(t, err, errBadToken)
		})
	}
}
