package workspaces

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/metrics"
	"github.com/aws/smithy-go/middleware"
	"github.com/aws/smithy-go/tracing"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/leanaws/workspaces/internal/endpoints"
)

// ServiceID is the identifier of the WorkSpaces service in the AWS SDKs. It
// names the service in operation errors and selects the service-specific
// endpoint (AWS_ENDPOINT_URL_WORKSPACES) in shared configuration.
const ServiceID = "WorkSpaces"

// Version is the version of this module, sent in the User-Agent header.
const Version = "0.1.0"

// signingName is the service name in SigV4 credential scopes.
const signingName = "workspaces"

// HTTPClient sends one HTTP request. *http.Client satisfies it, as do the
// tuned client of aws/transport/http and the in-memory client of package
// workspacestest.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// EndpointResolverOptions selects the FIPS and dual-stack variants of the
// service endpoint.
type EndpointResolverOptions struct {
	// UseFIPSEndpoint selects the FIPS 140-2 endpoint of the region.
	UseFIPSEndpoint aws.FIPSEndpointState

	// UseDualStackEndpoint selects the endpoint that answers over IPv4 and
	// IPv6.
	UseDualStackEndpoint aws.DualStackEndpointState
}

// Options configures a [Client]. The zero value of each field picks the
// default the official client picks.
type Options struct {
	// Region is the AWS Region to send requests to and sign them for.
	Region string

	// Credentials provides the keys requests are signed with. [New] wraps it
	// in an aws.CredentialsCache unless it already is one. With
	// aws.AnonymousCredentials requests are sent unsigned.
	Credentials aws.CredentialsProvider

	// HTTPClient sends the requests. The default is the tuned client of
	// aws/transport/http.
	HTTPClient HTTPClient

	// BaseEndpoint, when set, replaces the resolved service endpoint, path
	// included: "http://127.0.0.1:4566" or "https://proxy.example/ws".
	BaseEndpoint *string

	// EndpointOptions selects the FIPS and dual-stack endpoint variants.
	EndpointOptions EndpointResolverOptions

	// Retryer decides which failures are retried and how long to wait
	// between attempts. The default is retry.NewStandard, or
	// retry.NewAdaptiveMode when RetryMode is aws.RetryModeAdaptive.
	Retryer aws.Retryer

	// RetryMaxAttempts, when not zero, caps the attempts of every call,
	// overriding the Retryer's own maximum.
	RetryMaxAttempts int

	// RetryMode picks the default Retryer: aws.RetryModeStandard (the
	// default) or aws.RetryModeAdaptive. It is ignored when Retryer is set.
	RetryMode aws.RetryMode

	// AppID names the calling application in the User-Agent header.
	AppID string

	// Logger receives the log lines ClientLogMode asks for. The default
	// discards them.
	Logger logging.Logger

	// ClientLogMode selects what is logged: requests, responses, retries,
	// signing. Secrets are redacted from every line.
	ClientLogMode aws.ClientLogMode

	// TracerProvider receives a span per operation and per attempt.
	TracerProvider tracing.TracerProvider

	// MeterProvider receives the call-duration and attempt metrics.
	MeterProvider metrics.MeterProvider

	// ResponseBodyLimit caps the size of a response body the client reads,
	// in bytes; a larger response is rejected without being read whole. Zero
	// means [DefaultResponseBodyLimit].
	ResponseBodyLimit int64
}

// DefaultResponseBodyLimit is the response body cap of a client whose
// Options.ResponseBodyLimit is zero. A page of 25 permissions is under 2 KiB,
// and error bodies are smaller still.
const DefaultResponseBodyLimit = 4 << 20

// Client calls the WorkSpaces image-permission API. It is safe for
// concurrent use; create one and share it.
type Client struct {
	options Options
	base    callConfig // what a call without option functions uses
	signer  *v4.Signer

	// skew is the service clock minus ours, in nanoseconds, learned from the
	// Date header of responses that were rejected for clock skew and kept
	// for the calls that follow.
	skew atomic.Int64
}

// callConfig is everything one call needs, derived from its Options once:
// at construction for calls without option functions, per call otherwise.
type callConfig struct {
	opts      Options
	url       *url.URL // endpoint URL the request is sent to; never changed
	endpoint  error    // why the endpoint could not be resolved, if it could not
	userAgent string
	limit     int64
	retryer   aws.RetryerV2
	anonymous bool // Credentials are aws.AnonymousCredentials: send unsigned
	tel       telemetry
}

