package awsjson_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/internal/awsjson"
)

// skipped stands for a value the Decoder checks but does not return: a
// number or a boolean.
type skipped string

// readValue reads the next value with the Decoder's calls into the types
// encoding/json uses for any, with numbers and booleans as skipped.
func readValue(d *awsjson.Decoder) (any, error) {
	switch kind := d.Kind(); kind {
	case "object":
		if null, err := d.ObjectStart("v"); err != nil || null {
			return nil, errors.Join(err, errors.New("object read as null"))
		}
		m := map[string]any{}
		for {
			k, ok, err := d.NextKey()
			if err != nil || !ok {
				return m, err
			}
			if m[k], err = readValue(d); err != nil {
				return nil, err
			}
		}
	case "array":
		if null, err := d.ArrayStart("v"); err != nil || null {
			return nil, errors.Join(err, errors.New("array read as null"))
		}
		a := []any{}
		for {
			more, err := d.NextElem()
			if err != nil || !more {
				return a, err
			}
			v, err := readValue(d)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case "string":
		s, _, err := d.String("v")
		return s, err
	case "null":
		null, err := d.Null()
		if err == nil && !null {
			err = errors.New("null not read")
		}
		return nil, err
	case "number", "bool":
		return skipped(kind), d.Skip()
	}
	if err := d.Skip(); err != nil {
		return nil, err
	}
	return nil, errors.New("Skip accepted a value Kind does not name")
}

// decodeAll reads data as one document with the Decoder.
func decodeAll(data string) (any, error) {
	d := awsjson.NewDecoder(data)
	v, err := readValue(d)
	if err != nil {
		return nil, err
	}
	return v, d.End()
}

// reference reads data with encoding/json, numbers and booleans as skipped.
func reference(data string) (any, error) {
	if !json.Valid([]byte(data)) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(strings.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return normalize(v), nil
}

func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		return skipped("number")
	case bool:
		return skipped("bool")
	case map[string]any:
		for k, e := range v {
			v[k] = normalize(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalize(e)
		}
	}
	return v
}

func FuzzDecoder(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-1.5e+10`, `"s"`,
		`{"ImageId":"wsi-abc","ImagePermissions":[{"SharedAccountId":"1"}]}`,
		`{"a":[1,{"b":null}],"c":{},"a":"dup"}`,
		`"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800\udc00x\udc00\ud800"`,
		"\"\xff\xed\xa0\x80\"", "\"\x01\"", `"\x"`, `"\u12g4"`,
		`01`, `1.`, `-`, `1e`, `+1`, `.5`, `[1,]`, `{"a":1,}`, `{,}`, `[}`,
		"{}\x00", "null x", " \t\r\n[ ] \n", "\f{}",
		// Deep, but not at the limit, which TestDecoder_MaxDepth holds: a
		// 20 KB seed stalls the fuzzer while it minimizes.
		strings.Repeat("[", 64) + strings.Repeat("]", 64),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		want, wantErr := reference(data)
		got, err := decodeAll(data)
		if wantErr != nil {
			assert.Error(t, err, "encoding/json: %v", wantErr)
		} else if assert.NoError(t, err) {
			assert.Equal(t, want, got)
		}

		// Skip checks the grammar alone.
		d := awsjson.NewDecoder(data)
		err = d.Skip()
		if err == nil {
			err = d.End()
		}
		assert.Equal(t, wantErr == nil, err == nil, "Skip and End: %v", err)
	})
}

func TestDecoder_String(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    string
		wantErr bool
	}{
		"plain":                {in: `"wsi-abc"`, want: "wsi-abc"},
		"empty":                {in: `""`, want: ""},
		"every short escape":   {in: `"\"\\\/\b\f\n\r\t"`, want: "\"\\/\b\f\n\r\t"},
		"unicode escapes":      {in: `"\u0041\u00e9\u20AC\u0000"`, want: "Aé€\x00"},
		"surrogate pair":       {in: `"\ud83d\ude00"`, want: "😀"},
		"surrogate pair upper": {in: `"\uD83D\uDE00"`, want: "😀"},
		"lone high surrogate":  {in: `"a\ud800b"`, want: "a\uFFFDb"},
		"lone low surrogate":   {in: `"\udc00"`, want: "\uFFFD"},
		"high then non-low":    {in: `"\ud800\u0041"`, want: "\uFFFDA"},
		"high then high":       {in: `"\ud800\ud800\udc00"`, want: "\uFFFD𐀀"},
		"low then high":        {in: `"\udc00\ud800"`, want: "\uFFFD\uFFFD"},
		"high at end":          {in: `"\ud83d"`, want: "\uFFFD"},
		"high then bad escape": {in: `"\ud800\uzzzz"`, wantErr: true},
		"invalid byte":         {in: "\"a\xffb\"", want: "a\uFFFDb"},
		"truncated sequence":   {in: "\"\xe2\x82\"", want: "\uFFFD\uFFFD"},
		"encoded surrogate":    {in: "\"\xed\xa0\x80\"", want: "\uFFFD\uFFFD\uFFFD"},
		"valid multibyte":      {in: `"é€😀"`, want: "é€😀"},
		"escape after utf8":    {in: `"é\n"`, want: "é\n"},
		"del":                  {in: "\"\x7f\"", want: "\x7f"},
		"raw nul":              {in: "\"\x00\"", wantErr: true},
		"raw newline":          {in: "\"a\nb\"", wantErr: true},
		"raw tab":              {in: "\"\t\"", wantErr: true},
		"raw unit separator":   {in: "\"\x1f\"", wantErr: true},
		"raw control late":     {in: "\"\\n\x01\"", wantErr: true},
		"unknown escape":       {in: `"\x41"`, wantErr: true},
		"capital u escape":     {in: `"\U0041"`, wantErr: true},
		"single quote escape":  {in: `"\'"`, wantErr: true},
		"short unicode":        {in: `"\u12"`, wantErr: true},
		"bad hex":              {in: `"\u12g4"`, wantErr: true},
		"signed hex":           {in: `"\u+123"`, wantErr: true},
		"unterminated":         {in: `"abc`, wantErr: true},
		"unterminated escape":  {in: `"abc\`, wantErr: true},
		"unterminated unicode": {in: `"\u00`, wantErr: true},
		"unterminated slow":    {in: `"é`, wantErr: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var ref string
			refErr := json.Unmarshal([]byte(tt.in), &ref)

			d := awsjson.NewDecoder(tt.in)
			got, null, err := d.String("NextToken")
			if tt.wantErr {
				assert.Error(t, err)
				assert.Error(t, refErr, "encoding/json accepts it")
				var se *awsjson.SyntaxError
				assert.ErrorAs(t, err, &se)
				return
			}
			require.NoError(t, err)
			require.NoError(t, refErr)
			assert.False(t, null)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, ref, got, "encoding/json reads it otherwise")
			assert.NoError(t, d.End())
		})
	}
}

