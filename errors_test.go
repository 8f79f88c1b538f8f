package workspaces_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
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
)

func TestDescribeWorkspaceImagePermissions_TypedErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		reply   reply
		check   func(t *testing.T, err error)
		code    string
		message string
	}{
		"resource not found": {
			reply: reply{status: 400, header: map[string]string{"X-Amzn-Requestid": "rid-1"},
				body: `{"__type":"com.amazonaws.workspaces#ResourceNotFoundException",` +
					`"message":"no such image","ResourceId":"wsi-abc123def"}`},
			check: func(t *testing.T, err error) {
				var e *types.ResourceNotFoundException
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "wsi-abc123def", aws.ToString(e.ResourceId))
			},
			code: "ResourceNotFoundException", message: "no such image",
		},
		"access denied": {
			reply: reply{status: 400, header: map[string]string{"X-Amzn-Requestid": "rid-1",
				"X-Amzn-Errortype": "AccessDeniedException:http://internal.amazon.com/coral/com.amazonaws.workspaces/"},
				body: `{"Message":"not your image"}`},
			check: func(t *testing.T, err error) {
				var e *types.AccessDeniedException
				require.ErrorAs(t, err, &e)
			},
			code: "AccessDeniedException", message: "not your image",
		},
		"invalid parameter values": {
			reply: reply{status: 400, header: map[string]string{"X-Amzn-Requestid": "rid-1"},
				body: `{"code":"InvalidParameterValuesException","message":"bad token"}`},
			check: func(t *testing.T, err error) {
				var e *types.InvalidParameterValuesException
				require.ErrorAs(t, err, &e)
			},
			code: "InvalidParameterValuesException", message: "bad token",
		},
		"other code": {
			reply: reply{status: 403, header: map[string]string{"X-Amzn-Requestid": "rid-1",
				"X-Amzn-Errortype": "UnrecognizedClientException"},
				body: `{"message":"The security token included in the request is invalid."}`},
			check: func(t *testing.T, err error) {
				var e *smithy.GenericAPIError
				require.ErrorAs(t, err, &e)
			},
			code: "UnrecognizedClientException", message: "The security token included in the request is invalid.",
		},
		"empty body": {
			reply: reply{status: 400, header: map[string]string{"X-Amzn-Requestid": "rid-1"}},
			check: func(t *testing.T, err error) {
				var e *smithy.GenericAPIError
				require.ErrorAs(t, err, &e)
			},
			code: "UnknownError", message: "UnknownError",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(tt.reply)
			client := newTestClient(t, stub)

			out, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			assert.Nil(t, out)
			tt.check(t, err)
			var opErr *smithy.OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Equal(t, "WorkSpaces", opErr.ServiceID)
			assert.Equal(t, "DescribeWorkspaceImagePermissions", opErr.OperationName)
			var respErr *awshttp.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, "rid-1", respErr.ServiceRequestID())
			assert.Equal(t, tt.reply.status, respErr.HTTPStatusCode())
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.code, apiErr.ErrorCode())
			assert.Equal(t, tt.message, apiErr.ErrorMessage())
			assert.Len(t, stub.sent(), 1, "client errors are not retried")
		})
	}
}

func TestDescribeWorkspaceImagePermissions_ErrorText(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{status: 400, header: map[string]string{"X-Amzn-Requestid": "rid-7"},
		body: `{"__type":"ResourceNotFoundException","message":"gone","ResourceId":"wsi-abc123def"}`})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	assert.EqualError(t, err, "operation error WorkSpaces: DescribeWorkspaceImagePermissions, "+
		"https response error StatusCode: 400, RequestID: rid-7, ResourceNotFoundException: gone")
}

func TestDescribeWorkspaceImagePermissions_NonJSONErrorBody(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{status: 502, header: map[string]string{"X-Amzn-Requestid": "rid-9",
		"Content-Type": "text/html"}, body: "<html><body>502 Bad Gateway</body></html>"})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.Retryer = noBackoff(1) })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	var respErr *awshttp.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, 502, respErr.HTTPStatusCode())
	assert.Equal(t, "rid-9", respErr.ServiceRequestID())
	assert.Contains(t, err.Error(), "StatusCode: 502")
	var de *smithy.DeserializationError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, string(de.Snapshot), "502 Bad Gateway")
}

