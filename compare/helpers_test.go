package compare

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	official "github.com/aws/aws-sdk-go-v2/service/workspaces"
	officialtypes "github.com/aws/aws-sdk-go-v2/service/workspaces/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
	"github.com/leanaws/workspaces/workspacestest"
)

// The region, image and keys every comparison uses unless it says
// otherwise. The owner key is seeded into fakes as account cmpOwner.
const (
	cmpRegion    = "us-east-1"
	cmpEndpoint  = "https://workspaces.us-east-1.amazonaws.com"
	cmpImage     = "wsi-abc123def"
	cmpOwner     = "111122223333"
	cmpOther     = "999988887777"
	cmpAccessKey = "AKIDCOMPAREOWNER"
	cmpSecretKey = "compare-owner-secret"
	cmpOtherKey  = "AKIDCOMPAREOTHER"
	cmpOtherSec  = "compare-other-secret"
)

// staticCreds returns static credentials, as a program would configure.
func staticCreds(key, secret, token string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(key, secret, token)
}

// instantRetryer returns the standard retryer with no backoff, so that
// retries cost nothing but the attempts themselves.
func instantRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
			return 0, nil
		})
	})
}

// clientSetup is what both clients of a comparison are built from.
type clientSetup struct {
	http        workspaces.HTTPClient
	endpoint    string // BaseEndpoint; empty resolves it from the region
	region      string // empty means cmpRegion
	credentials aws.CredentialsProvider
	maxAttempts int // 0 means 3, the standard retryer's default
}

func (s clientSetup) resolved() clientSetup {
	if s.region == "" {
		s.region = cmpRegion
	}
	if s.credentials == nil {
		s.credentials = staticCreds(cmpAccessKey, cmpSecretKey, "")
	}
	if s.maxAttempts == 0 {
		s.maxAttempts = 3
	}
	return s
}

// callInput is the input of one call, in neither client's types.
type callInput struct {
	ImageID    *string
	MaxResults *int32
	NextToken  *string
}

// pageFacts is what a caller reads from a successful call.
type pageFacts struct {
	ImageID      *string
	Permissions  []*string // the SharedAccountId of each entry; nil for a nil list
	NextToken    *string
	RequestID    string
	HasRequestID bool
}

// accounts returns the account IDs of the page, "<nil>" for a missing one.
func (p pageFacts) accounts() []string {
	out := make([]string, 0, len(p.Permissions))
	for _, a := range p.Permissions {
		if a == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, *a)
	}
	return out
}

// errFacts is what a caller can learn from a failed call's error with
// errors.As, and its text.
type errFacts struct {
	Type       string // the error type errors.As finds; see errorType
	Code       string
	Message    string
	Fault      smithy.ErrorFault
	ResourceID *string

	Service, Operation string // of the *smithy.OperationError

	HasResponse bool // an *awshttp.ResponseError is in the chain
	Status      int
	RequestID   string

	MaxAttempts int    // Attempt of a *retry.MaxAttemptsError, 0 without one
	Snapshot    string // of a *smithy.DeserializationError
	Text        string
}

// describer is one of the two clients behind one signature.
type describer struct {
	name     string
	describe func(ctx context.Context, in callInput) (pageFacts, error)
	// facts returns what err tells, using the client's own typed errors.
	facts func(err error) errFacts
}

// clientBuilders builds each client from a setup: ours first, then the
// official one, whose results a comparison checks against ours.
var clientBuilders = []func(clientSetup) describer{leanDescriber, officialDescriber}

