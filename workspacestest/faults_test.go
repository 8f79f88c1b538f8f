package workspacestest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

// statuses sends n calls and returns their statuses.
func statuses(t *testing.T, f *fake, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}).status
	}
	return out
}

func TestService_InjectFaultSchedule(t *testing.T) {
	t.Parallel()
	throttle := workspacestest.Fault{Kind: workspacestest.FaultThrottle}
	tests := map[string]struct {
		when workspacestest.Calls
		want []int
	}{
		"next two":  {workspacestest.NextCalls(2), []int{400, 400, 200, 200}},
		"third":     {workspacestest.NthCall(3), []int{200, 200, 400, 200}},
		"two to 3":  {workspacestest.CallRange(2, 3), []int{200, 400, 400, 200}},
		"next only": {workspacestest.NthCall(1), []int{400, 200, 200, 200}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				require.NoError(t, f.svc.InjectFault(tc.when, throttle))
				assert.Equal(t, tc.want, statuses(t, f, 4))
			})
		})
	}
}

func TestService_InjectFaultPerOperation(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		require.NoError(t, f.svc.InjectFault(workspacestest.NthCall(2), workspacestest.Fault{
			Kind: workspacestest.FaultThrottle, Operation: "DescribeWorkspaceImagePermissions",
		}))
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(5), workspacestest.Fault{
			Kind: workspacestest.FaultServerError, Operation: "DescribeWorkspaces",
		}))

		assert.Equal(t, []int{200}, statuses(t, f, 1))
		// Calls of another operation do not count toward the first fault.
		body := `{}`
		req := f.newRequest(t, body)
		req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaces")
		sign(t, req, body, ownerCreds, time.Time{})
		requireError(t, f.do(t, req), 500, "InternalFailure")
		assert.Equal(t, []int{400, 200}, statuses(t, f, 2))

		f.svc.ClearFaults()
		req = f.newRequest(t, body)
		req.Header.Set("X-Amz-Target", "WorkspacesService.DescribeWorkspaces")
		sign(t, req, body, ownerCreds, time.Time{})
		requireError(t, f.do(t, req), 400, "UnknownOperationException")
	})
}

func TestService_InjectFaultInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		when  workspacestest.Calls
		fault workspacestest.Fault
	}{
		"no kind":        {workspacestest.NextCalls(1), workspacestest.Fault{}},
		"zero calls":     {workspacestest.NextCalls(0), workspacestest.Fault{Kind: 1}},
		"backward range": {workspacestest.CallRange(3, 2), workspacestest.Fault{Kind: 1}},
		"bad status": {workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultServerError, Status: 404}},
		"negative delay": {workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultLatency, Delay: -time.Second}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := workspacestest.NewService().InjectFault(tc.when, tc.fault)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "workspacestest: "), err.Error())
		})
	}
}

func TestService_FaultResponses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		fault  workspacestest.Fault
		status int
		code   string
		msg    string
	}{
		"throttle": {
			fault:  workspacestest.Fault{Kind: workspacestest.FaultThrottle},
			status: 400, code: "ThrottlingException", msg: "Rate exceeded",
		},
		"throttle with code": {
			fault: workspacestest.Fault{Kind: workspacestest.FaultThrottle,
				Code: "RequestLimitExceeded"},
			status: 400, code: "RequestLimitExceeded", msg: "Rate exceeded",
		},
		"500": {
			fault:  workspacestest.Fault{Kind: workspacestest.FaultServerError},
			status: 500, code: "InternalFailure",
		},
		"502": {
			fault:  workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 502},
			status: 502, code: "BadGateway",
		},
		"503": {
			fault:  workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 503},
			status: 503, code: "ServiceUnavailable",
		},
		"504": {
			fault:  workspacestest.Fault{Kind: workspacestest.FaultServerError, Status: 504},
			status: 504, code: "GatewayTimeout",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1), tc.fault))
				rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
				eb := requireError(t, rp, tc.status, tc.code)
				if tc.msg != "" {
					assert.Equal(t, tc.msg, eb.Message)
				}

				rec := f.svc.Requests()[0]
				require.NotNil(t, rec.Fault)
				assert.Equal(t, tc.fault.Kind, rec.Fault.Kind)
				assert.Equal(t, tc.status, rec.Status)
				assert.Equal(t, tc.code, rec.ErrorCode)
				assert.Equal(t, testImage, *rec.Input.ImageID)
			})
		})
	}
}

func TestService_FaultHTMLServerError(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
					workspacestest.Fault{Kind: workspacestest.FaultServerError,
						Status: status, HTML: true}))
				rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
				assert.Equal(t, status, rp.status)
				assert.Equal(t, "text/html", rp.header.Get("Content-Type"))
				assert.Empty(t, rp.header.Get("X-Amzn-Requestid"))
				assert.Empty(t, rp.header.Get("X-Amzn-Errortype"))
				assert.NotEmpty(t, rp.header.Get("Date"))
				assert.Contains(t, string(rp.body), "<h1>"+fmt.Sprint(status)+" ")
				assert.False(t, json.Valid(rp.body))
			})
		})
	}
}

func TestService_FaultMalformedJSON(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
			workspacestest.Fault{Kind: workspacestest.FaultMalformedJSON}))
		rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
		assert.Equal(t, http.StatusOK, rp.status)
		assert.Equal(t, "application/x-amz-json-1.1", rp.header.Get("Content-Type"))
		assert.NotEmpty(t, rp.body)
		assert.False(t, json.Valid(rp.body), "body: %s", rp.body)
	})
}

