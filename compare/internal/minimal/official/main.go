// Command official makes one DescribeWorkspaceImagePermissions call with the
// official client. It is the baseline of the binary-size comparison in
// binsize_test.go and mirrors ../lean line for line.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/workspaces"
)

func main() {
	client := workspaces.New(workspaces.Options{
		Region: os.Getenv("AWS_REGION"),
		Credentials: credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"),
			os.Getenv("AWS_SESSION_TOKEN")),
	})
	out, err := client.DescribeWorkspaceImagePermissions(context.Background(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(os.Args[1])})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, p := range out.ImagePermissions {
		fmt.Println(aws.ToString(p.SharedAccountId))
	}
}
