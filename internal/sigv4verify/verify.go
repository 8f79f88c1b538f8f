// Package sigv4verify checks AWS Signature Version 4 Authorization headers
// as an AWS JSON service does; it is the server side of SigV4 for the
// WorkSpaces fake.
//
// A [Verifier] rebuilds the canonical request from exactly the headers the
// client listed in SignedHeaders, so a request verifies whichever AWS SDK
// signed it, whatever headers that SDK chose to sign and whatever unsigned
// headers it added afterwards.
//
// Failures are [*Error] values carrying the code, HTTP status and message
// the service would send.
package sigv4verify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// BUG(sigv4verify): Only the Authorization header form of SigV4 is
// understood. A presigned request (X-Amz-Signature in the query string) or
// a SigV4a request (AWS4-ECDSA-P256-SHA256) is reported as
// MissingAuthenticationTokenException or IncompleteSignatureException. No
// AWS SDK signs WorkSpaces calls either way; supporting them needs a second
// parser feeding the same canonical-request builder.

const (
	algorithm      = "AWS4-HMAC-SHA256"
	terminator     = "aws4_request"
	timeFormat     = "20060102T150405Z"
	dateFormat     = "20060102"
	defaultMaxSkew = 5 * time.Minute

	codeMissingToken  = "MissingAuthenticationTokenException"
	codeIncomplete    = "IncompleteSignatureException"
	codeInvalid       = "InvalidSignatureException"
	codeUnrecognized  = "UnrecognizedClientException"
	msgMissingToken   = "Missing Authentication Token"
	msgUnrecognized   = "The security token included in the request is invalid."
	msgSignatureWrong = "The request signature we calculated does not match the " +
		"signature you provided. Check your AWS Secret Access Key and signing " +
		"method. Consult the service documentation for details."
)

// Error is an authentication failure, reported as the service reports it.
type Error struct {
	Code    string // e.g. "InvalidSignatureException"
	Status  int    // HTTP status
	Message string
}

// Error returns the failure as "Code: Message", the form AWS SDKs print.
func (e *Error) Error() string {
	return e.Code + ": " + e.Message
}

// Credential is a known access key.
type Credential struct{ AccessKeyID, SecretAccessKey string }

// Verifier checks SigV4 Authorization headers. The zero value checks the
// form of a request for any service without checking its signature.
type Verifier struct {
	// Service is the signing name the credential scope must carry, such
	// as "workspaces". Empty accepts any.
	Service string

	// Lookup returns the secret key for an access key ID. When nil, a
	// well-formed request passes without its signature being checked.
	Lookup func(accessKeyID string) (secret string, ok bool)

	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	// MaxSkew is how far the signing time may be from Now, either way;
	// zero means 5 minutes, as AWS allows.
	MaxSkew time.Duration
}

// Result describes a request that passed.
type Result struct {
	AccessKeyID   string
	Region        string
	Service       string
	SignedAt      time.Time
	SignedHeaders []string
	SessionToken  string // X-Amz-Security-Token, if sent
}

// Verify checks the Authorization header of r, whose body has already been
// read into body. The error, if any, is an [*Error].
//
// The checks run in the order AWS reports them: the header's form and
// credential scope, the signing date and its skew from Now, the access key,
// then the signature. The time window is checked even when Lookup is nil,
// so clients can exercise their clock-skew correction against a fake that
// knows no keys.
//
// The payload hash in the canonical request is always the SHA-256 of body.
// An X-Amz-Content-Sha256 header is only an ordinary header here: AWS
// services other than S3 do not take the payload hash from it (nor accept
// UNSIGNED-PAYLOAD), so a client that put a different value there and
// signed it fails with InvalidSignatureException, as it would against AWS.
func (v *Verifier) Verify(r *http.Request, body []byte) (Result, error) {
	res, err := v.verify(r, body)
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// verify is Verify with a typed error, so that a nil *Error never becomes
// a non-nil error interface.
func (v *Verifier) verify(r *http.Request, body []byte) (Result, *Error) {
	if r == nil || r.URL == nil {
		return Result{}, incomplete("The request has no URL to verify.")
	}
	raw := r.Header.Get("Authorization")
	if strings.TrimSpace(raw) == "" {
		return Result{}, &Error{codeMissingToken, http.StatusForbidden, msgMissingToken}
	}
	auth, err := parseAuthorization(raw)
	if err != nil {
		return Result{}, err
	}
	if err := v.checkScope(auth); err != nil {
		return Result{}, err
	}

	amzDate, signedAt, err := signingTime(r)
	if err != nil {
		return Result{}, err
	}
	if got := signedAt.Format(dateFormat); got != auth.date {
		return Result{}, incomplete("Date in Credential scope does not match YYYYMMDD "+
			"from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			auth.date, got, amzDate)
	}
	if err := v.checkSkew(signedAt); err != nil {
		return Result{}, err
	}

	// Resolve every signed header before looking at keys: naming a header
	// the request lacks is a malformed request whoever sent it.
	canonHeaders, err := canonicalHeaders(r, auth.signedHeaders)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		AccessKeyID:   auth.accessKeyID,
		Region:        auth.region,
		Service:       auth.service,
		SignedAt:      signedAt,
		SignedHeaders: auth.signedHeaders,
		SessionToken:  r.Header.Get("X-Amz-Security-Token"),
	}
	if v.Lookup == nil {
		return res, nil
	}

	secret, ok := v.Lookup(auth.accessKeyID)
	if !ok {
		return Result{}, &Error{codeUnrecognized, http.StatusForbidden, msgUnrecognized}
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet // as net/http reads an empty Method
	}
	payload := sha256.Sum256(body)
	canonical := strings.Join([]string{
		method,
		canonicalURI(r.URL),
		canonicalQuery(r.URL.RawQuery),
		canonHeaders,
		auth.signedHeadersRaw,
		hex.EncodeToString(payload[:]),
	}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	stringToSign := strings.Join([]string{
		algorithm,
		amzDate,
		auth.scope(),
		hex.EncodeToString(digest[:]),
	}, "\n")
	key := signingKey(secret, auth.date, auth.region, auth.service)
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))
	if !hmac.Equal([]byte(want), []byte(auth.signature)) {
		return Result{}, &Error{codeInvalid, http.StatusForbidden, msgSignatureWrong}
	}
	return res, nil
}