// New returns a client configured by options and then by optFns, in order.
func New(options Options, optFns ...func(*Options)) *Client {
	for _, fn := range optFns {
		fn(&options)
	}
	resolveDefaults(&options)
	c := &Client{
		options: options,
		base:    newCallConfig(options),
		signer: v4.NewSigner(func(so *v4.SignerOptions) {
			// The signer's own log prints the canonical request, session
			// token included; ours logs a redacted copy instead.
			so.LogSigning = false
		}),
	}
	return c
}

// NewFromConfig returns a client configured from cfg, typically loaded by
// config.LoadDefaultConfig, and then by optFns. It takes the region,
// credentials, HTTP client, retry settings, base endpoint (the global one
// and the WorkSpaces-specific one), FIPS and dual-stack settings, app ID,
// logger and log mode, as the official client does.
func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	opts := Options{
		Region:           cfg.Region,
		Credentials:      cfg.Credentials,
		HTTPClient:       cfg.HTTPClient,
		BaseEndpoint:     cfg.BaseEndpoint,
		RetryMaxAttempts: cfg.RetryMaxAttempts,
		RetryMode:        cfg.RetryMode,
		AppID:            cfg.AppID,
		Logger:           cfg.Logger,
		ClientLogMode:    cfg.ClientLogMode,
	}
	if cfg.Retryer != nil {
		opts.Retryer = cfg.Retryer()
	}
	resolveConfigSources(cfg.ConfigSources, &opts)
	return New(opts, func(o *Options) {
		// Service options see this package's *Options: a function written
		// for the official client's type finds nothing to change.
		for _, fn := range cfg.ServiceOptions {
			fn(ServiceID, o)
		}
		for _, fn := range optFns {
			fn(o)
		}
	})
}

// BUG(workspaces): NewFromConfig ignores aws.Config's EndpointResolver and
// EndpointResolverWithOptions, the endpoint hooks the AWS SDK has
// deprecated; a program that still routes requests with one reaches the
// Region's public endpoint instead. Set Options.BaseEndpoint, or
// AWS_ENDPOINT_URL_WORKSPACES, to the URL the resolver returned.

// Options returns a copy of the client's options, defaults filled in.
func (c *Client) Options() Options {
	return c.options
}

// resolveDefaults fills in what the caller left unset.
func resolveDefaults(o *Options) {
	if o.HTTPClient == nil {
		o.HTTPClient = awshttp.NewBuildableClient()
	}
	if o.Logger == nil {
		o.Logger = logging.Nop{}
	}
	o.Credentials = cacheCredentials(o.Credentials)
	resolveRetryer(o, 0)
	resolveTelemetryProviders(o)
}

// resolveRetryer gives o the default retryer of its RetryMode when it has
// none, and caps its retryer at RetryMaxAttempts unless that cap is
// applied already: applied is the client's own, when o is a call's copy of
// the client's options.
func resolveRetryer(o *Options, applied int) {
	switch {
	case o.Retryer == nil:
		o.Retryer = newRetryer(o.RetryMode, o.RetryMaxAttempts)
	case o.RetryMaxAttempts != 0 && o.RetryMaxAttempts != applied:
		o.Retryer = retry.AddWithMaxAttempts(o.Retryer, o.RetryMaxAttempts)
	}
}

// resolveTelemetryProviders sets the no-op providers where none is given.
func resolveTelemetryProviders(o *Options) {
	if o.TracerProvider == nil {
		o.TracerProvider = tracing.NopTracerProvider{}
	}
	if o.MeterProvider == nil {
		o.MeterProvider = metrics.NopMeterProvider{}
	}
}

// cacheCredentials wraps p so that keys are fetched once and reused until
// they expire, unless p caches already or has nothing to cache.
func cacheCredentials(p aws.CredentialsProvider) aws.CredentialsProvider {
	if p == nil {
		return nil
	}
	// A type assertion, not aws.IsCredentialsProvider: a cache answers that
	// question for the provider it wraps, not for itself.
	if _, ok := p.(*aws.CredentialsCache); ok {
		return p
	}
	if aws.IsCredentialsProvider(p, (*aws.AnonymousCredentials)(nil)) {
		return p
	}
	return aws.NewCredentialsCache(p)
}

