package workspaces_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
)

func TestDescribeWorkspaceImagePermissions_RequestShape(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub, func(o *workspaces.Options) {
		o.AppID = "audit-job"
		o.RetryMaxAttempts = 4
	})

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{
			ImageId: aws.String(testImageID), MaxResults: aws.Int32(7),
			NextToken: aws.String(`tok"\`),
		})
	require.NoError(t, err)

	sent := stub.sent()
	require.Len(t, sent, 1)
	req := sent[0].req
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "https://workspaces.us-east-1.amazonaws.com/", req.URL.String())
	assert.Equal(t, "application/x-amz-json-1.1", req.Header.Get("Content-Type"))
	assert.Equal(t, "WorkspacesService.DescribeWorkspaceImagePermissions",
		req.Header.Get("X-Amz-Target"))
	assert.JSONEq(t, `{"ImageId":"wsi-abc123def","MaxResults":7,"NextToken":"tok\"\\"}`,
		sent[0].body)
	assert.Equal(t, `{"ImageId":"wsi-abc123def","MaxResults":7,"NextToken":"tok\"\\"}`,
		sent[0].body, "members in model order, nothing else")
	assert.Equal(t, int64(len(sent[0].body)), req.ContentLength)

	ua := req.Header.Get("User-Agent")
	assert.Regexp(t, `^leanaws-workspaces/\d+\.\d+\.\d+ `, ua)
	assert.Contains(t, ua, " app/audit-job")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
		req.Header.Get("Amz-Sdk-Invocation-Id"))
	assert.Equal(t, "attempt=1; max=4", req.Header.Get("Amz-Sdk-Request"))
}

func TestDescribeWorkspaceImagePermissions_OnlySetMembersSent(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	assert.Equal(t, `{"ImageId":"wsi-abc123def"}`, stub.sent()[0].body)
}

// TestDescribeWorkspaceImagePermissions_SignatureVerifies signs the received
// request again, independently, with the same credentials and time, and
// expects the same Authorization header.
func TestDescribeWorkspaceImagePermissions_SignatureVerifies(t *testing.T) {
	t.Parallel()
	for name, token := range map[string]string{"long-term keys": "", "session token": testToken} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.Region = "eu-west-1"
				o.Credentials = staticCredentials(token)
			})

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
			require.NoError(t, err)

			got := stub.sent()[0]
			auth := got.req.Header.Get("Authorization")
			require.NotEmpty(t, auth)
			assert.Contains(t, auth, "Credential="+testAccessKeyID+"/")
			assert.Contains(t, auth, "/eu-west-1/workspaces/aws4_request")
			assert.Equal(t, token, got.req.Header.Get("X-Amz-Security-Token"))
			if token != "" {
				assert.Contains(t, auth, "x-amz-security-token")
			}

			assert.Equal(t, auth, resign(t, got, token, "eu-west-1"))
		})
	}
}

// resign signs a copy of the received request with the test credentials at
// its own X-Amz-Date and returns the Authorization header that gives.
func resign(t *testing.T, got received, token, region string) string {
	t.Helper()
	signedAt, err := time.Parse("20060102T150405Z", got.req.Header.Get("X-Amz-Date"))
	require.NoError(t, err)
	req, err := http.NewRequest(got.req.Method, got.req.URL.String(), strings.NewReader(got.body))
	require.NoError(t, err)
	for k, v := range got.req.Header {
		if k != "Authorization" {
			req.Header[k] = v
		}
	}
	creds := aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretKey,
		SessionToken: token}
	hash := sha256Hex(got.body)
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hash,
		"workspaces", region, signedAt))
	return req.Header.Get("Authorization")
}

func TestDescribeWorkspaceImagePermissions_AnonymousIsUnsigned(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub, func(o *workspaces.Options) {
		o.Credentials = aws.AnonymousCredentials{}
	})

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	h := stub.sent()[0].req.Header
	assert.Empty(t, h.Get("Authorization"))
	assert.Empty(t, h.Get("X-Amz-Date"))
}

func TestDescribeWorkspaceImagePermissions_CredentialErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("token file unreadable")
	tests := map[string]struct {
		creds aws.CredentialsProvider
		want  string
		is    error
	}{
		"provider fails": {
			creds: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{}, boom
			}),
			want: "get identity: ", is: boom,
		},
		"empty keys": {
			creds: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{Source: "EnvConfigCredentials"}, nil
			}),
			want: "no access key ID or secret access key",
		},
		"no provider": {want: "no credentials"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.Credentials = tt.creds
			})

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			var opErr *smithy.OperationError
			assert.ErrorAs(t, err, &opErr)
			assert.Empty(t, stub.sent(), "nothing is sent unsigned or signed with empty keys")
		})
	}
}

func TestNew_CachesCredentials(t *testing.T) {
	t.Parallel()
	calls := 0
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		calls++
		return aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S", CanExpire: true,
			Expires: time.Now().Add(time.Hour)}, nil
	})
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub, func(o *workspaces.Options) { o.Credentials = provider })

	for range 3 {
		_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
		require.NoError(t, err)
	}

	assert.Equal(t, 1, calls)
	assert.IsType(t, &aws.CredentialsCache{}, client.Options().Credentials)
	cache := aws.NewCredentialsCache(provider)
	again := newTestClient(t, stub, func(o *workspaces.Options) { o.Credentials = cache })
	assert.Same(t, cache, again.Options().Credentials, "a cache is not wrapped twice")
}

func TestDescribeWorkspaceImagePermissions_ResponseDecoded(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{
		header: map[string]string{"X-Amzn-Requestid": "rid-42"},
		body: `{"ImageId":"wsi-abc123def","Unknown":{"nested":[1,2,{"x":null}]},` +
			`"ImagePermissions":[{"SharedAccountId":"111122223333","Extra":true},` +
			`{"SharedAccountId":"444455556666"}],"NextToken":null}`,
	})
	client := newTestClient(t, stub)

	out, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.NoError(t, err)
	assert.Equal(t, testImageID, aws.ToString(out.ImageId))
	require.Len(t, out.ImagePermissions, 2)
	assert.Equal(t, "111122223333", aws.ToString(out.ImagePermissions[0].SharedAccountId))
	assert.Equal(t, "444455556666", aws.ToString(out.ImagePermissions[1].SharedAccountId))
	assert.Nil(t, out.NextToken)
	id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	assert.True(t, ok)
	assert.Equal(t, "rid-42", id)
}

func TestDescribeWorkspaceImagePermissions_UndecodableSuccess(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"truncated":          `{"ImageId":"wsi-abc123def","ImagePermissions":[{"Shar`,
		"not json":           `<html>OK</html>`,
		"wrong member type":  `{"ImageId":42}`,
		"array at top level": `[]`,
		"trailing garbage":   `{"ImageId":"wsi-abc123def"} x`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: body, header: map[string]string{"X-Amzn-Requestid": "r1"}})
			client := newTestClient(t, stub)

			out, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			assert.Nil(t, out)
			var de *smithy.DeserializationError
			require.ErrorAs(t, err, &de)
			var opErr *smithy.OperationError
			require.ErrorAs(t, err, &opErr)
			assert.Equal(t, "DescribeWorkspaceImagePermissions", opErr.OperationName)
			assert.Len(t, stub.sent(), 1, "a bad body is not retried")
		})
	}
}

