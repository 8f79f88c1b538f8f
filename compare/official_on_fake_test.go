package compare

import (
	"context"
	"encoding/base64"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// These tests replay the scenarios of the fake's own test suite
// (workspacestest/*_test.go) through real SDK clients: the official one,
// and ours beside it. Scenarios that need a hand-made request (unsigned
// headers, tampered signatures, unknown targets, wrong content types) have
// no equivalent through a client and stay in the fake's suite.

// fakeRun is one client reaching one fake Service one way.
type fakeRun struct {
	svc      *workspacestest.Service
	http     workspaces.HTTPClient
	endpoint string
	build    func(clientSetup) describer
	lean     bool // the client is ours, not the official one
}

// client returns the run's client, signing with the owner's key.
func (r *fakeRun) client() describer {
	return r.as(staticCreds(cmpAccessKey, cmpSecretKey, ""))
}

// as returns the run's client signing with creds.
func (r *fakeRun) as(creds aws.CredentialsProvider) describer {
	return r.build(clientSetup{http: r.http, endpoint: r.endpoint, credentials: creds})
}

// onFake runs fn for each client and each way of reaching a fresh Service
// loaded with seed.
func onFake(t *testing.T, seed workspacestest.Seed, fn func(t *testing.T, r *fakeRun)) {
	t.Helper()
	for i, build := range clientBuilders {
		for _, tr := range fakeTransports {
			name := build(clientSetup{}).name + "/" + tr.name
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				svc := newSeededService(t, seed)
				httpClient, endpoint := tr.reach(t, svc)
				fn(t, &fakeRun{svc: svc, http: httpClient, endpoint: endpoint, build: build,
					lean: i == 0})
			})
		}
	}
}

// walkAll pages through cmpImage at size per page and returns every
// account and the number of pages; between, if set, runs after each page
// but the last.
func walkAll(t *testing.T, d describer, size int32, between func(page int)) ([]string, int) {
	t.Helper()
	var all []string
	in := callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(size)}
	for pages := 1; ; pages++ {
		p, err := d.describe(t.Context(), in)
		require.NoError(t, err)
		require.LessOrEqual(t, len(p.Permissions), int(size))
		assert.Equal(t, cmpImage, aws.ToString(p.ImageID))
		all = append(all, p.accounts()...)
		if p.NextToken == nil {
			return all, pages
		}
		require.NotEmpty(t, *p.NextToken)
		in.NextToken = p.NextToken
		if between != nil {
			between(pages)
		}
	}
}

// requireAPIError checks that err is the error response of type typ with
// the given status and code, and that it carries the fake's request ID.
func requireAPIError(t *testing.T, r *fakeRun, d describer, err error, typ string, status int,
	code string,
) errFacts {
	t.Helper()
	require.Error(t, err)
	f := d.facts(err)
	require.Equal(t, typ, f.Type, f.Text)
	assert.Equal(t, code, f.Code)
	assert.Equal(t, status, f.Status)
	reqs := r.svc.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, reqs[len(reqs)-1].RequestID, f.RequestID)
	assert.Equal(t, "WorkSpaces", f.Service)
	assert.Equal(t, "DescribeWorkspaceImagePermissions", f.Operation)
	return f
}

func TestOfficialOnFake_Walk(t *testing.T) {
	t.Parallel()
	want := accountIDs(100000000000, 60)
	shuffled := slices.Clone(want)
	shuffled[0], shuffled[59] = want[59], want[0]
	onFake(t, cmpSeed(shuffled...), func(t *testing.T, r *fakeRun) {
		got, pages := walkAll(t, r.client(), 7, nil)
		assert.Equal(t, want, got)
		assert.Equal(t, 9, pages)

		reqs := r.svc.Requests()
		require.Len(t, reqs, 9)
		assert.Nil(t, reqs[0].Input.NextToken)
		for _, q := range reqs {
			assert.Equal(t, int32(7), aws.ToInt32(q.Input.MaxResults))
			assert.Equal(t, cmpAccessKey, q.AccessKeyID)
			assert.Equal(t, cmpOwner, q.AccountID)
		}
		for _, q := range reqs[1:] {
			assert.NotNil(t, q.Input.NextToken)
		}
	})
}