func newRetryer(mode aws.RetryMode, maxAttempts int) aws.Retryer {
	standard := func(so *retry.StandardOptions) {
		if maxAttempts != 0 {
			so.MaxAttempts = maxAttempts
		}
	}
	if mode == aws.RetryModeAdaptive {
		return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
			ao.StandardOptions = append(ao.StandardOptions, standard)
		})
	}
	return retry.NewStandard(standard)
}

// resolveConfigSources applies what shared configuration and the
// environment say about endpoints: FIPS, dual-stack, and a base endpoint
// for this service (AWS_ENDPOINT_URL_WORKSPACES, or endpoint_url in the
// profile's services section), which wins over the global one.
func resolveConfigSources(sources []any, o *Options) {
	ctx := context.Background()
	for _, s := range sources {
		if p, ok := s.(interface {
			GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error)
		}); ok {
			if v, found, err := p.GetUseFIPSEndpoint(ctx); err == nil && found {
				o.EndpointOptions.UseFIPSEndpoint = v
				break
			}
		}
	}
	for _, s := range sources {
		if p, ok := s.(interface {
			GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error)
		}); ok {
			if v, found, err := p.GetUseDualStackEndpoint(ctx); err == nil && found {
				o.EndpointOptions.UseDualStackEndpoint = v
				break
			}
		}
	}
	for _, s := range sources {
		if p, ok := s.(interface {
			GetServiceBaseEndpoint(context.Context, string) (string, bool, error)
		}); ok {
			if v, found, err := p.GetServiceBaseEndpoint(ctx, ServiceID); err == nil && found {
				o.BaseEndpoint = &v
				break
			}
		}
	}
}

// newCallConfig derives the per-call state from finished options.
func newCallConfig(o Options) callConfig {
	cc := callConfig{
		opts:      o,
		userAgent: userAgent(o.AppID),
		limit:     o.ResponseBodyLimit,
		retryer:   wrapRetryer(o.Retryer),
		anonymous: o.Credentials != nil &&
			aws.IsCredentialsProvider(o.Credentials, (*aws.AnonymousCredentials)(nil)),
		tel: newTelemetry(o),
	}
	if cc.limit <= 0 {
		cc.limit = DefaultResponseBodyLimit
	}
	u, err := resolveEndpoint(o)
	if err != nil {
		cc.endpoint = err
	} else {
		cc.url = u
	}
	return cc
}

// resolveEndpoint returns the URL requests are posted to.
func resolveEndpoint(o Options) (*url.URL, error) {
	p := endpoints.Params{
		Region:       o.Region,
		UseFIPS:      o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled,
		UseDualStack: o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled,
	}
	if o.BaseEndpoint != nil {
		p.Endpoint = *o.BaseEndpoint
	}
	u, err := endpoints.Resolve(p)
	if err != nil {
		return nil, err
	}
	// The operation's path is "/", appended to the endpoint's own path the
	// way the official client joins them: an endpoint path stays as it is.
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	return u, nil
}

// config returns the call configuration for optFns: the client's own when
// there are none, else a copy of the client's options changed by them.
func (c *Client) config(optFns []func(*Options)) *callConfig {
	if len(optFns) == 0 {
		return &c.base
	}
	o := c.options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = c.options.HTTPClient
	}
	if o.Logger == nil {
		o.Logger = c.options.Logger
	}
	resolveRetryer(&o, c.options.RetryMaxAttempts)
	resolveTelemetryProviders(&o)
	cc := newCallConfig(o)
	return &cc
}

// The request path. One call is: the operation, which validates and
// encodes its input; invoke, which loops over attempts as the Retryer
// allows; and attempt, which builds, signs and sends one request, reads the
// response whole and decodes it into the output or the error it reports.