func TestDecoder_Number(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in    string
		valid bool
	}{
		"zero":              {in: "0", valid: true},
		"negative zero":     {in: "-0", valid: true},
		"integer":           {in: "1234567890", valid: true},
		"negative":          {in: "-25", valid: true},
		"fraction":          {in: "0.5", valid: true},
		"exponent":          {in: "1e10", valid: true},
		"capital exponent":  {in: "1E10", valid: true},
		"signed exponents":  {in: "-1.5e+10", valid: true},
		"negative exponent": {in: "2.5E-3", valid: true},
		"zero exponent":     {in: "0e0", valid: true},
		"huge":              {in: "1" + strings.Repeat("0", 400), valid: true},
		"leading zero":      {in: "01"},
		"negative leading":  {in: "-01"},
		"double zero":       {in: "00"},
		"bare point":        {in: "1."},
		"point exponent":    {in: "1.e5"},
		"leading point":     {in: ".5"},
		"bare minus":        {in: "-"},
		"minus letter":      {in: "-a"},
		"bare exponent":     {in: "1e"},
		"signed bare exp":   {in: "1e+"},
		"plus sign":         {in: "+1"},
		"hex":               {in: "0x10"},
		"infinity":          {in: "Infinity"},
		"nan":               {in: "NaN"},
		"two points":        {in: "1.2.3"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.valid, json.Valid([]byte(tt.in)),
				"table disagrees with encoding/json")
			for _, doc := range []string{tt.in, "[" + tt.in + "]", `{"n":` + tt.in + `}`} {
				_, err := decodeAll(doc)
				assert.Equal(t, tt.valid, err == nil, "%s: %v", doc, err)
			}
		})
	}
}

func TestDecoder_Literals(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in    string
		valid bool
	}{
		"true":           {in: "true", valid: true},
		"false":          {in: "false", valid: true},
		"null":           {in: "null", valid: true},
		"short true":     {in: "tru"},
		"short false":    {in: "fals"},
		"short null":     {in: "nul"},
		"long null":      {in: "nulll"},
		"capital true":   {in: "True"},
		"capital null":   {in: "NULL"},
		"other word":     {in: "undefined"},
		"null in string": {in: "n\"ull\""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.valid, json.Valid([]byte(tt.in)),
				"table disagrees with encoding/json")
			for _, doc := range []string{tt.in, "[" + tt.in + "]", `{"v":` + tt.in + `}`} {
				_, err := decodeAll(doc)
				assert.Equal(t, tt.valid, err == nil, "%s: %v", doc, err)
			}
		})
	}
}

