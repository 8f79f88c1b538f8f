package workspaces

import (
	"context"
	"errors"
	"fmt"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
)

// Spans and metrics carry the names and attributes the official client
// gives them for this operation, so that dashboards and the smithy-go
// OpenTelemetry adapters work unchanged:
//
//	span "WorkSpaces.DescribeWorkspaceImagePermissions" (kind client)
//	  span "RetryLoop"
//	    span "Attempt" (operation.attempt), one per attempt
//	client.call.duration, client.call.attempts, client.call.errors,
//	client.call.attempt_duration, client.call.auth.resolve_identity_duration,
//	client.call.auth.signing_duration, client.call.serialization_duration,
//	client.call.deserialization_duration
//
// Metrics are recorded with rpc.service and rpc.method. With the default,
// no-op providers nothing here runs: a call pays one nil check per step.

// instrumentationScope names this module as the source of spans and metrics.
const instrumentationScope = "github.com/leanaws/workspaces"

// telemetry is what a call records into, resolved once per configuration.
// A nil tracer or meter means the provider is a no-op.
type telemetry struct {
	tracer tracing.Tracer
	meter  *instruments
}

type instruments struct {
	duration        metrics.Float64Histogram
	attempts        metrics.Int64Counter
	errors          metrics.Int64Counter
	attemptDuration metrics.Float64Histogram
	steps           [stepCount]metrics.Float64Histogram
}

// step names a timed step of a call.
type step int

const (
	stepIdentity step = iota
	stepSigning
	stepSerialize
	stepDeserialize
	stepCount
)

// newTelemetry resolves the tracer and the instruments of o. Instruments a
// meter refuses to create are left out, without failing calls.
func newTelemetry(o Options) telemetry {
	var t telemetry
	switch o.TracerProvider.(type) {
	case nil, tracing.NopTracerProvider, *tracing.NopTracerProvider:
	default:
		t.tracer = o.TracerProvider.Tracer(instrumentationScope)
	}
	switch o.MeterProvider.(type) {
	case nil, metrics.NopMeterProvider, *metrics.NopMeterProvider:
	default:
		m := o.MeterProvider.Meter(instrumentationScope)
		t.meter = &instruments{
			duration: histogram(m, "client.call.duration",
				"Overall call duration, retries and bodies included"),
			attempts: counter(m, "client.call.attempts", "{attempt}",
				"The number of attempts for an individual operation"),
			errors: counter(m, "client.call.errors", "{error}",
				"The number of errors for an operation"),
			attemptDuration: histogram(m, "client.call.attempt_duration",
				"Time to send one attempt and receive its status and headers"),
			steps: [stepCount]metrics.Float64Histogram{
				stepIdentity: histogram(m, "client.call.auth.resolve_identity_duration",
					"Time to retrieve credentials from their provider"),
				stepSigning: histogram(m, "client.call.auth.signing_duration",
					"Time to sign a request"),
				stepSerialize: histogram(m, "client.call.serialization_duration",
					"Time to serialize a request body"),
				stepDeserialize: histogram(m, "client.call.deserialization_duration",
					"Time to deserialize a response body"),
			},
		}
	}
	return t
}

func histogram(m metrics.Meter, name, desc string) metrics.Float64Histogram {
	h, err := m.Float64Histogram(name, func(o *metrics.InstrumentOptions) {
		o.UnitLabel = "s"
		o.Description = desc
	})
	if err != nil || h == nil {
		return nopInstrument{}
	}
	return h
}

func counter(m metrics.Meter, name, unit, desc string) metrics.Int64Counter {
	c, err := m.Int64Counter(name, func(o *metrics.InstrumentOptions) {
		o.UnitLabel = unit
		o.Description = desc
	})
	if err != nil || c == nil {
		return nopInstrument{}
	}
	return c
}

// nopInstrument stands in for an instrument the meter would not create.
type nopInstrument struct{}

func (nopInstrument) Add(context.Context, int64, ...metrics.RecordMetricOption)      {}
func (nopInstrument) Record(context.Context, float64, ...metrics.RecordMetricOption) {}

// enabled reports whether a call has anything to record.
func (t *telemetry) enabled() bool { return t.tracer != nil || t.meter != nil }

