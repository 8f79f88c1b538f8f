package workspaces_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
)

// pagingAPI implements DescribeWorkspaceImagePermissionsAPIClient over a
// list of accounts, pages of MaxResults (default 25), tokens "p<offset>".
type pagingAPI struct {
	accounts []string
	calls    []workspaces.DescribeWorkspaceImagePermissionsInput
	failAt   int   // fail the call with this number, from 1; 0 never
	sameTok  bool  // always answer with the token it was sent
	err      error // the failure
}

func (p *pagingAPI) DescribeWorkspaceImagePermissions(_ context.Context,
	in *workspaces.DescribeWorkspaceImagePermissionsInput, _ ...func(*workspaces.Options),
) (*workspaces.DescribeWorkspaceImagePermissionsOutput, error) {
	p.calls = append(p.calls, *in)
	if len(p.calls) == p.failAt {
		return nil, p.err
	}
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi((*in.NextToken)[1:])
	}
	size := 25
	if in.MaxResults != nil {
		size = int(*in.MaxResults)
	}
	end := min(start+size, len(p.accounts))
	out := &workspaces.DescribeWorkspaceImagePermissionsOutput{ImageId: in.ImageId}
	for _, a := range p.accounts[start:end] {
		out.ImagePermissions = append(out.ImagePermissions,
			types.ImagePermission{SharedAccountId: aws.String(a)})
	}
	switch {
	case p.sameTok && in.NextToken != nil:
		out.NextToken = in.NextToken
	case end < len(p.accounts):
		out.NextToken = aws.String("p" + strconv.Itoa(end))
	}
	return out, nil
}

func accounts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%012d", 100000000000+i)
	}
	return out
}

func collect(t *testing.T, p *workspaces.DescribeWorkspaceImagePermissionsPaginator) ([]string, error) {
	t.Helper()
	var got []string
	for perm, err := range p.Items(t.Context()) {
		if err != nil {
			return got, err
		}
		got = append(got, aws.ToString(perm.SharedAccountId))
	}
	return got, nil
}

func TestPaginator_ItemsWalksEveryPage(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(60)}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID),
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) { o.Limit = 7 })

	got, err := collect(t, p)

	require.NoError(t, err)
	assert.Equal(t, api.accounts, got)
	assert.Len(t, api.calls, 9)
	for _, c := range api.calls {
		assert.Equal(t, int32(7), aws.ToInt32(c.MaxResults), "Limit is sent as MaxResults")
		assert.Equal(t, testImageID, aws.ToString(c.ImageId))
	}
	assert.False(t, p.HasMorePages())
}

func TestPaginator_NoLimitLeavesPageSizeToService(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(30)}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID))

	got, err := collect(t, p)

	require.NoError(t, err)
	assert.Len(t, got, 30)
	assert.Nil(t, api.calls[0].MaxResults)
}

func TestPaginator_MaxResultsInParamsIsDefaultLimit(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(10)}
	in := imageInput(testImageID)
	in.MaxResults = aws.Int32(4)
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, in)

	_, err := collect(t, p)

	require.NoError(t, err)
	assert.Len(t, api.calls, 3)
}

func TestPaginator_EmptyImage(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID))

	got, err := collect(t, p)

	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Len(t, api.calls, 1)
}

func TestPaginator_BreakStopsRequesting(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(100)}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID),
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) { o.Limit = 10 })

	n := 0
	for _, err := range p.Items(t.Context()) {
		require.NoError(t, err)
		n++
		if n == 15 {
			break
		}
	}
	pages := 0
	for range p.Pages(t.Context()) {
		pages++
		break
	}

	assert.Len(t, api.calls, 3, "two pages for the items, one for the pages loop")
	assert.Equal(t, 1, pages)
}

func TestPaginator_ErrorYieldedOnceThenStops(t *testing.T) {
	t.Parallel()
	boom := errors.New("throttled for good")
	api := &pagingAPI{accounts: accounts(50), failAt: 2, err: boom}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID),
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) { o.Limit = 10 })

	var got []string
	var errs []error
	for perm, err := range p.Items(t.Context()) {
		if err != nil {
			errs = append(errs, err)
			assert.Nil(t, perm.SharedAccountId)
			continue // a loop that keeps going still sees the error only once
		}
		got = append(got, aws.ToString(perm.SharedAccountId))
	}

	assert.Equal(t, []error{boom}, errs)
	assert.Equal(t, api.accounts[:10], got)
	assert.Len(t, api.calls, 2)
	assert.True(t, p.HasMorePages(), "the failed page can be fetched again")

	rest, err := collect(t, p)
	require.NoError(t, err)
	assert.Equal(t, api.accounts[10:], rest, "resumes at the page that failed, nothing lost")
}

func TestPaginator_PagesErrorHasNilPage(t *testing.T) {
	t.Parallel()
	boom := errors.New("denied")
	api := &pagingAPI{accounts: accounts(5), failAt: 1, err: boom}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID))

	count := 0
	for page, err := range p.Pages(t.Context()) {
		count++
		assert.Nil(t, page)
		assert.ErrorIs(t, err, boom)
	}

	assert.Equal(t, 1, count)
}

func TestPaginator_StopOnDuplicateToken(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(60), sameTok: true}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID),
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) {
			o.Limit = 10
			o.StopOnDuplicateToken = true
		})

	_, err := collect(t, p)

	require.NoError(t, err)
	assert.Len(t, api.calls, 2, "the second page repeats the token, and the walk ends")
}

func TestPaginator_ResumesFromNextToken(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(40)}
	in := imageInput(testImageID)
	in.NextToken = aws.String("p30")
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, in)

	got, err := collect(t, p)

	require.NoError(t, err)
	assert.Equal(t, api.accounts[30:], got)
	assert.Equal(t, "p30", aws.ToString(api.calls[0].NextToken))
	assert.Equal(t, "p30", aws.ToString(in.NextToken), "the caller's params are not changed")
}

func TestPaginator_NextPageAfterLastPage(t *testing.T) {
	t.Parallel()
	api := &pagingAPI{accounts: accounts(3)}
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(api, imageInput(testImageID))

	_, err := p.NextPage(t.Context())
	require.NoError(t, err)
	out, err := p.NextPage(t.Context())

	assert.Nil(t, out)
	assert.EqualError(t, err, "no more pages available")
	assert.Len(t, api.calls, 1)
}

func TestPaginator_OverTheWire(t *testing.T) {
	t.Parallel()
	stub := newStub(
		reply{body: `{"ImagePermissions":[{"SharedAccountId":"111111111111"}],"NextToken":"t2"}`},
		reply{body: `{"ImagePermissions":[{"SharedAccountId":"222222222222"}]}`},
	)
	client := newTestClient(t, stub)
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(client, imageInput(testImageID))

	got, err := collect(t, p)

	require.NoError(t, err)
	assert.Equal(t, []string{"111111111111", "222222222222"}, got)
	sent := stub.sent()
	require.Len(t, sent, 2)
	assert.Equal(t, `{"ImageId":"wsi-abc123def","NextToken":"t2"}`, sent[1].body)
}
