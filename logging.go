package workspaces

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/smithy-go/encoding/httpbinding"
	"github.com/aws/smithy-go/logging"
)

// Log lines follow the official client's: a "Request" or "Response" line,
// then the message as it goes over the wire. Unlike the official client's,
// they never carry a secret: the signature in Authorization and the session
// token are replaced by redacted, wherever they appear.

const redacted = "REDACTED"

// logRequest logs req, with its body when the mode asks for it.
func logRequest(cc *callConfig, req *http.Request, body []byte) {
	mode := cc.opts.ClientLogMode
	if !mode.IsRequest() && !mode.IsRequestWithBody() {
		return
	}
	var b strings.Builder
	b.WriteString("Request\n")
	b.WriteString(req.Method + " " + req.URL.RequestURI() + " HTTP/1.1\r\n")
	b.WriteString("Host: " + req.URL.Host + "\r\n")
	writeHeaders(&b, req.Header)
	if req.ContentLength > 0 {
		b.WriteString("Content-Length: " + strconv.FormatInt(req.ContentLength, 10) + "\r\n")
	}
	b.WriteString("\r\n")
	if mode.IsRequestWithBody() {
		b.Write(body)
	}
	cc.opts.Logger.Logf(logging.Debug, "%s", b.String())
}

// logResponse logs resp, with body when the mode asks for it.
func logResponse(cc *callConfig, resp *http.Response, body string) {
	mode := cc.opts.ClientLogMode
	if !mode.IsResponse() && !mode.IsResponseWithBody() {
		return
	}
	var b strings.Builder
	b.WriteString("Response\n")
	b.WriteString("HTTP/1.1 " + resp.Status + "\r\n")
	writeHeaders(&b, resp.Header)
	b.WriteString("\r\n")
	if mode.IsResponseWithBody() {
		b.WriteString(body)
	}
	cc.opts.Logger.Logf(logging.Debug, "%s", b.String())
}

// logSigning logs what req was signed over, as the official client's
// signer does: the canonical request, rebuilt from the headers the
// Authorization value lists as signed, and the string to sign. The
// canonical request shows the session token as REDACTED; the string to
// sign keeps the hash of the request as signed, token included, which
// reveals neither, so that it can be compared with the one a service
// returns with SignatureDoesNotMatch.
func logSigning(cc *callConfig, req *http.Request, payloadHash string) {
	if !cc.opts.ClientLogMode.IsSigning() {
		return
	}
	auth := req.Header.Get("Authorization")
	signed := authComponent(auth, "SignedHeaders=")
	_, scope, _ := strings.Cut(authComponent(auth, "Credential="), "/")

	sum := sha256.Sum256([]byte(canonicalRequest(req, signed, payloadHash, false)))
	cc.opts.Logger.Logf(logging.Debug, "Request Signature:\n"+
		"---[ CANONICAL STRING  ]-----------------------------\n%s\n"+
		"---[ STRING TO SIGN ]--------------------------------\n%s\n%s\n%s\n%s\n"+
		"-----------------------------------------------------",
		canonicalRequest(req, signed, payloadHash, true),
		"AWS4-HMAC-SHA256", req.Header.Get("X-Amz-Date"), scope, hex.EncodeToString(sum[:]))
}

// authComponent returns the value of one component, such as
// "SignedHeaders=", of a SigV4 Authorization value.
func authComponent(auth, name string) string {
	i := strings.Index(auth, name)
	if i < 0 {
		return ""
	}
	v := auth[i+len(name):]
	if end := strings.IndexAny(v, ", "); end >= 0 {
		v = v[:end]
	}
	return v
}

// canonicalRequest rebuilds the SigV4 canonical request of a signed req
// from signedHeaders, its semicolon-separated list of lowercase header
// names; with redact, secret header values read REDACTED.
func canonicalRequest(req *http.Request, signedHeaders, payloadHash string, redact bool) string {
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.WriteString(req.Method + "\n" + httpbinding.EscapePath(path, false) + "\n" +
		strings.ReplaceAll(req.URL.Query().Encode(), "+", "%20") + "\n")
	for _, name := range strings.Split(signedHeaders, ";") {
		var v string
		switch name {
		case "host":
			v = cmp.Or(req.Host, req.URL.Host)
		case "content-length":
			v = strconv.FormatInt(req.ContentLength, 10)
		default:
			for i, value := range req.Header.Values(name) {
				if i > 0 {
					v += ","
				}
				v += strings.Join(strings.Fields(value), " ")
			}
			if redact {
				v = redactHeader(name, v)
			}
		}
		b.WriteString(name + ":" + v + "\n")
	}
	b.WriteString("\n" + signedHeaders + "\n" + payloadHash)
	return b.String()
}

// writeHeaders writes h sorted by name, one line each, secrets redacted.
func writeHeaders(b *strings.Builder, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			b.WriteString(name + ": " + redactHeader(name, v) + "\r\n")
		}
	}
}

// redactHeader returns the loggable form of one header value.
func redactHeader(name, value string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization":
		return redactAuthorization(value)
	case "X-Amz-Security-Token", "Cookie", "Set-Cookie", "Proxy-Authorization":
		return redacted
	}
	return value
}

// redactAuthorization keeps the credential scope and the signed headers of
// a SigV4 Authorization value, which help to debug a rejected request, and
// drops the signature.
func redactAuthorization(v string) string {
	i := strings.Index(v, "Signature=")
	if i < 0 {
		if v == "" {
			return ""
		}
		return redacted
	}
	return v[:i+len("Signature=")] + redacted
}