// invoke posts the body in call to the operation named by target and
// decodes the first successful response into call.out, retrying failures
// the Retryer calls retryable. It returns the metadata of the last
// response. Errors come back unwrapped; the operation wraps them.
func (c *Client) invoke(ctx context.Context, cc *callConfig, call *callState, target string) (
	middleware.Metadata, error,
) {
	if cc.endpoint != nil {
		return middleware.Metadata{}, cc.endpoint
	}
	sum := sha256.Sum256(call.body)
	hex.Encode(call.hash[:], sum[:])
	putInvocationID(&call.id)
	// Both arrays are written once, here, and never again: the strings may
	// share their memory.
	call.payloadHash = unsafe.String(&call.hash[0], len(call.hash))
	call.invocationID = unsafe.String(&call.id[0], len(call.id))
	call.target = target
	call.maxAttempts = cc.retryer.MaxAttempts()
	call.skew = time.Duration(c.skew.Load())
	op := operationName(target)
	ctx, loopSpan := cc.tel.startRetryLoop(ctx)
	if loopSpan != nil {
		defer loopSpan.End()
	}
	release := nopRelease
	for {
		call.attempt++
		// A cancelled call stops here rather than taking tokens from the
		// retry quota for an attempt that cannot succeed.
		if err := ctx.Err(); err != nil {
			return middleware.Metadata{}, err
		}
		// Only the first attempt takes an attempt token: the official
		// client marks later attempts in context values that only aws/retry
		// can read, and its retryers then give none, so that a call which
		// succeeds after retries refunds nothing to the retry quota.
		releaseAttempt := nopRelease
		if call.attempt == 1 {
			var err error
			releaseAttempt, err = cc.retryer.GetAttemptToken(ctx)
			if err != nil {
				return middleware.Metadata{}, fmt.Errorf("failed to get retry Send token, %w", err)
			}
		}
		if call.attempt > 1 && cc.opts.ClientLogMode.IsRetries() {
			cc.opts.Logger.Logf(logging.Debug, "retrying request %s/%s, attempt %d",
				ServiceID, op, call.attempt)
		}

		actx, obs := cc.tel.startAttempt(ctx, op, call.attempt)
		res, err := c.attempt(actx, cc, call)
		obs.end(actx, res.metadata, err)
		_ = release(err)
		_ = releaseAttempt(err)
		if res.hasSkew {
			c.skew.Store(int64(res.skew))
		}
		if err == nil {
			return res.metadata, nil
		}

		err = classifyClockSkew(err, res, call.skew)
		if !cc.retryer.IsErrorRetryable(err) {
			if cc.opts.ClientLogMode.IsRetries() {
				cc.opts.Logger.Logf(logging.Debug, "request failed with unretryable error %v", err)
			}
			return res.metadata, err
		}
		if call.maxAttempts > 0 && call.attempt >= call.maxAttempts {
			if cc.opts.ClientLogMode.IsRetries() {
				cc.opts.Logger.Logf(logging.Debug, "max retry attempts exhausted, max %d",
					call.maxAttempts)
			}
			return res.metadata, &retry.MaxAttemptsError{Attempt: call.attempt, Err: err}
		}
		var quotaErr error
		release, quotaErr = cc.retryer.GetRetryToken(ctx, err)
		if quotaErr != nil {
			return res.metadata, errors.Join(err, quotaErr)
		}
		delay, err := cc.retryer.RetryDelay(call.attempt, err)
		if err != nil {
			return res.metadata, err
		}
		if err := sleep(ctx, retryAfter(delay, res.header)); err != nil {
			return res.metadata, &aws.RequestCanceledError{Err: err}
		}
		if res.hasSkew {
			call.skew = res.skew
		}
	}
}

// attemptInput is what every attempt of one call shares.
type attemptInput struct {
	target       string
	body         []byte
	payloadHash  string
	invocationID string
	attempt      int
	maxAttempts  int
	skew         time.Duration // added to our clock when signing
}

// callState is what one call needs for all its attempts, allocated in one
// piece when the call starts: the body and the strings every attempt
// sends, and the request parts of the first attempt. A call that is
// retried allocates parts for each later attempt.
type callState struct {
	attemptInput
	out   responseDecoder // where a successful response is decoded
	buf   [96]byte        // the body, unless a long NextToken outgrows it
	hash  [sha256.Size * 2]byte
	id    [36]byte
	first requestParts
}

// attemptResult is what one attempt learned, whether it failed or not.
type attemptResult struct {
	metadata middleware.Metadata
	header   http.Header // response headers, nil when no response came
	skew     time.Duration
	hasSkew  bool // skew was measured from a trustworthy Date header
}

