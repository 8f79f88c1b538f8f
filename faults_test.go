package workspaces_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
	"github.com/leanaws/workspaces/workspacestest"
)

// fakeEnv is a fake service, seeded with the test credentials, and the way
// a test reaches it.
type fakeEnv struct {
	svc       *workspacestest.Service
	transport http.RoundTripper
	endpoint  string
}

// client returns a client of the fake with the test credentials and three
// attempts without backoff, changed by optFns.
func (e *fakeEnv) client(optFns ...func(*workspaces.Options)) *workspaces.Client {
	return workspaces.New(workspaces.Options{
		Region:       "us-east-1",
		Credentials:  staticCredentials(testToken),
		HTTPClient:   &http.Client{Transport: e.transport},
		BaseEndpoint: aws.String(e.endpoint),
		Retryer:      noBackoff(3),
	}, optFns...)
}

// seedImage stores testImageID shared with n accounts and returns them in
// the order pages list them.
func (e *fakeEnv) seedImage(t *testing.T, n int) []string {
	t.Helper()
	shared := accounts(n)
	require.NoError(t, e.svc.PutImage(workspacestest.Image{
		ID: testImageID, SharedAccountIDs: shared,
	}))
	return shared
}

// overFake runs test in a parallel subtest per way of reaching a new fake:
// in memory through Service.Client, and over loopback TCP through an
// httptest.Server.
func overFake(t *testing.T, test func(t *testing.T, env *fakeEnv)) {
	t.Helper()
	modes := map[string]func(t *testing.T, svc *workspacestest.Service) *fakeEnv{
		"in-memory": func(_ *testing.T, svc *workspacestest.Service) *fakeEnv {
			return &fakeEnv{svc: svc, transport: svc.Client().Transport,
				endpoint: "https://workspaces.us-east-1.amazonaws.com"}
		},
		"loopback": func(t *testing.T, svc *workspacestest.Service) *fakeEnv {
			srv := httptest.NewServer(svc)
			t.Cleanup(srv.Close)
			return &fakeEnv{svc: svc, transport: srv.Client().Transport, endpoint: srv.URL}
		},
	}
	for name, newEnv := range modes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			svc := workspacestest.NewService()
			require.NoError(t, svc.AddCredential(workspacestest.Credential{
				AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretKey,
				SessionToken: testToken,
			}))
			test(t, newEnv(t, svc))
		})
	}
}

// walk collects the account IDs p yields until it ends or fails.
func walk(ctx context.Context, p *workspaces.DescribeWorkspaceImagePermissionsPaginator) (
	[]string, error,
) {
	var got []string
	for perm, err := range p.Items(ctx) {
		if err != nil {
			return got, err
		}
		got = append(got, aws.ToString(perm.SharedAccountId))
	}
	return got, nil
}

// bodyDeadline ends the response bodies of the requests numbered
// when.First to when.Last, counted from 1, d after their headers arrive,
// the way an http.Client Timeout ends them: the read fails with an error
// that is context.DeadlineExceeded. Only bodies a fault stalls get a
// deadline, and it starts once the fake has answered, so no healthy request
// can miss one on a slow machine.
type bodyDeadline struct {
	next workspaces.HTTPClient
	when workspacestest.Calls
	d    time.Duration

	mu sync.Mutex
	n  int
}

func (bd *bodyDeadline) Do(req *http.Request) (*http.Response, error) {
	bd.mu.Lock()
	bd.n++
	n := bd.n
	bd.mu.Unlock()

	resp, err := bd.next.Do(req)
	if err != nil || n < bd.when.First || n > bd.when.Last {
		return resp, err
	}
	b := &deadlineBody{ReadCloser: resp.Body}
	b.timer = time.AfterFunc(bd.d, func() {
		b.expired.Store(true)
		_ = b.ReadCloser.Close()
	})
	resp.Body = b
	return resp, nil
}

// deadlineBody is a response body that bodyDeadline closes when its time
// is up.
type deadlineBody struct {
	io.ReadCloser
	timer   *time.Timer
	expired atomic.Bool
}

// errBodyDeadline is what a read of an expired deadlineBody returns.
var errBodyDeadline = fmt.Errorf("read response body: %w", context.DeadlineExceeded)

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && b.expired.Load() {
		return n, errBodyDeadline
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	b.timer.Stop()
	return b.ReadCloser.Close()
}