func TestOfficialOnFake_PageSizes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		shared int
		size   int32 // 0: MaxResults absent
		pages  int
	}{
		"default page size": {shared: 30, pages: 2},
		"exactly one page":  {shared: 25, pages: 1},
		"exact multiple":    {shared: 14, size: 7, pages: 2},
		"one per page":      {shared: 3, size: 1, pages: 3},
		"shared with none":  {shared: 0, size: 5, pages: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := accountIDs(200000000000, tc.shared)
			onFake(t, cmpSeed(want...), func(t *testing.T, r *fakeRun) {
				d := r.client()
				in := callInput{ImageID: aws.String(cmpImage)}
				if tc.size > 0 {
					in.MaxResults = aws.Int32(tc.size)
				}
				got := []string{}
				pages := 0
				for {
					pages++
					p, err := d.describe(t.Context(), in)
					require.NoError(t, err)
					assert.LessOrEqual(t, len(p.Permissions), 25)
					got = append(got, p.accounts()...)
					if p.NextToken == nil {
						break
					}
					in.NextToken = p.NextToken
				}
				assert.Equal(t, tc.pages, pages)
				assert.Equal(t, append([]string{}, want...), got)
			})
		})
	}
}

func TestOfficialOnFake_EmptyList(t *testing.T) {
	t.Parallel()
	onFake(t, cmpSeed(), func(t *testing.T, r *fakeRun) {
		p, err := r.client().describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		require.NoError(t, err)
		assert.Equal(t, cmpImage, aws.ToString(p.ImageID))
		assert.NotNil(t, p.Permissions)
		assert.Empty(t, p.Permissions)
		assert.Nil(t, p.NextToken)
		assert.True(t, p.HasRequestID)
		assert.Equal(t, r.svc.Requests()[0].RequestID, p.RequestID)
	})
}

func TestOfficialOnFake_ShareBetweenPages(t *testing.T) {
	t.Parallel()
	onFake(t, cmpSeed(accountIDs(300000000010, 20)...), func(t *testing.T, r *fakeRun) {
		got, _ := walkAll(t, r.client(), 5, func(page int) {
			if page != 1 {
				return
			}
			// After ...10-...14: drop one seen and one unseen, add one
			// before the position and two after it.
			require.NoError(t, r.svc.Unshare(cmpImage, "300000000011", "300000000020"))
			require.NoError(t, r.svc.Share(cmpImage,
				"300000000005", "300000000025", "300000000099"))
		})
		var want []string
		for _, a := range accountIDs(300000000010, 20) {
			if a != "300000000020" {
				want = append(want, a)
			}
		}
		want = append(want, "300000000099")
		assert.Equal(t, want, got)
	})
}