// attempt sends one request and reads its response whole.
func (c *Client) attempt(ctx context.Context, cc *callConfig, call *callState) (
	res attemptResult, err error,
) {
	parts := &call.first
	if call.attempt > 1 {
		parts = new(requestParts)
	}
	in := &call.attemptInput
	req := newRequest(ctx, cc, in, parts)

	if err := c.sign(ctx, cc, req, in.payloadHash, in.skew); err != nil {
		return res, err
	}
	logRequest(cc, req, in.body)

	sentAt := time.Now()
	resp, err := cc.opts.HTTPClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return res, &smithy.CanceledError{Err: ctx.Err()}
		}
		return res, &smithyhttp.RequestSendError{Err: err}
	}
	defer resp.Body.Close()
	res.skew, res.hasSkew = measureSkew(resp.Header, sentAt, time.Now())
	res.header = resp.Header
	requestID := resp.Header.Get("X-Amzn-Requestid")
	if requestID == "" {
		requestID = resp.Header.Get("X-Amz-Request-Id")
	}
	if requestID != "" {
		awsmiddleware.SetRequestIDMetadata(&res.metadata, requestID)
	}

	body, err := readBody(ctx, resp, cc.limit)
	logResponse(cc, resp, body)
	switch {
	case err != nil:
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		err = decodeError(resp, body)
	default:
		start := cc.tel.stopwatch()
		err = call.out.decodeResponse(body)
		cc.tel.record(ctx, stepDeserialize, operationName(in.target), start)
		if err != nil {
			err = deserializationError(err, body)
		}
	}
	// Every failure that came with a response carries it, as in the
	// official client: its status and request ID stay within reach.
	if err != nil {
		return res, &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: resp},
				Err:      err,
			},
			RequestID: requestID,
		}
	}
	return res, nil
}

// responseDecoder decodes the body of a successful response into an
// operation's output.
type responseDecoder interface {
	decodeResponse(body string) error
}

// newRequest builds the HTTP request of one attempt in parts, which the
// request points into. It is built by hand rather than with
// http.NewRequestWithContext, which would parse the URL again and wrap the
// body twice: on the request path every allocation shows.
func newRequest(ctx context.Context, cc *callConfig, in *attemptInput,
	parts *requestParts,
) *http.Request {
	*parts = requestParts{
		url:  *cc.url,
		body: requestBody{data: in.body},
		values: [...]string{
			"application/x-amz-json-1.1",
			in.target,
			cc.userAgent,
			in.invocationID,
			sdkRequestHeader(in.attempt, in.maxAttempts),
		},
	}
	v := parts.values[:]
	// Eight entries fit the map's first group: these five and the signer's
	// X-Amz-Date, Authorization and X-Amz-Security-Token.
	h := make(http.Header, 8)
	h["Content-Type"] = v[0:1:1]
	h["X-Amz-Target"] = v[1:2:2]
	h["User-Agent"] = v[2:3:3]
	h["Amz-Sdk-Invocation-Id"] = v[3:4:4]
	h["Amz-Sdk-Request"] = v[4:5:5]
	req := &http.Request{
		Method:        http.MethodPost,
		URL:           &parts.url,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          &parts.body,
		GetBody:       parts.body.rewind,
		ContentLength: int64(len(in.body)),
		Host:          parts.url.Host,
	}
	return req.WithContext(ctx)
}

// requestParts holds what one attempt's request points into.
type requestParts struct {
	url    url.URL
	body   requestBody
	values [5]string
}

// requestBody is the body of one attempt. Each attempt has its own, so a
// transport still reading a failed attempt's body cannot disturb the next.
type requestBody struct {
	data []byte
	off  int
}