func TestDecoder_Nesting(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want any // nil: an error
	}{
		"empty object": {in: `{}`, want: map[string]any{}},
		"empty array":  {in: ` [ ] `, want: []any{}},
		"nested": {
			in: `{"a":[1,{"b":null},[]],"c":{"d":"e"},"f":true}`,
			want: map[string]any{
				"a": []any{skipped("number"), map[string]any{"b": nil}, []any{}},
				"c": map[string]any{"d": "e"},
				"f": skipped("bool"),
			},
		},
		"white space everywhere": {
			in: " \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n",
			want: map[string]any{
				"a": []any{skipped("number"), skipped("number")},
				"b": map[string]any{},
			},
		},
		"escaped key":        {in: `{"Image\u0049d":"x"}`, want: map[string]any{"ImageId": "x"}},
		"duplicate key":      {in: `{"a":1,"a":"x"}`, want: map[string]any{"a": "x"}},
		"trailing comma":     {in: `[1,]`},
		"trailing member":    {in: `{"a":1,}`},
		"leading comma":      {in: `[,1]`},
		"comma only object":  {in: `{,}`},
		"missing value":      {in: `{"a":}`},
		"missing colon":      {in: `{"a" 1}`},
		"key only":           {in: `{"a"}`},
		"missing comma":      {in: `[1 2]`},
		"missing member sep": {in: `{"a":1 "b":2}`},
		"number key":         {in: `{1:2}`},
		"single quotes":      {in: `{'a':1}`},
		"mismatched close":   {in: `[1}`},
		"mismatched object":  {in: `{"a":1]`},
		"unclosed":           {in: `[[]`},
		"extra close":        {in: `[]]`},
		"form feed space":    {in: "[\f]"},
		"nul in array":       {in: "[\x00]"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ref, refErr := reference(tt.in)
			got, err := decodeAll(tt.in)
			if tt.want == nil {
				assert.Error(t, err)
				assert.Error(t, refErr, "encoding/json accepts it")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, ref, got, "encoding/json reads it otherwise")
		})
	}
}

func TestDecoder_MaxDepth(t *testing.T) {
	t.Parallel()
	objects := func(n int) string {
		return strings.Repeat(`{"a":`, n) + "null" + strings.Repeat("}", n)
	}
	tests := map[string]struct {
		in      string
		wantErr bool
		offset  int // of the first opening past the limit
	}{
		"arrays at the limit": {
			in: strings.Repeat("[", awsjson.MaxDepth) + strings.Repeat("]", awsjson.MaxDepth),
		},
		"arrays past the limit": {
			in: strings.Repeat("[", awsjson.MaxDepth+1) +
				strings.Repeat("]", awsjson.MaxDepth+1),
			wantErr: true,
			offset:  awsjson.MaxDepth,
		},
		"objects at the limit": {in: objects(awsjson.MaxDepth)},
		"objects past the limit": {
			in:      objects(awsjson.MaxDepth + 1),
			wantErr: true,
			offset:  5 * awsjson.MaxDepth,
		},
		"a million open brackets": {
			in:      strings.Repeat("[", 1_000_000),
			wantErr: true,
			offset:  awsjson.MaxDepth,
		},
		"a million open objects": {
			in:      strings.Repeat(`{"a":`, 1_000_000),
			wantErr: true,
			offset:  5 * awsjson.MaxDepth,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, !tt.wantErr, json.Valid([]byte(tt.in)),
				"table disagrees with encoding/json")

			d := awsjson.NewDecoder(tt.in)
			err := d.Skip()
			if !tt.wantErr {
				require.NoError(t, err)
				assert.NoError(t, d.End())
				_, err = decodeAll(tt.in)
				assert.NoError(t, err)
				return
			}
			var se *awsjson.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.Error(), "exceeded max depth")
			assert.Equal(t, tt.offset, se.Offset)

			_, err = decodeAll(tt.in)
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.offset, se.Offset)
		})
	}
}

func TestDecoder_Truncated(t *testing.T) {
	t.Parallel()
	doc := `{"ImageId":"wsi-abc","NextToken":"t\u00e9\ud83d\ude00\n","n":[0,-1.5e+3,true,false,` +
		`null],"ImagePermissions":[{"SharedAccountId":"123456789012"},{},null],"é":{"x":{}}}`
	_, err := decodeAll(doc)
	require.NoError(t, err)
	for i := range len(doc) {
		prefix := doc[:i]
		require.False(t, json.Valid([]byte(prefix)), "prefix %d is valid JSON", i)
		_, err := decodeAll(prefix)
		assert.Error(t, err, "prefix %q", prefix)
		d := awsjson.NewDecoder(prefix)
		if err := d.Skip(); err == nil {
			assert.Error(t, d.End(), "Skip and End accept %q", prefix)
		}
	}
}

