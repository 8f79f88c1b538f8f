package workspaces_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// callDeadline is the deadline each phase must honour, and hangLimit how
// long a call may take before the test calls it hung. The gap is wide on
// purpose: this checks that a deadline ends the wait, not how fast.
const (
	callDeadline = 100 * time.Millisecond
	hangLimit    = 2 * time.Second
)

// endings are the two ways a context ends a call: its deadline passes, or
// it is cancelled, each callDeadline after the call starts.
var endings = map[string]struct {
	ctx  func(context.Context) (context.Context, context.CancelFunc)
	want error
}{
	"deadline": {
		ctx: func(parent context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(parent, callDeadline)
		},
		want: context.DeadlineExceeded,
	},
	"cancel": {
		ctx: func(parent context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(parent)
			stop := time.AfterFunc(callDeadline, cancel)
			return ctx, func() { stop.Stop(); cancel() }
		},
		want: context.Canceled,
	},
}

// callUntil calls client with ctx and returns its error, failing the test
// if the call outlives hangLimit.
func callUntil(t *testing.T, ctx context.Context, client *workspaces.Client) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))
		done <- err
	}()

	select {
	case err := <-done:
		return err
	case <-time.After(hangLimit):
		t.Fatalf("the call did not return within %v of a %v deadline", hangLimit, callDeadline)
		return nil
	}
}

// assertEndedBy checks the error of a call its context ended.
func assertEndedBy(t *testing.T, want, err error) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, want)
	var opErr *smithy.OperationError
	assert.ErrorAs(t, err, &opErr)
}

func TestDescribeWorkspaceImagePermissions_ContextEndsEveryPhase(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault workspacestest.Fault // injected into every call, when set
		opts  func(t *testing.T, o *workspaces.Options)
	}{
		"credentials": {
			opts: func(t *testing.T, o *workspaces.Options) {
				o.Credentials = blockingCredentials(t)
			},
		},
		"sending": {
			opts: func(t *testing.T, o *workspaces.Options) {
				o.HTTPClient = blockingHTTPClient(t)
			},
		},
		"waiting for headers": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultLatency, Delay: time.Hour},
		},
		"reading the body": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultStallBody, Delay: time.Hour},
		},
		"backoff": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle},
			opts: func(_ *testing.T, o *workspaces.Options) {
				o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
					so.Backoff = retry.BackoffDelayerFunc(
						func(int, error) (time.Duration, error) { return time.Hour, nil })
				})
			},
		},
	}
	for name, tt := range tests {
		for ending, end := range endings {
			t.Run(name+"/"+ending, func(t *testing.T) {
				t.Parallel()
				overFake(t, func(t *testing.T, env *fakeEnv) {
					env.seedImage(t, 3)
					if tt.fault.Kind != 0 {
						require.NoError(t, env.svc.InjectFault(
							workspacestest.NextCalls(100), tt.fault))
					}
					client := env.client(func(o *workspaces.Options) {
						if tt.opts != nil {
							tt.opts(t, o)
						}
					})
					ctx, cancel := end.ctx(t.Context())
					defer cancel()

					err := callUntil(t, ctx, client)

					assertEndedBy(t, end.want, err)
				})
			})
		}
	}
}

// blockingCredentials returns a provider that blocks until its context is
// done or the test ends. The credentials cache does not pass the call's
// deadline on to the provider, so the test's end is what releases it.
func blockingCredentials(t *testing.T) aws.CredentialsProvider {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		select {
		case <-ctx.Done():
			return aws.Credentials{}, ctx.Err()
		case <-release:
			return aws.Credentials{}, context.Canceled
		}
	})
}

// blockingHTTPClient returns an HTTPClient whose Do blocks until the
// request's context is done or the test ends, as a send into a stalled
// connection does.
func blockingHTTPClient(t *testing.T) workspaces.HTTPClient {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return httpClientFunc(func(r *http.Request) (*http.Response, error) {
		select {
		case <-r.Context().Done():
			return nil, r.Context().Err()
		case <-release:
			return nil, context.Canceled
		}
	})
}
