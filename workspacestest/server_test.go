package workspacestest_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

const (
	target    = "WorkspacesService.DescribeWorkspaceImagePermissions"
	testImage = "wsi-abc123def"
	owner     = "111122223333"
	other     = "999988887777"
	region    = "us-east-1"
)

var (
	ownerCreds = aws.Credentials{AccessKeyID: "AKIDOWNER", SecretAccessKey: "owner-secret"}
	otherCreds = aws.Credentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: "other-secret"}
	uuidRE     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-` +
		`[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// testSeed knows two credentials and one image owned by the first,
// shared with two accounts.
func testSeed() workspacestest.Seed {
	return workspacestest.Seed{
		Credentials: []workspacestest.Credential{
			{AccessKeyID: ownerCreds.AccessKeyID, SecretAccessKey: ownerCreds.SecretAccessKey,
				AccountID: owner},
			{AccessKeyID: otherCreds.AccessKeyID, SecretAccessKey: otherCreds.SecretAccessKey,
				AccountID: other},
		},
		Images: []workspacestest.Image{{
			ID:               testImage,
			OwnerAccountID:   owner,
			SharedAccountIDs: []string{"444455556666", "222233334444"},
		}},
	}
}

// fake is a Service under test and a way to reach it.
type fake struct {
	svc    *workspacestest.Service
	client *http.Client
	url    string
}

// bothModes runs fn in a subtest per way of reaching a fresh Service: the
// in-memory client and an httptest.Server. seed, if not nil, is loaded
// first.
func bothModes(t *testing.T, seed *workspacestest.Seed, fn func(t *testing.T, f *fake)) {
	t.Helper()
	modes := map[string]func(t *testing.T, svc *workspacestest.Service) *fake{
		"in-memory": func(t *testing.T, svc *workspacestest.Service) *fake {
			return &fake{svc: svc, client: svc.Client(),
				url: "https://workspaces.us-east-1.amazonaws.com"}
		},
		"httptest": func(t *testing.T, svc *workspacestest.Service) *fake {
			srv := httptest.NewServer(svc)
			t.Cleanup(srv.Close)
			return &fake{svc: svc, client: srv.Client(), url: srv.URL}
		},
	}
	for name, start := range modes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			svc := workspacestest.NewService()
			if seed != nil {
				require.NoError(t, svc.Seed(*seed))
			}
			fn(t, start(t, svc))
		})
	}
}

// seedPtr returns a pointer to testSeed().
func seedPtr() *workspacestest.Seed {
	s := testSeed()
	return &s
}

// newRequest returns an unsigned DescribeWorkspaceImagePermissions request
// with the given raw body.
func (f *fake) newRequest(t *testing.T, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.url+"/",
		strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	return req
}

// sign signs req, whose body is body, with creds at the given time (now
// when zero), as the Go SDK signs.
func sign(t *testing.T, req *http.Request, body string, creds aws.Credentials, at time.Time) {
	t.Helper()
	if at.IsZero() {
		at = time.Now()
	}
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]),
		"workspaces", region, at)
	require.NoError(t, err)
}

// reply is a response with its body read.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends req and reads the whole response.
func (f *fake) do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := f.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}

// describe sends a signed call with the given input, marshalled as JSON.
func (f *fake) describe(t *testing.T, creds aws.Credentials, input any) reply {
	t.Helper()
	raw, err := json.Marshal(input)
	require.NoError(t, err)
	return f.raw(t, creds, string(raw))
}

// raw sends a signed call with a raw body.
func (f *fake) raw(t *testing.T, creds aws.Credentials, body string) reply {
	t.Helper()
	req := f.newRequest(t, body)
	sign(t, req, body, creds, time.Time{})
	return f.do(t, req)
}

// errorBody is an awsJson1.1 error body.
type errorBody struct {
	Type       string `json:"__type"`
	Message    string `json:"message"`
	ResourceID string `json:"ResourceId"`
}

// requireError checks that rp is an error response with the given status
// and code, in the header and the body, and returns the decoded body.
func requireError(t *testing.T, rp reply, status int, code string) errorBody {
	t.Helper()
	require.Equal(t, status, rp.status, "body: %s", rp.body)
	assert.Equal(t, code, rp.header.Get("X-Amzn-Errortype"))
	assert.Equal(t, "application/x-amz-json-1.1", rp.header.Get("Content-Type"))
	assert.Regexp(t, uuidRE, rp.header.Get("X-Amzn-Requestid"))
	assert.NotEmpty(t, rp.header.Get("Date"))

	var eb errorBody
	require.NoError(t, json.Unmarshal(rp.body, &eb), "body: %s", rp.body)
	assert.Equal(t, code, eb.Type)
	return eb
}

