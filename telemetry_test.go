package workspaces_test

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/tracing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
)

// recordedSpan is a span as the recording tracer saw it.
type recordedSpan struct {
	name   string
	parent string
	kind   tracing.SpanKind
	props  map[any]any
	status tracing.SpanStatus
	ended  bool
}

// spanRecorder is a TracerProvider that keeps every span it starts.
type spanRecorder struct {
	mu    sync.Mutex
	spans []*recordedSpan
}

func (r *spanRecorder) Tracer(string, ...tracing.TracerOption) tracing.Tracer { return r }

func (r *spanRecorder) StartSpan(ctx context.Context, name string, opts ...tracing.SpanOption) (
	context.Context, tracing.Span,
) {
	var o tracing.SpanOptions
	for _, fn := range opts {
		fn(&o)
	}
	s := &recordedSpan{name: name, kind: o.Kind, props: map[any]any{}}
	for k, v := range o.Properties.Values() {
		s.props[k] = v
	}
	if parent, ok := tracing.GetSpan(ctx); ok {
		s.parent = parent.Name()
	}
	r.mu.Lock()
	r.spans = append(r.spans, s)
	r.mu.Unlock()
	span := &recordingSpan{r: r, s: s}
	return tracing.WithSpan(ctx, span), span
}

func (r *spanRecorder) named(name string) []*recordedSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recordedSpan
	for _, s := range r.spans {
		if s.name == name {
			out = append(out, s)
		}
	}
	return out
}

type recordingSpan struct {
	r *spanRecorder
	s *recordedSpan
}

func (s *recordingSpan) Name() string                            { return s.s.name }
func (s *recordingSpan) Context() tracing.SpanContext            { return tracing.SpanContext{} }
func (s *recordingSpan) AddEvent(string, ...tracing.EventOption) {}
func (s *recordingSpan) SetStatus(st tracing.SpanStatus)         { s.s.status = st }
func (s *recordingSpan) SetProperty(k, v any)                    { s.s.props[k] = v }
func (s *recordingSpan) End()                                    { s.s.ended = true }

// metricRecorder is a MeterProvider that keeps every value recorded, by
// instrument name, with the properties it was recorded with.
type metricRecorder struct {
	metrics.NopMeterProvider
	mu     sync.Mutex
	values map[string][]map[any]any
	units  map[string]string
}

type meterRecorder struct {
	metrics.Meter
	r *metricRecorder
}

type instrumentRecorder struct {
	r    *metricRecorder
	name string
}

func (r *metricRecorder) Meter(string, ...metrics.MeterOption) metrics.Meter {
	return meterRecorder{Meter: r.NopMeterProvider.Meter(""), r: r}
}

func (m meterRecorder) Int64Counter(name string, opts ...metrics.InstrumentOption) (metrics.Int64Counter, error) {
	m.r.register(name, opts)
	return instrumentRecorder{m.r, name}, nil
}

func (m meterRecorder) Float64Histogram(name string, opts ...metrics.InstrumentOption) (metrics.Float64Histogram, error) {
	m.r.register(name, opts)
	return instrumentRecorder{m.r, name}, nil
}

func (r *metricRecorder) register(name string, opts []metrics.InstrumentOption) {
	var o metrics.InstrumentOptions
	for _, fn := range opts {
		fn(&o)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.units == nil {
		r.units = map[string]string{}
		r.values = map[string][]map[any]any{}
	}
	r.units[name] = o.UnitLabel
}

func (i instrumentRecorder) record(opts []metrics.RecordMetricOption) {
	var o metrics.RecordMetricOptions
	for _, fn := range opts {
		fn(&o)
	}
	i.r.mu.Lock()
	defer i.r.mu.Unlock()
	i.r.values[i.name] = append(i.r.values[i.name], o.Properties.Values())
}

func (i instrumentRecorder) Add(_ context.Context, _ int64, opts ...metrics.RecordMetricOption) {
	i.record(opts)
}

func (i instrumentRecorder) Record(_ context.Context, _ float64, opts ...metrics.RecordMetricOption) {
	i.record(opts)
}

func (r *metricRecorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.values[name])
}

