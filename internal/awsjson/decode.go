package awsjson

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth bounds the nesting of arrays and objects the decoder accepts, the
// same bound encoding/json uses, so that a hostile body cannot exhaust the
// stack while skipping members nobody asked for.
const MaxDepth = 10000

// SyntaxError reports input that is not valid JSON.
type SyntaxError struct {
	Offset int // byte offset of the problem in the input
	msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("json syntax error at offset %d: %s", e.Offset, e.msg)
}

// TypeError reports a member whose JSON type is not the one the shape needs.
type TypeError struct {
	Member string // member name, such as "ImageId"
	Want   string // "string", "array" or "object"
	Got    string // the JSON type found
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("member %s: expected %s, got %s", e.Member, e.Want, e.Got)
}

// Decoder reads one JSON document from a string, token by token. Strings
// without escapes come back as substrings of the input, so decoding a page
// allocates once for the body rather than once per value.
//
// The calls mirror the document: ObjectStart then NextKey until it reports
// the end, ArrayStart then NextElem likewise, String or Skip for each value,
// and End once the top-level value is read.
type Decoder struct {
	data  string
	pos   int
	depth int
	first bool  // just past '{' or '[': no comma expected before a member
	err   error // a syntax error found by next, returned by its caller
}

// NewDecoder returns a decoder reading data.
func NewDecoder(data string) *Decoder {
	return &Decoder{data: data}
}

// Reset makes d read data from the start.
func (d *Decoder) Reset(data string) {
	*d = Decoder{data: data}
}

func (d *Decoder) syntax(format string, args ...any) error {
	return &SyntaxError{Offset: d.pos, msg: fmt.Sprintf(format, args...)}
}

