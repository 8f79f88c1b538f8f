package sigv4verify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/internal/sigv4verify"
)

const (
	testAccessKey = "AKIDEXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testRegion    = "us-east-1"
	testService   = "workspaces"
	testURL       = "https://workspaces.us-east-1.amazonaws.com/"
	testTarget    = "WorkspacesService.DescribeWorkspaceImagePermissions"
	testBody      = `{"ImageId":"wsi-abc123def"}`
)

// signTime is when every test request is signed, and the verifier's clock
// unless a test moves it.
var signTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// newVerifier returns a verifier for WorkSpaces that knows testAccessKey,
// with its clock at signTime.
func newVerifier() *sigv4verify.Verifier {
	return &sigv4verify.Verifier{
		Service: testService,
		Lookup: func(id string) (string, bool) {
			return testSecret, id == testAccessKey
		},
		Now: func() time.Time { return signTime },
	}
}

// newRequest returns an unsigned WorkSpaces call as the Go SDK builds it.
func newRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", testTarget)
	return r
}

// sign signs r with the SDK's own signer.
func sign(t *testing.T, r *http.Request, body string, creds aws.Credentials) {
	t.Helper()
	err := v4.NewSigner().SignHTTP(t.Context(), creds, r, sha256Hex(body),
		testService, testRegion, signTime)
	require.NoError(t, err)
}

// newSignedRequest returns a WorkSpaces call signed by the SDK's signer.
func newSignedRequest(t *testing.T) *http.Request {
	t.Helper()
	r := newRequest(testURL, testBody)
	sign(t, r, testBody, aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret})
	return r
}

// requireAuthError asserts that err is an *Error with the code and status.
func requireAuthError(t *testing.T, err error, code string, status int) *sigv4verify.Error {
	t.Helper()
	var authErr *sigv4verify.Error
	require.ErrorAs(t, err, &authErr)
	assert.Equal(t, code, authErr.Code, authErr.Message)
	assert.Equal(t, status, authErr.Status)
	return authErr
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestVerify_SDKSignedRequest(t *testing.T) {
	t.Parallel()

	tests := map[string]struct {
		target, body, token string
	}{
		"json call":             {target: testURL, body: testBody},
		"session token":         {target: testURL, body: testBody, token: "FwoGZXIvYXdzEXAMPLE"},
		"empty body":            {target: testURL},
		"query and odd path":    {target: testURL + "a%20b/c~d?z=1&a=x%20y&a=%2B&b="},
		"port in host":          {target: "http://127.0.0.1:4566/", body: testBody},
		"encoded slash in path": {target: testURL + "a%2Fb/"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(tc.target, tc.body)
			sign(t, r, tc.body, aws.Credentials{
				AccessKeyID: testAccessKey, SecretAccessKey: testSecret, SessionToken: tc.token,
			})

			res, err := newVerifier().Verify(r, []byte(tc.body))

			require.NoError(t, err)
			assert.Equal(t, testAccessKey, res.AccessKeyID)
			assert.Equal(t, testRegion, res.Region)
			assert.Equal(t, testService, res.Service)
			assert.Equal(t, signTime, res.SignedAt)
			assert.Contains(t, res.SignedHeaders, "host")
			assert.Contains(t, res.SignedHeaders, "x-amz-target")
			assert.Equal(t, tc.token, res.SessionToken)
		})
	}
}

func TestVerify_OverHTTP(t *testing.T) {
	t.Parallel()
	verifier := newVerifier()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			_, err = verifier.Verify(r, body)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
		}
	}))
	t.Cleanup(srv.Close)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/",
		strings.NewReader(testBody))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", testTarget)
	sign(t, req, testBody, aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret})
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	msg, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, http.StatusOK, resp.StatusCode, string(msg))
}

