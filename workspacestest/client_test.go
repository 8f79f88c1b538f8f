package workspacestest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

// closeTracker records whether a request body was closed.
type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error {
	c.closed.Store(true)
	return nil
}

func TestService_Client(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	require.NoError(t, svc.Seed(testSeed()))
	f := &fake{svc: svc, client: svc.Client(), url: "https://workspaces.us-east-1.amazonaws.com"}

	body := `{"ImageId":"` + testImage + `"}`
	req := f.newRequest(t, body)
	tracker := &closeTracker{Reader: strings.NewReader(body)}
	req.Body = tracker
	req.Header["x-amz-meta-lower"] = []string{"v"} // not canonical as sent
	sign(t, req, body, ownerCreds, time.Time{})

	resp, err := f.client.Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.True(t, tracker.closed.Load(), "the request body must be closed")

	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "200 OK", resp.Status)
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Equal(t, int64(len(got)), resp.ContentLength)
	assert.Equal(t, []string{"application/x-amz-json-1.1"}, resp.Header["Content-Type"])
	assert.NotEmpty(t, resp.Header["Date"])
	assert.NotEmpty(t, resp.Header["X-Amzn-Requestid"])
	assert.Same(t, req, resp.Request)

	_, err = resp.Body.Read(make([]byte, 1))
	assert.EqualError(t, err, "http: read on closed response body")

	rec := svc.Requests()[0]
	assert.Equal(t, "workspaces.us-east-1.amazonaws.com", rec.Host)
	assert.Equal(t, []string{"v"}, rec.Header["X-Amz-Meta-Lower"])
	assert.Equal(t, []string{"Go-http-client/1.1"}, rec.Header["User-Agent"])
	assert.Equal(t, []string{"gzip"}, rec.Header["Accept-Encoding"])
	assert.Equal(t, []string{fmt.Sprint(len(body))}, rec.Header["Content-Length"])
	assert.Equal(t, body, string(rec.Body))
}

func TestService_ClientChunkedRequest(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body)
		req.Body = io.NopCloser(strings.NewReader(body)) // length unknown
		req.ContentLength = 0
		req.GetBody = nil
		sign(t, req, body, ownerCreds, time.Time{})

		requirePage(t, f.do(t, req))
		rec := f.svc.Requests()[0]
		assert.Empty(t, rec.Header["Content-Length"])
		assert.Equal(t, body, string(rec.Body))
	})
}

func TestService_ClientBadRequests(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	client := svc.Client()
	tests := map[string]func(r *http.Request){
		"header value with newline": func(r *http.Request) {
			r.Header.Set("X-Bad", "a\r\nInjected: yes")
		},
		"header name with space":  func(r *http.Request) { r.Header["Bad Name"] = []string{"v"} },
		"content length mismatch": func(r *http.Request) { r.ContentLength = 99 },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
				"https://workspaces.us-east-1.amazonaws.com/", strings.NewReader("{}"))
			require.NoError(t, err)
			mutate(req)
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			assert.Error(t, err)
		})
	}
	assert.Empty(t, svc.Requests(), "a request the transport refuses never arrives")
}

func TestService_ClientCancelled(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		"https://workspaces.us-east-1.amazonaws.com/", strings.NewReader("{}"))
	require.NoError(t, err)

	resp, err := svc.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.Canceled)
}

func TestService_ClientBodyCloseEndsHandler(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	done := handlerDone(svc)
	require.NoError(t, svc.InjectFault(workspacestest.NextCalls(1), workspacestest.Fault{
		Kind: workspacestest.FaultHugeBody, Size: 1 << 40,
	}))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
		"https://workspaces.us-east-1.amazonaws.com/", strings.NewReader("{}"))
	require.NoError(t, err)

	resp, err := svc.Client().Do(req)
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, 1<<20))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	// Close returns once the handler has; its log line is already there.
	select {
	case line := <-done:
		assert.Contains(t, line, "status=200")
	default:
		t.Fatal("the handler outlived Close")
	}
}