func TestDecoder_End(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		wantErr bool
		offset  int // of the first byte past the value and white space
	}{
		"nothing after":       {in: `{}`},
		"json white space":    {in: "{} \t\r\n"},
		"letter":              {in: `{} x`, wantErr: true, offset: 3},
		"second value":        {in: `{}{}`, wantErr: true, offset: 2},
		"second number":       {in: `1 2`, wantErr: true, offset: 2},
		"second string":       {in: `"a""b"`, wantErr: true, offset: 3},
		"comma":               {in: `null,`, wantErr: true, offset: 4},
		"nul byte":            {in: "{}\x00", wantErr: true, offset: 2},
		"nul after space":     {in: "{} \x00", wantErr: true, offset: 3},
		"form feed":           {in: "{}\f", wantErr: true, offset: 2},
		"non-breaking space":  {in: "{}\u00a0", wantErr: true, offset: 2},
		"closing bracket":     {in: `[]]`, wantErr: true, offset: 2},
		"after leading space": {in: ` "s" x`, wantErr: true, offset: 5},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, !tt.wantErr, json.Valid([]byte(tt.in)),
				"table disagrees with encoding/json")
			d := awsjson.NewDecoder(tt.in)
			require.NoError(t, d.Skip())
			err := d.End()
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			var se *awsjson.SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.offset, se.Offset)
		})
	}
}

func TestDecoder_TypeError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		read func(d *awsjson.Decoder) error
		want *awsjson.TypeError
	}{
		"string got number": {
			in:   `12`,
			read: func(d *awsjson.Decoder) error { _, _, err := d.String("ImageId"); return err },
			want: &awsjson.TypeError{Member: "ImageId", Want: "string", Got: "number"},
		},
		"string got object": {
			in:   `{}`,
			read: func(d *awsjson.Decoder) error { _, _, err := d.String("NextToken"); return err },
			want: &awsjson.TypeError{Member: "NextToken", Want: "string", Got: "object"},
		},
		"array got string": {
			in: `"x"`,
			read: func(d *awsjson.Decoder) error {
				_, err := d.ArrayStart("ImagePermissions")
				return err
			},
			want: &awsjson.TypeError{Member: "ImagePermissions", Want: "array", Got: "string"},
		},
		"object got array": {
			in: `[]`,
			read: func(d *awsjson.Decoder) error {
				_, err := d.ObjectStart("response")
				return err
			},
			want: &awsjson.TypeError{Member: "response", Want: "object", Got: "array"},
		},
		"object got bool": {
			in:   `false`,
			read: func(d *awsjson.Decoder) error { _, err := d.ObjectStart("error"); return err },
			want: &awsjson.TypeError{Member: "error", Want: "object", Got: "bool"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := tt.read(awsjson.NewDecoder(tt.in))
			var te *awsjson.TypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.want, te)
			assert.Equal(t, "member "+tt.want.Member+": expected "+tt.want.Want+", got "+
				tt.want.Got, err.Error())
		})
	}
}

func TestDecoder_Null(t *testing.T) {
	t.Parallel()
	d := awsjson.NewDecoder(`[null,"s",null]`)
	_, err := d.ArrayStart("a")
	require.NoError(t, err)

	for _, want := range []struct {
		null bool
		s    string
	}{{null: true}, {s: "s"}, {null: true}} {
		more, err := d.NextElem()
		require.NoError(t, err)
		require.True(t, more)
		s, null, err := d.String("a[]")
		require.NoError(t, err)
		assert.Equal(t, want.null, null)
		assert.Equal(t, want.s, s)
	}
	more, err := d.NextElem()
	require.NoError(t, err)
	assert.False(t, more)
	assert.NoError(t, d.End())

	for _, open := range []func(*awsjson.Decoder) (bool, error){
		func(d *awsjson.Decoder) (bool, error) { return d.ObjectStart("o") },
		func(d *awsjson.Decoder) (bool, error) { return d.ArrayStart("a") },
		(*awsjson.Decoder).Null,
	} {
		d := awsjson.NewDecoder(" null ")
		null, err := open(d)
		require.NoError(t, err)
		assert.True(t, null)
		assert.NoError(t, d.End())
	}
	null, err := awsjson.NewDecoder("0").Null()
	assert.NoError(t, err)
	assert.False(t, null)
}

func TestDecoder_Reset(t *testing.T) {
	t.Parallel()
	d := awsjson.NewDecoder(`[[[`)
	require.Error(t, d.Skip())

	d.Reset(`{"a":"b"}`)
	got, err := readValue(d)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": "b"}, got)
	assert.NoError(t, d.End())
}
