package workspaces_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/leanaws/workspaces"
)

// Test credentials. The secret and token are recognisable so that a test can
// search logs and errors for them.
const (
	testAccessKeyID = "AKIDTESTEXAMPLE"
	testSecretKey   = "SECRETtestSECRETtestSECRETtest"
	testToken       = "TOKENtestTOKENtestTOKEN"
	testImageID     = "wsi-abc123def"
)

func staticCredentials(token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{
			AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretKey,
			SessionToken: token, Source: "test",
		}, nil
	})
}

// reply is one canned HTTP response.
type reply struct {
	status int
	header map[string]string
	body   string
	err    error // returned by Do instead of a response
}

// received is a request as the stub saw it, its body read.
type received struct {
	req  *http.Request
	body string
}

// stubHTTP is an HTTPClient that answers with canned replies, one per call,
// repeating the last, and records what it was sent.
type stubHTTP struct {
	mu       sync.Mutex
	replies  []reply
	requests []received
	onDo     func(n int) // called with the request number, from 1
}

func newStub(replies ...reply) *stubHTTP {
	return &stubHTTP{replies: replies}
}

func (s *stubHTTP) Do(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.requests = append(s.requests, received{req: req, body: string(body)})
	n := len(s.requests)
	r := s.replies[min(n, len(s.replies))-1]
	onDo := s.onDo
	s.mu.Unlock()
	if onDo != nil {
		onDo(n)
	}
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
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(r.body)),
		ContentLength: int64(len(r.body)),
		Request:       req,
	}, nil
}

func (s *stubHTTP) sent() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.requests...)
}

// noBackoff is a retryer with the standard policy and no waiting, so that
// retry tests run at once.
func noBackoff(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
			return 0, nil
		})
	})
}

// newTestClient returns a client for us-east-1 with test credentials and
// http as its HTTPClient, changed by optFns.
func newTestClient(t *testing.T, http workspaces.HTTPClient, optFns ...func(*workspaces.Options)) *workspaces.Client {
	t.Helper()
	return workspaces.New(workspaces.Options{
		Region:      "us-east-1",
		Credentials: staticCredentials(""),
		HTTPClient:  http,
		Retryer:     noBackoff(3),
	}, optFns...)
}

func imageInput(id string) *workspaces.DescribeWorkspaceImagePermissionsInput {
	return &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(id)}
}

const pageBody = `{"ImageId":"wsi-abc123def","ImagePermissions":[` +
	`{"SharedAccountId":"111122223333"},{"SharedAccountId":"444455556666"}],` +
	`"NextToken":"tok-2"}`

func errorReply(status int, code, message string) reply {
	return reply{
		status: status,
		header: map[string]string{
			"X-Amzn-Errortype": code, "X-Amzn-Requestid": "req-" + code,
			"Content-Type": "application/x-amz-json-1.1",
		},
		body: `{"__type":"` + code + `","message":"` + message + `"}`,
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func testNow() time.Time { return time.Now().UTC() }