func TestVerify_Tampered(t *testing.T) {
	t.Parallel()

	tests := map[string]struct {
		tamper func(r *http.Request, v *sigv4verify.Verifier) (body string)
		code   string
		status int
	}{
		"body": {
			tamper: func(*http.Request, *sigv4verify.Verifier) string {
				return `{"ImageId":"wsi-zzz999zzz"}`
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"signed header": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				r.Header.Set("X-Amz-Target", "WorkspacesService.DeleteWorkspaceImage")
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"path": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				r.URL.Path = "/other"
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"query": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				r.URL.RawQuery = "MaxResults=25"
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"date within the same day": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				r.Header.Set("X-Amz-Date", signTime.Add(time.Second).Format("20060102T150405Z"))
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"date on another day": {
			tamper: func(r *http.Request, v *sigv4verify.Verifier) string {
				next := signTime.Add(24 * time.Hour)
				v.Now = func() time.Time { return next }
				r.Header.Set("X-Amz-Date", next.Format("20060102T150405Z"))
				return testBody
			},
			code: "IncompleteSignatureException", status: http.StatusBadRequest,
		},
		"scope region": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				auth := r.Header.Get("Authorization")
				auth = strings.Replace(auth, "/us-east-1/", "/us-west-2/", 1)
				r.Header.Set("Authorization", auth)
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"scope service": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				auth := r.Header.Get("Authorization")
				r.Header.Set("Authorization", strings.Replace(auth, "/workspaces/", "/ec2/", 1))
				return testBody
			},
			code: "IncompleteSignatureException", status: http.StatusBadRequest,
		},
		"secret": {
			tamper: func(_ *http.Request, v *sigv4verify.Verifier) string {
				v.Lookup = func(string) (string, bool) { return testSecret + "x", true }
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"unknown access key": {
			tamper: func(_ *http.Request, v *sigv4verify.Verifier) string {
				v.Lookup = func(string) (string, bool) { return "", false }
				return testBody
			},
			code: "UnrecognizedClientException", status: http.StatusForbidden,
		},
		"signature": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				auth := r.Header.Get("Authorization")
				i := strings.Index(auth, "Signature=") + len("Signature=")
				r.Header.Set("Authorization", auth[:i]+strings.Repeat("0", 64))
				return testBody
			},
			code: "InvalidSignatureException", status: http.StatusForbidden,
		},
		"signed header removed": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				r.Header.Del("Content-Type")
				return testBody
			},
			code: "IncompleteSignatureException", status: http.StatusBadRequest,
		},
		"unsigned session token reported": {
			tamper: func(r *http.Request, _ *sigv4verify.Verifier) string {
				// Unsigned, so it changes nothing the signature covers.
				r.Header.Set("X-Amz-Security-Token", "stolen")
				return testBody
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newSignedRequest(t)
			v := newVerifier()
			body := tc.tamper(r, v)

			res, err := v.Verify(r, []byte(body))

			if tc.code == "" {
				require.NoError(t, err)
				assert.Equal(t, "stolen", res.SessionToken)
				return
			}
			requireAuthError(t, err, tc.code, tc.status)
			assert.Equal(t, sigv4verify.Result{}, res)
		})
	}
}

func TestVerify_UnsignedHeadersIgnored(t *testing.T) {
	t.Parallel()
	r := newSignedRequest(t)
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26")
	r.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")
	r.Header.Set("Amz-Sdk-Invocation-Id", "2f5ab1b2-1a8c-4f5c-9d7e-3b3a6f1c2d4e")
	r.Header.Set("Amz-Sdk-Request", "attempt=2; max=3")

	res, err := newVerifier().Verify(r, []byte(testBody))

	require.NoError(t, err)
	assert.NotContains(t, res.SignedHeaders, "user-agent")
}

// handSigned is a request signed in the test, step by step, over whatever
// header set a test names, as SDKs other than Go's do.
type handSigned struct {
	method, target string
	headers        [][2]string // sent in this order; repeated names add values
	canonical      string      // canonical request, without the payload line
	signedHeaders  string
	authFormat     string // fmt verbs for credential, signed headers, signature
}