// page is a successful response body.
type page struct {
	ImageID          string `json:"ImageId"`
	ImagePermissions []struct {
		SharedAccountID string `json:"SharedAccountId"`
	} `json:"ImagePermissions"`
	NextToken *string `json:"NextToken"`
}

// requirePage checks that rp is a successful page and decodes it.
func requirePage(t *testing.T, rp reply) (page, []string) {
	t.Helper()
	require.Equal(t, http.StatusOK, rp.status, "body: %s", rp.body)
	assert.Equal(t, "application/x-amz-json-1.1", rp.header.Get("Content-Type"))
	assert.Regexp(t, uuidRE, rp.header.Get("X-Amzn-Requestid"))
	assert.Empty(t, rp.header.Get("X-Amzn-Errortype"))

	var p page
	dec := json.NewDecoder(bytes.NewReader(rp.body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&p), "body: %s", rp.body)
	require.NotNil(t, p.ImagePermissions, "ImagePermissions must be a list: %s", rp.body)
	accounts := make([]string, 0, len(p.ImagePermissions))
	for _, ip := range p.ImagePermissions {
		accounts = append(accounts, ip.SharedAccountID)
	}
	return p, accounts
}

func TestLoadSeed_File(t *testing.T) {
	t.Parallel()
	file, err := os.Open("testdata/seed.json")
	require.NoError(t, err)
	defer file.Close()

	seed, err := workspacestest.LoadSeed(file)
	require.NoError(t, err)
	assert.Equal(t, workspacestest.Seed{
		Credentials: []workspacestest.Credential{{
			AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "s3cr3t", AccountID: "111122223333",
		}},
		Images: []workspacestest.Image{{
			ID: "wsi-abc123def", OwnerAccountID: "111122223333",
			SharedAccountIDs: []string{"777788889999", "444455556666"},
		}},
	}, seed, "LoadSeed returns the seed as written")

	svc := workspacestest.NewService()
	require.NoError(t, svc.Seed(seed))
	img, ok := svc.Image("wsi-abc123def")
	require.True(t, ok)
	assert.Equal(t, []string{"444455556666", "777788889999"}, img.SharedAccountIDs)
}

func TestLoadSeed_Invalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		json string
		want string
	}{
		"unknown field": {
			json: `{"images":[{"imageId":"wsi-abc123def","owner":"111122223333"}]}`,
			want: `unknown field "owner"`,
		},
		"bad image id": {
			json: `{"images":[{"imageId":"ami-123"}]}`,
			want: `image 0: image ID "ami-123"`,
		},
		"bad owner": {
			json: `{"images":[{"imageId":"wsi-abc123def","ownerAccountId":"12"}]}`,
			want: `owner account ID "12" is not 12 digits`,
		},
		"bad shared account": {
			json: `{"images":[{"imageId":"wsi-abc123def","sharedAccountIds":["x"]}]}`,
			want: `shared account ID "x" is not 12 digits`,
		},
		"shared with owner": {
			json: `{"images":[{"imageId":"wsi-abc123def","sharedAccountIds":["123456789012"]}]}`,
			want: "cannot share with owner account 123456789012",
		},
		"duplicate image": {
			json: `{"images":[{"imageId":"wsi-abc123def"},{"imageId":"wsi-abc123def"}]}`,
			want: `image 1: duplicate image ID "wsi-abc123def"`,
		},
		"empty secret": {
			json: `{"credentials":[{"accessKeyId":"AKID","accountId":"111122223333"}]}`,
			want: `credential 0: access key "AKID": empty secret access key`,
		},
		"bad credential account": {
			json: `{"credentials":[{"accessKeyId":"AKID","secretAccessKey":"s","accountId":"1"}]}`,
			want: `account ID "1" is not 12 digits`,
		},
		"duplicate credential": {
			json: `{"credentials":[{"accessKeyId":"A","secretAccessKey":"s"},` +
				`{"accessKeyId":"A","secretAccessKey":"t"}]}`,
			want: `credential 1: duplicate access key ID "A"`,
		},
		"trailing data": {
			json: `{} {}`,
			want: "data after the JSON object",
		},
		"not json": {
			json: `images:`,
			want: "decode seed",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := workspacestest.LoadSeed(strings.NewReader(tc.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "workspacestest: "), err.Error())
		})
	}
}

