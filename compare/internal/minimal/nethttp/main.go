// Command nethttp posts the body of one DescribeWorkspaceImagePermissions
// call with net/http alone, unsigned, and prints the response. It is the
// floor of the binary-size comparison in binsize_test.go: what any program
// that calls an HTTPS API with net/http carries, before a client library
// adds anything.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

func main() {
	req, err := http.NewRequest(http.MethodPost, os.Getenv("AWS_ENDPOINT_URL"),
		strings.NewReader(`{"ImageId":"`+os.Args[1]+`"}`))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaceImagePermissions")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(body))
}