// build returns the request with its Authorization header, signed with a
// minimal SigV4 of the test's own over the canonical request given.
func (h handSigned) build(body, date string) *http.Request {
	r := httptest.NewRequest(h.method, h.target, strings.NewReader(body))
	for _, kv := range h.headers {
		r.Header.Add(kv[0], kv[1])
	}
	canonical := h.canonical + "\n" + h.signedHeaders + "\n" + sha256Hex(body)
	scope := date[:8] + "/" + testRegion + "/" + testService + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256Hex(canonical)

	mac := func(key []byte, data string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(data))
		return m.Sum(nil)
	}
	key := []byte("AWS4" + testSecret)
	for _, part := range strings.Split(scope, "/") {
		key = mac(key, part)
	}
	sig := hex.EncodeToString(mac(key, toSign))
	format := h.authFormat
	if format == "" {
		format = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s"
	}
	r.Header.Set("Authorization",
		fmt.Sprintf(format, testAccessKey+"/"+scope, h.signedHeaders, sig))
	return r
}

func TestVerify_HandSignedHeaderSets(t *testing.T) {
	t.Parallel()
	const date = "20240506T070809Z"
	const host = "workspaces.us-east-1.amazonaws.com"

	tests := map[string]handSigned{
		// botocore signs User-Agent and Content-Type but not Content-Length,
		// and folds runs of spaces in values.
		"botocore set": {
			method: http.MethodPost, target: testURL,
			headers: [][2]string{
				{"X-Amz-Target", testTarget},
				{"Content-Type", "application/x-amz-json-1.1"},
				{"User-Agent", "  Boto3/1.34.0   md/Botocore#1.34.0  ua/2.0 "},
				{"X-Amz-Date", date},
				{"Amz-Sdk-Invocation-Id", "unsigned"},
			},
			canonical: "POST\n/\n\n" +
				"content-type:application/x-amz-json-1.1\n" +
				"host:" + host + "\n" +
				"user-agent:Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0\n" +
				"x-amz-date:" + date + "\n" +
				"x-amz-target:" + testTarget + "\n",
			signedHeaders: "content-type;host;user-agent;x-amz-date;x-amz-target",
			authFormat:    "AWS4-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s",
		},
		"repeated header values": {
			method: http.MethodPost, target: testURL,
			headers: [][2]string{
				{"X-Amz-Date", date},
				{"X-Custom", "a"},
				{"X-Custom", " b  c "},
			},
			canonical: "POST\n/\n\n" +
				"host:" + host + "\n" +
				"x-amz-date:" + date + "\n" +
				"x-custom:a,b c\n",
			signedHeaders: "host;x-amz-date;x-custom",
		},
		"path normalised and encoded twice": {
			method: http.MethodGet, target: testURL + "a//b/./c%20d/../e%2Af/",
			headers: [][2]string{{"X-Amz-Date", date}},
			canonical: "GET\n/a/b/e%252Af/\n\n" +
				"host:" + host + "\n" +
				"x-amz-date:" + date + "\n",
			signedHeaders: "host;x-amz-date",
		},
		"query sorted and encoded": {
			method: http.MethodGet, target: testURL + "?b=2&a=x+y&a=1&c&%7E=%7e",
			headers: [][2]string{{"X-Amz-Date", date}},
			canonical: "GET\n/\na=1&a=x%20y&b=2&c=&~=~\n" +
				"host:" + host + "\n" +
				"x-amz-date:" + date + "\n",
			signedHeaders: "host;x-amz-date",
		},
		"date header in basic format": {
			method: http.MethodPost, target: testURL,
			headers: [][2]string{{"Date", date}},
			canonical: "POST\n/\n\n" +
				"date:" + date + "\n" +
				"host:" + host + "\n",
			signedHeaders: "date;host",
		},
		"content-length from the request": {
			method: http.MethodPost, target: testURL,
			headers: [][2]string{{"X-Amz-Date", date}},
			canonical: "POST\n/\n\n" +
				"content-length:27\n" +
				"host:" + host + "\n" +
				"x-amz-date:" + date + "\n",
			signedHeaders: "content-length;host;x-amz-date",
			authFormat: "AWS4-HMAC-SHA256   Signature=%[3]s ,Credential=%[1]s," +
				"SignedHeaders=%[2]s",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := tc.build(testBody, date)

			res, err := newVerifier().Verify(r, []byte(testBody))

			require.NoError(t, err)
			assert.Equal(t, strings.Split(tc.signedHeaders, ";"), res.SignedHeaders)
		})
	}
}

