package workspaces

import (
	"context"
	"fmt"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/leanaws/workspaces/internal/awsjson"
	"github.com/leanaws/workspaces/types"
)

const (
	opDescribeWorkspaceImagePermissions = "DescribeWorkspaceImagePermissions"
	targetPrefix                        = "WorkspacesService."
)

// DescribeWorkspaceImagePermissions returns one page of the AWS accounts the
// image params.ImageId is shared with. Pass the NextToken of a page to get
// the next one, or walk every page with
// [NewDescribeWorkspaceImagePermissionsPaginator].
//
// Every error is a *smithy.OperationError; see the package documentation for
// what it wraps.
//
// AWS API reference:
// https://docs.aws.amazon.com/workspaces/latest/api/API_DescribeWorkspaceImagePermissions.html
func (c *Client) DescribeWorkspaceImagePermissions(ctx context.Context,
	params *DescribeWorkspaceImagePermissionsInput, optFns ...func(*Options),
) (*DescribeWorkspaceImagePermissionsOutput, error) {
	cc := c.config(optFns)
	if cc.tel.enabled() {
		return observe(ctx, &cc.tel, opDescribeWorkspaceImagePermissions,
			func(ctx context.Context) (*DescribeWorkspaceImagePermissionsOutput, error) {
				return c.describeWorkspaceImagePermissions(ctx, cc, params)
			})
	}
	return c.describeWorkspaceImagePermissions(ctx, cc, params)
}

// describeWorkspaceImagePermissions is the operation from validation to
// decoding: one call, however many attempts it takes.
func (c *Client) describeWorkspaceImagePermissions(ctx context.Context, cc *callConfig,
	params *DescribeWorkspaceImagePermissionsInput,
) (*DescribeWorkspaceImagePermissionsOutput, error) {
	if params == nil {
		params = &DescribeWorkspaceImagePermissionsInput{}
	}
	if err := params.validate(); err != nil {
		return nil, operationError(err)
	}

	start := cc.tel.stopwatch()
	call := new(callState)
	call.body = params.appendJSON(call.buf[:0])
	cc.tel.record(ctx, stepSerialize, opDescribeWorkspaceImagePermissions, start)

	page := new(pageState)
	call.out = page
	metadata, err := c.invoke(ctx, cc, call, targetPrefix+opDescribeWorkspaceImagePermissions)
	if err != nil {
		return nil, operationError(err)
	}
	page.out.ResultMetadata = metadata
	return &page.out, nil
}

// operationError wraps err as the official client wraps every error of this
// operation.
func operationError(err error) error {
	return &smithy.OperationError{
		ServiceID:     ServiceID,
		OperationName: opDescribeWorkspaceImagePermissions,
		Err:           err,
	}
}

// operationName returns the operation an X-Amz-Target value names.
func operationName(target string) string {
	return target[len(targetPrefix):]
}

// DescribeWorkspaceImagePermissionsInput is the request of
// [Client.DescribeWorkspaceImagePermissions].
type DescribeWorkspaceImagePermissionsInput struct {
	// ImageId identifies the image, as "wsi-" and 9 to 63 lowercase letters
	// and digits. Required.
	ImageId *string

	// MaxResults is the largest number of accounts to return in the page,
	// 1 to 25. The service returns 25 when it is nil.
	MaxResults *int32

	// NextToken is the NextToken of the previous page, or nil for the first.
	NextToken *string
}

// validate reports every field the service would certainly reject, so that
// a request that cannot succeed is not sent. Values that only the service
// can judge, such as the form of ImageId or an upper bound on MaxResults,
// are left to it.
func (in *DescribeWorkspaceImagePermissionsInput) validate() error {
	errs := smithy.InvalidParamsError{Context: "DescribeWorkspaceImagePermissionsInput"}
	switch {
	case in.ImageId == nil:
		errs.Add(smithy.NewErrParamRequired("ImageId"))
	case *in.ImageId == "":
		errs.Add(newParamError("ImageId", "minimum field size of 1"))
	}
	if in.MaxResults != nil && *in.MaxResults < 1 {
		errs.Add(newParamError("MaxResults",
			fmt.Sprintf("minimum field value of 1, got %d", *in.MaxResults)))
	}
	if in.NextToken != nil && *in.NextToken == "" {
		errs.Add(newParamError("NextToken", "minimum field size of 1"))
	}
	if errs.Len() > 0 {
		return errs
	}
	return nil
}

// paramError is one invalid field: smithy-go has a type for a missing
// field only, and the others must read the same way.
type paramError struct {
	context, field, reason string
}

var _ smithy.InvalidParamError = (*paramError)(nil)

func newParamError(field, reason string) *paramError {
	return &paramError{field: field, reason: reason}
}

// Error reads as smithy-go's own: "reason, Context.Field.".
func (e *paramError) Error() string { return e.reason + ", " + e.Field() + "." }

// Field returns the field's path, such as
// "DescribeWorkspaceImagePermissionsInput.ImageId".
func (e *paramError) Field() string {
	if e.context == "" {
		return e.field
	}
	return e.context + "." + e.field
}

// SetContext sets the name of the structure the field belongs to.
func (e *paramError) SetContext(ctx string) { e.context = ctx }

// AddNestedContext prefixes the field with the member it is nested in.
func (e *paramError) AddNestedContext(ctx string) { e.field = ctx + "." + e.field }

