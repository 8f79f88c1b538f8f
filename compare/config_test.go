package compare

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	official "github.com/aws/aws-sdk-go-v2/service/workspaces"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// These tests set environment variables, so none of them is parallel.

// isolateAWSEnv unsets, for the test, every environment variable the config
// module reads that could change what it loads, and keeps it off IMDS.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			require.NoError(t, os.Unsetenv(k))
		}
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// noBackoffRetryer wraps a client's retryer so that it does not wait
// between attempts; how many attempts it makes is left as configured.
type noBackoffRetryer struct{ aws.RetryerV2 }

func (noBackoffRetryer) RetryDelay(int, error) (time.Duration, error) { return 0, nil }

// withoutBackoff is a per-call option of either client: it runs after the
// client has built its retryer from the configuration.
func withoutBackoff(r *aws.Retryer) {
	*r = noBackoffRetryer{(*r).(aws.RetryerV2)}
}

// innermostRetryer returns the retryer r wraps, through the wrappers of
// aws/retry (AddWithMaxAttempts and the like), which embed it.
func innermostRetryer(r aws.Retryer) aws.Retryer {
	for {
		v := reflect.ValueOf(r)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return r
		}
		inner := v.FieldByName("RetryerV2")
		if !inner.IsValid() {
			inner = v.FieldByName("Retryer")
		}
		if !inner.IsValid() || inner.IsNil() {
			return r
		}
		r = inner.Interface().(aws.Retryer)
	}
}

// configuredClient is a client built with NewFromConfig, behind one
// signature, and the facts about its retryer.
type configuredClient struct {
	name     string
	retryer  aws.Retryer // the innermost of the client's retryer
	describe func(ctx context.Context) (pageFacts, error)
	facts    func(err error) errFacts
}

// clientsFromConfig builds our client and the official one from cfg.
func clientsFromConfig(cfg aws.Config) []configuredClient {
	in := callInput{ImageID: aws.String(cmpImage)}
	lean := workspaces.NewFromConfig(cfg)
	off := official.NewFromConfig(cfg)
	leanD, offD := leanDescriber(clientSetup{}), officialDescriber(clientSetup{})
	return []configuredClient{
		{
			name:    "lean",
			retryer: innermostRetryer(lean.Options().Retryer),
			describe: func(ctx context.Context) (pageFacts, error) {
				out, err := lean.DescribeWorkspaceImagePermissions(ctx,
					&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: in.ImageID},
					func(o *workspaces.Options) { withoutBackoff(&o.Retryer) })
				if err != nil {
					return pageFacts{}, err
				}
				p := pageFacts{ImageID: out.ImageId}
				for _, perm := range out.ImagePermissions {
					p.Permissions = append(p.Permissions, perm.SharedAccountId)
				}
				return p, nil
			},
			facts: leanD.facts,
		},
		{
			name:    "official",
			retryer: innermostRetryer(off.Options().Retryer),
			describe: func(ctx context.Context) (pageFacts, error) {
				out, err := off.DescribeWorkspaceImagePermissions(ctx,
					&official.DescribeWorkspaceImagePermissionsInput{ImageId: in.ImageID},
					func(o *official.Options) { withoutBackoff(&o.Retryer) })
				if err != nil {
					return pageFacts{}, err
				}
				p := pageFacts{ImageID: out.ImageId}
				for _, perm := range out.ImagePermissions {
					p.Permissions = append(p.Permissions, perm.SharedAccountId)
				}
				return p, nil
			},
			facts: offD.facts,
		},
	}
}