func TestVerify_ComponentOrder(t *testing.T) {
	t.Parallel()
	r := newSignedRequest(t)
	auth := r.Header.Get("Authorization")
	rest := strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 ")
	parts := strings.Split(rest, ", ")
	require.Len(t, parts, 3)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+parts[2]+" ,"+parts[0]+",,"+parts[1])

	_, err := newVerifier().Verify(r, []byte(testBody))

	require.NoError(t, err)
}

func TestVerify_Skew(t *testing.T) {
	t.Parallel()

	tests := map[string]struct {
		now     time.Duration // added to signTime
		maxSkew time.Duration
		message string // empty: passes
	}{
		"just inside, behind": {now: 4*time.Minute + 59*time.Second},
		"just inside, ahead":  {now: -4*time.Minute - 59*time.Second},
		"expired": {
			now: 5*time.Minute + time.Second,
			message: "Signature expired: 20240506T070809Z is now earlier than " +
				"20240506T070810Z (20240506T071310Z - 5 min.)",
		},
		"not yet current": {
			now: -5*time.Minute - time.Second,
			message: "Signature not yet current: 20240506T070809Z is still later " +
				"than 20240506T070808Z (20240506T070308Z + 5 min.)",
		},
		"custom window": {
			now: 2 * time.Minute, maxSkew: time.Minute,
			message: "Signature expired: 20240506T070809Z is now earlier than " +
				"20240506T070909Z (20240506T071009Z - 1 min.)",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v := newVerifier()
			v.Now = func() time.Time { return signTime.Add(tc.now) }
			v.MaxSkew = tc.maxSkew

			_, err := v.Verify(newSignedRequest(t), []byte(testBody))

			if tc.message == "" {
				require.NoError(t, err)
				return
			}
			authErr := requireAuthError(t, err, "InvalidSignatureException", http.StatusForbidden)
			assert.Equal(t, tc.message, authErr.Message)
		})
	}
}

func TestVerify_MissingAuthorization(t *testing.T) {
	t.Parallel()
	r := newRequest(testURL, testBody)
	r.Header.Set("X-Amz-Date", signTime.Format("20060102T150405Z"))

	_, err := newVerifier().Verify(r, []byte(testBody))

	authErr := requireAuthError(t, err, "MissingAuthenticationTokenException", http.StatusForbidden)
	assert.Equal(t, "Missing Authentication Token", authErr.Message)
	assert.Equal(t, "MissingAuthenticationTokenException: Missing Authentication Token",
		err.Error())
}