func TestDescribeWorkspaceImagePermissions_BaseEndpoint(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		base string
		want string
	}{
		"plain http":     {base: "http://127.0.0.1:4566", want: "http://127.0.0.1:4566/"},
		"path kept":      {base: "https://proxy.example/ws", want: "https://proxy.example/ws"},
		"trailing slash": {base: "https://proxy.example/ws/", want: "https://proxy.example/ws/"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.BaseEndpoint = aws.String(tt.base)
			})

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			require.NoError(t, err)
			assert.Equal(t, tt.want, stub.sent()[0].req.URL.String())
		})
	}
}

func TestDescribeWorkspaceImagePermissions_EndpointErrorsSendNothing(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		opts func(*workspaces.Options)
		want string
	}{
		"missing region": {
			opts: func(o *workspaces.Options) { o.Region = "" },
			want: "Missing Region",
		},
		"malformed region": {
			opts: func(o *workspaces.Options) { o.Region = "us-east-1/evil" },
			want: "us-east-1/evil",
		},
		"fips with custom endpoint": {
			opts: func(o *workspaces.Options) {
				o.BaseEndpoint = aws.String("https://example.com")
				o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
			},
			want: "FIPS and custom endpoint are not supported",
		},
		"dual-stack with custom endpoint": {
			opts: func(o *workspaces.Options) {
				o.BaseEndpoint = aws.String("https://example.com")
				o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
			},
			want: "Dualstack and custom endpoint are not supported",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, tt.opts)

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, stub.sent())
		})
	}
}

