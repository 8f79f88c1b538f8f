package workspaces_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// logModes are the ClientLogMode bits, one at a time and all together.
var logModes = map[string]aws.ClientLogMode{
	"request":            aws.LogRequest,
	"request with body":  aws.LogRequestWithBody,
	"response":           aws.LogResponse,
	"response with body": aws.LogResponseWithBody,
	"retries":            aws.LogRetries,
	"signing":            aws.LogSigning,
	"all": aws.LogRequest | aws.LogRequestWithBody | aws.LogResponse |
		aws.LogResponseWithBody | aws.LogRetries | aws.LogSigning,
}

// logPath is a way a call can go: it prepares the fake and the options.
type logPath struct {
	prepare func(t *testing.T, env *fakeEnv, o *workspaces.Options)
	ok      bool
	sends   bool // at least one request reaches the fake
}

var logPaths = map[string]logPath{
	"success": {ok: true, sends: true},
	"api error": {
		prepare: func(t *testing.T, env *fakeEnv, _ *workspaces.Options) {
			require.True(t, env.svc.DeleteImage(testImageID))
		},
		sends: true,
	},
	"retry": {
		prepare: func(t *testing.T, env *fakeEnv, _ *workspaces.Options) {
			require.NoError(t, env.svc.InjectFault(workspacestest.NthCall(1),
				workspacestest.Fault{Kind: workspacestest.FaultThrottle}))
		},
		ok: true, sends: true,
	},
	"transport error": {
		prepare: func(t *testing.T, env *fakeEnv, _ *workspaces.Options) {
			require.NoError(t, env.svc.InjectFault(workspacestest.NextCalls(3),
				workspacestest.Fault{Kind: workspacestest.FaultReset}))
		},
		sends: true,
	},
	"credentials error": {
		prepare: func(_ *testing.T, _ *fakeEnv, o *workspaces.Options) {
			o.Credentials = aws.CredentialsProviderFunc(
				func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{}, errors.New("no credentials today")
				})
		},
	},
	"deserialization error": {
		prepare: func(t *testing.T, env *fakeEnv, _ *workspaces.Options) {
			require.NoError(t, env.svc.InjectFault(workspacestest.NthCall(1),
				workspacestest.Fault{Kind: workspacestest.FaultMalformedJSON}))
		},
		sends: true,
	},
	"signature rejected": {
		prepare: func(t *testing.T, env *fakeEnv, _ *workspaces.Options) {
			require.NoError(t, env.svc.AddCredential(workspacestest.Credential{
				AccessKeyID: testAccessKeyID, SecretAccessKey: "another secret",
				SessionToken: testToken,
			}))
		},
		sends: true,
	},
}

var signaturePattern = regexp.MustCompile(`Signature=([0-9a-f]{64})`)

// TestClientLogMode_NeverLogsSecrets runs every log mode over every way a
// call can go and looks for the secret key, the session token and every
// signature the fake received in every log line and in the error.
func TestClientLogMode_NeverLogsSecrets(t *testing.T) {
	t.Parallel()
	for modeName, mode := range logModes {
		for pathName, path := range logPaths {
			t.Run(modeName+"/"+pathName, func(t *testing.T) {
				t.Parallel()
				overFake(t, func(t *testing.T, env *fakeEnv) {
					env.seedImage(t, 3)
					logger := &recordingLogger{}
					client := env.client(func(o *workspaces.Options) {
						o.Logger = logger
						o.ClientLogMode = mode
						if path.prepare != nil {
							path.prepare(t, env, o)
						}
					})

					_, err := client.DescribeWorkspaceImagePermissions(t.Context(),
						imageInput(testImageID))

					if path.ok {
						require.NoError(t, err)
					} else {
						require.Error(t, err)
					}
					secrets := map[string]string{
						"secret key": testSecretKey, "session token": testToken,
					}
					for i, r := range env.svc.Requests() {
						m := signaturePattern.FindStringSubmatch(r.Header.Get("Authorization"))
						require.NotNil(t, m, "request %d is signed", i)
						secrets["signature "+m[1]] = m[1]
					}
					if path.sends {
						require.Greater(t, len(secrets), 2, "signatures to look for")
					}
					texts := append([]string(nil), logger.lines...)
					if err != nil {
						texts = append(texts, err.Error())
					}
					for _, text := range texts {
						for what, secret := range secrets {
							assert.NotContains(t, text, secret, "%s logged", what)
						}
					}
					if mode&(aws.LogRequest|aws.LogSigning) != 0 && path.sends {
						assert.Contains(t, logger.text(), "REDACTED", "something was logged")
					}
				})
			})
		}
	}
}

// callLogged makes one call of testImageID with mode over env, the fake's
// first call throttled, and returns the log lines.
func callLogged(t *testing.T, env *fakeEnv, mode aws.ClientLogMode) []string {
	t.Helper()
	env.seedImage(t, 2)
	require.NoError(t, env.svc.InjectFault(workspacestest.NthCall(1),
		workspacestest.Fault{Kind: workspacestest.FaultThrottle}))
	logger := &recordingLogger{}
	client := env.client(func(o *workspaces.Options) {
		o.Logger = logger
		o.ClientLogMode = mode
	})

	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.NoError(t, err)
	return logger.lines
}