func TestOfficialOnFake_Validation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   callInput
		want []string // in the message
		// leanLocal: our client refuses the input itself, sending nothing
		// (see TestDescribeWorkspaceImagePermissions_ValidatesMore).
		leanLocal bool
	}{
		"wrong prefix": {
			in:   callInput{ImageID: aws.String("ami-abc123def")},
			want: []string{"Value 'ami-abc123def' at 'imageId'", "regular expression"},
		},
		"too short": {
			in: callInput{ImageID: aws.String("wsi-abc123de")}, want: []string{"'wsi-abc123de'"},
		},
		"too long": {
			in:   callInput{ImageID: aws.String("wsi-" + strings.Repeat("a", 64))},
			want: []string{"at 'imageId'"},
		},
		"upper case": {
			in:   callInput{ImageID: aws.String("wsi-ABC123DEF")},
			want: []string{"'wsi-ABC123DEF'"},
		},
		"prefixed": {
			in:   callInput{ImageID: aws.String("xwsi-abc123def")},
			want: []string{"'xwsi-abc123def'"},
		},
		"empty image id": {
			in:   callInput{ImageID: aws.String("")},
			want: []string{"at 'imageId'"}, leanLocal: true,
		},
		"max results zero": {
			in:        callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(0)},
			want:      []string{"Value '0' at 'maxResults'", "greater than or equal to 1"},
			leanLocal: true,
		},
		"max results negative": {
			in:   callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(-3)},
			want: []string{"Value '-3' at 'maxResults'"}, leanLocal: true,
		},
		"max results 26": {
			in:   callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(26)},
			want: []string{"Value '26' at 'maxResults'", "less than or equal to 25"},
		},
		"empty next token": {
			in:        callInput{ImageID: aws.String(cmpImage), NextToken: aws.String("")},
			want:      []string{"Value '' at 'nextToken'", "length greater than or equal to 1"},
			leanLocal: true,
		},
		"long next token": {
			in: callInput{ImageID: aws.String(cmpImage),
				NextToken: aws.String(strings.Repeat("a", 2049))},
			want: []string{"at 'nextToken'", "less than or equal to 2048"},
		},
		"two problems": {
			in:   callInput{ImageID: aws.String("bad"), MaxResults: aws.Int32(99)},
			want: []string{"2 validation errors detected", "'bad'", "'99'"},
		},
		"validated before lookup": {
			in:   callInput{ImageID: aws.String("wsi-unknown000"), MaxResults: aws.Int32(26)},
			want: []string{"'26'"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			onFake(t, cmpSeed(), func(t *testing.T, r *fakeRun) {
				d := r.client()
				_, err := d.describe(t.Context(), tc.in)
				if r.lean && tc.leanLocal {
					require.Error(t, err)
					assert.Equal(t, "InvalidParamsError", d.facts(err).Type)
					assert.Empty(t, r.svc.Requests())
					return
				}
				f := requireAPIError(t, r, d, err, "InvalidParameterValuesException", 400,
					"InvalidParameterValuesException")
				for _, w := range tc.want {
					assert.Contains(t, f.Message, w)
				}
				assert.Len(t, r.svc.Requests(), 1)
			})
		})
	}
}

func TestOfficialOnFake_ImageErrors(t *testing.T) {
	t.Parallel()
	onFake(t, cmpSeed("444455556666"), func(t *testing.T, r *fakeRun) {
		owner := r.client()
		other := r.as(staticCreds(cmpOtherKey, cmpOtherSec, ""))
		unknown := callInput{ImageID: aws.String("wsi-unknown000")}

		_, err := owner.describe(t.Context(), unknown)
		f := requireAPIError(t, r, owner, err, "ResourceNotFoundException", 400,
			"ResourceNotFoundException")
		assert.Equal(t, "wsi-unknown000", aws.ToString(f.ResourceID))
		assert.Contains(t, f.Message, "wsi-unknown000")
		assert.Equal(t, smithy.FaultClient, f.Fault)

		_, err = other.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		f = requireAPIError(t, r, other, err, "AccessDeniedException", 400,
			"AccessDeniedException")
		assert.NotEmpty(t, f.Message)

		// The image is looked up before the caller's right to it, and a
		// token is checked only once the caller may see the image.
		_, err = other.describe(t.Context(), unknown)
		requireAPIError(t, r, other, err, "ResourceNotFoundException", 400,
			"ResourceNotFoundException")
		_, err = other.describe(t.Context(),
			callInput{ImageID: aws.String(cmpImage), NextToken: aws.String("x")})
		requireAPIError(t, r, other, err, "AccessDeniedException", 400, "AccessDeniedException")
		assert.Len(t, r.svc.Requests(), 4, "no error above is retried")
	})
}