func TestDescribeWorkspaceImagePermissions_EndpointVariants(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		region     string
		fips, dual bool
		want       string
	}{
		"aws":            {region: "us-west-2", want: "workspaces.us-west-2.amazonaws.com"},
		"fips":           {region: "us-west-2", fips: true, want: "workspaces-fips.us-west-2.amazonaws.com"},
		"dual-stack":     {region: "us-west-2", dual: true, want: "workspaces.us-west-2.api.aws"},
		"china":          {region: "cn-north-1", want: "workspaces.cn-north-1.amazonaws.com.cn"},
		"gov fips":       {region: "us-gov-west-1", fips: true, want: "workspaces-fips.us-gov-west-1.amazonaws.com"},
		"unknown region": {region: "xx-moon-1", want: "workspaces.xx-moon-1.amazonaws.com"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.Region = tt.region
				if tt.fips {
					o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
				}
				if tt.dual {
					o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
				}
			})

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			require.NoError(t, err)
			u := stub.sent()[0].req.URL
			assert.Equal(t, "https", u.Scheme)
			assert.Equal(t, tt.want, u.Host)
		})
	}
}

func TestDescribeWorkspaceImagePermissions_PerCallOptions(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub)

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID),
		func(o *workspaces.Options) {
			o.Region = "ap-southeast-2"
			o.AppID = "one-off"
		})
	require.NoError(t, err)
	_, err = client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))
	require.NoError(t, err)

	sent := stub.sent()
	assert.Equal(t, "workspaces.ap-southeast-2.amazonaws.com", sent[0].req.URL.Host)
	assert.Contains(t, sent[0].req.Header.Get("Authorization"), "/ap-southeast-2/workspaces/")
	assert.Contains(t, sent[0].req.Header.Get("User-Agent"), "app/one-off")
	assert.Equal(t, "workspaces.us-east-1.amazonaws.com", sent[1].req.URL.Host,
		"the change was for that call only")
	assert.NotContains(t, sent[1].req.Header.Get("User-Agent"), "app/")
	assert.Equal(t, "us-east-1", client.Options().Region)
}

func TestClient_ConcurrentUse(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	client := newTestClient(t, stub)

	var wg sync.WaitGroup
	errs := make(chan error, 16*25)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				var opt []func(*workspaces.Options)
				if i%5 == 0 {
					opt = append(opt, func(o *workspaces.Options) { o.AppID = fmt.Sprint("g", g) })
				}
				out, err := client.DescribeWorkspaceImagePermissions(t.Context(),
					imageInput(testImageID), opt...)
				if err == nil && len(out.ImagePermissions) != 2 {
					err = fmt.Errorf("got %d permissions", len(out.ImagePermissions))
				}
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)

	for err := range errs {
		require.NoError(t, err)
	}
	assert.Len(t, stub.sent(), 16*25)
}

// configSource stands in for the config module's environment and shared
// configuration sources.
type configSource struct {
	fips     aws.FIPSEndpointState
	dual     aws.DualStackEndpointState
	endpoint map[string]string
}

func (s configSource) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return s.fips, s.fips != aws.FIPSEndpointStateUnset, nil
}

func (s configSource) GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error) {
	return s.dual, s.dual != aws.DualStackEndpointStateUnset, nil
}

func (s configSource) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v, ok := s.endpoint[sdkID]
	return v, ok, nil
}

type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) Logf(c logging.Classification, format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, string(c)+" "+fmt.Sprintf(format, v...))
}

