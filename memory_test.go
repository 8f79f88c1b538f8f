package workspaces_test

import (
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// endlessBody is a response body of JSON that never ends: an object with
// one string member that goes on forever. It counts what is read from it.
type endlessBody struct {
	read   atomic.Int64
	closed atomic.Bool
}

const endlessHead = `{"ImageId":"wsi-abc123def","Padding":"`

func (b *endlessBody) Read(p []byte) (int, error) {
	off := b.read.Load()
	n := 0
	for n < len(p) {
		if pos := off + int64(n); pos < int64(len(endlessHead)) {
			n += copy(p[n:], endlessHead[pos:])
			continue
		}
		p[n] = 'a'
		n++
	}
	b.read.Add(int64(n))
	return n, nil
}

func (b *endlessBody) Close() error {
	b.closed.Store(true)
	return nil
}

// endlessClient answers every request 200 with body, announcing length
// as its Content-Length (-1 for none).
func endlessClient(body io.ReadCloser, length int64) workspaces.HTTPClient {
	return httpClientFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/x-amz-json-1.1"}}
		if length >= 0 {
			h.Set("Content-Length", strconv.FormatInt(length, 10))
		}
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Header: h,
			Body: body, ContentLength: length, Request: r,
		}, nil
	})
}

func TestDescribeWorkspaceImagePermissions_ContentLengthOverLimitNotRead(t *testing.T) {
	t.Parallel()
	body := &endlessBody{}
	calls := 0
	endless := endlessClient(body, workspaces.DefaultResponseBodyLimit+1)
	client := newTestClient(t, httpClientFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return endless.Do(r)
	}))

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	var de *smithy.DeserializationError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(),
		"exceeds the limit of "+strconv.Itoa(workspaces.DefaultResponseBodyLimit)+" bytes")
	assert.Zero(t, body.read.Load(), "nothing of the body is read")
	assert.True(t, body.closed.Load(), "the body is closed")
	assert.Equal(t, 1, calls, "an oversized response is not retried")
}

// TestDescribeWorkspaceImagePermissions_StreamedBodyBoundedMemory streams a
// 100 MiB body without Content-Length and measures what the call
// allocates. It does not run in parallel: the allocation counter is
// process-wide.
func TestDescribeWorkspaceImagePermissions_StreamedBodyBoundedMemory(t *testing.T) {
	const size = 100 << 20
	body := &endlessBody{}
	client := newTestClient(t, endlessClient(struct {
		io.Reader
		io.Closer
	}{io.LimitReader(body, size), body}, -1))
	ctx := t.Context()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	_, err := client.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))

	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Contains(t, err.Error(),
		"exceeds the limit of "+strconv.Itoa(workspaces.DefaultResponseBodyLimit)+" bytes")
	assert.Less(t, body.read.Load(), int64(2*workspaces.DefaultResponseBodyLimit),
		"reading stops soon after the limit")
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes for a %d-byte body", allocated, size)
	// Growing a buffer by doubling up to the limit allocates twice the
	// limit; the rest is the call's own few kilobytes.
	assert.Less(t, allocated, uint64(2*workspaces.DefaultResponseBodyLimit+(1<<20)),
		"allocations stay within twice the limit")
}

func TestDescribeWorkspaceImagePermissions_HugeBodyFromFake(t *testing.T) {
	t.Parallel()
	overFake(t, func(t *testing.T, env *fakeEnv) {
		env.seedImage(t, 3)
		require.NoError(t, env.svc.InjectFault(workspacestest.NthCall(1),
			workspacestest.Fault{Kind: workspacestest.FaultHugeBody, Size: 100 << 20}))

		_, err := env.client().DescribeWorkspaceImagePermissions(t.Context(),
			imageInput(testImageID))

		var de *smithy.DeserializationError
		require.ErrorAs(t, err, &de)
		assert.Contains(t, err.Error(), "response body of 104857600 bytes exceeds the limit")
		assert.Len(t, env.svc.Requests(), 1)
	})
}

func TestOptions_ResponseBodyLimit(t *testing.T) {
	t.Parallel()
	const page = `{"ImageId":"wsi-abc123def","ImagePermissions":[]}`
	tests := map[string]struct {
		limit  int64
		length int64 // Content-Length sent; -1 for none
		ok     bool
	}{
		"fits, with length":          {limit: int64(len(page)), length: int64(len(page)), ok: true},
		"fits, streamed":             {limit: int64(len(page)), length: -1, ok: true},
		"one byte over, with length": {limit: int64(len(page)) - 1, length: int64(len(page))},
		"one byte over, streamed":    {limit: int64(len(page)) - 1, length: -1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := endlessClient(io.NopCloser(strings.NewReader(page)), tt.length)
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.ResponseBodyLimit = tt.limit
			})

			out, err := client.DescribeWorkspaceImagePermissions(t.Context(),
				imageInput(testImageID))

			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, testImageID, aws.ToString(out.ImageId))
				return
			}
			var de *smithy.DeserializationError
			require.ErrorAs(t, err, &de)
			assert.Contains(t, err.Error(),
				"exceeds the limit of "+strconv.FormatInt(tt.limit, 10)+" bytes")
		})
	}
}

func TestOptions_ResponseBodyLimitPerCall(t *testing.T) {
	t.Parallel()
	overFake(t, func(t *testing.T, env *fakeEnv) {
		env.seedImage(t, 25)
		client := env.client()

		_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID),
			func(o *workspaces.Options) { o.ResponseBodyLimit = 100 })
		require.Error(t, err)
		assert.Contains(t, err.Error(), "exceeds the limit of 100 bytes")

		out, err := client.DescribeWorkspaceImagePermissions(t.Context(),
			imageInput(testImageID))
		require.NoError(t, err, "the limit was for that call only")
		assert.Len(t, out.ImagePermissions, 25)
	})
}