// authorization is a parsed Authorization header.
type authorization struct {
	accessKeyID      string
	date             string // YYYYMMDD from the credential scope
	region           string
	service          string
	signedHeaders    []string
	signedHeadersRaw string // as sent; it is hashed verbatim
	signature        string
}

// scope returns the credential scope as it goes into the string to sign.
func (a authorization) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/" + terminator
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=...". The components may come in any order, with or without
// spaces after the commas, as AWS accepts them.
func parseAuthorization(raw string) (authorization, *Error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(raw), " ")
	if alg != algorithm {
		return authorization{}, incomplete("Unsupported AWS 'algorithm': '%s'.", clip(alg))
	}

	params := make(map[string]string, 3)
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return authorization{}, incomplete("'%s' not a valid key=value pair "+
				"(missing equal-sign) in Authorization header.", clip(part))
		}
		params[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	var missing []string
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[name] == "" {
			missing = append(missing,
				"Authorization header requires '"+name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return authorization{}, incomplete("%s", strings.Join(missing, " "))
	}

	cred := params["Credential"]
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return authorization{}, incomplete("Credential must have exactly 5 "+
			"slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'.",
			clip(cred))
	}
	auth := authorization{
		accessKeyID:      parts[0],
		date:             parts[1],
		region:           parts[2],
		service:          parts[3],
		signedHeadersRaw: params["SignedHeaders"],
		signedHeaders:    strings.Split(params["SignedHeaders"], ";"),
		signature:        params["Signature"],
	}
	if auth.accessKeyID == "" {
		return authorization{}, incomplete("Credential must name an access key ID.")
	}
	if parts[4] != terminator {
		return authorization{}, incomplete("Credential should be scoped with a valid "+
			"terminator: '%s', not '%s'.", terminator, clip(parts[4]))
	}

	host := false
	for _, h := range auth.signedHeaders {
		if h == "" {
			return authorization{}, incomplete("SignedHeaders contains an empty "+
				"header name: '%s'.", clip(auth.signedHeadersRaw))
		}
		host = host || strings.EqualFold(h, "host")
	}
	if !host {
		return authorization{}, incomplete("'Host' or ':authority' must be a " +
			"'SignedHeader' in the AWS Authorization.")
	}
	return auth, nil
}

// checkScope checks the date, region and service of the credential scope.
func (v *Verifier) checkScope(auth authorization) *Error {
	if _, err := time.Parse(dateFormat, auth.date); err != nil {
		return incomplete("Invalid credential date '%s'. Date is not the required "+
			"format: yyyyMMdd.", clip(auth.date))
	}
	if auth.region == "" {
		return incomplete("Credential should be scoped to a valid region.")
	}
	if v.Service != "" && auth.service != v.Service {
		return incomplete("Credential should be scoped to correct service: '%s'.",
			v.Service)
	}
	return nil
}