func TestClientLogMode_LinesLikeOfficialClient(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		mode    aws.ClientLogMode
		lines   int // log lines of a call retried once
		prefix  string
		has     []string
		hasNone []string
	}{
		"request": {
			mode: aws.LogRequest, lines: 2,
			prefix: "DEBUG Request\nPOST / HTTP/1.1\r\nHost: ",
			has: []string{
				"\r\nX-Amz-Target: WorkspacesService.DescribeWorkspaceImagePermissions\r\n",
				"\r\nContent-Type: application/x-amz-json-1.1\r\n",
				"\r\nContent-Length: 27\r\n",
				"\r\nAuthorization: AWS4-HMAC-SHA256 Credential=" + testAccessKeyID + "/",
				"/us-east-1/workspaces/aws4_request, SignedHeaders=",
				", Signature=REDACTED\r\n",
				"\r\nX-Amz-Security-Token: REDACTED\r\n",
			},
			hasNone: []string{`{"ImageId"`},
		},
		"request with body": {
			mode: aws.LogRequestWithBody, lines: 2,
			prefix: "DEBUG Request\nPOST / HTTP/1.1\r\n",
			has:    []string{"\r\n\r\n" + `{"ImageId":"wsi-abc123def"}`},
		},
		"response": {
			mode: aws.LogResponse, lines: 2,
			prefix:  "DEBUG Response\nHTTP/1.1 400 Bad Request\r\n",
			has:     []string{"\r\nX-Amzn-Errortype: ThrottlingException\r\n"},
			hasNone: []string{`"__type"`},
		},
		"response with body": {
			mode: aws.LogResponseWithBody, lines: 2,
			prefix: "DEBUG Response\nHTTP/1.1 400 Bad Request\r\n",
			has:    []string{"\r\n\r\n" + `{"__type":"ThrottlingException"`},
		},
		"retries": {
			mode: aws.LogRetries, lines: 1,
			prefix: "DEBUG retrying request WorkSpaces/DescribeWorkspaceImagePermissions, " +
				"attempt 2",
		},
		"signing": {
			mode: aws.LogSigning, lines: 2,
			prefix: "DEBUG Request Signature:\n" +
				"---[ CANONICAL STRING  ]-----------------------------\nPOST\n/\n\n",
			has: []string{
				"\nx-amz-security-token:REDACTED\n",
				"\nx-amz-target:WorkspacesService.DescribeWorkspaceImagePermissions\n",
				"\n---[ STRING TO SIGN ]--------------------------------\nAWS4-HMAC-SHA256\n",
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			overFake(t, func(t *testing.T, env *fakeEnv) {
				lines := callLogged(t, env, tt.mode)

				require.Len(t, lines, tt.lines, "one line per attempt or retry")
				first := lines[0]
				assert.True(t, strings.HasPrefix(first, tt.prefix), "starts %q:\n%s",
					tt.prefix, first)
				for _, s := range tt.has {
					assert.Contains(t, first, s)
				}
				for _, s := range tt.hasNone {
					assert.NotContains(t, first, s)
				}
			})
		})
	}
}

// TestClientLogMode_SigningLogIsWhatWasSigned checks the LogSigning line
// against the request the fake received: the canonical request, its token
// put back, hashes to the hash in the string to sign, and that string
// signed with the secret key gives the request's signature.
func TestClientLogMode_SigningLogIsWhatWasSigned(t *testing.T) {
	t.Parallel()
	overFake(t, func(t *testing.T, env *fakeEnv) {
		lines := callLogged(t, env, aws.LogSigning)
		reqs := env.svc.Requests()
		require.Len(t, lines, len(reqs), "one signing line per attempt")

		for i, line := range lines {
			m := regexp.MustCompile(`(?s)^DEBUG Request Signature:\n-+\[ CANONICAL STRING  \]-+\n` +
				`(.*)\n-+\[ STRING TO SIGN \]-+\n(.*)\n-+$`).FindStringSubmatch(line)
			require.NotNil(t, m, "line %d:\n%s", i, line)
			canonical, stringToSign := m[1], m[2]

			parts := strings.Split(stringToSign, "\n")
			require.Len(t, parts, 4, "algorithm, time, scope, hash")
			signedAt := reqs[i].Header.Get("X-Amz-Date")
			assert.Equal(t, []string{"AWS4-HMAC-SHA256", signedAt,
				signedAt[:8] + "/us-east-1/workspaces/aws4_request"}, parts[:3])
			unredacted := strings.Replace(canonical, "x-amz-security-token:REDACTED",
				"x-amz-security-token:"+testToken, 1)
			sum := sha256.Sum256([]byte(unredacted))
			assert.Equal(t, hex.EncodeToString(sum[:]), parts[3])
			assert.True(t, strings.HasSuffix(canonical, sha256Hex(string(reqs[i].Body))),
				"the canonical request ends with the payload hash")

			key := []byte("AWS4" + testSecretKey)
			for _, v := range []string{signedAt[:8], "us-east-1", "workspaces", "aws4_request"} {
				key = hmacSHA256(key, v)
			}
			want := signaturePattern.FindStringSubmatch(reqs[i].Header.Get("Authorization"))
			require.NotNil(t, want)
			assert.Equal(t, want[1], hex.EncodeToString(hmacSHA256(key, stringToSign)),
				"the logged string to sign is the one signed")
		}
	})
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
