package workspaces_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
	"github.com/leanaws/workspaces/workspacestest"
)

// exampleService returns a fake WorkSpaces service that knows one key, for
// account 111122223333, and two images: one of that account's, shared with
// three accounts, and one of another account's.
func exampleService() *workspacestest.Service {
	svc := workspacestest.NewService()
	err := svc.Seed(workspacestest.Seed{
		Credentials: []workspacestest.Credential{{
			AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret",
			AccountID: "111122223333",
		}},
		Images: []workspacestest.Image{
			{ID: "wsi-abc123def", OwnerAccountID: "111122223333",
				SharedAccountIDs: []string{"444455556666", "777788889999", "123412341234"}},
			{ID: "wsi-0th3r0wn3r", OwnerAccountID: "999999999999"},
		},
	})
	if err != nil {
		panic(err)
	}
	return svc
}

// exampleCredentials are the keys exampleService knows. Real programs get
// theirs from config.LoadDefaultConfig.
var exampleCredentials = aws.CredentialsProviderFunc(
	func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})

func ExampleNew() {
	svc := exampleService()

	client := workspaces.New(workspaces.Options{
		Region:      "us-east-1",
		Credentials: exampleCredentials,
		// Without an HTTPClient the client sends to the real service with a
		// tuned HTTP client; here it talks to the fake in memory.
		HTTPClient: svc.Client(),
	})

	fmt.Println(client.Options().Region, client.Options().Retryer.MaxAttempts())
	// Output: us-east-1 3
}

func ExampleNewFromConfig() {
	// cfg usually comes from config.LoadDefaultConfig(ctx).
	cfg := aws.Config{
		Region:           "eu-west-1",
		Credentials:      exampleCredentials,
		RetryMaxAttempts: 5,
		AppID:            "image-audit",
	}

	client := workspaces.NewFromConfig(cfg)

	o := client.Options()
	fmt.Println(o.Region, o.Retryer.MaxAttempts(), o.AppID)
	// Output: eu-west-1 5 image-audit
}

func ExampleClient_DescribeWorkspaceImagePermissions() {
	svc := exampleService()
	client := workspaces.New(workspaces.Options{
		Region: "us-east-1", Credentials: exampleCredentials, HTTPClient: svc.Client(),
	})

	out, err := client.DescribeWorkspaceImagePermissions(context.Background(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{
			ImageId:    aws.String("wsi-abc123def"),
			MaxResults: aws.Int32(2),
		})
	if err != nil {
		fmt.Println(err)
		return
	}

	for _, perm := range out.ImagePermissions {
		fmt.Println(aws.ToString(perm.SharedAccountId))
	}
	_, hasRequestID := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	fmt.Println("more pages:", out.NextToken != nil, "request ID:", hasRequestID)
	// Output:
	// 123412341234
	// 444455556666
	// more pages: true request ID: true
}

func ExampleDescribeWorkspaceImagePermissionsPaginator_Items() {
	svc := exampleService()
	client := workspaces.New(workspaces.Options{
		Region: "us-east-1", Credentials: exampleCredentials, HTTPClient: svc.Client(),
	})
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(client,
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("wsi-abc123def")},
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) {
			o.Limit = 2 // two accounts a page, to show the walk crossing pages
		})

	for perm, err := range p.Items(context.Background()) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(aws.ToString(perm.SharedAccountId))
	}
	fmt.Println("calls:", len(svc.Requests()))
	// Output:
	// 123412341234
	// 444455556666
	// 777788889999
	// calls: 2
}

// Example_errors takes apart each error the operation can return.
func Example_errors() {
	svc := exampleService()
	client := workspaces.New(workspaces.Options{
		Region: "us-east-1", Credentials: exampleCredentials, HTTPClient: svc.Client(),
		RetryMaxAttempts: 1,
	})
	ctx := context.Background()

	for _, in := range []*workspaces.DescribeWorkspaceImagePermissionsInput{
		{ImageId: aws.String("wsi-000000000")},                                  // no such image
		{ImageId: aws.String("wsi-0th3r0wn3r")},                                 // someone else's
		{ImageId: aws.String("wsi-abc123def"), NextToken: aws.String("forged")}, // not issued
		{ImageId: aws.String("wsi-abc123def"), MaxResults: aws.Int32(0)},        // never sent
	} {
		_, err := client.DescribeWorkspaceImagePermissions(ctx, in)

		var (
			notFound *types.ResourceNotFoundException
			denied   *types.AccessDeniedException
			invalid  *types.InvalidParameterValuesException
			params   smithy.InvalidParamsError
			respErr  *awshttp.ResponseError
		)
		switch {
		case errors.As(err, &notFound):
			fmt.Println("not found:", aws.ToString(notFound.ResourceId))
		case errors.As(err, &denied):
			fmt.Println("denied:", denied.ErrorCode())
		case errors.As(err, &invalid):
			fmt.Println("invalid:", invalid.ErrorCode())
		case errors.As(err, &params):
			fmt.Println("not sent:", params.Errs()[0])
		}
		if errors.As(err, &respErr) {
			fmt.Println("  HTTP", respErr.HTTPStatusCode())
		}
	}
	// Output:
	// not found: wsi-000000000
	//   HTTP 400
	// denied: AccessDeniedException
	//   HTTP 400
	// invalid: InvalidParameterValuesException
	//   HTTP 400
	// not sent: minimum field value of 1, got 0, DescribeWorkspaceImagePermissionsInput.MaxResults.
}

// Example_testing shows a test scripting the fake: the first call is
// throttled, and the client's retry makes it invisible to the caller.
func Example_testing() {
	svc := exampleService()
	_ = svc.InjectFault(workspacestest.NthCall(1),
		workspacestest.Fault{Kind: workspacestest.FaultThrottle})
	client := workspaces.New(workspaces.Options{
		Region: "us-east-1", Credentials: exampleCredentials, HTTPClient: svc.Client(),
	})

	out, err := client.DescribeWorkspaceImagePermissions(context.Background(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("wsi-abc123def")})

	fmt.Println(len(out.ImagePermissions), err)
	for _, r := range svc.Requests() {
		fmt.Println(r.Status, r.ErrorCode, aws.ToString(r.Input.ImageID))
	}
	// Output:
	// 3 <nil>
	// 400 ThrottlingException wsi-abc123def
	// 200  wsi-abc123def
}
