package compare

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	official "github.com/aws/aws-sdk-go-v2/service/workspaces"

	"github.com/leanaws/workspaces"
)

var fullPage = func() string {
	var b strings.Builder
	b.WriteString(`{"ImageId":"wsi-abc123def","ImagePermissions":[`)
	for i := range 25 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"SharedAccountId":"%012d"}`, 100000000000+i)
	}
	b.WriteString(`],"NextToken":"AAEAAXY0dG9rZW4tZm9yLXRoZS1uZXh0LXBhZ2U"}`)
	return b.String()
}()

type pageHTTP struct{}

func (pageHTTP) Do(req *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, req.Body)
	return &http.Response{
		StatusCode:    200,
		Header:        http.Header{"X-Amzn-Requestid": {"b3a1c2d4-0000-4000-8000-000000000000"}},
		Body:          io.NopCloser(strings.NewReader(fullPage)),
		ContentLength: int64(len(fullPage)),
	}, nil
}

func BenchmarkSingleCall(b *testing.B) {
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "SECRET", "")
	b.Run("client=official", func(b *testing.B) {
		c := official.New(official.Options{Region: "us-east-1", Credentials: creds, HTTPClient: pageHTTP{}})
		in := &official.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("wsi-abc123def")}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.DescribeWorkspaceImagePermissions(b.Context(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("client=lean", func(b *testing.B) {
		c := workspaces.New(workspaces.Options{Region: "us-east-1", Credentials: creds, HTTPClient: pageHTTP{}})
		in := &workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String("wsi-abc123def")}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.DescribeWorkspaceImagePermissions(b.Context(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