func (b *requestBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

func (b *requestBody) Close() error { return nil }

// rewind returns a fresh copy of the body, for a transport that must send
// the request again on a new connection.
func (b *requestBody) rewind() (io.ReadCloser, error) {
	return &requestBody{data: b.data}, nil
}

// sdkRequestHeaders holds the usual amz-sdk-request values, so that a call
// does not format them anew.
var sdkRequestHeaders = func() (t [4][11]string) {
	for attempt := 1; attempt < len(t[0]); attempt++ {
		for max := range len(t) {
			t[max][attempt] = formatSDKRequest(attempt, max+2)
		}
	}
	return t
}()

// sdkRequestHeader returns the amz-sdk-request value of an attempt:
// "attempt=2; max=3", without max when the retryer has no maximum.
func sdkRequestHeader(attempt, max int) string {
	if attempt < len(sdkRequestHeaders[0]) && max >= 2 && max-2 < len(sdkRequestHeaders) {
		return sdkRequestHeaders[max-2][attempt]
	}
	return formatSDKRequest(attempt, max)
}

func formatSDKRequest(attempt, max int) string {
	s := "attempt=" + strconv.Itoa(attempt)
	if max != 0 {
		s += "; max=" + strconv.Itoa(max)
	}
	return s
}

// sign signs req with SigV4, unless the credentials are anonymous. A request
// is never sent signed with empty keys: missing credentials are an error.
func (c *Client) sign(ctx context.Context, cc *callConfig, req *http.Request,
	payloadHash string, skew time.Duration,
) error {
	if cc.anonymous {
		return nil
	}
	if cc.opts.Credentials == nil {
		return errors.New("get identity: no credentials: set Options.Credentials, " +
			"or aws.AnonymousCredentials to send unsigned requests")
	}
	start := cc.tel.stopwatch()
	creds, err := cc.opts.Credentials.Retrieve(ctx)
	cc.tel.record(ctx, stepIdentity, opDescribeWorkspaceImagePermissions, start)
	if err != nil {
		return fmt.Errorf("get identity: %w", err)
	}
	if !creds.HasKeys() {
		return fmt.Errorf("get identity: credentials from %q have no access key ID or "+
			"secret access key", creds.Source)
	}
	if cc.opts.Region == "" {
		return errors.New("sign request: Options.Region is empty; SigV4 signs for a region")
	}
	start = cc.tel.stopwatch()
	signedAt := time.Now().Add(skew).UTC()
	err = c.signer.SignHTTP(ctx, creds, req, payloadHash, signingName, cc.opts.Region, signedAt)
	cc.tel.record(ctx, stepSigning, opDescribeWorkspaceImagePermissions, start)
	if err != nil {
		return &v4.SigningError{Err: fmt.Errorf("failed to sign http request, %w", err)}
	}
	logSigning(cc, req, payloadHash)
	return nil
}

// readBody reads the whole response body, refusing one over limit bytes
// before reading it when Content-Length tells, and as soon as it passes the
// limit otherwise. The body is read into memory of its own, never reused:
// the strings of a decoded page point into it.
func readBody(ctx context.Context, resp *http.Response, limit int64) (string, error) {
	if resp.ContentLength > limit {
		return "", &smithy.DeserializationError{Err: fmt.Errorf(
			"response body of %d bytes exceeds the limit of %d bytes (Options.ResponseBodyLimit)",
			resp.ContentLength, limit)}
	}
	size := int64(512)
	if resp.ContentLength >= 0 {
		// One byte more than announced, so that the read that meets EOF
		// needs no larger buffer.
		size = resp.ContentLength + 1
	}
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			// Doubling, and at the last step to one byte past the limit,
			// keeps what a long body allocates within twice the limit.
			size := 2 * int64(cap(b))
			if size >= limit {
				size = limit + 1
			}
			grown := make([]byte, len(b), size)
			b = grown[:copy(grown, b)]
		}
		n, err := resp.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return "", &smithy.DeserializationError{Err: fmt.Errorf(
				"response body exceeds the limit of %d bytes (Options.ResponseBodyLimit)", limit)}
		}
		if err == io.EOF {
			// b is never written again and never reused, so the string may
			// share its memory: a page is decoded without copying it first.
			return unsafe.String(unsafe.SliceData(b), len(b)), nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return "", &smithy.CanceledError{Err: ctx.Err()}
			}
			return "", &bodyReadError{err: err}
		}
	}
}

// bodyReadError is a response body cut short: the connection failed after
// the headers came. Retryers treat it as the connection error it is, so the
// request is sent again rather than a partial page returned.
type bodyReadError struct{ err error }

func (e *bodyReadError) Error() string         { return "read response body: " + e.err.Error() }
func (e *bodyReadError) Unwrap() error         { return e.err }
func (e *bodyReadError) ConnectionError() bool { return true }