func TestService_FaultHugeBody(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{3, 100, 5 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
					workspacestest.Fault{Kind: workspacestest.FaultHugeBody, Size: size}))
				body := `{"ImageId":"` + testImage + `"}`
				req := f.newRequest(t, body)
				sign(t, req, body, ownerCreds, time.Time{})
				resp, err := f.client.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()

				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, size, resp.ContentLength)
				head := make([]byte, min(size, 12))
				_, err = io.ReadFull(resp.Body, head)
				require.NoError(t, err)
				if size > 14 {
					assert.Equal(t, `{"Padding":"`, string(head))
				}
				rest, err := io.Copy(io.Discard, resp.Body)
				require.NoError(t, err)
				assert.Equal(t, size, int64(len(head))+rest)
			})
		})
	}
}

func TestService_FaultTruncate(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
			workspacestest.Fault{Kind: workspacestest.FaultTruncate}))
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body)
		sign(t, req, body, ownerCreds, time.Time{})
		resp, err := f.client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()

		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Positive(t, resp.ContentLength)
		got, err := io.ReadAll(resp.Body)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Len(t, got, int(resp.ContentLength/2))

		// The next call is whole again.
		requirePage(t, f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}))
	})
}

func TestService_FaultReset(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
			workspacestest.Fault{Kind: workspacestest.FaultReset}))
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body)
		sign(t, req, body, ownerCreds, time.Time{})
		resp, err := f.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		require.Error(t, err)
		assert.ErrorIs(t, err, syscall.ECONNRESET)

		rec := f.svc.Requests()[0]
		assert.Equal(t, 0, rec.Status)
		require.NotNil(t, rec.Fault)
		assert.Equal(t, workspacestest.FaultReset, rec.Fault.Kind)

		requirePage(t, f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}))
	})
}

func TestService_FaultLatency(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultLatency, Delay: time.Millisecond,
		}))
		requirePage(t, f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}))

		// A throttle can be slow too.
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultThrottle, Delay: time.Millisecond,
		}))
		requireError(t, f.describe(t, ownerCreds, map[string]any{"ImageId": testImage}),
			http.StatusBadRequest, "ThrottlingException")
	})
}

// handlerDone returns a channel that receives a value each time the fake
// finishes a request, through its logger.
func handlerDone(svc *workspacestest.Service) <-chan string {
	done := make(chan string, 16)
	svc.SetLogger(logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
		done <- fmt.Sprintf(format, v...)
	}))
	return done
}

// waitHandler waits for the fake to finish a request.
func waitHandler(t *testing.T, done <-chan string) string {
	t.Helper()
	select {
	case line := <-done:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not return")
		return ""
	}
}

func TestService_FaultLatencyCancelled(t *testing.T) {
	t.Parallel()
	for _, kind := range []workspacestest.FaultKind{
		workspacestest.FaultLatency, workspacestest.FaultThrottle, workspacestest.FaultReset,
	} {
		t.Run(kind.String(), func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				done := handlerDone(f.svc)
				require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1),
					workspacestest.Fault{Kind: kind, Delay: time.Hour}))

				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				body := `{"ImageId":"` + testImage + `"}`
				req := f.newRequest(t, body).WithContext(ctx)
				sign(t, req, body, ownerCreds, time.Time{})
				errc := make(chan error, 1)
				go func() {
					resp, err := f.client.Do(req)
					if err == nil {
						resp.Body.Close()
					}
					errc <- err
				}()

				// Cancel once the fake holds the request.
				waitReceived(t, f.svc)
				cancel()
				require.ErrorIs(t, <-errc, context.Canceled)

				line := waitHandler(t, done)
				assert.Contains(t, line, "status=0 ")
				assert.Equal(t, 0, f.svc.Requests()[0].Status)
			})
		})
	}
}

// waitReceived waits until svc has received a request.
func waitReceived(t *testing.T, svc *workspacestest.Service) {
	t.Helper()
	deadline, stop := context.WithTimeout(t.Context(), 10*time.Second)
	defer stop()
	for len(svc.Requests()) == 0 {
		select {
		case <-deadline.Done():
			t.Fatal("the request did not arrive")
		default:
			runtime.Gosched()
		}
	}
}

func TestService_FaultStallBody(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		done := handlerDone(f.svc)
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultStallBody, Delay: time.Hour,
		}))

		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		body := `{"ImageId":"` + testImage + `"}`
		req := f.newRequest(t, body).WithContext(ctx)
		sign(t, req, body, ownerCreds, time.Time{})
		resp, err := f.client.Do(req)
		require.NoError(t, err, "the headers come before the stall")
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Positive(t, resp.ContentLength)

		first := make([]byte, resp.ContentLength/2)
		_, err = io.ReadFull(resp.Body, first)
		require.NoError(t, err, "the first half comes before the stall")
		assert.True(t, strings.HasPrefix(string(first), `{"ImageId":"wsi-abc123def"`))

		cancel()
		_, err = io.ReadAll(resp.Body)
		require.ErrorIs(t, err, context.Canceled)
		waitHandler(t, done)

		// A short stall delivers the whole body.
		require.NoError(t, f.svc.InjectFault(workspacestest.NextCalls(1), workspacestest.Fault{
			Kind: workspacestest.FaultStallBody, Delay: time.Millisecond,
		}))
		_, accounts := requirePage(t, f.describe(t, ownerCreds,
			map[string]any{"ImageId": testImage}))
		assert.Equal(t, []string{"222233334444", "444455556666"}, accounts)
	})
}

func TestFaultKind_String(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "Throttle", workspacestest.FaultThrottle.String())
	assert.Equal(t, "HugeBody", workspacestest.FaultHugeBody.String())
	assert.Equal(t, "FaultKind(99)", workspacestest.FaultKind(99).String())
}
