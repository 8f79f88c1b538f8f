package workspacestest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/leanaws/workspaces/workspacestest"
)

// signedCall sends one signed DescribeWorkspaceImagePermissions call, as
// any AWS SDK would, and prints the answer.
func signedCall(client *http.Client, url, body string) {
	ctx := context.Background()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaceImagePermissions")
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "s3cr3t"}
	sum := sha256.Sum256([]byte(body))
	_ = v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]),
		"workspaces", "us-east-1", time.Now())

	resp, err := client.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amzn-Errortype"), string(out))
}

func ExampleService_Client() {
	svc := workspacestest.NewService()
	_ = svc.Seed(workspacestest.Seed{
		Credentials: []workspacestest.Credential{{
			AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "s3cr3t", AccountID: "111122223333",
		}},
		Images: []workspacestest.Image{{
			ID: "wsi-abc123def", OwnerAccountID: "111122223333",
			SharedAccountIDs: []string{"777788889999", "444455556666"},
		}},
	})

	url := "https://workspaces.us-east-1.amazonaws.com/"
	signedCall(svc.Client(), url, `{"ImageId":"wsi-abc123def"}`)
	signedCall(svc.Client(), url, `{"ImageId":"wsi-000000000"}`)
	// Output:
	// 200  {"ImageId":"wsi-abc123def","ImagePermissions":[{"SharedAccountId":"444455556666"},{"SharedAccountId":"777788889999"}]}
	// 400 ResourceNotFoundException {"__type":"ResourceNotFoundException","message":"The image wsi-000000000 could not be found.","ResourceId":"wsi-000000000"}
}

func ExampleService_InjectFault() {
	svc := workspacestest.NewService()
	_ = svc.PutImage(workspacestest.Image{ID: "wsi-abc123def"})
	srv := httptest.NewServer(svc)
	defer srv.Close()

	// The second call from now is throttled.
	_ = svc.InjectFault(workspacestest.NthCall(2), workspacestest.Fault{
		Kind: workspacestest.FaultThrottle,
	})
	for range 3 {
		signedCall(srv.Client(), srv.URL, `{"ImageId":"wsi-abc123def"}`)
	}
	for _, r := range svc.Requests() {
		fmt.Println(r.Status, r.ErrorCode, r.AccountID, r.Fault != nil)
	}
	// Output:
	// 200  {"ImageId":"wsi-abc123def","ImagePermissions":[]}
	// 400 ThrottlingException {"__type":"ThrottlingException","message":"Rate exceeded"}
	// 200  {"ImageId":"wsi-abc123def","ImagePermissions":[]}
	// 200  123456789012 false
	// 400 ThrottlingException  true
	// 200  123456789012 false
}