// clockSkewCodes are the error codes a service may answer a request signed
// at the wrong time with; the official client's retryer uses the same set.
var clockSkewCodes = map[string]bool{
	"InvalidSignatureException": true,
	"SignatureDoesNotMatch":     true,
	"AuthFailure":               true,
	"RequestTimeTooSkewed":      true,
	"AccessDeniedException":     true,
}

// skewThreshold is how far our signing clock may be from the service's
// before an authentication failure is put down to clock skew.
const skewThreshold = 4 * time.Minute

// classifyClockSkew marks err retryable when it is an authentication failure
// and the response's Date header shows our signing clock was off by more
// than skewThreshold: the next attempt signs with the corrected clock.
func classifyClockSkew(err error, res attemptResult, attemptSkew time.Duration) error {
	var apiErr smithy.APIError
	if !res.hasSkew || !errors.As(err, &apiErr) || !clockSkewCodes[apiErr.ErrorCode()] {
		return err
	}
	if d := attemptSkew - res.skew; d > skewThreshold || d < -skewThreshold {
		return &clockSkewError{err: err}
	}
	return err
}

// clockSkewError is an error that a corrected signing clock may fix.
type clockSkewError struct{ err error }

// Error reads as the official client's clock-skew error does.
func (e *clockSkewError) Error() string {
	return "Probable clock skew error: " + e.err.Error()
}

func (e *clockSkewError) Unwrap() error        { return e.err }
func (e *clockSkewError) RetryableError() bool { return true }

// maxTrustedRequestDuration bounds the round trip whose Date header is used
// to measure skew: after a long wait the header says little about the
// service's clock now.
const maxTrustedRequestDuration = 15 * time.Minute

// measureSkew returns the service's clock minus ours, from the response's
// Date header. A cached response (with an Age header) or a slow round trip
// tells nothing reliable, and neither does a missing or malformed header.
func measureSkew(h http.Header, sentAt, receivedAt time.Time) (time.Duration, bool) {
	date := h.Get("Date")
	if date == "" || h.Get("Age") != "" || receivedAt.Sub(sentAt) > maxTrustedRequestDuration {
		return 0, false
	}
	serverTime, err := http.ParseTime(date)
	if err != nil {
		return 0, false
	}
	return serverTime.Sub(receivedAt), true
}

// retryAfter clamps delay by the x-amz-retry-after response header, in
// milliseconds, to between delay and delay plus five seconds.
func retryAfter(delay time.Duration, h http.Header) time.Duration {
	v := h.Get("X-Amz-Retry-After")
	if v == "" {
		return delay
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return delay
	}
	return min(max(time.Duration(ms)*time.Millisecond, delay), delay+5*time.Second)
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func nopRelease(error) error { return nil }

// wrapRetryer returns r as an aws.RetryerV2, whose GetAttemptToken takes a
// context; older retryers only have GetInitialToken.
func wrapRetryer(r aws.Retryer) aws.RetryerV2 {
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2
	}
	return retryerV2{r}
}

type retryerV2 struct{ aws.Retryer }

func (r retryerV2) GetAttemptToken(context.Context) (func(error) error, error) {
	return r.GetInitialToken(), nil
}

// userAgent builds the User-Agent header: this module and its version, the
// Go and OS facts AWS SDKs report, and the application ID when there is one.
func userAgent(appID string) string {
	var b strings.Builder
	b.WriteString("leanaws-workspaces/" + Version + " ua/2.1 os/" + runtime.GOOS +
		" lang/go#" + strings.TrimPrefix(runtime.Version(), "go") +
		" md/GOOS#" + runtime.GOOS + " md/GOARCH#" + runtime.GOARCH +
		" api/workspaces#" + Version)
	if appID != "" {
		b.WriteString(" app/" + sanitizeUserAgent(appID))
	}
	return b.String()
}

// sanitizeUserAgent replaces the characters a User-Agent token may not hold.
func sanitizeUserAgent(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9',
			strings.ContainsRune("!#$%&'*+-.^_`|~", r):
			return r
		}
		return '-'
	}, s)
}

// putInvocationID writes a random UUID to s: it names one call across its
// attempts, sent as amz-sdk-invocation-id.
func putInvocationID(s *[36]byte) {
	// The ID only tells calls apart in logs and metrics: math/rand/v2's
	// generator is unique enough and, unlike crypto/rand, makes no syscall.
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
}