// appendJSON appends the request body: a JSON object with the members that
// are set, in the order the official client writes them.
func (in *DescribeWorkspaceImagePermissionsInput) appendJSON(b []byte) []byte {
	b = append(b, '{')
	sep := false
	member := func(name string) {
		if sep {
			b = append(b, ',')
		}
		sep = true
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
	}
	if in.ImageId != nil {
		member("ImageId")
		b = awsjson.AppendString(b, *in.ImageId)
	}
	if in.MaxResults != nil {
		member("MaxResults")
		b = awsjson.AppendInt(b, int64(*in.MaxResults))
	}
	if in.NextToken != nil {
		member("NextToken")
		b = awsjson.AppendString(b, *in.NextToken)
	}
	return append(b, '}')
}

// DescribeWorkspaceImagePermissionsOutput is one page of the accounts an
// image is shared with.
type DescribeWorkspaceImagePermissionsOutput struct {
	// ImageId identifies the image.
	ImageId *string

	// ImagePermissions lists the accounts of this page.
	ImagePermissions []types.ImagePermission

	// NextToken, when not nil, asks for the next page; the last page has
	// none.
	NextToken *string

	// ResultMetadata holds the request ID, readable with
	// awsmiddleware.GetRequestIDMetadata.
	ResultMetadata middleware.Metadata
}

// pageState is a decoded page in one allocation: the output, its two
// strings and room for a full page of permissions and their account IDs.
type pageState struct {
	out   DescribeWorkspaceImagePermissionsOutput
	strs  [2]string // ImageId and NextToken
	perms [maxPageSize]types.ImagePermission
	ids   [maxPageSize]string
	used  bool // perms and ids hold a list already
}

// maxPageSize is the most permissions the service returns in a page.
const maxPageSize = 25

// decodeResponse decodes body into the page's output.
func (page *pageState) decodeResponse(body string) error {
	return page.out.decodeInto(body, page)
}

// decodeInto reads a response body into out, storing what out points to
// in page. Members it does not know are skipped, nulls leave fields nil,
// and the body must be one JSON object.
func (out *DescribeWorkspaceImagePermissionsOutput) decodeInto(body string,
	page *pageState,
) error {
	d := awsjson.NewDecoder(body)
	if null, err := d.ObjectStart("response"); err != nil {
		return err
	} else if null {
		return d.End()
	}
	strs := &page.strs
	var has [2]bool
	for {
		key, ok, err := d.NextKey()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch key {
		case "ImageId":
			strs[0], has[0], err = readOptional(d, key)
		case "NextToken":
			strs[1], has[1], err = readOptional(d, key)
		case "ImagePermissions":
			out.ImagePermissions, err = decodePermissions(d, page)
		default:
			err = d.Skip()
		}
		if err != nil {
			return err
		}
	}
	if has[0] {
		out.ImageId = &strs[0]
	}
	if has[1] {
		out.NextToken = &strs[1]
	}
	return d.End()
}

// readOptional reads a string member, reporting false for null.
func readOptional(d *awsjson.Decoder, key string) (string, bool, error) {
	s, null, err := d.String(key)
	return s, !null && err == nil, err
}

// decodePermissions reads the ImagePermissions array into the room page
// has for it; a list longer than a page, or a second list in one body,
// gets slices of its own.
func decodePermissions(d *awsjson.Decoder, page *pageState) ([]types.ImagePermission, error) {
	if null, err := d.ArrayStart("ImagePermissions"); err != nil || null {
		return nil, err
	}
	var perms []types.ImagePermission
	var ids []string
	if page.used {
		perms = make([]types.ImagePermission, 0, maxPageSize)
		ids = make([]string, 0, maxPageSize)
	} else {
		page.used = true
		perms, ids = page.perms[:0], page.ids[:0]
	}
	for {
		// The fast path reads the entries as services write them; any
		// other entry, or the end of the list, takes the general one.
		if id, ok := d.NextStringObject("SharedAccountId"); ok {
			ids = append(ids, id)
			// Should ids move to a larger array, this entry keeps pointing
			// into the old one, which holds the same ID.
			perms = append(perms, types.ImagePermission{SharedAccountId: &ids[len(ids)-1]})
			continue
		}
		more, err := d.NextElem()
		if err != nil {
			return nil, err
		}
		if !more {
			return perms, nil
		}
		var perm types.ImagePermission
		if null, err := d.ObjectStart("ImagePermissions[]"); err != nil {
			return nil, err
		} else if !null {
			has, err := decodePermission(d, &ids)
			if err != nil {
				return nil, err
			}
			if has {
				perm.SharedAccountId = &ids[len(ids)-1]
			}
		}
		perms = append(perms, perm)
	}
}

// decodePermission reads the members of one ImagePermission object, whose
// '{' is already read, appending its SharedAccountId to ids. It reports
// whether the object had one.
func decodePermission(d *awsjson.Decoder, ids *[]string) (bool, error) {
	has := false
	for {
		key, ok, err := d.NextKey()
		if err != nil || !ok {
			return has, err
		}
		if key != "SharedAccountId" {
			if err := d.Skip(); err != nil {
				return false, err
			}
			continue
		}
		id, null, err := d.String(key)
		if err != nil {
			return false, err
		}
		switch {
		case !null && has:
			// A repeated member: the last one wins, as in encoding/json.
			(*ids)[len(*ids)-1] = id
		case !null:
			*ids = append(*ids, id)
			has = true
		case has:
			*ids = (*ids)[:len(*ids)-1]
			has = false
		}
	}
}