func TestOfficialOnFake_BadTokens(t *testing.T) {
	t.Parallel()
	seed := cmpSeed(accountIDs(400000000000, 10)...)
	seed.Images = append(seed.Images, workspacestest.Image{
		ID: "wsi-second0000", OwnerAccountID: cmpOwner,
		SharedAccountIDs: accountIDs(500000000000, 10),
	})
	onFake(t, seed, func(t *testing.T, r *fakeRun) {
		d := r.client()
		first3 := callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(3)}
		p, err := d.describe(t.Context(), first3)
		require.NoError(t, err)
		require.NotNil(t, p.NextToken)
		token := *p.NextToken
		raw, err := base64.RawURLEncoding.DecodeString(token)
		require.NoError(t, err)

		// A token from another Service with the same images.
		foreignSvc := newSeededService(t, seed)
		foreignClient := r.build(clientSetup{http: foreignSvc.Client(), endpoint: cmpEndpoint})
		p, err = foreignClient.describe(t.Context(), first3)
		require.NoError(t, err)
		foreign := *p.NextToken

		tests := map[string]struct{ image, token string }{
			"garbage":       {cmpImage, "not a token"},
			"base64 junk":   {cmpImage, base64.RawURLEncoding.EncodeToString([]byte("hello"))},
			"truncated":     {cmpImage, token[:len(token)-2]},
			"bit flipped":   {cmpImage, flipBit(raw, len(raw)/2)},
			"mac flipped":   {cmpImage, flipBit(raw, len(raw)-1)},
			"other image":   {"wsi-second0000", token},
			"other service": {cmpImage, foreign},
		}
		for name, tc := range tests {
			_, err := d.describe(t.Context(),
				callInput{ImageID: aws.String(tc.image), NextToken: aws.String(tc.token)})
			f := requireAPIError(t, r, d, err, "InvalidParameterValuesException", 400,
				"InvalidParameterValuesException")
			assert.Contains(t, f.Message, "NextToken", name)
		}

		// The token is good until the image is deleted and put again.
		withToken := callInput{ImageID: aws.String(cmpImage), NextToken: aws.String(token)}
		_, err = d.describe(t.Context(), withToken)
		require.NoError(t, err)
		require.True(t, r.svc.DeleteImage(cmpImage))
		_, err = d.describe(t.Context(), withToken)
		requireAPIError(t, r, d, err, "ResourceNotFoundException", 400,
			"ResourceNotFoundException")
		require.NoError(t, r.svc.PutImage(seed.Images[0]))
		_, err = d.describe(t.Context(), withToken)
		requireAPIError(t, r, d, err, "InvalidParameterValuesException", 400,
			"InvalidParameterValuesException")
	})
}

// flipBit returns raw with the low bit of byte i flipped, as a token.
func flipBit(raw []byte, i int) string {
	c := slices.Clone(raw)
	c[i] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(c)
}

func TestOfficialOnFake_ConcurrentWalks(t *testing.T) {
	t.Parallel()
	stable := accountIDs(600000000000, 40)
	onFake(t, cmpSeed(stable...), func(t *testing.T, r *fakeRun) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			churn := accountIDs(700000000000, 5)
			for {
				select {
				case <-stop:
					return
				default:
				}
				assert.NoError(t, r.svc.Share(cmpImage, churn...))
				assert.NoError(t, r.svc.Unshare(cmpImage, churn...))
			}
		}()
		// The stable accounts come out once each, in order, while other
		// accounts come and go.
		for range 3 {
			got, _ := walkAll(t, r.client(), 6, nil)
			var kept []string
			for _, a := range got {
				if a < "700000000000" {
					kept = append(kept, a)
				}
			}
			assert.Equal(t, stable, kept)
		}
		close(stop)
		wg.Wait()
	})
}

