package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seeded is the credential in testdata/seed.json.
var seeded = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "s3cr3t"}

// call sends a signed DescribeWorkspaceImagePermissions call to url.
func call(t *testing.T, url string, creds aws.Credentials, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/",
		strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaceImagePermissions")
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(t.Context(), creds, req,
		hex.EncodeToString(sum[:]), "workspaces", "us-east-1", time.Now()))

	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, got
}

// nextLine returns the next line from lines, failing when ctx ends first.
func nextLine(ctx context.Context, t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		require.True(t, ok, "output ended")
		return l
	case <-ctx.Done():
		t.Fatal("no output line in time")
		return ""
	}
}

// linesOf streams the lines of r.
func linesOf(r io.Reader) <-chan string {
	out := make(chan string, 64)
	go func() {
		defer close(out)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			out <- sc.Text()
		}
	}()
	return out
}

func TestWorkspacesFake_ServesOverLoopback(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "workspaces-fake")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-addr", "127.0.0.1:0", "-seed", "testdata/seed.json")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()
	outLines, errLines := linesOf(stdout), linesOf(stderr)

	url := nextLine(ctx, t, outLines)
	require.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, url)

	resp, body := call(t, url, seeded, `{"ImageId":"wsi-abc123def","MaxResults":1}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	var page struct {
		ImageID          string `json:"ImageId"`
		ImagePermissions []struct {
			SharedAccountID string `json:"SharedAccountId"`
		}
		NextToken string
	}
	require.NoError(t, json.Unmarshal(body, &page))
	assert.Equal(t, "wsi-abc123def", page.ImageID)
	require.Len(t, page.ImagePermissions, 1)
	assert.Equal(t, "444455556666", page.ImagePermissions[0].SharedAccountID)
	assert.NotEmpty(t, page.NextToken)

	line := nextLine(ctx, t, errLines)
	assert.Contains(t, line, "method=POST operation=DescribeWorkspaceImagePermissions "+
		"status=200 error=- request_id="+resp.Header.Get("X-Amzn-Requestid"))
	assert.Contains(t, line, "access_key_id=AKIDEXAMPLE")
	assert.NotContains(t, line, seeded.SecretAccessKey)

	resp, body = call(t, url, seeded, `{"ImageId":"wsi-unknown000"}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "ResourceNotFoundException", resp.Header.Get("X-Amzn-Errortype"))
	assert.Contains(t, string(body), `"ResourceId":"wsi-unknown000"`)
	assert.Contains(t, nextLine(ctx, t, errLines), "status=400 error=ResourceNotFoundException")

	wrong := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wrong"}
	resp, _ = call(t, url, wrong, `{"ImageId":"wsi-abc123def"}`)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	line = nextLine(ctx, t, errLines)
	assert.Contains(t, line, "status=403 error=InvalidSignatureException")
	assert.NotContains(t, line, "wrong")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), "exit status after SIGTERM")
	assert.NoError(t, ctx.Err(), "stopped in time")
}

func TestRun_Errors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args []string
		code int
		want string
	}{
		"missing seed file": {
			args: []string{"-seed", "testdata/none.json"}, code: 1,
			want: "workspaces-fake: open seed: open testdata/none.json: no such file",
		},
		"invalid seed": {
			args: []string{"-seed", "testdata/bad-seed.json"}, code: 1,
			want: `workspaces-fake: seed testdata/bad-seed.json: image 0: image wsi-abc123def: ` +
				`owner account ID "1111" is not 12 digits`,
		},
		"unknown flag": {
			args: []string{"-port", "1"}, code: 2, want: "flag provided but not defined: -port",
		},
		"extra argument": {
			args: []string{"serve"}, code: 2, want: `workspaces-fake: unexpected argument "serve"`,
		},
		"bad address": {
			args: []string{"-addr", "256.0.0.1:http-nope"}, code: 1,
			want: "workspaces-fake: listen: ",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), tc.args, &stdout, &stderr)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, stderr.String(), tc.want)
			assert.Empty(t, stdout.String())
		})
	}
}

func TestRun_StopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()

	wait, stop := context.WithTimeout(t.Context(), 30*time.Second)
	defer stop()
	lines := linesOf(pr)
	url := nextLine(wait, t, lines)
	// With no credentials seeded any signed request is account
	// 123456789012, which owns no image here.
	anyKey := aws.Credentials{AccessKeyID: "AKIDANY", SecretAccessKey: "any"}
	resp, _ := call(t, url, anyKey, `{"ImageId":"wsi-abc123def"}`)
	assert.Equal(t, "ResourceNotFoundException", resp.Header.Get("X-Amzn-Errortype"))

	cancel()
	select {
	case c := <-code:
		assert.Equal(t, 0, c)
	case <-wait.Done():
		t.Fatal("run did not return")
	}
}
