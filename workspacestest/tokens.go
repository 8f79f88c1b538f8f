package workspacestest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// A pagination token is the base64url (unpadded) encoding of
//
//	version (1 byte) | incarnation (8 bytes, big endian) |
//	len(imageID) (1 byte) | imageID | last account returned | HMAC-SHA256
//
// sealed with a key drawn at random for each Service. The token binds a
// walk to one image, one incarnation of it (an image deleted and put again
// is a new incarnation) and the position after the last account returned,
// so accounts shared or unshared between pages cause no gap or duplicate
// for the accounts that stay shared.

const (
	tokenVersion = 1
	tokenKeySize = 32
)

// errBadToken is returned for every token that does not open; the caller
// answers InvalidParameterValuesException whatever the reason.
var errBadToken = errors.New("invalid pagination token")

// tokenSealer issues and opens pagination tokens with one secret key.
type tokenSealer struct {
	key []byte
}

// newTokenSealer returns a sealer with a fresh random key.
func newTokenSealer() tokenSealer {
	key := make([]byte, tokenKeySize)
	// crypto/rand.Read never returns an error (Go 1.24 and later).
	_, _ = rand.Read(key)
	return tokenSealer{key: key}
}

// tokenPosition is what a token carries.
type tokenPosition struct {
	imageID     string
	incarnation uint64
	after       string // the last account ID returned
}

// seal returns the token for p.
func (ts tokenSealer) seal(p tokenPosition) string {
	payload := make([]byte, 0, 10+len(p.imageID)+len(p.after)+sha256.Size)
	payload = append(payload, tokenVersion)
	payload = binary.BigEndian.AppendUint64(payload, p.incarnation)
	payload = append(payload, byte(len(p.imageID)))
	payload = append(payload, p.imageID...)
	payload = append(payload, p.after...)
	payload = append(payload, ts.mac(payload)...)
	return base64.RawURLEncoding.EncodeToString(payload)
}

// open checks token and returns the position it carries. It does not
// check that the position's image or incarnation are current.
func (ts tokenSealer) open(token string) (tokenPosition, error) {
	// Strict: the last character of an unpadded token has spare bits that
	// the lenient decoder ignores, so a token altered there would open.
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) < 10+sha256.Size {
		return tokenPosition{}, errBadToken
	}
	payload, sum := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if !hmac.Equal(sum, ts.mac(payload)) || payload[0] != tokenVersion {
		return tokenPosition{}, errBadToken
	}

	n := int(payload[9])
	if len(payload) < 10+n {
		return tokenPosition{}, errBadToken
	}
	return tokenPosition{
		imageID:     string(payload[10 : 10+n]),
		incarnation: binary.BigEndian.Uint64(payload[1:9]),
		after:       string(payload[10+n:]),
	}, nil
}

// mac returns the HMAC-SHA256 of payload under the sealer's key.
func (ts tokenSealer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, ts.key)
	h.Write(payload)
	return h.Sum(nil)
}
