package workspacestest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"
)

// BUG(workspacestest): FaultReset resets the connection only before any
// response is sent; a reset in the middle of a body is not offered (use
// FaultTruncate for a body cut short). Behind a server that cannot hijack
// connections (HTTP/2) the handler aborts with http.ErrAbortHandler, which
// the server turns into a stream reset rather than a TCP reset.

// A FaultKind is a kind of failure [Service.InjectFault] can inject.
type FaultKind int

const (
	// FaultLatency waits Fault.Delay before answering normally.
	FaultLatency FaultKind = iota + 1

	// FaultThrottle answers ThrottlingException (400) "Rate exceeded".
	FaultThrottle

	// FaultServerError answers Fault.Status (500 when 0; 502, 503 or 504)
	// with a JSON error body, or with the HTML page a proxy sends when
	// Fault.HTML is set. The HTML page carries no request ID or error type
	// header, as a proxy's does not.
	FaultServerError

	// FaultStallBody answers normally, but sends the headers and the first
	// half of the body, waits Fault.Delay, then sends the rest.
	FaultStallBody

	// FaultReset resets the connection before any response: as a handler
	// it hijacks the connection and closes it with SO_LINGER 0 (so the
	// client sees ECONNRESET); through [Service.Client] the round trip
	// fails with an error wrapping [syscall.ECONNRESET].
	FaultReset

	// FaultTruncate answers normally, but sends only the first half of
	// the body Content-Length announces, then closes the connection; the
	// client's body read fails with [io.ErrUnexpectedEOF].
	FaultTruncate

	// FaultMalformedJSON answers 200 with a JSON body cut short, so the
	// client cannot decode it.
	FaultMalformedJSON

	// FaultHugeBody answers 200 with a JSON body of exactly Fault.Size
	// bytes, streamed without being held in memory.
	FaultHugeBody
)

