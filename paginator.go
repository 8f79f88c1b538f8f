package workspaces

import (
	"context"
	"errors"
	"iter"

	"github.com/leanaws/workspaces/types"
)

// DescribeWorkspaceImagePermissionsAPIClient is the method a paginator
// calls. *Client implements it; so can a test's stub.
type DescribeWorkspaceImagePermissionsAPIClient interface {
	DescribeWorkspaceImagePermissions(context.Context,
		*DescribeWorkspaceImagePermissionsInput,
		...func(*Options)) (*DescribeWorkspaceImagePermissionsOutput, error)
}

var _ DescribeWorkspaceImagePermissionsAPIClient = (*Client)(nil)

// DescribeWorkspaceImagePermissionsPaginatorOptions configures a
// [DescribeWorkspaceImagePermissionsPaginator].
type DescribeWorkspaceImagePermissionsPaginatorOptions struct {
	// Limit is the page size, sent as MaxResults; 0 leaves it to the
	// service, which sends 25.
	Limit int32

	// StopOnDuplicateToken ends the walk when the service returns the token
	// it was just sent, rather than asking for the same page forever.
	StopOnDuplicateToken bool
}

// DescribeWorkspaceImagePermissionsPaginator walks the pages of
// [Client.DescribeWorkspaceImagePermissions]. Use NextPage as with the
// official client's paginators, or range over Pages or Items.
//
// A paginator is not safe for concurrent use. After an error its position is
// unchanged, so calling NextPage again retries the page that failed.
type DescribeWorkspaceImagePermissionsPaginator struct {
	options   DescribeWorkspaceImagePermissionsPaginatorOptions
	client    DescribeWorkspaceImagePermissionsAPIClient
	params    DescribeWorkspaceImagePermissionsInput
	nextToken *string
	firstPage bool
}

// NewDescribeWorkspaceImagePermissionsPaginator returns a paginator over the
// pages of params. A NextToken in params resumes a walk where that token
// points, and a MaxResults in params is the default Limit.
func NewDescribeWorkspaceImagePermissionsPaginator(
	client DescribeWorkspaceImagePermissionsAPIClient,
	params *DescribeWorkspaceImagePermissionsInput,
	optFns ...func(*DescribeWorkspaceImagePermissionsPaginatorOptions),
) *DescribeWorkspaceImagePermissionsPaginator {
	if params == nil {
		params = &DescribeWorkspaceImagePermissionsInput{}
	}
	var options DescribeWorkspaceImagePermissionsPaginatorOptions
	if params.MaxResults != nil {
		options.Limit = *params.MaxResults
	}
	for _, fn := range optFns {
		fn(&options)
	}
	return &DescribeWorkspaceImagePermissionsPaginator{
		options:   options,
		client:    client,
		params:    *params,
		nextToken: params.NextToken,
		firstPage: true,
	}
}

// errNoMorePages has the official paginators' text, so that code comparing
// messages keeps working.
var errNoMorePages = errors.New("no more pages available")

// HasMorePages reports whether NextPage has a page to fetch.
func (p *DescribeWorkspaceImagePermissionsPaginator) HasMorePages() bool {
	return p.firstPage || (p.nextToken != nil && *p.nextToken != "")
}

// NextPage fetches the next page. It returns an error without sending
// anything when HasMorePages is false.
func (p *DescribeWorkspaceImagePermissionsPaginator) NextPage(ctx context.Context,
	optFns ...func(*Options),
) (*DescribeWorkspaceImagePermissionsOutput, error) {
	if !p.HasMorePages() {
		return nil, errNoMorePages
	}

	params := p.params
	params.NextToken = p.nextToken
	params.MaxResults = nil
	if p.options.Limit > 0 {
		limit := p.options.Limit
		params.MaxResults = &limit
	}
	out, err := p.client.DescribeWorkspaceImagePermissions(ctx, &params, optFns...)
	if err != nil {
		return nil, err
	}

	p.firstPage = false
	prev := p.nextToken
	p.nextToken = out.NextToken
	if p.options.StopOnDuplicateToken && prev != nil && p.nextToken != nil &&
		*prev == *p.nextToken {
		p.nextToken = nil
	}
	return out, nil
}

// Pages returns an iterator over the remaining pages. It stops after the
// last page, when the loop body breaks, or after yielding an error, which
// it yields once with a nil page.
func (p *DescribeWorkspaceImagePermissionsPaginator) Pages(ctx context.Context,
	optFns ...func(*Options),
) iter.Seq2[*DescribeWorkspaceImagePermissionsOutput, error] {
	return func(yield func(*DescribeWorkspaceImagePermissionsOutput, error) bool) {
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, optFns...)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page, nil) {
				return
			}
		}
	}
}

// Items returns an iterator over the permissions of the remaining pages, in
// the order the service lists them. Like Pages, it fetches a page only when
// the loop reaches it, and yields an error once, with a zero permission,
// before it stops. A loop that breaks in the middle of a page leaves the
// paginator after that page: the rest of it is not listed again.
func (p *DescribeWorkspaceImagePermissionsPaginator) Items(ctx context.Context,
	optFns ...func(*Options),
) iter.Seq2[types.ImagePermission, error] {
	return func(yield func(types.ImagePermission, error) bool) {
		for page, err := range p.Pages(ctx, optFns...) {
			if err != nil {
				yield(types.ImagePermission{}, err)
				return
			}
			for _, perm := range page.ImagePermissions {
				if !yield(perm, nil) {
					return
				}
			}
		}
	}
}