// operationAttributes tags a metric with the service and operation.
func operationAttributes(op string) metrics.RecordMetricOption {
	return func(o *metrics.RecordMetricOptions) {
		o.Properties.Set("rpc.service", ServiceID)
		o.Properties.Set("rpc.method", op)
	}
}

// observe runs call inside the operation span and the call-duration metric.
func observe[T any](ctx context.Context, t *telemetry, op string,
	call func(context.Context) (T, error),
) (T, error) {
	start := time.Now()
	span := tracing.Span(nil)
	if t.tracer != nil {
		ctx = tracing.WithOperationTracer(ctx, t.tracer)
		ctx, span = t.tracer.StartSpan(ctx, ServiceID+"."+op, func(o *tracing.SpanOptions) {
			o.Kind = tracing.SpanKindClient
			o.Properties.Set("rpc.system", "aws-api")
			o.Properties.Set("rpc.method", op)
			o.Properties.Set("rpc.service", ServiceID)
		})
	}

	out, err := call(ctx)

	if t.meter != nil {
		t.meter.duration.Record(ctx, time.Since(start).Seconds(), operationAttributes(op))
	}
	if span != nil {
		if err != nil {
			span.SetProperty("exception.type", fmt.Sprintf("%T", errors.Unwrap(err)))
			span.SetProperty("exception.message", err.Error())
			var apiErr smithy.APIError
			if errors.As(err, &apiErr) {
				span.SetProperty("api.error_code", apiErr.ErrorCode())
				span.SetProperty("api.error_message", apiErr.ErrorMessage())
				span.SetProperty("api.error_fault", apiErr.ErrorFault().String())
			}
		}
		span.SetProperty("error", err != nil)
		if err == nil {
			span.SetStatus(tracing.SpanStatusOK)
		} else {
			span.SetStatus(tracing.SpanStatusError)
		}
		span.End()
	}
	return out, err
}

// startRetryLoop opens the span that holds the attempts of one call.
func (t *telemetry) startRetryLoop(ctx context.Context) (context.Context, tracing.Span) {
	if t.tracer == nil {
		return ctx, nil
	}
	return t.tracer.StartSpan(ctx, "RetryLoop")
}

// attemptObservation is one attempt being observed; its zero value, for a
// call without telemetry, records nothing.
type attemptObservation struct {
	t     *telemetry
	op    string
	span  tracing.Span
	start time.Time
}

// startAttempt opens the span and starts the clock of attempt n.
func (t *telemetry) startAttempt(ctx context.Context, op string, n int) (
	context.Context, attemptObservation,
) {
	if !t.enabled() {
		return ctx, attemptObservation{}
	}
	a := attemptObservation{t: t, op: op, start: time.Now()}
	if t.tracer != nil {
		ctx, a.span = t.tracer.StartSpan(ctx, "Attempt", func(o *tracing.SpanOptions) {
			o.Properties.Set("operation.attempt", n)
		})
	}
	if t.meter != nil {
		t.meter.attempts.Add(ctx, 1, operationAttributes(op))
	}
	return ctx, a
}

// end records the attempt's outcome.
func (a attemptObservation) end(ctx context.Context, md middleware.Metadata, err error) {
	if a.t == nil {
		return
	}
	requestID, _ := awsmiddleware.GetRequestIDMetadata(md)
	if m := a.t.meter; m != nil {
		m.attemptDuration.Record(ctx, time.Since(a.start).Seconds(), operationAttributes(a.op))
		if err != nil {
			m.errors.Add(ctx, 1, operationAttributes(a.op), func(o *metrics.RecordMetricOptions) {
				o.Properties.Set("exception.type", errorType(err))
			})
		}
	}
	if a.span != nil {
		if requestID != "" {
			a.span.SetProperty("aws.request_id", requestID)
		}
		a.span.End()
	}
}

// errorType is the error code of an API error, else the Go type of err.
func errorType(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return fmt.Sprintf("%T", err)
}

// stopwatch returns the start time of a step, or the zero time when no
// metrics are recorded, so that a call without metrics reads no clock.
func (t *telemetry) stopwatch() time.Time {
	if t.meter == nil {
		return time.Time{}
	}
	return time.Now()
}

// record records the duration of step s, started at start.
func (t *telemetry) record(ctx context.Context, s step, op string, start time.Time) {
	if t.meter == nil {
		return
	}
	t.meter.steps[s].Record(ctx, time.Since(start).Seconds(), operationAttributes(op))
}
