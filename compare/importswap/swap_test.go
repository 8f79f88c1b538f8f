package main

import (
	"bytes"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

var update = flag.Bool("update", false,
	"write main_lean.go from main_official.go and testdata from the official program")

// raceBuild is set when the test runs with -race, so that the programs it
// builds reuse the race-instrumented packages already compiled.
var raceBuild bool

const (
	officialImport = `"github.com/aws/aws-sdk-go-v2/service/workspaces`
	leanImport     = `"github.com/leanaws/workspaces`
)

// leanCopy returns the lean copy of the official program's source: the
// build constraint inverted and the two client imports swapped, nothing
// else.
func leanCopy(t *testing.T, official string) string {
	t.Helper()
	const constraint = "//go:build !lean\n"
	require.True(t, strings.HasPrefix(official, constraint))
	src := "//go:build lean\n" + strings.TrimPrefix(official, constraint)
	lines := strings.Split(src, "\n")
	swapped := 0
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), officialImport) {
			lines[i] = strings.Replace(l, officialImport, leanImport, 1)
			swapped++
		}
	}
	require.Equal(t, 2, swapped, "the client and its types package")
	return strings.Join(lines, "\n")
}

func TestMainLean_OnlyImportsDiffer(t *testing.T) {
	t.Parallel()
	official, err := os.ReadFile("main_official.go")
	require.NoError(t, err)
	want := leanCopy(t, string(official))
	if *update {
		require.NoError(t, os.WriteFile("main_lean.go", []byte(want), 0o644))
	}
	got, err := os.ReadFile("main_lean.go")
	require.NoError(t, err)
	assert.Equal(t, want, string(got), "run go test -run OnlyImportsDiffer -update")
}

// seedFake returns a fake that knows the program's key and images, and
// throttles the second call once.
func seedFake(t *testing.T) *workspacestest.Service {
	t.Helper()
	svc := workspacestest.NewService()
	require.NoError(t, svc.Seed(workspacestest.Seed{
		Credentials: []workspacestest.Credential{{
			AccessKeyID: "AKIDSWAP", SecretAccessKey: "swap-secret", AccountID: "111122223333",
		}},
		Images: []workspacestest.Image{
			{
				ID: "wsi-abc123def", OwnerAccountID: "111122223333",
				SharedAccountIDs: []string{
					"100000000005", "100000000004", "100000000003",
					"100000000002", "100000000001", "100000000000",
				},
			},
			{ID: "wsi-notmine000", OwnerAccountID: "999988887777"},
		},
	}))
	require.NoError(t, svc.InjectFault(workspacestest.NthCall(2),
		workspacestest.Fault{Kind: workspacestest.FaultThrottle}))
	require.NoError(t, svc.InjectFault(workspacestest.CallRange(7, 9),
		workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503}))
	return svc
}

var programArgs = []string{
	"wsi-abc123def", "wsi-unknown000", "wsi-notmine000", "ami-12345678", "wsi-abc123def",
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// masked returns out with the fake's random request IDs replaced, after
// checking they are those the fake sent, in order.
func masked(t *testing.T, svc *workspacestest.Service, out string) string {
	t.Helper()
	var sent []string
	for _, r := range svc.Requests() {
		sent = append(sent, r.RequestID)
	}
	for _, id := range uuidRE.FindAllString(out, -1) {
		assert.Contains(t, sent, id)
	}
	return uuidRE.ReplaceAllString(out, "<request-id>")
}

// wantOutputFile holds what the program prints for programArgs on seedFake,
// with either client, request IDs masked; -update rewrites it from the
// official program's output.
const wantOutputFile = "testdata/output.txt"

// wantOutput returns the content of wantOutputFile.
func wantOutput(t *testing.T) string {
	t.Helper()
	want, err := os.ReadFile(wantOutputFile)
	require.NoError(t, err)
	return string(want)
}

func TestRun_OnFake(t *testing.T) {
	t.Parallel()
	svc := seedFake(t)
	var out bytes.Buffer
	creds := credentials.NewStaticCredentialsProvider("AKIDSWAP", "swap-secret", "")
	err := run(t.Context(), &out, svc.Client(), "https://workspaces.us-east-1.amazonaws.com",
		"us-east-1", creds, time.Millisecond, programArgs)
	require.NoError(t, err)
	assert.Equal(t, wantOutput(t), masked(t, svc, out.String()))
	assert.Equal(t, 9, len(svc.Requests()), "six calls, one throttled once, one 503 thrice")
}

func TestMain_BothClientsPrintTheSame(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds two programs")
	}
	dir := t.TempDir()
	builds := map[string][]string{"official": nil, "lean": {"-tags", "lean"}}
	outputs := map[string]string{}
	for name, tags := range builds {
		bin := filepath.Join(dir, name)
		args := append([]string{"build", "-o", bin}, tags...)
		if raceBuild {
			args = append(args, "-race")
		}
		build := exec.CommandContext(t.Context(), "go", append(args, ".")...)
		msg, err := build.CombinedOutput()
		require.NoError(t, err, "go %s: %s", strings.Join(args, " "), msg)

		svc := seedFake(t)
		srv := httptest.NewServer(svc)
		t.Cleanup(srv.Close)
		cmd := exec.CommandContext(t.Context(), bin,
			append([]string{"-endpoint", srv.URL, "-max-backoff", "1ms"}, programArgs...)...)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDSWAP",
			"AWS_SECRET_ACCESS_KEY=swap-secret", "AWS_SESSION_TOKEN=")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "%s program: %s", name, stderr.String())
		outputs[name] = masked(t, svc, stdout.String())
		assert.Equal(t, 9, len(svc.Requests()), "%s program", name)
	}
	if *update {
		require.NoError(t, os.WriteFile(wantOutputFile, []byte(outputs["official"]), 0o644))
	}
	assert.Equal(t, wantOutput(t), outputs["official"])
	assert.Equal(t, outputs["official"], outputs["lean"])
}