// String returns the constant's name without its Fault prefix.
func (k FaultKind) String() string {
	names := map[FaultKind]string{
		FaultLatency:       "Latency",
		FaultThrottle:      "Throttle",
		FaultServerError:   "ServerError",
		FaultStallBody:     "StallBody",
		FaultReset:         "Reset",
		FaultTruncate:      "Truncate",
		FaultMalformedJSON: "MalformedJSON",
		FaultHugeBody:      "HugeBody",
	}
	if n, ok := names[k]; ok {
		return n
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// A Fault is a failure to inject into a call.
//
// Delay is waited before the headers for every kind but [FaultStallBody],
// where it is the pause in the middle of the body. Every wait ends early
// when the request's context is done, and the handler then returns.
//
// A faulted call is recorded like any other. Faults that replace the
// response ([FaultThrottle], [FaultServerError], [FaultReset],
// [FaultMalformedJSON], [FaultHugeBody]) skip authentication and the
// operation; the others answer as the service would.
type Fault struct {
	Kind FaultKind

	// Operation limits the fault to calls of one operation, such as
	// "DescribeWorkspaceImagePermissions"; empty matches every call.
	// Calls are then counted among that operation's calls only.
	Operation string

	// Status is the HTTP status of a FaultServerError.
	Status int

	// Code overrides the error code of a FaultThrottle or a JSON
	// FaultServerError, which is by default ThrottlingException,
	// InternalFailure (500), BadGateway (502), ServiceUnavailable (503) or
	// GatewayTimeout (504).
	Code string

	// HTML makes a FaultServerError send a proxy's HTML page.
	HTML bool

	// Delay is the latency to add; see the type's documentation.
	Delay time.Duration

	// Size is the body size of a FaultHugeBody.
	Size int64
}

// replacesResponse reports whether f answers in place of the service.
func (f *Fault) replacesResponse() bool {
	switch f.Kind {
	case FaultThrottle, FaultServerError, FaultReset, FaultMalformedJSON, FaultHugeBody:
		return true
	}
	return false
}

// check reports what is wrong with f, if anything.
func (f *Fault) check() error {
	if f.Kind < FaultLatency || f.Kind > FaultHugeBody {
		return fmt.Errorf("unknown fault kind %d", int(f.Kind))
	}
	if f.Delay < 0 || f.Size < 0 {
		return errors.New("negative delay or size")
	}
	if f.Kind == FaultServerError {
		switch f.Status {
		case 0, 500, 502, 503, 504:
		default:
			return fmt.Errorf("server error status %d is not 500, 502, 503 or 504", f.Status)
		}
	}
	return nil
}

// Calls selects calls by their position, counted from 1 at the first call
// after [Service.InjectFault]: calls First through Last, inclusive.
type Calls struct {
	First, Last int
}

// NextCalls selects the next n calls.
func NextCalls(n int) Calls { return Calls{First: 1, Last: n} }

// NthCall selects the n-th call from now: NthCall(1) is the next call.
func NthCall(n int) Calls { return Calls{First: n, Last: n} }

// CallRange selects calls first through last from now, inclusive.
func CallRange(first, last int) Calls { return Calls{First: first, Last: last} }

// faultRule is an injected fault and the calls it has seen.
type faultRule struct {
	when  Calls
	fault Fault
	seen  int
}

// InjectFault makes the calls that when selects fail as f says. Each
// injection counts calls on its own (only f.Operation's calls when set);
// when several select the same call, the earliest injected applies.
func (s *Service) InjectFault(when Calls, f Fault) error {
	if when.First < 1 || when.Last < when.First {
		return fmt.Errorf("workspacestest: inject fault: invalid calls %d..%d",
			when.First, when.Last)
	}
	if err := f.check(); err != nil {
		return fmt.Errorf("workspacestest: inject fault: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{when: when, fault: f})
	return nil
}

// ClearFaults removes every fault not yet injected.
func (s *Service) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// pickFaultLocked counts a call to op against every rule and returns the
// fault to inject, or nil. Spent rules are dropped.
func (s *Service) pickFaultLocked(op string) *Fault {
	var picked *Fault
	kept := s.faults[:0]
	for _, r := range s.faults {
		if r.fault.Operation == "" || r.fault.Operation == op {
			r.seen++
			if picked == nil && r.seen >= r.when.First && r.seen <= r.when.Last {
				f := r.fault
				picked = &f
			}
		}
		if r.seen < r.when.Last {
			kept = append(kept, r)
		}
	}
	clear(s.faults[len(kept):])
	s.faults = kept
	return picked
}

// serveFault answers with a fault that replaces the service's response.
func (s *Service) serveFault(w http.ResponseWriter, r *http.Request, ex *exchange) {
	f := ex.fault
	if f.Delay > 0 && sleep(r.Context(), f.Delay) != nil {
		return
	}

	switch f.Kind {
	case FaultThrottle:
		s.writeResponse(w, r, ex, apiError(http.StatusBadRequest,
			cmp.Or(f.Code, codeThrottling), "Rate exceeded"))
	case FaultServerError:
		status := cmp.Or(f.Status, http.StatusInternalServerError)
		if f.HTML {
			s.writeHTML(w, ex, status)
			return
		}
		s.writeResponse(w, r, ex, apiError(status, cmp.Or(f.Code, serverErrorCode(status)),
			http.StatusText(status)))
	case FaultReset:
		resetConnection(w)
	case FaultMalformedJSON:
		body := []byte(`{"ImageId":"wsi-000000000","ImagePermissions":[{"SharedAccountId":`)
		s.writeResponse(w, r, ex, response{status: http.StatusOK, body: body})
	case FaultHugeBody:
		s.writeHuge(w, r, ex, f.Size)
	}
}

// serverErrorCode returns the error code sent with a JSON server error.
func serverErrorCode(status int) string {
	switch status {
	case http.StatusBadGateway:
		return "BadGateway"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "GatewayTimeout"
	}
	return "InternalFailure"
}

// writeHTML sends the HTML error page a proxy in front of the service
// would send.
func (s *Service) writeHTML(w http.ResponseWriter, ex *exchange, status int) {
	s.complete(ex, status, "")
	line := strconv.Itoa(status) + " " + http.StatusText(status)
	body := "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n" +
		"<center><h1>" + line + "</h1></center>\r\n</body>\r\n</html>\r\n"

	h := w.Header()
	h.Set("Date", s.clock().UTC().Format(http.TimeFormat))
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// writeHuge streams a 200 JSON body of exactly size bytes, a chunk at a
// time, until it is sent or the client goes away.
func (s *Service) writeHuge(w http.ResponseWriter, r *http.Request, ex *exchange, size int64) {
	s.complete(ex, http.StatusOK, "")
	h := w.Header()
	h.Set("Date", s.clock().UTC().Format(http.TimeFormat))
	h.Set("X-Amzn-Requestid", ex.requestID)
	h.Set("Content-Type", ContentType)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)

	// The body is {"Padding":"aaa..."}; sizes too small for that are
	// spaces, which a JSON decoder reads as an empty document.
	const head, tail = `{"Padding":"`, `"}`
	var chunk [32 << 10]byte
	prefix, suffix := []byte(head), []byte(tail)
	if size < int64(len(head)+len(tail)) {
		prefix, suffix = nil, nil
	}
	fill := byte('a')
	if prefix == nil {
		fill = ' '
	}
	for i := range chunk {
		chunk[i] = fill
	}

	if _, err := w.Write(prefix); err != nil {
		return
	}
	remaining := size - int64(len(prefix)+len(suffix))
	for remaining > 0 {
		if r.Context().Err() != nil {
			return
		}
		n := min(remaining, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		remaining -= n
	}
	_, _ = w.Write(suffix)
}

// resetter is implemented by the in-memory client's response writer.
type resetter interface {
	resetConnection()
}

// resetConnection aborts the connection under w so that the client sees a
// reset: through the in-memory client directly, on a TCP connection by
// closing it with SO_LINGER 0, and otherwise by aborting the handler.
func resetConnection(w http.ResponseWriter) {
	if rw, ok := w.(resetter); ok {
		rw.resetConnection()
		return
	}

	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if nc, ok := raw.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// errConnReset is the error the in-memory client reports for a reset,
// shaped as a socket read reports one.
var errConnReset = &net.OpError{
	Op:  "read",
	Net: "tcp",
	Err: os.NewSyscallError("read", syscall.ECONNRESET),
}

// sleep waits d, or until ctx is done, and returns ctx's error in that
// case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