func (l *recordingLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestNewFromConfig_HonorsConfig(t *testing.T) {
	t.Parallel()
	stub := newStub(errorReply(500, "InternalFailure", "try again"))
	logger := &recordingLogger{}
	cfg := aws.Config{
		Region:           "eu-central-1",
		Credentials:      staticCredentials(testToken),
		HTTPClient:       stub,
		RetryMaxAttempts: 2,
		Retryer:          func() aws.Retryer { return noBackoff(5) },
		AppID:            "from-config",
		Logger:           logger,
		ClientLogMode:    aws.LogRetries,
	}

	client := workspaces.NewFromConfig(cfg)
	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.Error(t, err)
	sent := stub.sent()
	require.Len(t, sent, 2, "RetryMaxAttempts caps the configured Retryer")
	req := sent[0].req
	assert.Equal(t, "workspaces.eu-central-1.amazonaws.com", req.URL.Host)
	assert.Equal(t, testToken, req.Header.Get("X-Amz-Security-Token"))
	assert.Contains(t, req.Header.Get("User-Agent"), "app/from-config")
	assert.Contains(t, logger.text(), "retrying request WorkSpaces/DescribeWorkspaceImagePermissions, attempt 2")
	o := client.Options()
	assert.Equal(t, "eu-central-1", o.Region)
	assert.Equal(t, aws.LogRetries, o.ClientLogMode)
}

func TestNewFromConfig_EndpointSettings(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg  aws.Config
		want string
	}{
		"base endpoint": {
			cfg:  aws.Config{BaseEndpoint: aws.String("http://127.0.0.1:4566")},
			want: "http://127.0.0.1:4566/",
		},
		"service endpoint wins over global": {
			cfg: aws.Config{
				BaseEndpoint: aws.String("http://global.example"),
				ConfigSources: []any{configSource{endpoint: map[string]string{
					"WorkSpaces": "http://workspaces.example"}}},
			},
			want: "http://workspaces.example/",
		},
		"other service's endpoint ignored": {
			cfg: aws.Config{ConfigSources: []any{configSource{endpoint: map[string]string{
				"S3": "http://s3.example"}}}},
			want: "https://workspaces.us-west-2.amazonaws.com/",
		},
		"fips from shared config": {
			cfg:  aws.Config{ConfigSources: []any{configSource{fips: aws.FIPSEndpointStateEnabled}}},
			want: "https://workspaces-fips.us-west-2.amazonaws.com/",
		},
		"dual-stack from shared config": {
			cfg: aws.Config{ConfigSources: []any{
				configSource{dual: aws.DualStackEndpointStateEnabled}}},
			want: "https://workspaces.us-west-2.api.aws/",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			tt.cfg.Region = "us-west-2"
			tt.cfg.Credentials = staticCredentials("")
			tt.cfg.HTTPClient = stub

			client := workspaces.NewFromConfig(tt.cfg)
			_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

			require.NoError(t, err)
			assert.Equal(t, tt.want, stub.sent()[0].req.URL.String())
		})
	}
}

func TestNew_RetryModes(t *testing.T) {
	t.Parallel()
	standard := workspaces.New(workspaces.Options{Region: "us-east-1"})
	adaptive := workspaces.New(workspaces.Options{Region: "us-east-1",
		RetryMode: aws.RetryModeAdaptive, RetryMaxAttempts: 7})
	custom := noBackoff(2)
	given := workspaces.New(workspaces.Options{Region: "us-east-1", Retryer: custom})

	assert.IsType(t, &retry.Standard{}, standard.Options().Retryer)
	assert.Equal(t, 3, standard.Options().Retryer.MaxAttempts())
	assert.IsType(t, &retry.AdaptiveMode{}, adaptive.Options().Retryer)
	assert.Equal(t, 7, adaptive.Options().Retryer.MaxAttempts())
	assert.Same(t, custom, given.Options().Retryer)
	assert.NotNil(t, standard.Options().HTTPClient, "a default HTTP client is set")
}

func TestNew_DefaultHTTPClientIsTuned(t *testing.T) {
	t.Parallel()
	client := workspaces.New(workspaces.Options{Region: "us-east-1"})

	_, ok := client.Options().HTTPClient.(interface{ GetTransport() *http.Transport })
	assert.True(t, ok, "the default is aws/transport/http's BuildableClient")
}

func TestNewFromConfig_ServiceOptions(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	var ids []string
	cfg := aws.Config{
		Region: "us-east-1", Credentials: staticCredentials(""), HTTPClient: stub,
		ServiceOptions: []func(string, any){func(id string, v any) {
			ids = append(ids, id)
			if o, ok := v.(*workspaces.Options); ok {
				o.AppID = "from-service-options"
			}
		}},
	}

	client := workspaces.NewFromConfig(cfg, func(o *workspaces.Options) {
		assert.Equal(t, "from-service-options", o.AppID, "service options come first")
	})
	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.NoError(t, err)
	assert.Equal(t, []string{"WorkSpaces"}, ids)
	assert.Contains(t, stub.sent()[0].req.Header.Get("User-Agent"), "app/from-service-options")
}