func TestVerify_Incomplete(t *testing.T) {
	t.Parallel()
	const cred = "Credential=AKIDEXAMPLE/20240506/us-east-1/workspaces/aws4_request"
	const rest = ", SignedHeaders=host;x-amz-date, Signature=abcd"

	tests := map[string]struct {
		auth, date string
		message    string
	}{
		"other algorithm": {
			auth:    "AWS4-HMAC-SHA512 " + cred + rest,
			message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'.",
		},
		"not sigv4": {
			auth:    "Bearer abc",
			message: "Unsupported AWS 'algorithm': 'Bearer'.",
		},
		"no components": {
			auth: "AWS4-HMAC-SHA256",
			message: "Authorization header requires 'Credential' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires 'Signature' parameter.",
		},
		"missing signature": {
			auth:    "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date",
			message: "Authorization header requires 'Signature' parameter.",
		},
		"component without equals": {
			auth: "AWS4-HMAC-SHA256 " + cred + rest + ", Extra",
			message: "'Extra' not a valid key=value pair (missing equal-sign) " +
				"in Authorization header.",
		},
		"short credential": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1" + rest,
			message: "Credential must have exactly 5 slash-delimited elements, " +
				"e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240506/us-east-1'.",
		},
		"empty access key": {
			auth: "AWS4-HMAC-SHA256 Credential=/20240506/us-east-1/workspaces/" +
				"aws4_request" + rest,
			message: "Credential must name an access key ID.",
		},
		"bad terminator": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/workspaces/aws4" +
				rest,
			message: "Credential should be scoped with a valid terminator: " +
				"'aws4_request', not 'aws4'.",
		},
		"bad scope date": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2024-05-06/us-east-1/workspaces/" +
				"aws4_request" + rest,
			message: "Invalid credential date '2024-05-06'. Date is not the required " +
				"format: yyyyMMdd.",
		},
		"empty region": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506//workspaces/" +
				"aws4_request" + rest,
			message: "Credential should be scoped to a valid region.",
		},
		"other service": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/ec2/" +
				"aws4_request" + rest,
			message: "Credential should be scoped to correct service: 'workspaces'.",
		},
		"scope date not the request date": {
			auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240505/us-east-1/workspaces/" +
				"aws4_request" + rest,
			message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 " +
				"version of date from HTTP: '20240505' != '20240506', from '20240506T070809Z'.",
		},
		"host not signed": {
			auth:    "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, Signature=abcd",
			message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
		},
		"empty signed header name": {
			auth: "AWS4-HMAC-SHA256 " + cred +
				", SignedHeaders=host;;x-amz-date, Signature=abcd",
			message: "SignedHeaders contains an empty header name: 'host;;x-amz-date'.",
		},
		"signed header not sent": {
			auth: "AWS4-HMAC-SHA256 " + cred +
				", SignedHeaders=host;x-amz-date;x-amz-target-typo, Signature=abcd",
			message: "SignedHeaders names 'x-amz-target-typo', which the request does not carry.",
		},
		"no date": {
			auth: "AWS4-HMAC-SHA256 " + cred + rest, date: "-",
			message: "Authorization header requires existence of either a 'X-Amz-Date' " +
				"or a 'Date' header.",
		},
		"malformed date": {
			auth: "AWS4-HMAC-SHA256 " + cred + rest, date: "2024-05-06T07:08:09Z",
			message: "Date must be in ISO-8601 'basic format'. Got '2024-05-06T07:08:09Z'.",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(testURL, testBody)
			r.Header.Set("Authorization", tc.auth)
			switch tc.date {
			case "":
				r.Header.Set("X-Amz-Date", "20240506T070809Z")
			case "-":
			default:
				r.Header.Set("X-Amz-Date", tc.date)
			}

			_, err := newVerifier().Verify(r, []byte(testBody))

			authErr := requireAuthError(t, err, "IncompleteSignatureException",
				http.StatusBadRequest)
			assert.Equal(t, tc.message, authErr.Message)
		})
	}
}

func TestVerify_FormOnlyWithoutLookup(t *testing.T) {
	t.Parallel()
	r := newRequest(testURL, testBody)
	r.Header.Set("X-Amz-Date", "20240506T070809Z")
	r.Header.Set("X-Amz-Security-Token", "token")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+
		"Credential=ANYKEY/20240506/eu-west-1/workspaces/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date, Signature=not-checked")
	v := &sigv4verify.Verifier{Service: testService, Now: func() time.Time { return signTime }}

	res, err := v.Verify(r, []byte("any body"))

	require.NoError(t, err)
	assert.Equal(t, sigv4verify.Result{
		AccessKeyID:   "ANYKEY",
		Region:        "eu-west-1",
		Service:       testService,
		SignedAt:      signTime,
		SignedHeaders: []string{"content-type", "host", "x-amz-date"},
		SessionToken:  "token",
	}, res)
}

func TestVerify_FormOnlyStillChecksForm(t *testing.T) {
	t.Parallel()
	r := newSignedRequest(t)
	r.Header.Del("X-Amz-Target")
	v := &sigv4verify.Verifier{Service: testService, Now: func() time.Time { return signTime }}

	_, err := v.Verify(r, []byte(testBody))

	requireAuthError(t, err, "IncompleteSignatureException", http.StatusBadRequest)
}

