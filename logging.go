package workspaces

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

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

// logSigning logs what a request was signed over: the credential scope and
// the signed headers, never the signature, the secret or the token.
func logSigning(cc *callConfig, req *http.Request, payloadHash string) {
	if !cc.opts.ClientLogMode.IsSigning() {
		return
	}
	cc.opts.Logger.Logf(logging.Debug, "Request Signature:\n%s\nX-Amz-Date: %s\npayload hash: %s",
		redactAuthorization(req.Header.Get("Authorization")),
		req.Header.Get("X-Amz-Date"), payloadHash)
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
