package workspacestest

import (
	"net/http"
	"slices"
	"time"

	"github.com/aws/smithy-go/logging"
)

// A Request is the record of one request the fake received, whatever
// became of it: answered, rejected or faulted. It never holds a secret
// access key; Header is a copy of the request's headers as received,
// Authorization included.
type Request struct {
	// Time is when the request arrived, by the fake's clock.
	Time time.Time

	// Method, Host, Path, Header and Body are the request as received.
	Method string
	Host   string
	Path   string
	Header http.Header
	Body   []byte

	// Target is the X-Amz-Target header as sent; Operation is the
	// operation it names after [TargetPrefix], empty when it has no such
	// prefix.
	Target    string
	Operation string

	// Input is the body decoded as DescribeWorkspaceImagePermissions
	// input; its fields are nil when absent or when the body could not be
	// decoded.
	Input Input

	// AccessKeyID is the access key named by the Authorization header,
	// verified or not. AccountID is the caller's account once the
	// signature has been verified, and empty before or without that.
	AccessKeyID string
	AccountID   string

	// Status is the HTTP status sent, 0 while no response has been sent
	// or when none was (a reset connection, a client gone away).
	// ErrorCode is the error code sent, empty on success.
	Status    int
	ErrorCode string

	// RequestID is the x-amzn-RequestId the response carries, or would
	// have carried.
	RequestID string

	// Fault is a copy of the fault injected into this call, or nil.
	Fault *Fault
}

// Input is the DescribeWorkspaceImagePermissions input a request carried.
type Input struct {
	ImageID    *string
	MaxResults *int32
	NextToken  *string
}

// clone returns a deep copy of r.
func (r *Request) clone() Request {
	c := *r
	c.Header = r.Header.Clone()
	c.Body = slices.Clone(r.Body)
	c.Input = Input{
		ImageID:    clonePtr(r.Input.ImageID),
		MaxResults: clonePtr(r.Input.MaxResults),
		NextToken:  clonePtr(r.Input.NextToken),
	}
	if r.Fault != nil {
		f := *r.Fault
		c.Fault = &f
	}
	return c
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// Requests returns a copy of the records of every request received so
// far, oldest first.
func (s *Service) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.clone()
	}
	return out
}

// ClearRequests forgets the requests received so far.
func (s *Service) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// exchange is the fake's state for one request in flight.
type exchange struct {
	rec       *Request // in s.requests; change only under s.mu
	requestID string
	operation string
	input     Input
	decodeErr error
	fault     *Fault
}

// receive records a request and picks the fault, if any, to inject.
func (s *Service) receive(r *http.Request, body []byte) *exchange {
	target := r.Header.Get("X-Amz-Target")
	input, decodeErr := decodeInput(body)
	ex := &exchange{
		requestID: newRequestID(),
		operation: operationName(target),
		input:     input,
		decodeErr: decodeErr,
	}
	rec := &Request{
		Method:      r.Method,
		Host:        r.Host,
		Path:        r.URL.Path,
		Header:      r.Header.Clone(),
		Body:        body,
		Target:      target,
		Operation:   ex.operation,
		Input:       input,
		AccessKeyID: accessKeyIDFrom(r.Header.Get("Authorization")),
		RequestID:   ex.requestID,
	}
	ex.rec = rec

	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Time = s.now()
	ex.fault = s.pickFaultLocked(ex.operation)
	if ex.fault != nil {
		f := *ex.fault
		rec.Fault = &f
	}
	s.requests = append(s.requests, rec)
	return ex
}

// authenticated records the caller's verified account.
func (s *Service) authenticated(ex *exchange, accessKeyID, account string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ex.rec.AccessKeyID = accessKeyID
	ex.rec.AccountID = account
}

// complete records the response about to be sent.
func (s *Service) complete(ex *exchange, status int, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ex.rec.Status = status
	ex.rec.ErrorCode = code
}

// logExchange logs the line [Service.SetLogger] describes, if a logger is
// set.
func (s *Service) logExchange(ex *exchange, start time.Time) {
	s.mu.Lock()
	logger := s.logger
	rec := *ex.rec
	s.mu.Unlock()
	if logger == nil {
		return
	}

	logger.Logf(logging.Debug,
		"method=%s operation=%s status=%d error=%s request_id=%s duration=%s access_key_id=%s",
		orDash(rec.Method), orDash(rec.Operation), rec.Status, orDash(rec.ErrorCode),
		rec.RequestID, time.Since(start).Round(time.Microsecond), orDash(rec.AccessKeyID))
}

// orDash returns v, or "-" when v is empty.
func orDash(v string) string {
	if v == "" {
		return "-"
	}
	return v
}