func TestService_Seed(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	bad := testSeed()
	bad.Images = append(bad.Images, workspacestest.Image{ID: "bad"})
	require.Error(t, svc.Seed(bad))
	_, ok := svc.Image(testImage)
	assert.False(t, ok, "a seed with an error must change nothing")

	require.NoError(t, svc.Seed(workspacestest.Seed{
		Images: []workspacestest.Image{{ID: testImage}},
	}))
	img, ok := svc.Image(testImage)
	require.True(t, ok)
	assert.Equal(t, workspacestest.DefaultAccountID, img.OwnerAccountID)
	assert.Empty(t, img.SharedAccountIDs)
}

func TestService_StateChanges(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	require.NoError(t, svc.PutImage(workspacestest.Image{ID: testImage, OwnerAccountID: owner}))
	require.NoError(t, svc.Share(testImage, "333333333333", "222222222222", "333333333333"))
	require.NoError(t, svc.Unshare(testImage, "333333333333", "444444444444"))
	img, ok := svc.Image(testImage)
	require.True(t, ok)
	assert.Equal(t, []string{"222222222222"}, img.SharedAccountIDs)

	assert.Error(t, svc.Share(testImage, owner))
	assert.Error(t, svc.Share(testImage, "12"))
	assert.Error(t, svc.Unshare(testImage, "x"))
	assert.Error(t, svc.Share("wsi-unknown0000", "222222222222"))
	assert.Error(t, svc.Unshare("wsi-unknown0000", "222222222222"))
	assert.Error(t, svc.PutImage(workspacestest.Image{ID: "wsi-SHOUTING00"}))
	assert.Error(t, svc.AddCredential(workspacestest.Credential{AccessKeyID: "A/B",
		SecretAccessKey: "s"}))

	assert.True(t, svc.DeleteImage(testImage))
	assert.False(t, svc.DeleteImage(testImage))
	_, ok = svc.Image(testImage)
	assert.False(t, ok)
}

func TestService_Protocol(t *testing.T) {
	t.Parallel()
	valid := `{"ImageId":"` + testImage + `"}`
	tests := map[string]struct {
		method      string
		path        string
		contentType string
		target      string
		body        string
		status      int
		code        string
	}{
		"get": {
			method: http.MethodGet, status: 400, code: "UnknownOperationException",
		},
		"other path": {
			path: "/v1/images", status: 400, code: "UnknownOperationException",
		},
		"unknown target": {
			target: "WorkspacesService.DescribeWorkspaces",
			status: 400, code: "UnknownOperationException",
		},
		"other service's target": {
			target: "DynamoDB_20120810.ListTables",
			status: 400, code: "UnknownOperationException",
		},
		"missing target": {
			target: "-", status: 400, code: "UnknownOperationException",
		},
		"target in wrong case": {
			target: "WorkspacesService.describeWorkspaceImagePermissions",
			status: 400, code: "UnknownOperationException",
		},
		"json content type": {
			contentType: "application/json", status: 400, code: "SerializationException",
		},
		"json 1.0 content type": {
			contentType: "application/x-amz-json-1.0", status: 400,
			code: "SerializationException",
		},
		"missing content type": {
			contentType: "-", status: 400, code: "SerializationException",
		},
		"not json": {
			body: `ImageId=wsi-abc123def`, status: 400, code: "SerializationException",
		},
		"array": {
			body: `["wsi-abc123def"]`, status: 400, code: "SerializationException",
		},
		"null": {
			body: `null`, status: 400, code: "SerializationException",
		},
		"truncated": {
			body: `{"ImageId":"wsi-abc123def"`, status: 400, code: "SerializationException",
		},
		"trailing data": {
			body: valid + `{}`, status: 400, code: "SerializationException",
		},
		"max results not a number": {
			body:   `{"ImageId":"wsi-abc123def","MaxResults":"abc"}`,
			status: 400, code: "SerializationException",
		},
		"max results a float": {
			body:   `{"ImageId":"wsi-abc123def","MaxResults":7.5}`,
			status: 400, code: "SerializationException",
		},
		"max results beyond int32": {
			body:   `{"ImageId":"wsi-abc123def","MaxResults":4294967296}`,
			status: 400, code: "SerializationException",
		},
		"image id a number": {
			body: `{"ImageId":42}`, status: 400, code: "SerializationException",
		},
		"next token an object": {
			body:   `{"ImageId":"wsi-abc123def","NextToken":{}}`,
			status: 400, code: "SerializationException",
		},
		"empty body is the empty object": {
			body: "-", status: 400, code: "InvalidParameterValuesException",
		},
		"charset parameter allowed": {
			contentType: "application/x-amz-json-1.1; charset=utf-8", status: 200,
		},
		"unknown members ignored": {
			body: `{"ImageId":"wsi-abc123def","Extra":[1,2]}`, status: 200,
		},
		"null members absent": {
			body:   `{"ImageId":"wsi-abc123def","MaxResults":null,"NextToken":null}`,
			status: 200,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				body := tc.body
				switch body {
				case "":
					body = valid
				case "-":
					body = ""
				}
				req, err := http.NewRequestWithContext(t.Context(),
					cmpOr(tc.method, http.MethodPost), f.url+cmpOr(tc.path, "/"),
					strings.NewReader(body))
				require.NoError(t, err)
				if tc.contentType != "-" {
					req.Header.Set("Content-Type",
						cmpOr(tc.contentType, "application/x-amz-json-1.1"))
				}
				if tc.target != "-" {
					req.Header.Set("X-Amz-Target", cmpOr(tc.target, target))
				}
				sign(t, req, body, ownerCreds, time.Time{})

				rp := f.do(t, req)
				if tc.status == http.StatusOK {
					requirePage(t, rp)
					return
				}
				eb := requireError(t, rp, tc.status, tc.code)
				if tc.code == "SerializationException" {
					assert.NotEmpty(t, eb.Message)
				}
			})
		})
	}
}