func TestDescribeWorkspaceImagePermissions_Validation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *workspaces.DescribeWorkspaceImagePermissionsInput
		want []string
	}{
		"nil params": {
			want: []string{"missing required field, DescribeWorkspaceImagePermissionsInput.ImageId."},
		},
		"missing image id": {
			in:   &workspaces.DescribeWorkspaceImagePermissionsInput{},
			want: []string{"missing required field, DescribeWorkspaceImagePermissionsInput.ImageId."},
		},
		"empty image id": {
			in:   imageInput(""),
			want: []string{"minimum field size of 1, DescribeWorkspaceImagePermissionsInput.ImageId."},
		},
		"zero max results": {
			in: &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(testImageID),
				MaxResults: aws.Int32(0)},
			want: []string{"minimum field value of 1, got 0, DescribeWorkspaceImagePermissionsInput.MaxResults."},
		},
		"negative max results": {
			in: &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(testImageID),
				MaxResults: aws.Int32(-3)},
			want: []string{"minimum field value of 1, got -3, DescribeWorkspaceImagePermissionsInput.MaxResults."},
		},
		"empty next token": {
			in: &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(testImageID),
				NextToken: aws.String("")},
			want: []string{"minimum field size of 1, DescribeWorkspaceImagePermissionsInput.NextToken."},
		},
		"every problem at once": {
			in: &workspaces.DescribeWorkspaceImagePermissionsInput{MaxResults: aws.Int32(0),
				NextToken: aws.String("")},
			want: []string{
				"missing required field, DescribeWorkspaceImagePermissionsInput.ImageId.",
				"minimum field value of 1, got 0, DescribeWorkspaceImagePermissionsInput.MaxResults.",
				"minimum field size of 1, DescribeWorkspaceImagePermissionsInput.NextToken.",
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub)

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), tt.in)

			var invalid smithy.InvalidParamsError
			require.ErrorAs(t, err, &invalid)
			var got []string
			for _, e := range invalid.Errs() {
				got = append(got, e.Error())
			}
			assert.Equal(t, tt.want, got)
			var opErr *smithy.OperationError
			assert.ErrorAs(t, err, &opErr)
			assert.Empty(t, stub.sent(), "invalid input sends nothing")
		})
	}
}

func TestDescribeWorkspaceImagePermissions_ServiceJudgesWhatItMayAccept(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{
			ImageId: aws.String("not-an-image-id"), MaxResults: aws.Int32(1000),
		})

	require.NoError(t, err)
	assert.Len(t, stub.sent(), 1, "no client-side pattern or upper-bound check")
}

func TestDescribeWorkspaceImagePermissions_Retries(t *testing.T) {
	t.Parallel()
	resetErr := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	tests := map[string]struct {
		first    reply
		attempts int
		ok       bool
	}{
		"throttling":          {first: errorReply(400, "ThrottlingException", "Rate exceeded"), attempts: 2, ok: true},
		"500":                 {first: errorReply(500, "InternalFailure", "oops"), attempts: 2, ok: true},
		"502 html":            {first: reply{status: 502, body: "<html>bad gateway</html>"}, attempts: 2, ok: true},
		"503":                 {first: errorReply(503, "ServiceUnavailable", "busy"), attempts: 2, ok: true},
		"504":                 {first: reply{status: 504}, attempts: 2, ok: true},
		"connection reset":    {first: reply{err: resetErr}, attempts: 2, ok: true},
		"dial refused":        {first: reply{err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}, attempts: 2, ok: true},
		"invalid parameter":   {first: errorReply(400, "InvalidParameterValuesException", "bad"), attempts: 1},
		"access denied":       {first: errorReply(400, "AccessDeniedException", "no"), attempts: 1},
		"resource not found":  {first: errorReply(400, "ResourceNotFoundException", "gone"), attempts: 1},
		"unrecognized client": {first: errorReply(403, "UnrecognizedClientException", "who"), attempts: 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(tt.first, reply{body: pageBody})
			client := newTestClient(t, stub)

			out, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			sent := stub.sent()
			require.Len(t, sent, tt.attempts)
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Len(t, out.ImagePermissions, 2)
			assert.Equal(t, "attempt=1; max=3", sent[0].req.Header.Get("Amz-Sdk-Request"))
			assert.Equal(t, "attempt=2; max=3", sent[1].req.Header.Get("Amz-Sdk-Request"))
			assert.Equal(t, sent[0].req.Header.Get("Amz-Sdk-Invocation-Id"),
				sent[1].req.Header.Get("Amz-Sdk-Invocation-Id"), "one invocation ID per call")
			assert.Equal(t, sent[0].body, sent[1].body, "the body is sent again whole")
		})
	}
}

func TestDescribeWorkspaceImagePermissions_RetriesExhausted(t *testing.T) {
	t.Parallel()
	stub := newStub(errorReply(503, "ServiceUnavailable", "busy"))
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.RetryMaxAttempts = 4 })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	assert.Len(t, stub.sent(), 4)
	var maxErr *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxErr)
	assert.Equal(t, 4, maxErr.Attempt)
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ServiceUnavailable", apiErr.ErrorCode())
	assert.Contains(t, err.Error(), "exceeded maximum number of attempts, 4")
}

