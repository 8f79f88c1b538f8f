package awsjson_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/internal/awsjson"
)

// marshalString is what encoding/json writes for s with HTML escaping off.
func marshalString(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return strings.TrimSuffix(buf.String(), "\n")
}

// validUTF8 replaces each byte of s that is not part of valid UTF-8 with
// U+FFFD, one per byte, as encoding/json does.
func validUTF8(s string) string {
	return string([]rune(s))
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{
		"",
		"wsi-0123456789",
		`"quoted" \back\slash/ `,
		"\b\f\n\r\t\x00\x01\x1f\x7f",
		"<script>&amp;</script>",
		"\u2028\u2029\u2027\u202a",
		"é€😀\uFFFD",
		"\xff\xfe",
		"a\xc3",            // truncated two-byte sequence
		"\xed\xa0\x80",     // UTF-8 encoding of a surrogate
		"\xf4\x90\x80\x80", // past U+10FFFF
		"\xc0\x80",         // overlong NUL
		strings.Repeat("x\x00", 64),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		const prefix = `{"NextToken":`
		out := awsjson.AppendString([]byte(prefix), s)
		require.True(t, bytes.HasPrefix(out, []byte(prefix)), "prefix overwritten")
		got := out[len(prefix):]

		require.True(t, json.Valid(got), "invalid JSON %q", got)
		assert.Equal(t, marshalString(t, s), string(got))

		var back string
		require.NoError(t, json.Unmarshal(got, &back))
		assert.Equal(t, validUTF8(s), back)

		// Our decoder reads back what our encoder wrote.
		d := awsjson.NewDecoder(string(got))
		ours, null, err := d.String("NextToken")
		require.NoError(t, err)
		assert.False(t, null)
		assert.Equal(t, back, ours)
		assert.NoError(t, d.End())
	})
}

func TestAppendString_Escapes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want string
	}{
		"empty":              {in: "", want: `""`},
		"plain":              {in: "wsi-abc123", want: `"wsi-abc123"`},
		"quote and slash":    {in: `a"b\c/d`, want: `"a\"b\\c/d"`},
		"short escapes":      {in: "\b\f\n\r\t", want: `"\b\f\n\r\t"`},
		"other controls":     {in: "\x00\x01\x1f", want: `"\u0000\u0001\u001f"`},
		"del is plain":       {in: "\x7f", want: "\"\x7f\""},
		"html is plain":      {in: "<&>", want: `"<&>"`},
		"line separators":    {in: "a\u2028b\u2029c", want: `"a\u2028b\u2029c"`},
		"multibyte is plain": {in: "é😀", want: `"é😀"`},
		"invalid byte":       {in: "a\xffb", want: `"a\ufffdb"`},
		"truncated sequence": {in: "\xe2\x82", want: `"\ufffd\ufffd"`},
		"encoded surrogate":  {in: "\xed\xa0\x80", want: `"\ufffd\ufffd\ufffd"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := awsjson.AppendString(nil, tt.in)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, marshalString(t, tt.in), string(got))
		})
	}
}

func TestAppendInt_Values(t *testing.T) {
	t.Parallel()
	for _, n := range []int64{0, 1, -1, 25, math.MaxInt32, math.MinInt32,
		math.MaxInt64, math.MinInt64} {
		t.Run(strconv.FormatInt(n, 10), func(t *testing.T) {
			t.Parallel()
			got := awsjson.AppendInt([]byte("x"), n)
			want, err := json.Marshal(n)
			require.NoError(t, err)
			assert.Equal(t, "x"+string(want), string(got))
		})
	}
}
