package main

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

func TestRun_DemoOnFake(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer

	err := run(t.Context(), nil, &out)

	require.NoError(t, err)
	text := out.String()
	assert.Contains(t, text, "page 1: 25 accounts, request ID ")
	assert.Contains(t, text, "page 2: 25 accounts")
	assert.Contains(t, text, "page 3: 10 accounts")
	assert.Contains(t, text, "shared with 60 accounts, listed in 3 pages")
	assert.Contains(t, text, "type:        *types.ResourceNotFoundException")
	assert.Contains(t, text, "resource ID: wsi-000000000")
	assert.Contains(t, text, "HTTP status: 400")
	assert.Equal(t, 60, strings.Count(text, " 2000"), "every account printed once")
}

// TestRun_AgainstEndpoint points the example at a fake served over HTTP,
// as it would be pointed at the real service, with keys from the
// environment.
func TestRun_AgainstEndpoint(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENVEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	svc := workspacestest.NewService()
	require.NoError(t, svc.Seed(workspacestest.Seed{
		Credentials: []workspacestest.Credential{{AccessKeyID: "AKIDENVEXAMPLE",
			SecretAccessKey: "env-secret", AccountID: "444455556666"}},
		Images: []workspacestest.Image{{ID: "wsi-abc123def", OwnerAccountID: "444455556666",
			SharedAccountIDs: []string{"777788889999"}}},
	}))
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	var out bytes.Buffer

	err := run(t.Context(), []string{"-image-id", "wsi-abc123def", "-region", "eu-west-1",
		"-endpoint-url", srv.URL}, &out)

	require.NoError(t, err)
	assert.Contains(t, out.String(), "page 1: 1 accounts")
	assert.Contains(t, out.String(), "777788889999")
	assert.NotContains(t, out.String(), "in-process fake")
	for _, r := range svc.Requests() {
		assert.Equal(t, "AKIDENVEXAMPLE", r.AccessKeyID)
	}
}

func TestRun_MissingKeys(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	var out bytes.Buffer

	err := run(t.Context(), []string{"-image-id", "wsi-abc123def"}, &out)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "AWS_ACCESS_KEY_ID")
}