// faultCase is a fault and how the error it leaves when it persists must
// read.
type faultCase struct {
	fault      workspacestest.Fault
	perAttempt bool   // needs an attempt deadline to end an attempt
	code       string // APIError code of the last attempt
	status     int    // HTTP status of the last attempt
	is         error  // found in the chain with errors.Is
}

func faultCases() map[string]faultCase {
	return map[string]faultCase{
		"throttling": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle},
			code:  "ThrottlingException", status: 400,
		},
		"500": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 500},
			code:  "InternalFailure", status: 500,
		},
		"502 html": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError,
				Status: 502, HTML: true},
			status: 502,
		},
		"503": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503},
			code:  "ServiceUnavailable", status: 503,
		},
		"504": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 504},
			code:  "GatewayTimeout", status: 504,
		},
		"connection reset": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultReset},
			is:    syscall.ECONNRESET,
		},
		"truncated body": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultTruncate},
			is:    io.ErrUnexpectedEOF,
		},
		"slow body past the attempt deadline": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultStallBody,
				Delay: time.Minute},
			perAttempt: true,
			is:         context.DeadlineExceeded,
		},
	}
}

// clientFor returns a client of env for tc injected into the calls when.
func (tc faultCase) clientFor(env *fakeEnv, when workspacestest.Calls) *workspaces.Client {
	return env.client(func(o *workspaces.Options) {
		if tc.perAttempt {
			o.HTTPClient = &bodyDeadline{next: o.HTTPClient, when: when,
				d: 20 * time.Millisecond}
		}
	})
}

// assertClassified checks that err is the error of a call whose three
// attempts all met tc's fault.
func (tc faultCase) assertClassified(t *testing.T, err error) {
	t.Helper()
	var maxErr *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxErr)
	assert.Equal(t, 3, maxErr.Attempt)
	var opErr *smithy.OperationError
	assert.ErrorAs(t, err, &opErr)
	if tc.code != "" {
		var apiErr smithy.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, tc.code, apiErr.ErrorCode())
	}
	if tc.status != 0 {
		var respErr *awshttp.ResponseError
		require.ErrorAs(t, err, &respErr)
		assert.Equal(t, tc.status, respErr.HTTPStatusCode())
	}
	if tc.is != nil {
		assert.ErrorIs(t, err, tc.is)
	}
}

func TestDescribeWorkspaceImagePermissions_FaultMatrixSingleCall(t *testing.T) {
	t.Parallel()
	for name, tc := range faultCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tests := map[string]struct {
				faulted int // attempts that meet the fault, of three
				ok      bool
			}{
				"fault clears": {faulted: 2, ok: true},
				"fault stays":  {faulted: 3},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					overFake(t, func(t *testing.T, env *fakeEnv) {
						shared := env.seedImage(t, 3)
						when := workspacestest.NextCalls(tt.faulted)
						require.NoError(t, env.svc.InjectFault(when, tc.fault))

						out, err := tc.clientFor(env, when).DescribeWorkspaceImagePermissions(
							t.Context(), imageInput(testImageID))

						assert.Len(t, env.svc.Requests(), 3, "every attempt reached the fake")
						if !tt.ok {
							assert.Nil(t, out)
							tc.assertClassified(t, err)
							return
						}
						require.NoError(t, err)
						assert.Equal(t, shared, accountIDs(out.ImagePermissions))
					})
				})
			}
		})
	}
}

func TestDescribeWorkspaceImagePermissionsPaginator_FaultMatrixMidWalk(t *testing.T) {
	t.Parallel()
	// 300 accounts in pages of 25 are 12 pages; the fault hits page 6.
	const total, limit, faultedPage = 300, 25, 6
	for name, tc := range faultCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tests := map[string]struct {
				faulted int // attempts at page 6 that meet the fault, of three
				ok      bool
			}{
				"fault clears": {faulted: 2, ok: true},
				"fault stays":  {faulted: 3},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					overFake(t, func(t *testing.T, env *fakeEnv) {
						shared := env.seedImage(t, total)
						when := workspacestest.CallRange(faultedPage,
							faultedPage+tt.faulted-1)
						require.NoError(t, env.svc.InjectFault(when, tc.fault))
						p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(
							tc.clientFor(env, when), imageInput(testImageID),
							func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) {
								o.Limit = limit
							})

						got, err := walk(t.Context(), p)

						if tt.ok {
							require.NoError(t, err)
							assert.Equal(t, shared, got, "every account once, in order")
							assert.Len(t, env.svc.Requests(), total/limit+tt.faulted)
							return
						}
						tc.assertClassified(t, err)
						assert.Equal(t, shared[:(faultedPage-1)*limit], got,
							"the pages before the fault, and nothing of the faulted one")

						// The paginator stays at the page that failed: walking
						// on lists the rest without a gap or a duplicate.
						rest, err := walk(t.Context(), p)
						require.NoError(t, err)
						assert.Equal(t, shared, append(got, rest...))
					})
				})
			}
		})
	}
}

