package compare

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	official "github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
)

// stackDepth is an HTTPClient that records how many frames lie between its
// Do and the frame of callFromHere, and answers with an empty page.
type stackDepth struct{ frames int }

func (s *stackDepth) Do(req *http.Request) (*http.Response, error) {
	pcs := make([]uintptr, 512)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	s.frames = -1 // unless the caller is found
	for n := 0; ; n++ {
		fr, more := frames.Next()
		if strings.HasSuffix(fr.Function, ".callFromHere") {
			s.frames = n
			break
		}
		if !more {
			break
		}
	}
	_, _ = io.Copy(io.Discard, req.Body)
	const body = `{"ImagePermissions":[]}`
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
}

// callFromHere makes call, whose frame ends the count.
//
//go:noinline
func callFromHere(call func() error) error { return call() }

// TestStackDepth_SideBySide counts, for each client, the frames between
// the caller of DescribeWorkspaceImagePermissions and the HTTP client's Do:
// the figure the README quotes for both.
func TestStackDepth_SideBySide(t *testing.T) {
	t.Parallel()
	in := aws.String(cmpImage)
	creds := staticCreds("AKIDEXAMPLE", "secret", "")

	lean := &stackDepth{}
	leanClient := workspaces.New(workspaces.Options{Region: "us-east-1",
		Credentials: creds, HTTPClient: lean})
	require.NoError(t, callFromHere(func() error {
		_, err := leanClient.DescribeWorkspaceImagePermissions(t.Context(),
			&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: in})
		return err
	}))
	off := &stackDepth{}
	offClient := official.New(official.Options{Region: "us-east-1",
		Credentials: creds, HTTPClient: off})
	require.NoError(t, callFromHere(func() error {
		_, err := offClient.DescribeWorkspaceImagePermissions(context.Background(),
			&official.DescribeWorkspaceImagePermissionsInput{ImageId: in})
		return err
	}))

	// Both counts include the closure passed to callFromHere.
	t.Logf("frames to Do: lean %d, official %d", lean.frames, off.frames)
	require.Positive(t, lean.frames)
	require.Positive(t, off.frames)
	assert.LessOrEqual(t, lean.frames, 10)
	assert.Greater(t, off.frames, 5*lean.frames)
}
