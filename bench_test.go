package workspaces_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/leanaws/workspaces"
)

// fullPage is a page of 25 permissions with a NextToken, as the service
// sends it.
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

// pageHTTP answers every request with fullPage, allocating only what a
// transport must: the response and its body reader.
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

// BenchmarkDescribeWorkspaceImagePermissions measures one call with
// telemetry off, the default, and with recording providers. The
// difference is what spans and metrics cost when wanted; with them off a
// call allocates what it did before telemetry existed.
func BenchmarkDescribeWorkspaceImagePermissions(b *testing.B) {
	for name, opt := range map[string]func(*workspaces.Options){
		"telemetry=off": func(*workspaces.Options) {},
		"telemetry=on": func(o *workspaces.Options) {
			o.TracerProvider = &spanRecorder{}
			o.MeterProvider = &metricRecorder{}
		},
	} {
		b.Run(name, func(b *testing.B) {
			client := workspaces.New(workspaces.Options{
				Region: "us-east-1", Credentials: staticCredentials(""), HTTPClient: pageHTTP{},
			}, opt)
			in := imageInput(testImageID)
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				out, err := client.DescribeWorkspaceImagePermissions(ctx, in)
				if err != nil || len(out.ImagePermissions) != 25 {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSignHTTP(b *testing.B) {
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretKey}
	body := `{"ImageId":"wsi-abc123def"}`
	hash := sha256Hex(body)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://workspaces.us-east-1.amazonaws.com/",
			strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaceImagePermissions")
		if err := signer.SignHTTP(ctx, creds, req, hash, "workspaces", "us-east-1",
			testNow()); err != nil {
			b.Fatal(err)
		}
	}
}