func leanDescriber(s clientSetup) describer {
	s = s.resolved()
	opts := workspaces.Options{
		Region:      s.region,
		Credentials: s.credentials,
		HTTPClient:  s.http,
		Retryer:     instantRetryer(s.maxAttempts),
	}
	if s.endpoint != "" {
		opts.BaseEndpoint = aws.String(s.endpoint)
	}
	c := workspaces.New(opts)
	return describer{
		name: "lean",
		describe: func(ctx context.Context, in callInput) (pageFacts, error) {
			out, err := c.DescribeWorkspaceImagePermissions(ctx,
				&workspaces.DescribeWorkspaceImagePermissionsInput{
					ImageId: in.ImageID, MaxResults: in.MaxResults, NextToken: in.NextToken,
				})
			if err != nil {
				return pageFacts{}, err
			}
			p := pageFacts{ImageID: out.ImageId, NextToken: out.NextToken}
			if out.ImagePermissions != nil {
				p.Permissions = make([]*string, 0, len(out.ImagePermissions))
			}
			for _, perm := range out.ImagePermissions {
				p.Permissions = append(p.Permissions, perm.SharedAccountId)
			}
			p.RequestID, p.HasRequestID = awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			return p, nil
		},
		facts: func(err error) errFacts {
			f := commonFacts(err)
			var (
				notFound *types.ResourceNotFoundException
				denied   *types.AccessDeniedException
				invalid  *types.InvalidParameterValuesException
			)
			switch {
			case errors.As(err, &notFound):
				f.Type, f.ResourceID = "ResourceNotFoundException", notFound.ResourceId
			case errors.As(err, &denied):
				f.Type = "AccessDeniedException"
			case errors.As(err, &invalid):
				f.Type = "InvalidParameterValuesException"
			}
			return f
		},
	}
}

func officialDescriber(s clientSetup) describer {
	s = s.resolved()
	opts := official.Options{
		Region:      s.region,
		Credentials: s.credentials,
		HTTPClient:  s.http,
		Retryer:     instantRetryer(s.maxAttempts),
	}
	if s.endpoint != "" {
		opts.BaseEndpoint = aws.String(s.endpoint)
	}
	c := official.New(opts)
	return describer{
		name: "official",
		describe: func(ctx context.Context, in callInput) (pageFacts, error) {
			out, err := c.DescribeWorkspaceImagePermissions(ctx,
				&official.DescribeWorkspaceImagePermissionsInput{
					ImageId: in.ImageID, MaxResults: in.MaxResults, NextToken: in.NextToken,
				})
			if err != nil {
				return pageFacts{}, err
			}
			p := pageFacts{ImageID: out.ImageId, NextToken: out.NextToken}
			if out.ImagePermissions != nil {
				p.Permissions = make([]*string, 0, len(out.ImagePermissions))
			}
			for _, perm := range out.ImagePermissions {
				p.Permissions = append(p.Permissions, perm.SharedAccountId)
			}
			p.RequestID, p.HasRequestID = awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			return p, nil
		},
		facts: func(err error) errFacts {
			f := commonFacts(err)
			var (
				notFound *officialtypes.ResourceNotFoundException
				denied   *officialtypes.AccessDeniedException
				invalid  *officialtypes.InvalidParameterValuesException
			)
			switch {
			case errors.As(err, &notFound):
				f.Type, f.ResourceID = "ResourceNotFoundException", notFound.ResourceId
			case errors.As(err, &denied):
				f.Type = "AccessDeniedException"
			case errors.As(err, &invalid):
				f.Type = "InvalidParameterValuesException"
			}
			return f
		},
	}
}

// commonFacts reads what both clients' errors carry in shared types. Type
// is the first of GenericAPIError, DeserializationError, InvalidParamsError,
// CanceledError and RequestSendError that errors.As finds; a client's
// typed errors replace it.
func commonFacts(err error) errFacts {
	f := errFacts{Type: "other", Text: err.Error()}
	var (
		op          *smithy.OperationError
		apiErr      smithy.APIError
		respErr     *awshttp.ResponseError
		maxAttempts *retry.MaxAttemptsError
		generic     *smithy.GenericAPIError
		deser       *smithy.DeserializationError
		params      smithy.InvalidParamsError
		canceled    *smithy.CanceledError
	)
	if errors.As(err, &op) {
		f.Service, f.Operation = op.ServiceID, op.OperationName
	}
	if errors.As(err, &apiErr) {
		f.Code, f.Message, f.Fault = apiErr.ErrorCode(), apiErr.ErrorMessage(), apiErr.ErrorFault()
	}
	if errors.As(err, &respErr) {
		f.HasResponse = true
		f.Status = respErr.HTTPStatusCode()
		f.RequestID = respErr.ServiceRequestID()
	}
	if errors.As(err, &maxAttempts) {
		f.MaxAttempts = maxAttempts.Attempt
	}
	switch {
	case errors.As(err, &generic):
		f.Type = "GenericAPIError"
	case errors.As(err, &deser):
		f.Type = "DeserializationError"
		f.Snapshot = string(deser.Snapshot)
	case errors.As(err, &params):
		f.Type = "InvalidParamsError"
	case errors.As(err, &canceled):
		f.Type = "CanceledError"
	}
	return f
}