func (d *Decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end of input.
func (d *Decoder) peek() byte {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// Kind names the JSON type of the next value: "object", "array", "string",
// "number", "bool", "null", or "" when no value can start there.
func (d *Decoder) Kind() string {
	switch c := d.peek(); {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == '-' || (c >= '0' && c <= '9'):
		return "number"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "null"
	}
	return ""
}

// Null consumes a null literal if one is next and reports whether it did.
func (d *Decoder) Null() (bool, error) {
	if d.peek() != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

func (d *Decoder) literal(word string) error {
	if !strings.HasPrefix(d.data[d.pos:], word) {
		return d.syntax("invalid literal")
	}
	d.pos += len(word)
	return nil
}

// ObjectStart consumes the '{' that opens an object. A null in its place
// reports null true and consumes it; any other value is a TypeError for
// member.
func (d *Decoder) ObjectStart(member string) (null bool, err error) {
	return d.open('{', "object", member)
}

// ArrayStart consumes the '[' that opens an array, as ObjectStart does for
// objects.
func (d *Decoder) ArrayStart(member string) (null bool, err error) {
	return d.open('[', "array", member)
}

func (d *Decoder) open(c byte, want, member string) (bool, error) {
	switch d.peek() {
	case c:
		d.depth++
		if d.depth > MaxDepth {
			return false, d.syntax("exceeded max depth")
		}
		d.pos++
		d.first = true
		return false, nil
	case 'n':
		return true, d.literal("null")
	}
	if got := d.Kind(); got != "" {
		return false, &TypeError{Member: member, Want: want, Got: got}
	}
	return false, d.unexpected()
}

func (d *Decoder) unexpected() error {
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of input")
	}
	return d.syntax("invalid character %q", d.data[d.pos])
}

// NextKey reads the key of the next member of the current object and the
// colon after it. At the closing '}' it returns ok false and leaves the
// object.
func (d *Decoder) NextKey() (key string, ok bool, err error) {
	if !d.next('}') {
		return "", false, d.takeErr()
	}
	if d.peek() != '"' {
		return "", false, d.syntax("expected string key")
	}
	key, err = d.str()
	if err != nil {
		return "", false, err
	}
	if d.peek() != ':' {
		return "", false, d.syntax("expected colon after key")
	}
	d.pos++
	return key, true, nil
}

// NextElem reports whether the current array has another element, consuming
// the comma before it. At the closing ']' it returns false and leaves the
// array.
func (d *Decoder) NextElem() (bool, error) {
	if !d.next(']') {
		return false, d.takeErr()
	}
	return true, nil
}

// next consumes the separator before the next member or element, or the
// closing byte. It reports whether a member or element follows; on a
// syntax error it returns false and leaves the error in d.err.
func (d *Decoder) next(closing byte) bool {
	c := d.peek()
	if c == closing {
		d.pos++
		d.depth--
		d.first = false
		return false
	}
	if d.first {
		d.first = false
		if c == 0 {
			d.err = d.unexpected()
			return false
		}
		return true
	}
	if c != ',' {
		d.err = d.unexpected()
		return false
	}
	d.pos++
	return true
}

func (d *Decoder) takeErr() error {
	err := d.err
	d.err = nil
	return err
}

// String reads a string value. A null reports null true; any other value is
// a TypeError for member.
func (d *Decoder) String(member string) (s string, null bool, err error) {
	switch d.peek() {
	case '"':
		s, err = d.str()
		return s, false, err
	case 'n':
		return "", true, d.literal("null")
	}
	if got := d.Kind(); got != "" {
		return "", false, &TypeError{Member: member, Want: "string", Got: got}
	}
	return "", false, d.unexpected()
}

// str reads a string literal at d.pos. The common case, no escapes and valid
// UTF-8, returns a substring of the input without copying.
func (d *Decoder) str() (string, error) {
	start := d.pos + 1
	end := start + plainRun(d.data[start:])
	if end == len(d.data) {
		d.pos = end
		return "", d.syntax("unexpected end of input in string")
	}
	if d.data[end] != '"' {
		return d.slowStr(start, end)
	}
	d.pos = end + 1
	return d.data[start:end], nil
}

// slowStr finishes a string that has escapes, control characters or
// non-ASCII bytes, from i onward; data[start:i] is plain. Invalid UTF-8
// becomes U+FFFD, as encoding/json does.
func (d *Decoder) slowStr(start, i int) (string, error) {
	var b strings.Builder
	b.Grow(i - start + 16)
	b.WriteString(d.data[start:i])
	for i < len(d.data) {
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return b.String(), nil
		case c < 0x20:
			d.pos = i
			return "", d.syntax("invalid control character in string")
		case c == '\\':
			n, err := d.escape(&b, i)
			if err != nil {
				return "", err
			}
			i += n
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(d.data[i:])
			b.WriteRune(r) // RuneError for an invalid byte, as encoding/json
			i += size
		}
	}
	d.pos = len(d.data)
	return "", d.syntax("unexpected end of input in string")
}

// escape writes the escape sequence starting at data[i] to b and returns its
// length in the input.
func (d *Decoder) escape(b *strings.Builder, i int) (int, error) {
	if i+1 >= len(d.data) {
		d.pos = len(d.data)
		return 0, d.syntax("unexpected end of input in string")
	}
	switch c := d.data[i+1]; c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := d.hex4(i + 2)
		if !ok {
			d.pos = i
			return 0, d.syntax("invalid \\u escape in string")
		}
		if !utf16.IsSurrogate(r) {
			b.WriteRune(r)
			return 6, nil
		}
		// A high surrogate pairs with a following \uXXXX low surrogate;
		// alone, either half decodes to U+FFFD, as in encoding/json.
		if i+7 < len(d.data) && d.data[i+6] == '\\' && d.data[i+7] == 'u' {
			if r2, ok := d.hex4(i + 8); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					b.WriteRune(dec)
					return 12, nil
				}
			}
		}
		b.WriteRune(utf8.RuneError)
		return 6, nil
	default:
		d.pos = i
		return 0, d.syntax("invalid escape %q in string", c)
	}
	return 2, nil
}