func TestOfficialOnFake_Authentication(t *testing.T) {
	t.Parallel()
	seed := cmpSeed("444455556666")
	seed.Credentials = append(seed.Credentials, workspacestest.Credential{
		AccessKeyID: "AKIDTEMP", SecretAccessKey: "temp-secret", SessionToken: "the-token",
		AccountID: cmpOwner,
	})
	tests := map[string]struct {
		key, secret, token string
		status             int // 0 for a page
		code               string
	}{
		"known key": {key: cmpAccessKey, secret: cmpSecretKey},
		"unknown key": {
			key: "AKIDUNKNOWN", secret: "x", status: 403, code: "UnrecognizedClientException",
		},
		"wrong secret": {
			key: cmpAccessKey, secret: "x", status: 403, code: "InvalidSignatureException",
		},
		"session token required": {
			key: "AKIDTEMP", secret: "temp-secret", status: 403,
			code: "UnrecognizedClientException",
		},
		"session token matches": {key: "AKIDTEMP", secret: "temp-secret", token: "the-token"},
		"session token differs": {
			key: "AKIDTEMP", secret: "temp-secret", token: "another", status: 403,
			code: "UnrecognizedClientException",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			onFake(t, seed, func(t *testing.T, r *fakeRun) {
				d := r.as(staticCreds(tc.key, tc.secret, tc.token))
				p, err := d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
				reqs := r.svc.Requests()
				require.Len(t, reqs, 1, "not retried")
				assert.Equal(t, tc.key, reqs[0].AccessKeyID)
				assert.Equal(t, tc.token, reqs[0].Header.Get("X-Amz-Security-Token"))
				if tc.status == 0 {
					require.NoError(t, err)
					assert.Equal(t, []string{"444455556666"}, p.accounts())
					assert.Equal(t, cmpOwner, reqs[0].AccountID)
					return
				}
				requireAPIError(t, r, d, err, "GenericAPIError", tc.status, tc.code)
				assert.Empty(t, reqs[0].AccountID)
			})
		})
	}
}

func TestOfficialOnFake_NoCredentialsSeeded(t *testing.T) {
	t.Parallel()
	seed := workspacestest.Seed{Images: []workspacestest.Image{{
		ID: cmpImage, SharedAccountIDs: []string{"444455556666"},
	}}}
	onFake(t, seed, func(t *testing.T, r *fakeRun) {
		d := r.as(staticCreds("AKIDANYTHING", "whatever", ""))
		p, err := d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		require.NoError(t, err)
		assert.Equal(t, []string{"444455556666"}, p.accounts())
		rec := r.svc.Requests()[0]
		assert.Equal(t, workspacestest.DefaultAccountID, rec.AccountID)
		assert.Equal(t, "AKIDANYTHING", rec.AccessKeyID)
	})
}

func TestOfficialOnFake_Faults(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault    workspacestest.Fault
		requests int
		// wantType is the error; "" when the retry gets the page.
		wantType, wantCode string
	}{
		"throttle": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle}, requests: 2,
		},
		"throttle with another code": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle,
				Code: "RequestLimitExceeded"},
			requests: 2,
		},
		"500": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError}, requests: 2,
		},
		"502": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 502},
			requests: 2,
		},
		"503": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503},
			requests: 2,
		},
		"504": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 504},
			requests: 2,
		},
		"html 500": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultServerError, HTML: true},
			requests: 2,
		},
		"html 503": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503,
				HTML: true},
			requests: 2,
		},
		"reset": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultReset}, requests: 2,
		},
		"latency": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultLatency,
				Delay: time.Millisecond},
			requests: 1,
		},
		"slow throttle": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle,
				Delay: time.Millisecond},
			requests: 2,
		},
		"stalled body": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultStallBody,
				Delay: time.Millisecond},
			requests: 1,
		},
		"malformed json": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultMalformedJSON},
			requests: 1, wantType: "DeserializationError",
		},
		"padding body": {
			fault:    workspacestest.Fault{Kind: workspacestest.FaultHugeBody, Size: 100},
			requests: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			onFake(t, cmpSeed("222233334444", "444455556666"), func(t *testing.T, r *fakeRun) {
				require.NoError(t, r.svc.InjectFault(workspacestest.NthCall(1), tc.fault))
				d := r.client()
				p, err := d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
				reqs := r.svc.Requests()
				assert.Len(t, reqs, tc.requests)
				require.NotNil(t, reqs[0].Fault)
				assert.Equal(t, tc.fault.Kind, reqs[0].Fault.Kind)
				if tc.wantType != "" {
					require.Error(t, err)
					f := d.facts(err)
					assert.Equal(t, tc.wantType, f.Type, f.Text)
					assert.Equal(t, tc.wantCode, f.Code)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, reqs[len(reqs)-1].RequestID, p.RequestID)
				if tc.fault.Kind != workspacestest.FaultHugeBody {
					assert.Equal(t, []string{"222233334444", "444455556666"}, p.accounts())
				}
			})
		})
	}
}

