package workspacestest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

func TestService_Authentication(t *testing.T) {
	t.Parallel()
	body := `{"ImageId":"` + testImage + `"}`
	tests := map[string]struct {
		creds  aws.Credentials
		before func(*http.Request) // before signing
		after  func(*http.Request) // after signing
		signed string              // SignedHeaders, when checked
		status int
		code   string
	}{
		"known key": {
			creds: ownerCreds, status: 200,
		},
		"unsigned header added after signing": {
			creds: ownerCreds, status: 200,
			after: func(r *http.Request) {
				r.Header.Set("User-Agent", "some-other-sdk/1.0")
				r.Header.Set("X-Amz-User-Agent", "unsigned/2.0")
			},
		},
		"only host and date signed": {
			creds: ownerCreds, status: 200,
			before: func(r *http.Request) {
				r.Header.Del("Content-Type")
				r.Header.Del("X-Amz-Target")
				r.ContentLength = 0 // no content-length to sign either
			},
			after: func(r *http.Request) {
				r.Header.Set("Content-Type", "application/x-amz-json-1.1")
				r.Header.Set("X-Amz-Target", target)
				r.ContentLength = int64(len(body))
			},
			signed: "host;x-amz-date",
		},
		"extra header signed": {
			creds: ownerCreds, status: 200,
			before: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Extra", "signed too") },
		},
		"signed header changed after signing": {
			creds: ownerCreds, status: 403, code: "InvalidSignatureException",
			before: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Extra", "a") },
			after:  func(r *http.Request) { r.Header.Set("X-Amz-Meta-Extra", "b") },
		},
		"unknown key": {
			creds:  aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"},
			status: 403, code: "UnrecognizedClientException",
		},
		"wrong secret": {
			creds:  aws.Credentials{AccessKeyID: ownerCreds.AccessKeyID, SecretAccessKey: "x"},
			status: 403, code: "InvalidSignatureException",
		},
		"no authorization": {
			creds: ownerCreds, status: 403, code: "MissingAuthenticationTokenException",
			after: func(r *http.Request) { r.Header.Del("Authorization") },
		},
		"malformed authorization": {
			creds: ownerCreds, status: 400, code: "IncompleteSignatureException",
			after: func(r *http.Request) {
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDOWNER")
			},
		},
		"session token required": {
			creds:  aws.Credentials{AccessKeyID: "AKIDTEMP", SecretAccessKey: "temp-secret"},
			status: 403, code: "UnrecognizedClientException",
		},
		"session token matches": {
			creds: aws.Credentials{AccessKeyID: "AKIDTEMP", SecretAccessKey: "temp-secret",
				SessionToken: "the-token"},
			status: 200,
		},
		"session token differs": {
			creds: aws.Credentials{AccessKeyID: "AKIDTEMP", SecretAccessKey: "temp-secret",
				SessionToken: "another-token"},
			status: 403, code: "UnrecognizedClientException",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			seed := testSeed()
			seed.Credentials = append(seed.Credentials, workspacestest.Credential{
				AccessKeyID: "AKIDTEMP", SecretAccessKey: "temp-secret",
				SessionToken: "the-token", AccountID: owner,
			})
			bothModes(t, &seed, func(t *testing.T, f *fake) {
				req := f.newRequest(t, body)
				if tc.before != nil {
					tc.before(req)
				}
				sign(t, req, body, tc.creds, time.Time{})
				if tc.after != nil {
					tc.after(req)
				}

				rp := f.do(t, req)
				if tc.signed != "" {
					assert.Contains(t, f.svc.Requests()[0].Header.Get("Authorization"),
						"SignedHeaders="+tc.signed+",")
				}
				if tc.status == http.StatusOK {
					requirePage(t, rp)
					assert.Equal(t, owner, f.svc.Requests()[0].AccountID)
					return
				}
				requireError(t, rp, tc.status, tc.code)
				assert.Empty(t, f.svc.Requests()[0].AccountID)
			})
		})
	}
}

func TestService_NoCredentialsSeeded(t *testing.T) {
	t.Parallel()
	seed := workspacestest.Seed{Images: []workspacestest.Image{{
		ID: testImage, SharedAccountIDs: []string{"444455556666"},
	}}}
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		anyKey := aws.Credentials{AccessKeyID: "AKIDANYTHING", SecretAccessKey: "whatever"}
		_, accounts := requirePage(t, f.describe(t, anyKey, map[string]any{"ImageId": testImage}))
		assert.Equal(t, []string{"444455556666"}, accounts)
		rec := f.svc.Requests()[0]
		assert.Equal(t, workspacestest.DefaultAccountID, rec.AccountID)
		assert.Equal(t, "AKIDANYTHING", rec.AccessKeyID)

		// The form and the signing time are still checked.
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body)
		requireError(t, f.do(t, req), http.StatusForbidden, "MissingAuthenticationTokenException")
		req = f.newRequest(t, body)
		sign(t, req, body, anyKey, time.Now().Add(-10*time.Minute))
		requireError(t, f.do(t, req), http.StatusForbidden, "InvalidSignatureException")

		// Once a credential is known, only known keys pass.
		require.NoError(t, f.svc.AddCredential(workspacestest.Credential{
			AccessKeyID: "AKIDNEW", SecretAccessKey: "new-secret",
		}))
		requireError(t, f.describe(t, anyKey, map[string]any{"ImageId": testImage}),
			http.StatusForbidden, "UnrecognizedClientException")
		newKey := aws.Credentials{AccessKeyID: "AKIDNEW", SecretAccessKey: "new-secret"}
		requirePage(t, f.describe(t, newKey, map[string]any{"ImageId": testImage}))
	})
}
