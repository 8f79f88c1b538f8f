package workspacestest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestService_Requests(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		before := time.Now()
		rp := f.describe(t, ownerCreds,
			map[string]any{"ImageId": testImage, "MaxResults": 1})
		p, _ := requirePage(t, rp)
		f.describe(t, otherCreds, map[string]any{"ImageId": testImage, "NextToken": *p.NextToken})
		f.raw(t, ownerCreds, `{"MaxResults":"abc"}`)

		reqs := f.svc.Requests()
		require.Len(t, reqs, 3)

		ok := reqs[0]
		assert.WithinDuration(t, before, ok.Time, time.Minute)
		assert.Equal(t, http.MethodPost, ok.Method)
		assert.Equal(t, "/", ok.Path)
		assert.Equal(t, target, ok.Target)
		assert.Equal(t, "DescribeWorkspaceImagePermissions", ok.Operation)
		assert.Equal(t, testImage, *ok.Input.ImageID)
		assert.Equal(t, int32(1), *ok.Input.MaxResults)
		assert.Nil(t, ok.Input.NextToken)
		assert.Equal(t, `{"ImageId":"wsi-abc123def","MaxResults":1}`, string(ok.Body))
		assert.Equal(t, "AKIDOWNER", ok.AccessKeyID)
		assert.Equal(t, owner, ok.AccountID)
		assert.Equal(t, http.StatusOK, ok.Status)
		assert.Empty(t, ok.ErrorCode)
		assert.Equal(t, rp.header.Get("X-Amzn-Requestid"), ok.RequestID)
		assert.Nil(t, ok.Fault)
		assert.Contains(t, ok.Header.Get("Authorization"), "Credential=AKIDOWNER/")

		denied := reqs[1]
		assert.Equal(t, *p.NextToken, *denied.Input.NextToken)
		assert.Equal(t, other, denied.AccountID)
		assert.Equal(t, http.StatusBadRequest, denied.Status)
		assert.Equal(t, "AccessDeniedException", denied.ErrorCode)

		garbled := reqs[2]
		assert.Nil(t, garbled.Input.ImageID)
		assert.Nil(t, garbled.Input.MaxResults)
		assert.Equal(t, "SerializationException", garbled.ErrorCode)

		// No record holds a secret.
		for _, r := range reqs {
			dump := fmt.Sprintf("%+v", r)
			assert.NotContains(t, dump, ownerCreds.SecretAccessKey)
			assert.NotContains(t, dump, otherCreds.SecretAccessKey)
		}

		// Requests returns copies.
		reqs[0].Header.Set("X-Changed", "yes")
		reqs[0].Body[0] = 'X'
		*reqs[0].Input.ImageID = "changed"
		again := f.svc.Requests()[0]
		assert.Empty(t, again.Header.Get("X-Changed"))
		assert.Equal(t, byte('{'), again.Body[0])
		assert.Equal(t, testImage, *again.Input.ImageID)

		f.svc.ClearRequests()
		assert.Empty(t, f.svc.Requests())
	})
}

func TestService_RequestsRejected(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		unknown := aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "nope"}
		f.describe(t, unknown, map[string]any{"ImageId": testImage})
		body := `{}`
		req := f.newRequest(t, body)
		req.Header.Set("X-Amz-Target", "Nope.Nothing")
		sign(t, req, body, ownerCreds, time.Time{})
		f.do(t, req)

		reqs := f.svc.Requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, "AKIDUNKNOWN", reqs[0].AccessKeyID)
		assert.Empty(t, reqs[0].AccountID)
		assert.Equal(t, http.StatusForbidden, reqs[0].Status)
		assert.Equal(t, "UnrecognizedClientException", reqs[0].ErrorCode)
		assert.Equal(t, "Nope.Nothing", reqs[1].Target)
		assert.Empty(t, reqs[1].Operation)
		assert.Equal(t, "UnknownOperationException", reqs[1].ErrorCode)
	})
}

func TestService_SetLogger(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		var mu sync.Mutex
		var lines []string
		done := make(chan struct{}, 4)
		f.svc.SetLogger(logging.LoggerFunc(
			func(c logging.Classification, format string, v ...any) {
				mu.Lock()
				defer mu.Unlock()
				assert.Equal(t, logging.Debug, c)
				lines = append(lines, fmt.Sprintf(format, v...))
				done <- struct{}{}
			}))

		creds := ownerCreds
		creds.SessionToken = "session-token-value"
		rp := f.describe(t, creds, map[string]any{"ImageId": "wsi-unknown000"})
		waitFor(t, done)

		mu.Lock()
		require.Len(t, lines, 1)
		line := lines[0]
		mu.Unlock()
		assert.Regexp(t, `^method=POST operation=DescribeWorkspaceImagePermissions status=400 `+
			`error=ResourceNotFoundException request_id=`+
			rp.header.Get("X-Amzn-Requestid")+` duration=\S+ access_key_id=AKIDOWNER$`, line)
		assert.NotContains(t, line, ownerCreds.SecretAccessKey)
		assert.NotContains(t, line, "session-token-value")
		assert.NotContains(t, line, "Signature")
		assert.False(t, strings.Contains(line, "\n"))

		f.svc.SetLogger(nil)
		f.describe(t, creds, map[string]any{"ImageId": testImage})
		mu.Lock()
		assert.Len(t, lines, 1, "a nil logger makes the fake silent")
		mu.Unlock()
	})
}

// waitFor waits for a value on ch.
func waitFor(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("no log line")
	}
}