// TestVerify_AWSTestSuite checks cases from the AWS SigV4 test suite, whose
// published signatures come from AWS, not from this package.
func TestVerify_AWSTestSuite(t *testing.T) {
	t.Parallel()

	tests := map[string]struct {
		method, target, signature string
	}{
		"get-vanilla": {
			method: http.MethodGet, target: "https://example.amazonaws.com/",
			signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		"get-vanilla-query-order-key-case": {
			method:    http.MethodGet,
			target:    "https://example.amazonaws.com/?Param2=value2&Param1=value1",
			signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
		},
		"post-vanilla": {
			method: http.MethodPost, target: "https://example.amazonaws.com/",
			signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, tc.target, nil)
			r.Header.Set("X-Amz-Date", "20150830T123600Z")
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+
				"Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "+
				"SignedHeaders=host;x-amz-date, Signature="+tc.signature)
			v := &sigv4verify.Verifier{
				Service: "service",
				Lookup: func(id string) (string, bool) {
					return testSecret, id == "AKIDEXAMPLE"
				},
				Now: func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) },
			}

			res, err := v.Verify(r, nil)

			require.NoError(t, err)
			assert.Equal(t, "AKIDEXAMPLE", res.AccessKeyID)

			r.Header.Set("X-Amz-Date", "20150830T123601Z")
			_, err = v.Verify(r, nil)
			requireAuthError(t, err, "InvalidSignatureException", http.StatusForbidden)
		})
	}
}

func TestVerify_MessagesHideSecrets(t *testing.T) {
	t.Parallel()
	good := newSignedRequest(t)
	auth := good.Header.Get("Authorization")
	realSig := auth[strings.Index(auth, "Signature=")+len("Signature="):]
	require.Len(t, realSig, 64)

	// The signature of a tampered body is the one the verifier computes and
	// must not reveal; the caller's own one may appear only truncated.
	r := newSignedRequest(t)
	_, err := newVerifier().Verify(r, []byte("tampered"))
	authErr := requireAuthError(t, err, "InvalidSignatureException", http.StatusForbidden)
	assert.NotContains(t, authErr.Message, testSecret)
	assert.NotContains(t, authErr.Message, realSig)

	r = newSignedRequest(t)
	r.Header.Set("Authorization", auth+", Signature "+realSig)
	_, err = newVerifier().Verify(r, []byte(testBody))
	authErr = requireAuthError(t, err, "IncompleteSignatureException", http.StatusBadRequest)
	assert.NotContains(t, authErr.Message, realSig)
}

func TestError_Error(t *testing.T) {
	t.Parallel()
	err := &sigv4verify.Error{Code: "InvalidSignatureException", Status: 403, Message: "m"}

	assert.Equal(t, "InvalidSignatureException: m", err.Error())
}

func FuzzVerify(f *testing.F) {
	seed := newRequest(testURL, testBody)
	err := v4.NewSigner().SignHTTP(f.Context(),
		aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret},
		seed, sha256Hex(testBody), testService, testRegion, signTime)
	require.NoError(f, err)
	f.Add(seed.Header.Get("Authorization"), seed.Header.Get("X-Amz-Date"), "/", "",
		[]byte(testBody))
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=,Signature=", "", "", "a=%zz",
		[]byte{})
	f.Add("AWS4-HMAC-SHA256 ,,=,Credential==/", "20240506T070809Z", "/../%2e/", "a;b",
		[]byte{0xff})
	f.Add("", "x", "//", "&&=", []byte(nil))

	f.Fuzz(func(t *testing.T, auth, date, path, query string, body []byte) {
		r := newRequest(testURL, string(body))
		r.URL.Path, r.URL.RawPath, r.URL.RawQuery = path, path, query
		r.Header.Set("X-Amz-Date", date)
		r.Header.Set("Authorization", auth)

		res, err := newVerifier().Verify(r, body)

		if err == nil {
			assert.NotEmpty(t, res.AccessKeyID)
			return
		}
		var authErr *sigv4verify.Error
		require.ErrorAs(t, err, &authErr)
		assert.NotEmpty(t, authErr.Code)
		assert.Contains(t, []int{http.StatusBadRequest, http.StatusForbidden}, authErr.Status)
		assert.NotContains(t, authErr.Message, testSecret)
	})
}
