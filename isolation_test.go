package workspaces_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
)

// echoPageHTTP answers each request with a page made from the NextToken the
// request carries, so that every call gets its own data: a token "n" gets
// image "wsi-n", accounts "n" padded and numbered, and a NextToken that
// repeats n's digits. Every third call is answered with an error whose
// message names n instead. Sizes differ from call to call, and half the
// responses announce no Content-Length, so that a reused buffer would hold
// the stale bytes of an earlier body.
type echoPageHTTP struct{}

func (echoPageHTTP) Do(req *http.Request) (*http.Response, error) {
	var in struct{ NextToken string }
	if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(in.NextToken)
	if err != nil {
		return nil, err
	}
	status, body := http.StatusOK, echoPage(n)
	if n%3 == 0 {
		status, body = http.StatusBadRequest, echoError(n)
	}
	length := int64(len(body))
	if n%2 == 0 {
		length = -1
	}
	return &http.Response{
		StatusCode:    status,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: length,
	}, nil
}

// echoAccounts returns the accounts of call n's page: 1 to 25 of them.
func echoAccounts(n int) []string {
	ids := make([]string, 1+n%25)
	for i := range ids {
		ids[i] = fmt.Sprintf("%06d%06d", n, i)
	}
	return ids
}

func echoToken(n int) string {
	return strings.Repeat(strconv.Itoa(n), 1+n%7)
}

func echoPage(n int) string {
	var b strings.Builder
	b.WriteString(`{"ImageId":"wsi-` + strconv.Itoa(n) + `","ImagePermissions":[`)
	for i, id := range echoAccounts(n) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"SharedAccountId":"` + id + `"}`)
	}
	b.WriteString(`],"NextToken":"` + echoToken(n) + `"}`)
	return b.String()
}

func echoError(n int) string {
	return `{"__type":"InvalidParameterValuesException","message":"bad request ` +
		strings.Repeat(strconv.Itoa(n), 1+n%11) + `"}`
}

// echoResult is what one call returned, kept until every call is done.
type echoResult struct {
	n   int
	out *workspaces.DescribeWorkspaceImagePermissionsOutput
	err error
}

// TestDescribeWorkspaceImagePermissions_ResultsNotShared checks that no
// memory of one call's response ends up in another call's result, as it
// would if the client reused a buffer that a page or an error still points
// into: many goroutines make calls that each get their own page or error,
// and only once every call is done is each result compared with what its
// call was sent.
func TestDescribeWorkspaceImagePermissions_ResultsNotShared(t *testing.T) {
	t.Parallel()
	client := workspaces.New(workspaces.Options{
		Region:           "us-east-1",
		Credentials:      staticCredentials(""),
		HTTPClient:       echoPageHTTP{},
		RetryMaxAttempts: 1,
	})
	const goroutines, calls = 4, 300
	results := make([][]echoResult, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				n := 1 + g*calls + i
				in := imageInput(testImageID)
				in.NextToken = aws.String(strconv.Itoa(n))
				out, err := client.DescribeWorkspaceImagePermissions(t.Context(), in)
				results[g] = append(results[g], echoResult{n: n, out: out, err: err})
			}
		}()
	}
	wg.Wait()

	for _, rs := range results {
		require.Len(t, rs, calls)
		for _, r := range rs {
			if r.n%3 == 0 {
				var apiErr *types.InvalidParameterValuesException
				require.ErrorAs(t, r.err, &apiErr, "call %d", r.n)
				assert.Equal(t, "bad request "+strings.Repeat(strconv.Itoa(r.n), 1+r.n%11),
					aws.ToString(apiErr.Message), "call %d", r.n)
				continue
			}
			require.NoError(t, r.err, "call %d", r.n)
			assert.Equal(t, "wsi-"+strconv.Itoa(r.n), aws.ToString(r.out.ImageId), "call %d", r.n)
			assert.Equal(t, echoToken(r.n), aws.ToString(r.out.NextToken), "call %d", r.n)
			assert.Equal(t, echoAccounts(r.n), accountIDsOf(r.out), "call %d", r.n)
		}
	}
}

// accountIDsOf lists the account IDs of a page.
func accountIDsOf(out *workspaces.DescribeWorkspaceImagePermissionsOutput) []string {
	ids := make([]string, len(out.ImagePermissions))
	for i, p := range out.ImagePermissions {
		ids[i] = aws.ToString(p.SharedAccountId)
	}
	return ids
}