// cannedReply is one response of a replayHTTP, or the error Do returns.
type cannedReply struct {
	status int // 0 means 200
	header map[string]string
	body   string
	err    error
}

// recordedRequest is a request a replayHTTP received, its body read.
type recordedRequest struct {
	method, url string
	header      http.Header
	body        string
}

// replayHTTP is an HTTPClient that answers with canned replies, one per
// request, repeating the last, and records the requests.
type replayHTTP struct {
	mu       sync.Mutex
	replies  []cannedReply
	received []recordedRequest
}

func newReplayHTTP(replies ...cannedReply) *replayHTTP {
	return &replayHTTP{replies: replies}
}

func (s *replayHTTP) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
	}
	s.mu.Lock()
	s.received = append(s.received, recordedRequest{
		method: req.Method, url: req.URL.String(), header: req.Header.Clone(),
		body: string(body),
	})
	r := s.replies[min(len(s.received), len(s.replies))-1]
	s.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	h := http.Header{}
	for k, v := range r.header {
		h.Set(k, v)
	}
	return &http.Response{
		StatusCode:    status,
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(r.body)),
		ContentLength: int64(len(r.body)),
		Request:       req,
	}, nil
}

// requests returns a copy of the requests received so far.
func (s *replayHTTP) requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.received...)
}

// fakeTransport is a way of reaching a fake Service.
type fakeTransport struct {
	name  string
	reach func(t *testing.T, svc *workspacestest.Service) (workspaces.HTTPClient, string)
}

// fakeTransports reaches a Service in memory and through an
// httptest.Server.
var fakeTransports = []fakeTransport{
	{"in-memory", func(_ *testing.T, svc *workspacestest.Service) (workspaces.HTTPClient, string) {
		return svc.Client(), cmpEndpoint
	}},
	{"httptest", func(t *testing.T, svc *workspacestest.Service) (workspaces.HTTPClient, string) {
		srv := httptest.NewServer(svc)
		t.Cleanup(srv.Close)
		return srv.Client(), srv.URL
	}},
}

// cmpSeed knows the owner and the other key, and cmpImage, owned by the
// owner and shared with the given accounts.
func cmpSeed(shared ...string) workspacestest.Seed {
	return workspacestest.Seed{
		Credentials: []workspacestest.Credential{
			{AccessKeyID: cmpAccessKey, SecretAccessKey: cmpSecretKey, AccountID: cmpOwner},
			{AccessKeyID: cmpOtherKey, SecretAccessKey: cmpOtherSec, AccountID: cmpOther},
		},
		Images: []workspacestest.Image{{
			ID: cmpImage, OwnerAccountID: cmpOwner, SharedAccountIDs: shared,
		}},
	}
}

// newSeededService returns a fake Service loaded with seed.
func newSeededService(t *testing.T, seed workspacestest.Seed) *workspacestest.Service {
	t.Helper()
	svc := workspacestest.NewService()
	require.NoError(t, svc.Seed(seed))
	return svc
}

// accountIDs returns n account IDs from base upwards, in order.
func accountIDs(base, n int) []string {
	out := make([]string, n)
	for i := range out {
		s := strconv.Itoa(base + i)
		out[i] = strings.Repeat("0", 12-len(s)) + s
	}
	return out
}