func TestNewFromConfig_LoadDefaultConfig(t *testing.T) {
	const (
		region = "eu-west-1"
		key    = "AKIDFROMPROFILE"
		secret = "profile-secret"
		token  = "profile-session-token"
		appID  = "compare-app"
	)
	tests := map[string]struct {
		retryMode   string
		wantRetryer string
		appIDInEnv  bool // AWS_SDK_UA_APP_ID, not sdk_ua_app_id
		// serviceURL: the fake is AWS_ENDPOINT_URL_WORKSPACES and a decoy
		// AWS_ENDPOINT_URL; otherwise the fake is AWS_ENDPOINT_URL.
		serviceURL bool
	}{
		"standard, service endpoint wins": {
			retryMode: "standard", wantRetryer: "*retry.Standard", serviceURL: true,
		},
		"adaptive, app id from env": {
			retryMode: "adaptive", wantRetryer: "*retry.AdaptiveMode", appIDInEnv: true,
			serviceURL: true,
		},
		"global endpoint alone": {
			retryMode: "standard", wantRetryer: "*retry.Standard",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			svc := workspacestest.NewService()
			require.NoError(t, svc.Seed(workspacestest.Seed{
				Credentials: []workspacestest.Credential{{
					AccessKeyID: key, SecretAccessKey: secret, SessionToken: token,
					AccountID: cmpOwner,
				}},
				Images: []workspacestest.Image{{
					ID: cmpImage, OwnerAccountID: cmpOwner, SharedAccountIDs: []string{cmpOther},
				}},
			}))
			fake := httptest.NewServer(svc)
			t.Cleanup(fake.Close)
			var decoyHits atomic.Int32
			decoy := httptest.NewServer(http.HandlerFunc(
				func(w http.ResponseWriter, _ *http.Request) {
					decoyHits.Add(1)
					w.WriteHeader(http.StatusTeapot)
				}))
			t.Cleanup(decoy.Close)

			dir := t.TempDir()
			profile := "[profile compare]\nregion = " + region + "\n"
			if !tc.appIDInEnv {
				profile += "sdk_ua_app_id = " + appID + "\n"
			}
			// The default profile must lose to AWS_PROFILE.
			profile = "[default]\nregion = us-west-2\n" + profile
			creds := "[default]\naws_access_key_id = AKIDDEFAULT\n" +
				"aws_secret_access_key = default-secret\n" +
				"[compare]\naws_access_key_id = " + key + "\naws_secret_access_key = " +
				secret + "\naws_session_token = " + token + "\n"
			require.NoError(t, os.WriteFile(filepath.Join(dir, "config"), []byte(profile), 0o600))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds),
				0o600))
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
			t.Setenv("AWS_PROFILE", "compare")
			if tc.serviceURL {
				t.Setenv("AWS_ENDPOINT_URL_WORKSPACES", fake.URL)
				t.Setenv("AWS_ENDPOINT_URL", decoy.URL)
			} else {
				t.Setenv("AWS_ENDPOINT_URL", fake.URL)
			}
			t.Setenv("AWS_MAX_ATTEMPTS", "4")
			t.Setenv("AWS_RETRY_MODE", tc.retryMode)
			if tc.appIDInEnv {
				t.Setenv("AWS_SDK_UA_APP_ID", appID)
			}

			cfg, err := config.LoadDefaultConfig(t.Context())
			require.NoError(t, err)

			var failures []errFacts
			for _, c := range clientsFromConfig(cfg) {
				assert.Equal(t, tc.wantRetryer, reflect.TypeOf(c.retryer).String(), c.name)

				// Every attempt fails with 503: the client makes
				// AWS_MAX_ATTEMPTS of them.
				svc.ClearRequests()
				require.NoError(t, svc.InjectFault(workspacestest.NextCalls(4),
					workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503}))
				_, err := c.describe(t.Context())
				require.Error(t, err, c.name)
				f := c.facts(err)
				assert.Equal(t, 4, f.MaxAttempts, c.name)
				assert.Equal(t, 503, f.Status, c.name)
				reqs := svc.Requests()
				require.Len(t, reqs, 4, c.name)
				last := reqs[3].RequestID
				assert.Equal(t, last, f.RequestID, c.name)
				f.RequestID, f.Text = "", strings.ReplaceAll(f.Text, last, "<request-id>")
				failures = append(failures, f)

				// Once the service is back, the signature checks out: the
				// profile's key, the region's scope and the session token.
				svc.ClearRequests()
				page, err := c.describe(t.Context())
				require.NoError(t, err, c.name)
				assert.Equal(t, []string{cmpOther}, page.accounts(), c.name)
				reqs = append(reqs, svc.Requests()...)
				require.Len(t, reqs, 5)
				assert.Equal(t, cmpOwner, reqs[4].AccountID, "%s: signature verified", c.name)

				for i, r := range reqs {
					auth := r.Header.Get("Authorization")
					assert.Contains(t, auth, "Credential="+key+"/", c.name)
					assert.Contains(t, auth, "/"+region+"/workspaces/aws4_request", c.name)
					assert.Equal(t, token, r.Header.Get("X-Amz-Security-Token"), c.name)
					assert.Contains(t, r.Header.Get("User-Agent"), " app/"+appID, c.name)
					attempt := i + 1
					if i == 4 { // the second call's first attempt
						attempt = 1
					}
					assert.Equal(t, "attempt="+strconv.Itoa(attempt)+"; max=4",
						r.Header.Get("Amz-Sdk-Request"), c.name)
				}
			}
			assert.Zero(t, decoyHits.Load(), "AWS_ENDPOINT_URL must lose")
			require.Len(t, failures, 2)
			assert.Equal(t, failures[1], failures[0])
		})
	}
}

func TestNewFromConfig_FIPSEndpoint(t *testing.T) {
	tests := map[string]struct {
		region   string
		wantHost string
	}{
		"us-east-1": {
			region: "us-east-1", wantHost: "workspaces-fips.us-east-1.amazonaws.com",
		},
		"us-gov-west-1": {
			region: "us-gov-west-1", wantHost: "workspaces-fips.us-gov-west-1.amazonaws.com",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			t.Setenv("AWS_REGION", tc.region)
			t.Setenv("AWS_ACCESS_KEY_ID", cmpAccessKey)
			t.Setenv("AWS_SECRET_ACCESS_KEY", cmpSecretKey)
			t.Setenv("AWS_USE_FIPS_ENDPOINT", "true")

			var hosts []string
			for _, build := range []func(aws.Config) func(context.Context) error{
				func(cfg aws.Config) func(context.Context) error {
					c := workspaces.NewFromConfig(cfg)
					return func(ctx context.Context) error {
						_, err := c.DescribeWorkspaceImagePermissions(ctx,
							&workspaces.DescribeWorkspaceImagePermissionsInput{
								ImageId: aws.String(cmpImage),
							})
						return err
					}
				},
				func(cfg aws.Config) func(context.Context) error {
					c := official.NewFromConfig(cfg)
					return func(ctx context.Context) error {
						_, err := c.DescribeWorkspaceImagePermissions(ctx,
							&official.DescribeWorkspaceImagePermissionsInput{
								ImageId: aws.String(cmpImage),
							})
						return err
					}
				},
			} {
				stub := newReplayHTTP(okReply("r-fips", pageOf(1, "")))
				cfg, err := config.LoadDefaultConfig(t.Context(), config.WithHTTPClient(stub))
				require.NoError(t, err)
				require.NoError(t, build(cfg)(t.Context()))
				sent := stub.requests()
				require.Len(t, sent, 1)
				hosts = append(hosts, strings.TrimPrefix(sent[0].url, "https://"))
			}
			assert.Equal(t, tc.wantHost+"/", hosts[1], "official client")
			assert.Equal(t, hosts[1], hosts[0], "our client")
		})
	}
}