// cmpOr returns v, or def when v is empty.
func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func TestService_ResponseHeaders(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		ok := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
		bad := f.describe(t, ownerCreds, map[string]any{"ImageId": "wsi-unknown000"})

		for _, rp := range []reply{ok, bad} {
			assert.Equal(t, []string{"application/x-amz-json-1.1"}, rp.header["Content-Type"])
			assert.Len(t, rp.header["Content-Length"], 1)
			assert.Len(t, rp.header["X-Amzn-Requestid"], 1)
			date, err := http.ParseTime(rp.header.Get("Date"))
			require.NoError(t, err)
			assert.WithinDuration(t, time.Now(), date, time.Minute)
		}
		assert.NotEqual(t, ok.header.Get("X-Amzn-Requestid"), bad.header.Get("X-Amzn-Requestid"))
		assert.Equal(t, "ResourceNotFoundException", bad.header.Get("X-Amzn-Errortype"))
		assert.JSONEq(t, `{"__type":"ResourceNotFoundException",`+
			`"message":"The image wsi-unknown000 could not be found.",`+
			`"ResourceId":"wsi-unknown000"}`, string(bad.body))
	})
}

func TestService_SetClock(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		ahead := time.Now().Add(15 * time.Minute).Truncate(time.Second)
		f.svc.SetClock(func() time.Time { return ahead })

		rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
		eb := requireError(t, rp, http.StatusForbidden, "InvalidSignatureException")
		assert.Contains(t, eb.Message, "Signature expired")
		date, err := http.ParseTime(rp.header.Get("Date"))
		require.NoError(t, err)
		assert.Equal(t, ahead.UTC(), date)

		// A client that corrects its clock from Date gets through.
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body)
		sign(t, req, body, ownerCreds, date)
		requirePage(t, f.do(t, req))
		assert.Equal(t, ahead, f.svc.Requests()[1].Time)

		f.svc.SetClock(nil)
		requirePage(t, f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}))
	})
}

func TestService_Concurrency(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range 50 {
				acct := "5000000000" + string(rune('0'+i/10)) + string(rune('0'+i%10))
				assert.NoError(t, f.svc.Share(testImage, acct))
				assert.NoError(t, f.svc.Unshare(testImage, acct))
				f.svc.SetClock(time.Now)
				_ = f.svc.Requests()
			}
		}()
		for range 20 {
			requirePage(t, f.describe(t, ownerCreds,
				map[string]any{"ImageId": testImage, "MaxResults": 1}))
		}
		<-done
	})
}