func TestDescribeWorkspaceImagePermissions_ClientErrorsNotRetried(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *workspaces.DescribeWorkspaceImagePermissionsInput
		code string
		as   func() any // a new pointer to the typed error expected
	}{
		"invalid image id": {
			in:   imageInput("wsi-NOT-VALID"),
			code: "InvalidParameterValuesException",
			as:   func() any { return new(*types.InvalidParameterValuesException) },
		},
		"max results too large": {
			in: &workspaces.DescribeWorkspaceImagePermissionsInput{
				ImageId: aws.String(testImageID), MaxResults: aws.Int32(26)},
			code: "InvalidParameterValuesException",
			as:   func() any { return new(*types.InvalidParameterValuesException) },
		},
		"image of another account": {
			in:   imageInput("wsi-0ther0wner"),
			code: "AccessDeniedException",
			as:   func() any { return new(*types.AccessDeniedException) },
		},
		"unknown image": {
			in:   imageInput("wsi-n0suchimage"),
			code: "ResourceNotFoundException",
			as:   func() any { return new(*types.ResourceNotFoundException) },
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			overFake(t, func(t *testing.T, env *fakeEnv) {
				env.seedImage(t, 3)
				require.NoError(t, env.svc.PutImage(workspacestest.Image{
					ID: "wsi-0ther0wner", OwnerAccountID: "210987654321",
					SharedAccountIDs: []string{"111122223333"},
				}))

				_, err := env.client().DescribeWorkspaceImagePermissions(t.Context(), tt.in)

				require.ErrorAs(t, err, tt.as())
				var maxErr *retry.MaxAttemptsError
				assert.False(t, errors.As(err, &maxErr), "not retried")
				reqs := env.svc.Requests()
				require.Len(t, reqs, 1, "exactly one request")
				assert.Equal(t, tt.code, reqs[0].ErrorCode)
			})
		})
	}
}

// accountIDs returns the account IDs of perms.
func accountIDs(perms []types.ImagePermission) []string {
	out := make([]string, len(perms))
	for i, p := range perms {
		out[i] = aws.ToString(p.SharedAccountId)
	}
	return out
}

func TestDescribeWorkspaceImagePermissions_ClockSkewOverFake(t *testing.T) {
	t.Parallel()
	overFake(t, func(t *testing.T, env *fakeEnv) {
		shared := env.seedImage(t, 3)
		client := env.client()
		// call makes one call and returns the requests the fake received
		// for it.
		call := func() []workspacestest.Request {
			t.Helper()
			before := len(env.svc.Requests())
			out, err := client.DescribeWorkspaceImagePermissions(t.Context(),
				imageInput(testImageID))
			require.NoError(t, err)
			assert.Equal(t, shared, accountIDs(out.ImagePermissions))
			return env.svc.Requests()[before:]
		}
		ahead := 15 * time.Minute
		env.svc.SetClock(func() time.Time { return time.Now().Add(ahead) })

		skewed := call()
		require.Len(t, skewed, 2, "one rejected attempt, then its retry")
		assert.Equal(t, http.StatusForbidden, skewed[0].Status)
		assert.Equal(t, "InvalidSignatureException", skewed[0].ErrorCode)
		assert.Equal(t, http.StatusOK, skewed[1].Status)
		assert.WithinDuration(t, time.Now().Add(ahead), signedAt(t, skewed[1]), time.Minute,
			"the retry is signed by the service's clock")
		assert.Len(t, call(), 1, "the next call keeps the correction")

		env.svc.SetClock(nil)
		healing := call()
		require.Len(t, healing, 2, "the stale correction costs one rejected attempt")
		assert.Equal(t, "InvalidSignatureException", healing[0].ErrorCode)
		assert.Equal(t, http.StatusOK, healing[1].Status)
		healed := call()
		require.Len(t, healed, 1, "the call after is direct")
		assert.WithinDuration(t, time.Now(), signedAt(t, healed[0]), time.Minute)
	})
}

// signedAt returns the X-Amz-Date of a request the fake received.
func signedAt(t *testing.T, r workspacestest.Request) time.Time {
	t.Helper()
	ts, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	require.NoError(t, err)
	return ts
}