func (d *Decoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(d.data[i:i+4], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// Skip reads past the next value, whatever its type, checking its syntax.
func (d *Decoder) Skip() error {
	switch c := d.peek(); {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{':
		return d.skipContainer('{', '}')
	case c == '[':
		return d.skipContainer('[', ']')
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return d.unexpected()
}

func (d *Decoder) skipContainer(open, closing byte) error {
	if _, err := d.open(open, "", ""); err != nil {
		return err
	}
	for {
		var more bool
		var err error
		if open == '{' {
			_, more, err = d.NextKey()
		} else {
			more, err = d.NextElem()
		}
		if err != nil || !more {
			return err
		}
		if err := d.Skip(); err != nil {
			return err
		}
	}
}

// number reads past a number, checking it against the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *Decoder) number() error {
	i := d.pos
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	switch {
	case i < len(d.data) && d.data[i] == '0':
		i++
	case i < len(d.data) && d.data[i] >= '1' && d.data[i] <= '9':
		i = digits(d.data, i)
	default:
		d.pos = i
		return d.unexpected()
	}
	if i < len(d.data) && d.data[i] == '.' {
		j := digits(d.data, i+1)
		if j == i+1 {
			d.pos = j
			return d.unexpected()
		}
		i = j
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		j := digits(d.data, i)
		if j == i {
			d.pos = j
			return d.unexpected()
		}
		i = j
	}
	d.pos = i
	return nil
}

func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// End checks that only white space follows the value read.
func (d *Decoder) End() error {
	if d.skipSpace(); d.pos < len(d.data) {
		return d.syntax("invalid character %q after top-level value", d.data[d.pos])
	}
	return nil
}

// StringObject reads an object whose only member is key with a plain string
// value, written compactly: {"key":"value"}, with no white space inside and
// no escapes or non-ASCII bytes in the value. It is the fast path for list
// entries, which services write exactly so. On any other input it returns
// ok false and consumes nothing, and the caller decodes the general way.
func (d *Decoder) StringObject(key string) (value string, ok bool) {
	d.skipSpace()
	value, n := stringObject(d.data[d.pos:], key)
	if n == 0 {
		return "", false
	}
	d.pos += n
	return value, true
}

// NextStringObject is NextElem followed by StringObject in one step: when
// the current array has another element and it is a compact
// {"key":"value"} object, it consumes the separator and the element and
// returns the value. Otherwise it consumes nothing and returns ok false,
// and the caller goes on with NextElem.
func (d *Decoder) NextStringObject(key string) (value string, ok bool) {
	i := d.pos
	if i < len(d.data) && d.data[i] <= ' ' {
		i = skipSpace(d.data, i)
	}
	if !d.first {
		if i >= len(d.data) || d.data[i] != ',' {
			return "", false
		}
		i++
		if i < len(d.data) && d.data[i] <= ' ' {
			i = skipSpace(d.data, i)
		}
	}
	value, n := stringObject(d.data[i:], key)
	if n == 0 {
		return "", false
	}
	d.pos = i + n
	d.first = false
	return value, true
}

// stringObject matches a compact {"key":"value"} object at the start of s,
// returning the value and the object's length, or a length of 0.
func stringObject(s, key string) (string, int) {
	n := len(key)
	if len(s) < n+7 || s[0] != '{' || s[1] != '"' || s[2:2+n] != key ||
		s[2+n] != '"' || s[3+n] != ':' || s[4+n] != '"' {
		return "", 0
	}
	v := s[5+n:]
	i := plainRun(v)
	if i+1 >= len(v) || v[i] != '"' || v[i+1] != '}' {
		return "", 0
	}
	return v[:i], 5 + n + i + 2
}

// plainRun returns the length of the run of plain bytes, those a string
// value holds as they are, at the start of s.
func plainRun(s string) int {
	// Eight bytes at a time while none of them is special, then one by one
	// up to the first special byte. b only reads s's bytes, as one word.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// The high bit of a byte of each term is set when the byte is, in
		// turn: below 0x20, a quote, a backslash, or 0x80 and above (the
		// first three are the classic "has less than" and "has zero" bit
		// tricks; they may flag bytes after a special one, never before,
		// so the lowest flag is the first special byte).
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		special := ((x-ones*0x20)&^x | (quote-ones)&^quote | (backslash-ones)&^backslash | x) &
			highs
		if special != 0 {
			return i + bits.TrailingZeros64(special)/8
		}
	}
	for i < len(b) && plainByte[b[i]] {
		i++
	}
	return i
}

// plainByte reports the bytes a string value may hold as they are: not the
// closing quote, a backslash, a control character or part of a multi-byte
// UTF-8 sequence.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipSpace returns the index of the first byte at or after i in s that is
// not JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
