package workspacestest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client returns an [*http.Client] whose Transport serves every request
// with s in memory, whatever its URL's host: no socket is opened. The
// request and response still take the path they take on the wire: the
// request body is read and closed, headers arrive canonicalized with the
// Content-Length, Transfer-Encoding, User-Agent and Date a real exchange
// has, and the response body streams from the handler, so latency,
// truncation, resets and huge bodies behave as on a connection.
//
// The round trip returns once the response headers are written, or with
// an error if the request's context is done first. Closing the response
// body cancels the handler's context and waits for it to return; a body
// never closed keeps its handler waiting, as a connection would.
func (s *Service) Client() *http.Client {
	return &http.Client{Transport: &memTransport{handler: s}}
}

// memTransport is the in-memory [http.RoundTripper] of [Service.Client].
type memTransport struct {
	handler http.Handler
}

// remoteAddr is the client address handlers see through the in-memory
// client; it is in a documentation range and reaches nothing.
const remoteAddr = "192.0.2.1:1234"

// RoundTrip runs the handler for req and returns its response once the
// headers are written.
func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	sreq, err := serverRequest(req, body)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	hctx, cancel := context.WithCancel(ctx)
	sreq = sreq.WithContext(hctx)
	pr, pw := io.Pipe()
	w := &memWriter{
		ctx:         hctx,
		req:         req,
		header:      make(http.Header),
		pw:          pw,
		ready:       make(chan roundTripResult, 1),
		declaredLen: -1,
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		defer func() { w.finish(recover()) }()
		t.handler.ServeHTTP(w, sreq)
	}()

	select {
	case res := <-w.ready:
		if res.err != nil {
			<-done
			return nil, res.err
		}
		b := &memBody{ctx: ctx, pr: pr, remaining: res.resp.ContentLength,
			cancel: cancel, done: done}
		b.stop = context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
		res.resp.Body = b
		if req.Method == http.MethodHead {
			res.resp.Body = http.NoBody
			_ = b.Close()
		}
		return res.resp, nil
	case <-ctx.Done():
		cancel()
		pw.CloseWithError(ctx.Err())
		<-done
		return nil, ctx.Err()
	}
}

// readRequestBody reads and closes req's body, checking it against
// req.ContentLength as the standard transport does.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if req.ContentLength > 0 && int64(len(body)) != req.ContentLength {
		return nil, fmt.Errorf("http: ContentLength=%d with Body length %d",
			req.ContentLength, len(body))
	}
	return body, nil
}

// serverRequest returns req as a server would receive it: canonical
// header keys, the Host header moved to Host, the headers the standard
// transport adds, and the body framed by Content-Length or chunked.
func serverRequest(req *http.Request, body []byte) (*http.Request, error) {
	header := make(http.Header, len(req.Header)+3)
	for k, vs := range req.Header {
		if !validFieldName(k) {
			return nil, fmt.Errorf("net/http: invalid header field name %q", k)
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return nil, fmt.Errorf("net/http: invalid header field value for %q", k)
			}
		}
		ck := textproto.CanonicalMIMEHeaderKey(k)
		header[ck] = append(header[ck], vs...)
	}
	header.Del("Host")
	if _, ok := header["User-Agent"]; !ok {
		header.Set("User-Agent", "Go-http-client/1.1")
	}
	if _, ok := header["Accept-Encoding"]; !ok && req.Method != http.MethodHead {
		header.Set("Accept-Encoding", "gzip")
	}

	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	path := req.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	requestURI := path
	if req.URL.RawQuery != "" {
		requestURI += "?" + req.URL.RawQuery
	}
	u, err := url.ParseRequestURI(requestURI)
	if err != nil {
		return nil, fmt.Errorf("parse request URI: %w", err)
	}

	sreq := &http.Request{
		Method:     req.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Body:       io.NopCloser(bytes.NewReader(body)),
		Host:       host,
		RemoteAddr: remoteAddr,
		RequestURI: requestURI,
	}
	switch {
	case len(body) > 0 && req.ContentLength <= 0:
		sreq.ContentLength = -1
		sreq.TransferEncoding = []string{"chunked"}
		header.Del("Content-Length")
	case len(body) > 0 || bodyExpected(req.Method):
		sreq.ContentLength = int64(len(body))
		header.Set("Content-Length", strconv.Itoa(len(body)))
	default:
		sreq.Body = http.NoBody
		header.Del("Content-Length")
	}
	return sreq, nil
}