func TestDescribeWorkspaceImagePermissions_Spans(t *testing.T) {
	t.Parallel()
	tracer := &spanRecorder{}
	stub := newStub(errorReply(503, "ServiceUnavailable", "busy"),
		reply{body: pageBody, header: map[string]string{"X-Amzn-Requestid": "rid-ok"}})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.TracerProvider = tracer })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	ops := tracer.named("WorkSpaces.DescribeWorkspaceImagePermissions")
	require.Len(t, ops, 1)
	op := ops[0]
	assert.Equal(t, tracing.SpanKindClient, op.kind)
	assert.Equal(t, "aws-api", op.props["rpc.system"])
	assert.Equal(t, "DescribeWorkspaceImagePermissions", op.props["rpc.method"])
	assert.Equal(t, "WorkSpaces", op.props["rpc.service"])
	assert.Equal(t, tracing.SpanStatusOK, op.status)
	assert.Equal(t, false, op.props["error"])
	assert.True(t, op.ended)

	loops := tracer.named("RetryLoop")
	require.Len(t, loops, 1)
	assert.Equal(t, op.name, loops[0].parent)
	attempts := tracer.named("Attempt")
	require.Len(t, attempts, 2, "a span per attempt")
	for i, a := range attempts {
		assert.Equal(t, "RetryLoop", a.parent)
		assert.Equal(t, i+1, a.props["operation.attempt"])
		assert.True(t, a.ended)
	}
	assert.Equal(t, "rid-ok", attempts[1].props["aws.request_id"])
}

func TestDescribeWorkspaceImagePermissions_SpanOfFailedCall(t *testing.T) {
	t.Parallel()
	tracer := &spanRecorder{}
	stub := newStub(errorReply(400, "ResourceNotFoundException", "gone"))
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.TracerProvider = tracer })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.Error(t, err)

	op := tracer.named("WorkSpaces.DescribeWorkspaceImagePermissions")[0]
	assert.Equal(t, tracing.SpanStatusError, op.status)
	assert.Equal(t, true, op.props["error"])
	assert.Equal(t, "ResourceNotFoundException", op.props["api.error_code"])
	assert.Equal(t, "gone", op.props["api.error_message"])
	assert.Equal(t, "client", op.props["api.error_fault"])
	assert.Contains(t, op.props["exception.message"], "ResourceNotFoundException: gone")
}

func TestDescribeWorkspaceImagePermissions_Metrics(t *testing.T) {
	t.Parallel()
	meter := &metricRecorder{}
	stub := newStub(errorReply(500, "InternalFailure", "oops"), reply{body: pageBody})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.MeterProvider = meter })

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	assert.Equal(t, 1, meter.count("client.call.duration"))
	assert.Equal(t, 2, meter.count("client.call.attempts"))
	assert.Equal(t, 2, meter.count("client.call.attempt_duration"))
	assert.Equal(t, 1, meter.count("client.call.errors"))
	assert.Equal(t, 2, meter.count("client.call.auth.signing_duration"))
	assert.Equal(t, 2, meter.count("client.call.auth.resolve_identity_duration"))
	assert.Equal(t, 1, meter.count("client.call.serialization_duration"))
	assert.Equal(t, 1, meter.count("client.call.deserialization_duration"))
	assert.Equal(t, "s", meter.units["client.call.duration"])
	assert.Equal(t, "{attempt}", meter.units["client.call.attempts"])

	meter.mu.Lock()
	defer meter.mu.Unlock()
	for name, values := range meter.values {
		for _, props := range values {
			assert.Equal(t, "WorkSpaces", props["rpc.service"], name)
			assert.Equal(t, "DescribeWorkspaceImagePermissions", props["rpc.method"], name)
		}
	}
	assert.Equal(t, "InternalFailure", meter.values["client.call.errors"][0]["exception.type"])
}
