package workspaces_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
)

// frameCounter is an HTTPClient that counts the stack frames between its Do
// and the frame of describeForFrames, and answers with an empty page.
type frameCounter struct {
	frames []string // functions between describeForFrames and Do, callee first
}

func (f *frameCounter) Do(req *http.Request) (*http.Response, error) {
	pcs := make([]uintptr, 256)
	// Skip runtime.Callers and Do itself.
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	f.frames = f.frames[:0]
	for {
		fr, more := frames.Next()
		if strings.HasSuffix(fr.Function, ".describeForFrames") {
			break
		}
		f.frames = append(f.frames, fr.Function)
		if !more {
			f.frames = nil // the caller was not found: count nothing
			break
		}
	}
	_, _ = io.Copy(io.Discard, req.Body)
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{},
		Body:          io.NopCloser(strings.NewReader(`{"ImagePermissions":[]}`)),
		ContentLength: int64(len(`{"ImagePermissions":[]}`)),
	}, nil
}

// describeForFrames is the caller whose frame ends the count.
//
//go:noinline
func describeForFrames(ctx context.Context, c *workspaces.Client) error {
	_, err := c.DescribeWorkspaceImagePermissions(ctx, imageInput(testImageID))
	return err
}

// frameTracer is a TracerProvider whose spans record nothing; setting it
// turns the client's tracing on.
type frameTracer struct{}

func (frameTracer) Tracer(string, ...tracing.TracerOption) tracing.Tracer { return frameTracer{} }

func (frameTracer) StartSpan(ctx context.Context, name string, _ ...tracing.SpanOption) (
	context.Context, tracing.Span,
) {
	return ctx, frameSpan{name: name}
}

type frameSpan struct{ name string }

func (s frameSpan) Name() string                          { return s.name }
func (frameSpan) Context() tracing.SpanContext            { return tracing.SpanContext{} }
func (frameSpan) AddEvent(string, ...tracing.EventOption) {}
func (frameSpan) SetStatus(tracing.SpanStatus)            {}
func (frameSpan) SetProperty(any, any)                    {}
func (frameSpan) End()                                    {}

// TestDescribeWorkspaceImagePermissions_StackFrames checks that the request
// path stays shallow: at most 10 frames, inlined ones included, lie between
// the caller of DescribeWorkspaceImagePermissions and HTTPClient.Do (the
// official client has more than 80). Without telemetry this is the path of
// every call; with a tracer, the span wrappers add a few.
func TestDescribeWorkspaceImagePermissions_StackFrames(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		tracer tracing.TracerProvider
	}{
		"no telemetry": {},
		"tracer":       {tracer: frameTracer{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			counter := &frameCounter{}
			client := workspaces.New(workspaces.Options{
				Region:         "us-east-1",
				Credentials:    staticCredentials(""),
				HTTPClient:     counter,
				TracerProvider: tt.tracer,
			})
			require.NoError(t, describeForFrames(t.Context(), client))
			require.NotEmpty(t, counter.frames, "describeForFrames not on the stack")
			t.Logf("%d frames from the caller to HTTPClient.Do:\n\t%s",
				len(counter.frames), strings.Join(counter.frames, "\n\t"))
			assert.LessOrEqual(t, len(counter.frames), 10)
		})
	}
}