// bodyExpected reports whether the standard transport sends
// "Content-Length: 0" for an empty body with this method.
func bodyExpected(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// validFieldName reports whether k is a valid header field name (an RFC
// 7230 token).
func validFieldName(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range []byte(k) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// roundTripResult is what a handler hands back to RoundTrip: a response
// whose headers are written, or an error.
type roundTripResult struct {
	resp *http.Response
	err  error
}

// bufferSize is how much body memWriter holds before it must send the
// headers, as the standard server's buffer does.
const bufferSize = 4 << 10

// memWriter is the [http.ResponseWriter] handlers see through the
// in-memory client. Only the handler's goroutine calls it.
type memWriter struct {
	ctx         context.Context // the handler's
	req         *http.Request
	header      http.Header
	status      int
	buf         []byte
	committed   bool // headers handed to RoundTrip
	declaredLen int64
	written     int64
	reset       bool
	pw          *io.PipeWriter
	ready       chan roundTripResult
}

// Header returns the header map the handler fills in.
func (w *memWriter) Header() http.Header { return w.header }

// WriteHeader records the status; the headers are sent with the first
// flush of the body, as a server sends them.
func (w *memWriter) WriteHeader(code int) {
	if w.status != 0 || w.committed {
		return
	}
	w.status = code
	if v := w.header.Get("Content-Length"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			w.declaredLen = n
		}
	}
}

// Write buffers or sends p, as a server's response writer does.
func (w *memWriter) Write(p []byte) (int, error) {
	if w.reset {
		return 0, errConnReset
	}
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) || w.req.Method == http.MethodHead {
		return 0, http.ErrBodyNotAllowed
	}
	if w.declaredLen >= 0 && w.written+int64(len(w.buf))+int64(len(p)) > w.declaredLen {
		return 0, http.ErrContentLength
	}

	if !w.committed {
		w.buf = append(w.buf, p...)
		if len(w.buf) <= bufferSize {
			return len(p), nil
		}
		if err := w.flush(); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	n, err := w.pw.Write(p)
	w.written += int64(n)
	return n, err
}

// Flush sends the headers and whatever body is buffered.
func (w *memWriter) Flush() {
	_ = w.flush()
}

// flush sends the headers, if not yet sent, and the buffered body.
func (w *memWriter) flush() error {
	if w.reset {
		return errConnReset
	}
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.commit()
	if len(w.buf) == 0 {
		return nil
	}
	n, err := w.pw.Write(w.buf)
	w.written += int64(n)
	w.buf = nil
	return err
}

// commit hands the response headers to RoundTrip, once.
func (w *memWriter) commit() {
	if w.committed {
		return
	}
	w.committed = true

	header := make(http.Header, len(w.header)+2)
	for k, vs := range w.header {
		ck := textproto.CanonicalMIMEHeaderKey(k)
		header[ck] = append(header[ck], vs...)
	}
	if _, ok := header["Date"]; !ok {
		header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	if _, ok := header["Content-Type"]; !ok && len(w.buf) > 0 {
		header.Set("Content-Type", http.DetectContentType(w.buf))
	}

	resp := &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		ContentLength: w.declaredLen,
		Request:       w.req,
	}
	switch {
	case !bodyAllowed(w.status):
		resp.ContentLength = 0
		header.Del("Content-Length")
	case w.declaredLen < 0:
		resp.TransferEncoding = []string{"chunked"}
		header.Del("Content-Length")
	}
	w.ready <- roundTripResult{resp: resp}
}

// resetConnection makes the exchange end as a reset connection does.
func (w *memWriter) resetConnection() {
	w.reset = true
}

// finish ends the exchange when the handler returns or panics: it sends
// what is left, framed as a server would, or reports the failure.
func (w *memWriter) finish(panicked any) {
	var failure error
	switch {
	case w.reset:
		failure = errConnReset
	case panicked != nil:
		// A server drops the connection when a handler panics; the client
		// sees it end without a (complete) response.
		failure = io.ErrUnexpectedEOF
	case !w.committed && w.ctx.Err() != nil:
		// The client went away before any response: it gets none.
		failure = w.ctx.Err()
	}
	if failure != nil {
		if !w.committed {
			w.ready <- roundTripResult{err: failure}
		}
		w.pw.CloseWithError(failure)
		return
	}

	if !w.committed {
		if w.status == 0 {
			w.status = http.StatusOK
		}
		if w.declaredLen < 0 && bodyAllowed(w.status) {
			w.declaredLen = int64(len(w.buf))
		}
	}
	if err := w.flush(); err != nil {
		return
	}
	if w.declaredLen >= 0 && w.written < w.declaredLen {
		w.pw.CloseWithError(io.ErrUnexpectedEOF)
		return
	}
	w.pw.Close()
}

// bodyAllowed reports whether a response with status may have a body.
func bodyAllowed(status int) bool {
	return (status < 100 || status > 199) && status != http.StatusNoContent &&
		status != http.StatusNotModified
}

// memBody is the response body the in-memory client returns.
type memBody struct {
	ctx       context.Context // the request's
	pr        *io.PipeReader
	remaining int64 // bytes Content-Length still promises; -1 if chunked
	cancel    context.CancelFunc
	done      <-chan struct{}
	stop      func() bool

	mu     sync.Mutex
	closed bool
	once   sync.Once
}

// errBodyClosed is what a read after Close returns, as with the standard
// client.
var errBodyClosed = errors.New("http: read on closed response body")

// Read reads the body, reporting a body shorter than its Content-Length
// as [io.ErrUnexpectedEOF].
func (b *memBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return 0, errBodyClosed
	}
	if b.remaining == 0 {
		return 0, io.EOF
	}
	if b.remaining > 0 && int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}

	n, err := b.pr.Read(p)
	if b.remaining > 0 {
		b.remaining -= int64(n)
		if errors.Is(err, io.EOF) && b.remaining > 0 {
			err = io.ErrUnexpectedEOF
		}
		if err == nil && b.remaining == 0 {
			err = io.EOF
		}
	}
	if errors.Is(err, io.EOF) {
		b.stop() // the body is whole; cancelling no longer matters
	}
	if err != nil && !errors.Is(err, io.EOF) {
		// The handler may see the cancellation and end the body before
		// the reader sees it; report the cancellation either way.
		if cerr := b.ctx.Err(); cerr != nil {
			err = cerr
		}
	}
	return n, err
}

// Close ends the exchange: the handler's context is cancelled, its writes
// fail, and Close returns once it has returned.
func (b *memBody) Close() error {
	b.once.Do(func() {
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
		b.stop()
		b.cancel()
		b.pr.CloseWithError(errBodyClosed)
		<-b.done
	})
	return nil
}