// TestOfficialOnFake_Truncated pins an intended difference. A 200 whose
// body is cut short (the connection closes before Content-Length bytes)
// is, for the official client, a *smithy.DeserializationError wrapping
// io.ErrUnexpectedEOF, which its retryer does not retry. Ours reads the
// body before deciding, treats the cut as the connection error it is and
// retries it, so the call gets the whole page.
func TestOfficialOnFake_Truncated(t *testing.T) {
	t.Parallel()
	onFake(t, cmpSeed("222233334444", "444455556666"), func(t *testing.T, r *fakeRun) {
		require.NoError(t, r.svc.InjectFault(workspacestest.NthCall(1),
			workspacestest.Fault{Kind: workspacestest.FaultTruncate}))
		d := r.client()
		p, err := d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		if !r.lean {
			require.Error(t, err)
			assert.Equal(t, "DeserializationError", d.facts(err).Type)
			assert.Len(t, r.svc.Requests(), 1)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, []string{"222233334444", "444455556666"}, p.accounts())
		assert.Len(t, r.svc.Requests(), 2)
	})
}

func TestOfficialOnFake_ClockSkew(t *testing.T) {
	t.Parallel()
	onFake(t, cmpSeed("444455556666"), func(t *testing.T, r *fakeRun) {
		ahead := time.Now().Add(15 * time.Minute).Truncate(time.Second)
		r.svc.SetClock(func() time.Time { return ahead })
		d := r.client()

		// The first attempt is refused as signed at the wrong time; the
		// client learns the fake's clock from Date and signs again.
		p, err := d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		require.NoError(t, err)
		assert.Equal(t, []string{"444455556666"}, p.accounts())
		reqs := r.svc.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, 403, reqs[0].Status)
		assert.Equal(t, "InvalidSignatureException", reqs[0].ErrorCode)
		assert.Equal(t, 200, reqs[1].Status)

		// The correction is kept for the calls that follow.
		_, err = d.describe(t.Context(), callInput{ImageID: aws.String(cmpImage)})
		require.NoError(t, err)
		assert.Len(t, r.svc.Requests(), 3)
	})
}

func TestOfficialOnFake_Cancelled(t *testing.T) {
	t.Parallel()
	for _, kind := range []workspacestest.FaultKind{
		workspacestest.FaultLatency, workspacestest.FaultThrottle,
		workspacestest.FaultReset, workspacestest.FaultStallBody,
	} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			onFake(t, cmpSeed("444455556666"), func(t *testing.T, r *fakeRun) {
				require.NoError(t, r.svc.InjectFault(workspacestest.NthCall(1),
					workspacestest.Fault{Kind: kind, Delay: time.Hour}))
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				errc := make(chan error, 1)
				go func() {
					_, err := r.client().describe(ctx, callInput{ImageID: aws.String(cmpImage)})
					errc <- err
				}()

				// Cancel once the fake holds the request.
				for len(r.svc.Requests()) == 0 {
					select {
					case err := <-errc:
						t.Fatalf("the call ended before the fake had it: %v", err)
					default:
						runtime.Gosched()
					}
				}
				cancel()
				err := <-errc
				require.ErrorIs(t, err, context.Canceled)
				assert.Len(t, r.svc.Requests(), 1, "a cancelled call is not retried")
			})
		})
	}
}
