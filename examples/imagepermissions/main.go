// Command imagepermissions lists the AWS accounts a WorkSpaces image is
// shared with, page by page, and shows what a typed error looks like.
//
// With no flags it needs no AWS account: it starts the fake service of
// package workspacestest in-process, seeds a demo image shared with 60
// accounts, and walks it:
//
//	go run ./examples/imagepermissions
//
// With -image-id it asks the real service, or any endpoint given with
// -endpoint-url, signing with the keys in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN:
//
//	go run ./examples/imagepermissions -image-id wsi-abc123def -region eu-west-1
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
	"github.com/leanaws/workspaces/workspacestest"
)

// The demo's image, owner and keys; the keys exist only in the fake.
const (
	demoImageID = "wsi-demo00042x"
	demoOwner   = "111122223333"
	demoKeyID   = "AKIDDEMOEXAMPLE"
	demoSecret  = "demo-secret-not-a-real-key"
	demoShares  = 60
	pageSize    = 25
	unknownID   = "wsi-000000000"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "imagepermissions:", err)
		os.Exit(1)
	}
}

// run parses args, builds a client for the fake or for the endpoint the
// flags name, walks the image and demonstrates a typed error.
func run(ctx context.Context, args []string, out io.Writer) error {
	flags := flag.NewFlagSet("imagepermissions", flag.ContinueOnError)
	flags.SetOutput(out)
	imageID := flags.String("image-id", "",
		"image to list; empty runs the demo on the in-process fake")
	region := flags.String("region", "us-east-1", "AWS Region of the image")
	endpoint := flags.String("endpoint-url", "", "endpoint to send to instead of the Region's")
	if err := flags.Parse(args); err != nil {
		return err
	}

	opts := workspaces.Options{Region: *region}
	if *imageID == "" {
		svc, err := demoService()
		if err != nil {
			return err
		}
		*imageID = demoImageID
		opts.HTTPClient = svc.Client()
		opts.Credentials = staticCredentials(demoKeyID, demoSecret, "")
		fmt.Fprintf(out, "Using the in-process fake WorkSpaces service: no AWS account needed.\n"+
			"Image %s is shared with %d accounts; listing them %d at a time.\n\n",
			demoImageID, demoShares, pageSize)
	} else {
		creds, err := environmentCredentials()
		if err != nil {
			return err
		}
		opts.Credentials = creds
		if *endpoint != "" {
			opts.BaseEndpoint = endpoint
		}
	}
	client := workspaces.New(opts)

	if err := listAccounts(ctx, client, *imageID, out); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nAsking for an image that does not exist, %s:\n", unknownID)
	return showTypedError(ctx, client, out)
}

// listAccounts walks every page of imageID's permissions.
func listAccounts(ctx context.Context, client *workspaces.Client, imageID string,
	out io.Writer,
) error {
	p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(client,
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(imageID)},
		func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) {
			o.Limit = pageSize
		})
	pages, accounts := 0, 0
	for page, err := range p.Pages(ctx) {
		if err != nil {
			return fmt.Errorf("list the accounts of %s: %w", imageID, err)
		}
		pages++
		accounts += len(page.ImagePermissions)
		requestID, _ := awsmiddleware.GetRequestIDMetadata(page.ResultMetadata)
		fmt.Fprintf(out, "page %d: %d accounts, request ID %s\n", pages,
			len(page.ImagePermissions), requestID)
		ids := make([]string, 0, len(page.ImagePermissions))
		for _, perm := range page.ImagePermissions {
			ids = append(ids, aws.ToString(perm.SharedAccountId))
		}
		for len(ids) > 0 {
			n := min(len(ids), 6)
			fmt.Fprintf(out, "  %s\n", strings.Join(ids[:n], " "))
			ids = ids[n:]
		}
	}
	fmt.Fprintf(out, "\n%s is shared with %d accounts, listed in %d pages.\n",
		imageID, accounts, pages)
	return nil
}

// showTypedError asks for an image that does not exist and takes the error
// apart as a caller would.
func showTypedError(ctx context.Context, client *workspaces.Client, out io.Writer) error {
	_, err := client.DescribeWorkspaceImagePermissions(ctx,
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(unknownID)})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) {
		return fmt.Errorf("expected a ResourceNotFoundException, got %v", err)
	}
	var respErr *awshttp.ResponseError
	errors.As(err, &respErr)
	fmt.Fprintf(out, "  error:       %v\n", err)
	fmt.Fprintf(out, "  type:        %T\n", notFound)
	fmt.Fprintf(out, "  code:        %s\n", notFound.ErrorCode())
	fmt.Fprintf(out, "  message:     %s\n", notFound.ErrorMessage())
	fmt.Fprintf(out, "  resource ID: %s\n", aws.ToString(notFound.ResourceId))
	if respErr != nil {
		fmt.Fprintf(out, "  HTTP status: %d\n", respErr.HTTPStatusCode())
		fmt.Fprintf(out, "  request ID:  %s\n", respErr.ServiceRequestID())
	}
	return nil
}

// demoService returns the fake, seeded with the demo image and its owner's
// keys.
func demoService() (*workspacestest.Service, error) {
	shared := make([]string, demoShares)
	for i := range shared {
		shared[i] = fmt.Sprintf("%012d", 200000000000+i*7919)
	}
	svc := workspacestest.NewService()
	err := svc.Seed(workspacestest.Seed{
		Credentials: []workspacestest.Credential{{
			AccessKeyID: demoKeyID, SecretAccessKey: demoSecret, AccountID: demoOwner,
		}},
		Images: []workspacestest.Image{{
			ID: demoImageID, OwnerAccountID: demoOwner, SharedAccountIDs: shared,
		}},
	})
	if err != nil {
		return nil, fmt.Errorf("seed the fake: %w", err)
	}
	return svc, nil
}

// environmentCredentials reads the standard AWS key variables. The config
// module would also read profiles and roles; this example stays within the
// library's own dependencies.
func environmentCredentials() (aws.CredentialsProvider, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return nil, errors.New("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
			"(and AWS_SESSION_TOKEN for temporary keys), or run without -image-id for the demo")
	}
	return staticCredentials(id, secret, os.Getenv("AWS_SESSION_TOKEN")), nil
}

func staticCredentials(id, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token,
			Source: "imagepermissions"}, nil
	})
}
