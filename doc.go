// Package workspaces asks AWS WorkSpaces who an image is shared with. It is
// a small, hand-written replacement for the DescribeWorkspaceImagePermissions
// part of github.com/aws/aws-sdk-go-v2/service/workspaces: the same type and
// function names, the same errors, so switching is one import line. It adds
// what that client lacks for this operation: a paginator with Go iterators,
// an in-process fake to test against (package workspacestest), request logs
// that never print a secret, and a request path several times cheaper.
//
// A client is built from an aws.Config, usually from the config module, or
// from [Options]:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	if err != nil {
//		return err
//	}
//	client := workspaces.NewFromConfig(cfg)
//	out, err := client.DescribeWorkspaceImagePermissions(ctx,
//		&workspaces.DescribeWorkspaceImagePermissionsInput{
//			ImageId: aws.String("wsi-abc123def"),
//		})
//
// # Pagination
//
// The service returns at most 25 accounts per call.
// [NewDescribeWorkspaceImagePermissionsPaginator] walks the pages; its Items
// method is an iterator over every account of every page:
//
//	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(client, in)
//	for perm, err := range p.Items(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(aws.ToString(perm.SharedAccountId))
//	}
//
// Pages iterates page by page, and NextPage and HasMorePages work as in the
// official client's paginators. A walk can be resumed: a paginator whose
// params carry a NextToken starts there.
//
// # Errors
//
// Every error is a *smithy.OperationError naming the service and the
// operation. Inside it:
//
//   - a service error response is an *awshttp.ResponseError (package
//     aws/transport/http), which has the HTTP status and the request ID,
//     wrapping a *types.ResourceNotFoundException,
//     *types.AccessDeniedException, *types.InvalidParameterValuesException or,
//     for any other error code, a *smithy.GenericAPIError;
//   - input that cannot succeed, such as a missing ImageId, is a
//     smithy.InvalidParamsError listing every problem, and nothing is sent;
//   - a response body that cannot be decoded is a *smithy.DeserializationError;
//   - a call that ran out of attempts is a *retry.MaxAttemptsError around the
//     last failure; transport and context errors can be found with errors.Is.
//
// Use errors.As to tell them apart:
//
//	var notFound *types.ResourceNotFoundException
//	if errors.As(err, &notFound) {
//		// the image does not exist in this account and region
//	}
//
// Failures the retryer calls retryable (throttling, 5xx, broken
// connections, clock skew) are retried with backoff by the standard retryer
// of aws/retry, or by the one in [Options].Retryer.
//
// # Logging
//
// Set [Options].Logger and [Options].ClientLogMode to log requests,
// responses, retries and signing, as with the official client. Unlike the
// official client, no line carries the request signature or the session
// token: both are replaced by REDACTED.
//
// # Testing
//
// Code that takes a [DescribeWorkspaceImagePermissionsAPIClient] can be
// given a stub in unit tests. For tests that should exercise the wire
// protocol, package workspacestest is an in-memory WorkSpaces service: seed it
// with images and accounts, give its Client to [Options].HTTPClient, and
// script throttling, outages or clock skew. The command workspaces-fake
// serves the same fake on a local port for any AWS SDK or the AWS CLI.
package workspaces
