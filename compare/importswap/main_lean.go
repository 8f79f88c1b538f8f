//go:build lean

// Command importswap is a small program written for the official client
// of github.com/aws/aws-sdk-go-v2/service/workspaces: it builds a client
// from Options, lists who each image named on the command line is shared
// with, paging by hand with NextToken, and explains each error with
// errors.As, request ID included.
//
// It is built twice: as is, against the official client, and with
// -tags lean from main_lean.go, a copy that differs only in its import
// lines, against github.com/leanaws/workspaces. The tests check that the
// two copies differ only there and that both print the same.
//
// Usage:
//
//	importswap -endpoint http://127.0.0.1:4566 [-region us-east-1] \
//		[-max-backoff 20s] IMAGE...
//
// It signs with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN from the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
)

func main() {
	endpoint := flag.String("endpoint", "", "service endpoint URL; empty: the region's")
	region := flag.String("region", "us-east-1", "AWS Region")
	maxBackoff := flag.Duration("max-backoff", 20*time.Second, "longest wait between attempts")
	flag.Parse()

	creds := credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"),
		os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	err := run(context.Background(), os.Stdout, http.DefaultClient, *endpoint, *region, creds,
		*maxBackoff, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "importswap:", err)
		os.Exit(1)
	}
}

// run lists the accounts each image is shared with, making up to three
// attempts per call. An error the service answered is explained and the next
// image listed; any other ends the run.
func run(ctx context.Context, w io.Writer, httpClient workspaces.HTTPClient,
	endpoint, region string, creds aws.CredentialsProvider, maxBackoff time.Duration,
	images []string,
) error {
	opts := workspaces.Options{
		Region:      region,
		Credentials: creds,
		HTTPClient:  httpClient,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.MaxBackoff = maxBackoff
		}),
	}
	if endpoint != "" {
		opts.BaseEndpoint = aws.String(endpoint)
	}
	client := workspaces.New(opts)

	for _, id := range images {
		err := listAccounts(ctx, w, client, id)
		if err != nil && !explain(w, id, err) {
			return fmt.Errorf("list accounts of %s: %w", id, err)
		}
	}
	return nil
}

// listAccounts prints the accounts image id is shared with, a page a line.
func listAccounts(ctx context.Context, w io.Writer, client *workspaces.Client, id string) error {
	in := &workspaces.DescribeWorkspaceImagePermissionsInput{
		ImageId:    aws.String(id),
		MaxResults: aws.Int32(4),
	}
	for page := 1; ; page++ {
		out, err := client.DescribeWorkspaceImagePermissions(ctx, in)
		if err != nil {
			return err
		}
		requestID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
		fmt.Fprintf(w, "%s page %d, request %s:", aws.ToString(out.ImageId), page, requestID)
		for _, perm := range out.ImagePermissions {
			fmt.Fprintf(w, " %s", aws.ToString(perm.SharedAccountId))
		}
		fmt.Fprintln(w)
		if out.NextToken == nil {
			return nil
		}
		in.NextToken = out.NextToken
	}
}

// explain prints what err says about image id, and reports whether it was
// an error the service answered.
func explain(w io.Writer, id string, err error) bool {
	var (
		notFound *types.ResourceNotFoundException
		denied   *types.AccessDeniedException
		invalid  *types.InvalidParameterValuesException
		apiErr   smithy.APIError
		respErr  *awshttp.ResponseError
	)
	switch {
	case errors.As(err, &notFound):
		fmt.Fprintf(w, "%s: no such image %s: %s\n", id, aws.ToString(notFound.ResourceId),
			notFound.ErrorMessage())
	case errors.As(err, &denied):
		fmt.Fprintf(w, "%s: access denied: %s\n", id, denied.ErrorMessage())
	case errors.As(err, &invalid):
		fmt.Fprintf(w, "%s: invalid request: %s\n", id, invalid.ErrorMessage())
	case errors.As(err, &apiErr):
		fmt.Fprintf(w, "%s: service error %s (%s): %s\n", id, apiErr.ErrorCode(),
			apiErr.ErrorFault(), apiErr.ErrorMessage())
	default:
		return false
	}
	if errors.As(err, &respErr) {
		fmt.Fprintf(w, "  HTTP %d, request %s\n", respErr.HTTPStatusCode(),
			respErr.ServiceRequestID())
	}
	fmt.Fprintf(w, "  %v\n", err)
	return true
}