// signingTime returns the request's signing time, as sent and parsed.
// X-Amz-Date wins over Date; AWS documents that a Date header in the same
// ISO 8601 basic format may stand in for X-Amz-Date.
func signingTime(r *http.Request) (string, time.Time, *Error) {
	value := r.Header.Get("X-Amz-Date")
	if value == "" {
		value = r.Header.Get("Date")
	}
	if value == "" {
		return "", time.Time{}, incomplete("Authorization header requires existence " +
			"of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, err := time.Parse(timeFormat, value)
	if err != nil {
		return "", time.Time{}, incomplete("Date must be in ISO-8601 'basic format'. "+
			"Got '%s'.", clip(value))
	}
	return value, t, nil
}

// checkSkew reports a signing time outside MaxSkew of Now. Clients read
// this InvalidSignatureException as clock skew and retry with a corrected
// clock, so its code must stay as AWS sends it.
func (v *Verifier) checkSkew(signedAt time.Time) *Error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultMaxSkew
	}
	now = now.UTC()

	window := skewText(skew)
	switch {
	case signedAt.Before(now.Add(-skew)):
		return &Error{codeInvalid, http.StatusForbidden, fmt.Sprintf(
			"Signature expired: %s is now earlier than %s (%s - %s.)",
			signedAt.Format(timeFormat), now.Add(-skew).Format(timeFormat),
			now.Format(timeFormat), window)}
	case signedAt.After(now.Add(skew)):
		return &Error{codeInvalid, http.StatusForbidden, fmt.Sprintf(
			"Signature not yet current: %s is still later than %s (%s + %s.)",
			signedAt.Format(timeFormat), now.Add(skew).Format(timeFormat),
			now.Format(timeFormat), window)}
	}
	return nil
}

// skewText writes d as AWS writes its window ("5 min"), or as Go does
// when it is not a whole number of minutes.
func skewText(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return d.String()
}

// canonicalHeaders builds the canonical header block from exactly the
// headers named in SignedHeaders, in the order and spelling given: the
// client hashed its own list, so reordering it here could only break a
// signature, never protect one.
func canonicalHeaders(r *http.Request, names []string) (string, *Error) {
	var b strings.Builder
	for _, name := range names {
		values, ok := headerValues(r, name)
		if !ok {
			return "", incomplete("SignedHeaders names '%s', which the request "+
				"does not carry.", clip(name))
		}
		b.WriteString(name)
		b.WriteByte(':')
		for i, val := range values {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(collapseSpaces(val))
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// headerValues returns the values of the named header as the client sent
// them. net/http moves Host out of the header map into r.Host, and a
// request handed over in memory carries its length only in ContentLength,
// so both are read from there.
func headerValues(r *http.Request, name string) ([]string, bool) {
	switch strings.ToLower(name) {
	case "host":
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return []string{host}, host != ""
	case "content-length":
		if r.Header.Get("Content-Length") == "" && r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}, true
		}
	}
	if values := r.Header.Values(name); len(values) > 0 {
		return values, true
	}
	// A header map filled by hand may hold keys in non-canonical case.
	for k, values := range r.Header {
		if strings.EqualFold(k, name) && len(values) > 0 {
			return values, true
		}
	}
	return nil, false
}

// collapseSpaces trims a header value and folds each inner run of spaces
// into one, as the canonical form requires.
func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// canonicalURI returns the canonical path for a service other than S3:
// the path as sent on the wire (already percent-encoded once), with dot
// segments and empty segments removed, then encoded once more. That second
// encoding is why "/a%20b" is signed as "/a%2520b".
func canonicalURI(u *url.URL) string {
	return uriEncode(normalizePath(u.EscapedPath()), false)
}

// normalizePath removes "." and ".." segments and repeated slashes, keeping
// a trailing slash, as RFC 3986 and the SigV4 test suite do ("//a//" is
// "/a/", "/a/.." is "/").
func normalizePath(p string) string {
	segments := strings.Split(p, "/")
	kept := make([]string, 0, len(segments))
	for _, s := range segments {
		switch s {
		case "", ".":
		case "..":
			if len(kept) > 0 {
				kept = kept[:len(kept)-1]
			}
		default:
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return "/"
	}
	out := "/" + strings.Join(kept, "/")
	if last := segments[len(segments)-1]; last == "" || last == "." || last == ".." {
		out += "/"
	}
	return out
}

// canonicalQuery decodes the query string and encodes it again in
// canonical form: each name and value encoded, pairs sorted by encoded
// name then encoded value. Like url.URL.Query, and so like the Go signer,
// it decodes "+" as a space and skips pairs it cannot decode.
func canonicalQuery(raw string) string {
	query, _ := url.ParseQuery(raw) // see above: bad pairs are dropped
	pairs := make([]string, 0, len(query))
	for k, values := range query {
		for _, val := range values {
			pairs = append(pairs, uriEncode(k, true)+"="+uriEncode(val, true))
		}
	}
	// Sorting the joined "k=v" strings would misplace "a-b=" against "a=",
	// since '-' sorts before '='; sort on the parts instead.
	sort.Slice(pairs, func(i, j int) bool {
		ki, vi, _ := strings.Cut(pairs[i], "=")
		kj, vj, _ := strings.Cut(pairs[j], "=")
		if ki != kj {
			return ki < kj
		}
		return vi < vj
	})
	return strings.Join(pairs, "&")
}

// uriEncode percent-encodes every byte outside the RFC 3986 unreserved
// set, in upper-case hex; a slash is kept unless encodeSlash is set.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// signingKey derives the SigV4 signing key for one day, region and service.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// incomplete returns an IncompleteSignatureException with a formatted
// message.
func incomplete(format string, args ...any) *Error {
	return &Error{codeIncomplete, http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// clip shortens caller-supplied text quoted in a message, so that an error
// never echoes a long header (or a whole signature) back.
func clip(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
