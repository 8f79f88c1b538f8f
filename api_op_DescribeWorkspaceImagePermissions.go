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
	var buf [256]byte
	body := params.appendJSON(buf[:0])
	cc.tel.record(ctx, stepSerialize, opDescribeWorkspaceImagePermissions, start)

	payload, metadata, err := c.invoke(ctx, cc, targetPrefix+opDescribeWorkspaceImagePermissions, body)
	if err != nil {
		return nil, operationError(err)
	}

	start = cc.tel.stopwatch()
	out := &DescribeWorkspaceImagePermissionsOutput{ResultMetadata: metadata}
	err = out.decode(payload)
	cc.tel.record(ctx, stepDeserialize, opDescribeWorkspaceImagePermissions, start)
	if err != nil {
		return nil, operationError(&smithy.DeserializationError{
			Err:      fmt.Errorf("failed to decode response body, %w", err),
			Snapshot: snapshot(payload),
		})
	}
	return out, nil
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

// decode reads a response body into out. Members it does not know are
// skipped, nulls leave fields nil, and the body must be one JSON object.
func (out *DescribeWorkspaceImagePermissionsOutput) decode(body string) error {
	d := awsjson.NewDecoder(body)
	if null, err := d.ObjectStart("response"); err != nil {
		return err
	} else if null {
		return d.End()
	}
	// ImageId and NextToken point into one array: one allocation, not two.
	var strs [2]string
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
			out.ImagePermissions, err = decodePermissions(d)
		default:
			err = d.Skip()
		}
		if err != nil {
			return err
		}
	}
	if has[0] || has[1] {
		p := &strs
		if has[0] {
			out.ImageId = &p[0]
		}
		if has[1] {
			out.NextToken = &p[1]
		}
	}
	return d.End()
}

// readOptional reads a string member, reporting false for null.
func readOptional(d *awsjson.Decoder, key string) (string, bool, error) {
	s, null, err := d.String(key)
	return s, !null && err == nil, err
}

// decodePermissions reads the ImagePermissions array. The account IDs are
// stored in one slice that the entries point into, so a page costs two
// allocations however long it is.
func decodePermissions(d *awsjson.Decoder) ([]types.ImagePermission, error) {
	if null, err := d.ArrayStart("ImagePermissions"); err != nil || null {
		return nil, err
	}
	perms := make([]types.ImagePermission, 0, 25)
	ids := make([]string, 0, 25)
	for {
		more, err := d.NextElem()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if id, ok := d.StringObject("SharedAccountId"); ok {
			ids = append(ids, id)
			perms = append(perms, types.ImagePermission{SharedAccountId: &present})
			continue
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
				perm.SharedAccountId = &present
			}
		}
		perms = append(perms, perm)
	}
	// Entries may point into ids only once it has stopped growing.
	for i, j := 0, 0; i < len(perms); i++ {
		if perms[i].SharedAccountId != nil {
			perms[i].SharedAccountId = &ids[j]
			j++
		}
	}
	return perms, nil
}

// present marks, while a page is decoded, the entries whose account ID is
// waiting in the ids slice.
var present string

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