func TestDescribeWorkspaceImagePermissions_CancelWithDefaultRetryer(t *testing.T) {
	t.Parallel()
	stub := newStub(errorReply(500, "InternalFailure", "oops"))
	client := workspaces.New(workspaces.Options{Region: "us-east-1",
		Credentials: staticCredentials(""), HTTPClient: stub})
	ctx, cancel := context.WithCancel(t.Context())
	stub.onDo = func(int) { cancel() }

	_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))

	assert.Len(t, stub.sent(), 1, "cancelled before the retry, no second attempt")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestDescribeWorkspaceImagePermissions_CancelStopsBackoffAtOnce(t *testing.T) {
	t.Parallel()
	stub := newStub(errorReply(500, "InternalFailure", "oops"))
	ctx, cancel := context.WithCancel(t.Context())
	slow := retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
			// Cancel while the call goes into an hour-long wait.
			go cancel()
			return time.Hour, nil
		})
	})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.Retryer = slow })
	done := make(chan error, 1)

	go func() {
		_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))
		done <- err
	}()

	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
		var canceled *aws.RequestCanceledError
		assert.ErrorAs(t, err, &canceled, "cancelled in the backoff wait")
		assert.Len(t, stub.sent(), 1)
	case <-time.After(10 * time.Second):
		t.Fatal("the call waited out its backoff after the context was cancelled")
	}
}

func TestDescribeWorkspaceImagePermissions_CancelledBeforeSend(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))

	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, stub.sent())
}

func TestDescribeWorkspaceImagePermissions_ClockSkewCorrected(t *testing.T) {
	t.Parallel()
	serverNow := time.Now().Add(15 * time.Minute).UTC()
	skewed := errorReply(403, "InvalidSignatureException", "Signature expired")
	skewed.header["Date"] = serverNow.Format(http.TimeFormat)
	ok := reply{body: pageBody, header: map[string]string{"Date": serverNow.Format(http.TimeFormat)}}
	stub := newStub(skewed, ok)
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)
	_, err = client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	sent := stub.sent()
	require.Len(t, sent, 3, "one rejected attempt, its retry, and a later call")
	signedAt := func(i int) time.Time {
		ts, err := time.Parse("20060102T150405Z", sent[i].req.Header.Get("X-Amz-Date"))
		require.NoError(t, err)
		return ts
	}
	assert.WithinDuration(t, time.Now(), signedAt(0), time.Minute)
	assert.WithinDuration(t, serverNow, signedAt(1), time.Minute, "the retry uses the service's clock")
	assert.WithinDuration(t, serverNow, signedAt(2), time.Minute, "later calls keep the correction")
}

func TestDescribeWorkspaceImagePermissions_SignatureErrorWithoutSkewNotRetried(t *testing.T) {
	t.Parallel()
	rejected := errorReply(403, "InvalidSignatureException", "bad signature")
	rejected.header["Date"] = time.Now().UTC().Format(http.TimeFormat)
	stub := newStub(rejected, reply{body: pageBody})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.Error(t, err)
	assert.Len(t, stub.sent(), 1)
}

func TestDescribeWorkspaceImagePermissions_TransportErrorUnwraps(t *testing.T) {
	t.Parallel()
	sentinel := errors.New("proxy said no")
	stub := newStub(reply{err: sentinel})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	assert.ErrorIs(t, err, sentinel)
	var opErr *smithy.OperationError
	assert.ErrorAs(t, err, &opErr)
}

func TestDescribeWorkspaceImagePermissions_DeadlineDuringSend(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	client := newTestClient(t, httpClientFunc(func(r *http.Request) (*http.Response, error) {
		select {
		case <-r.Context().Done():
			return nil, r.Context().Err()
		case <-block:
			return nil, errors.New("unblocked")
		}
	}))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()

	_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))

	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

type httpClientFunc func(*http.Request) (*http.Response, error)

func (f httpClientFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// quotaRecorder is a retry quota that records what is taken and refunded.
type quotaRecorder struct {
	mu              sync.Mutex
	taken, refunded []uint
}

func (q *quotaRecorder) GetToken(_ context.Context, cost uint) (func() error, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.taken = append(q.taken, cost)
	return func() error { return q.AddTokens(cost) }, nil
}

func (q *quotaRecorder) AddTokens(n uint) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.refunded = append(q.refunded, n)
	return nil
}

func TestDescribeWorkspaceImagePermissions_RetryQuotaAsOfficialClient(t *testing.T) {
	t.Parallel()
	quota := &quotaRecorder{}
	retryer := retry.NewStandard(func(o *retry.StandardOptions) {
		o.RateLimiter = quota
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) {
			return 0, nil
		})
	})
	stub := newStub(errorReply(500, "InternalFailure", "oops"), reply{body: pageBody})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.Retryer = retryer })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)
	_, err = client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	require.Len(t, quota.taken, 1, "one retry paid for")
	assert.Equal(t, []uint{quota.taken[0], retry.DefaultNoRetryIncrement}, quota.refunded,
		"the retry's cost comes back when it succeeds; only a call that succeeded "+
			"at once adds the no-retry increment")
}
