// Package workspacestest provides an in-process fake of the WorkSpaces
// image-permission API (DescribeWorkspaceImagePermissions), for tests.
//
// A [Service] holds images, their owners and the accounts they are shared
// with, and the credentials it knows. It is a [net/http.Handler], to put
// behind an httptest.Server or any listener, and [Service.Client] returns
// a [net/http.Client] that calls it in memory, without a socket:
//
//	svc := workspacestest.NewService()
//	err := svc.Seed(workspacestest.Seed{
//		Images: []workspacestest.Image{{
//			ID:               "wsi-abc123def",
//			SharedAccountIDs: []string{"444455556666"},
//		}},
//	})
//	...
//	creds := credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")
//	client := workspaces.New(workspaces.Options{
//		Region:       "us-east-1",
//		Credentials:  creds,
//		HTTPClient:   svc.Client(),
//		BaseEndpoint: aws.String("https://workspaces.us-east-1.amazonaws.com"),
//	})
//
// The official client works the same way: give it the same HTTPClient and
// BaseEndpoint.
//
// # Behaviour
//
// The fake speaks awsJson1.1 as the service does. Every response carries a
// Date header from the fake's clock ([Service.SetClock]) and an
// x-amzn-RequestId (a random UUID); an error response has the error code
// in both the X-Amzn-Errortype header (the bare code, without the
// ":http://internal.amazon.com/coral/..." suffix some services append) and
// the body, {"__type":"Code","message":"..."}. A request is checked in
// this order, and the first failure is the answer:
//
//  1. Method and path: anything but POST / is UnknownOperationException
//     (400).
//  2. Content-Type: anything but application/x-amz-json-1.1 (parameters
//     such as charset allowed) is SerializationException (400). The 1.0
//     media type is refused too: the service is an awsJson1.1 service and
//     every SDK sends 1.1.
//  3. X-Amz-Target: anything but
//     WorkspacesService.DescribeWorkspaceImagePermissions is
//     UnknownOperationException (400).
//  4. SigV4 signature, rebuilt from exactly the headers the request lists
//     as signed: MissingAuthenticationTokenException (403),
//     IncompleteSignatureException (400), InvalidSignatureException (403,
//     also for an X-Amz-Date more than 5 minutes off the fake's clock) or,
//     for an access key the fake does not know,
//     UnrecognizedClientException (403). With no credentials seeded any
//     well-formed request passes, as account [DefaultAccountID]; the
//     signing time is still checked.
//  5. Body: not a JSON object, or a member of the wrong type (MaxResults
//     "abc"), is SerializationException (400). An empty body is the empty
//     object; unknown members are ignored.
//  6. Input: an ImageId missing or not matching ^wsi-[0-9a-z]{9,63}$, a
//     MaxResults outside 1..25 or a NextToken of length 0 or over 2048 is
//     InvalidParameterValuesException (400), with the service's validation
//     message naming each field and value.
//  7. Image: an unknown image is ResourceNotFoundException (400) with
//     ResourceId; an image owned by another account than the caller's is
//     AccessDeniedException (400).
//  8. NextToken: a token not issued by this Service for this image (tampered
//     with, from another Service or image, or from before the image was
//     deleted or put again) is InvalidParameterValuesException (400), never
//     a wrong page.
//
// A page lists the shared accounts in ascending order, MaxResults of them
// (25 when absent); the last page has no NextToken, and an image shared
// with no one has an empty list. A token records the last account
// returned, so sharing and unsharing between pages never skips or repeats
// an account that stays shared.
//
// # Faults
//
// [Service.InjectFault] makes chosen calls fail: throttling, 5xx errors
// with JSON or HTML bodies, latency before the headers or in the middle of
// the body, a reset connection, a truncated body, malformed JSON and huge
// bodies. See [FaultKind] for each.
//
// # Recording and logging
//
// [Service.Requests] returns a record of every request received, decoded,
// faulted and rejected ones included. The fake is silent unless given a
// logger with [Service.SetLogger].
package workspacestest
