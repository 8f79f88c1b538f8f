package compare

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// pageOf returns a success body listing n accounts from 100000000000 up,
// with next as its NextToken unless next is empty.
func pageOf(n int, next string) string {
	var b strings.Builder
	b.WriteString(`{"ImageId":"` + cmpImage + `","ImagePermissions":[`)
	for i, a := range accountIDs(100000000000, n) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"SharedAccountId":"` + a + `"}`)
	}
	b.WriteString("]")
	if next != "" {
		b.WriteString(`,"NextToken":"` + next + `"`)
	}
	b.WriteString("}")
	return b.String()
}

// okReply is a 200 response with body and request ID id.
func okReply(id, body string) cannedReply {
	return cannedReply{
		header: map[string]string{
			"X-Amzn-Requestid": id, "Content-Type": "application/x-amz-json-1.1",
		},
		body: body,
	}
}

// errReply is an error response with the given status, X-Amzn-Errortype
// (none when empty), body and request ID id.
func errReply(status int, id, errType, body string) cannedReply {
	h := map[string]string{"Content-Type": "application/x-amz-json-1.1"}
	if id != "" {
		h["X-Amzn-Requestid"] = id
	}
	if errType != "" {
		h["X-Amzn-Errortype"] = errType
	}
	return cannedReply{status: status, header: h, body: body}
}

const deserializationPrefix = "failed to decode response body, "

// textBeforeDecoderError returns the part of an error text that comes
// before the JSON decoder's own description of a syntax error.
func textBeforeDecoderError(text string) string {
	i := strings.Index(text, deserializationPrefix)
	if i < 0 {
		return text
	}
	return text[:i+len(deserializationPrefix)]
}

func TestDescribeWorkspaceImagePermissions_DifferentialReplay(t *testing.T) {
	t.Parallel()
	const suffix = ":http://internal.amazon.com/coral/com.amazonaws.workspaces/"
	html := `<html><head><title>502 Bad Gateway</title></head>` +
		`<body><h1>502 Bad Gateway</h1></body></html>`
	tests := map[string]struct {
		replies  []cannedReply
		in       *callInput // nil: ImageId cmpImage only
		wantType string     // "" for a page
		wantCode string
		requests int
		// decoderText marks an intended difference: the two clients
		// describe a JSON syntax error in their own words, so Error() is
		// compared up to the decoder's text only.
		decoderText bool
	}{
		"page of 0": {
			replies:  []cannedReply{okReply("r-0", pageOf(0, ""))},
			requests: 1,
		},
		"page of 1 with token": {
			replies:  []cannedReply{okReply("r-1", pageOf(1, "tok-1"))},
			in:       &callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(1)},
			requests: 1,
		},
		"page of 25 from a token": {
			replies: []cannedReply{okReply("r-25", pageOf(25, "tok-26"))},
			in: &callInput{
				ImageID: aws.String(cmpImage), MaxResults: aws.Int32(25),
				NextToken: aws.String("tok-1"),
			},
			requests: 1,
		},
		"nulls, unknown members and odd entries": {
			replies: []cannedReply{okReply("r-odd", `{"ImageId":null,"Extra":{"a":[1,2]},`+
				`"ImagePermissions":[{},null,{"SharedAccountId":null,"X":1},`+
				`{"SharedAccountId":"444455556666"}],"NextToken":null}`)},
			requests: 1,
		},
		"null list": {
			replies:  []cannedReply{okReply("r-null", `{"ImagePermissions":null}`)},
			requests: 1,
		},
		"no request id": {
			replies:  []cannedReply{{body: pageOf(2, "")}},
			requests: 1,
		},
		"error type in header only": {
			replies: []cannedReply{errReply(400, "r-h", "ResourceNotFoundException",
				`{"message":"The image wsi-abc123def could not be found.",`+
					`"ResourceId":"wsi-abc123def"}`)},
			wantType: "ResourceNotFoundException", wantCode: "ResourceNotFoundException",
			requests: 1,
		},
		"error type in body __type only": {
			replies: []cannedReply{errReply(400, "r-t", "",
				`{"__type":"AccessDeniedException","message":"not yours"}`)},
			wantType: "AccessDeniedException", wantCode: "AccessDeniedException", requests: 1,
		},
		"error type in body code only": {
			replies: []cannedReply{errReply(400, "r-c", "",
				`{"code":"InvalidParameterValuesException","message":"bad token"}`)},
			wantType: "InvalidParameterValuesException",
			wantCode: "InvalidParameterValuesException", requests: 1,
		},
		"namespace prefix in header": {
			replies: []cannedReply{errReply(400, "r-ns", "aws.workspaces#ResourceNotFoundException",
				`{"message":"gone","ResourceId":"wsi-abc123def"}`)},
			wantType: "ResourceNotFoundException", wantCode: "ResourceNotFoundException",
			requests: 1,
		},
		"namespace prefix in body": {
			replies: []cannedReply{errReply(400, "r-nsb", "",
				`{"__type":"com.amazonaws.workspaces#AccessDeniedException","message":"no"}`)},
			wantType: "AccessDeniedException", wantCode: "AccessDeniedException", requests: 1,
		},
		"colon suffix in header": {
			replies: []cannedReply{errReply(400, "r-colon", "AccessDeniedException"+suffix,
				`{"__type":"AccessDeniedException`+suffix+`","message":"no"}`)},
			wantType: "AccessDeniedException", wantCode: "AccessDeniedException", requests: 1,
		},
		"colon suffix on unknown code": {
			replies: []cannedReply{errReply(400, "r-colon2", "SomethingNewException"+suffix,
				`{"message":"new"}`)},
			wantType: "GenericAPIError", wantCode: "SomethingNewException", requests: 1,
		},
		"lower-case code": {
			replies: []cannedReply{errReply(400, "r-lc", "resourcenotfoundexception",
				`{"message":"gone","ResourceId":"wsi-abc123def"}`)},
			wantType: "ResourceNotFoundException", wantCode: "ResourceNotFoundException",
			requests: 1,
		},
		"Message capitalised": {
			replies: []cannedReply{errReply(400, "r-M", "AccessDeniedException",
				`{"Message":"capital"}`)},
			wantType: "AccessDeniedException", wantCode: "AccessDeniedException", requests: 1,
		},
		"Message capitalised on unknown code": {
			replies: []cannedReply{errReply(400, "r-M2", "",
				`{"__type":"SomethingNewException","Message":"capital"}`)},
			wantType: "GenericAPIError", wantCode: "SomethingNewException", requests: 1,
		},
		"unknown code": {
			replies: []cannedReply{errReply(400, "r-unk", "SomethingNewException",
				`{"__type":"SomethingNewException","message":"new"}`)},
			wantType: "GenericAPIError", wantCode: "SomethingNewException", requests: 1,
		},
		"unknown code without message": {
			replies: []cannedReply{errReply(403, "r-unk2", "UnrecognizedClientException",
				`{}`)},
			wantType: "GenericAPIError", wantCode: "UnrecognizedClientException", requests: 1,
		},
		"typed error with empty body": {
			replies:  []cannedReply{errReply(400, "r-eb", "AccessDeniedException", "")},
			wantType: "AccessDeniedException", wantCode: "AccessDeniedException", requests: 1,
		},
		"empty body, no type": {
			replies:  []cannedReply{errReply(400, "r-e", "", "")},
			wantType: "GenericAPIError", wantCode: "UnknownError", requests: 1,
		},
		"html 403 from a proxy": {
			replies:     []cannedReply{errReply(403, "", "", html)},
			wantType:    "DeserializationError",
			requests:    1,
			decoderText: true,
		},
		"html 502 from a proxy, every attempt": {
			replies:     []cannedReply{errReply(502, "", "", html)},
			wantType:    "DeserializationError",
			requests:    3,
			decoderText: true,
		},
		"html 502 then a page": {
			replies:  []cannedReply{errReply(502, "", "", html), okReply("r-after", pageOf(3, ""))},
			requests: 2,
		},
		"malformed JSON in a 200": {
			replies:     []cannedReply{okReply("r-mal", `{"ImageId":"wsi-abc123def","Image`)},
			wantType:    "DeserializationError",
			requests:    1,
			decoderText: true,
		},
		"wrong member type in a 200": {
			replies:     []cannedReply{okReply("r-type", `{"ImageId":7}`)},
			wantType:    "DeserializationError",
			requests:    1,
			decoderText: true,
		},
		"throttling then success": {
			replies: []cannedReply{
				errReply(400, "r-thr", "ThrottlingException",
					`{"__type":"ThrottlingException","message":"Rate exceeded"}`),
				okReply("r-ok", pageOf(2, "tok")),
			},
			requests: 2,
		},
		"throttling every attempt": {
			replies: []cannedReply{errReply(400, "r-thr", "ThrottlingException",
				`{"__type":"ThrottlingException","message":"Rate exceeded"}`)},
			wantType: "GenericAPIError", wantCode: "ThrottlingException", requests: 3,
		},
		"503 json every attempt": {
			replies: []cannedReply{errReply(503, "r-503", "ServiceUnavailable",
				`{"__type":"ServiceUnavailable","message":"try later"}`)},
			wantType: "GenericAPIError", wantCode: "ServiceUnavailable", requests: 3,
		},
		"connection reset then success": {
			replies: []cannedReply{
				{err: fmt.Errorf("read tcp: %w", syscall.ECONNRESET)},
				okReply("r-reset", pageOf(1, "")),
			},
			requests: 2,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := callInput{ImageID: aws.String(cmpImage)}
			if tc.in != nil {
				in = *tc.in
			}
			type run struct {
				page pageFacts
				err  *errFacts
				sent []recordedRequest
			}
			var runs []run
			for _, build := range clientBuilders {
				stub := newReplayHTTP(tc.replies...)
				d := build(clientSetup{http: stub})
				page, err := d.describe(t.Context(), in)
				r := run{page: page, sent: stub.requests()}
				if err != nil {
					f := d.facts(err)
					r.err = &f
				}
				runs = append(runs, r)
			}
			lean, off := runs[0], runs[1]

			assert.Len(t, lean.sent, tc.requests, "requests sent by our client")
			assert.Len(t, off.sent, tc.requests, "requests sent by the official client")
			for i := range min(len(lean.sent), len(off.sent)) {
				assert.Equal(t, off.sent[i].body, lean.sent[i].body, "body of request %d", i)
				assert.Equal(t, off.sent[i].url, lean.sent[i].url)
				for _, h := range []string{"Content-Type", "X-Amz-Target", "Amz-Sdk-Request"} {
					assert.Equal(t, off.sent[i].header.Get(h), lean.sent[i].header.Get(h), h)
				}
			}

			if tc.wantType == "" {
				require.Nil(t, off.err, "official client: %+v", off.err)
				require.Nil(t, lean.err, "our client: %+v", lean.err)
				assert.Equal(t, off.page, lean.page)
				return
			}
			require.NotNil(t, off.err, "official client succeeded: %+v", off.page)
			require.NotNil(t, lean.err, "our client succeeded: %+v", lean.page)
			assert.Equal(t, tc.wantType, off.err.Type, "official client, %s", off.err.Text)
			assert.Equal(t, tc.wantCode, off.err.Code, "official client")
			want, got := *off.err, *lean.err
			if tc.decoderText {
				assert.Equal(t, textBeforeDecoderError(want.Text), textBeforeDecoderError(got.Text))
				want.Text, got.Text = "", ""
			}
			assert.Equal(t, want, got)
		})
	}
}

// TestDescribeWorkspaceImagePermissions_DifferentialFake runs scenarios
// through both clients against one fake, in memory and over HTTP, one
// client after the other. Request IDs are random per response: each client
// must report the one the fake recorded for its last request.
func TestDescribeWorkspaceImagePermissions_DifferentialFake(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		shared   int
		in       callInput
		faults   []workspacestest.Fault // injected into the next calls, in order
		creds    aws.CredentialsProvider
		wantType string
		requests int
	}{
		"page of 0": {
			in: callInput{ImageID: aws.String(cmpImage)}, requests: 1,
		},
		"page of 1": {
			shared: 3, in: callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(1)},
			requests: 1,
		},
		"page of 25": {
			shared: 60, in: callInput{ImageID: aws.String(cmpImage)}, requests: 1,
		},
		"unknown image": {
			in:       callInput{ImageID: aws.String("wsi-unknown000")},
			wantType: "ResourceNotFoundException", requests: 1,
		},
		"access denied": {
			in:       callInput{ImageID: aws.String(cmpImage)},
			creds:    staticCreds(cmpOtherKey, cmpOtherSec, ""),
			wantType: "AccessDeniedException", requests: 1,
		},
		"invalid parameters": {
			in:       callInput{ImageID: aws.String("ami-12345678"), MaxResults: aws.Int32(26)},
			wantType: "InvalidParameterValuesException", requests: 1,
		},
		"unknown access key": {
			in:       callInput{ImageID: aws.String(cmpImage)},
			creds:    staticCreds("AKIDNOBODY", "x", ""),
			wantType: "GenericAPIError", requests: 1,
		},
		"throttling then success": {
			shared: 2, in: callInput{ImageID: aws.String(cmpImage)},
			faults:   []workspacestest.Fault{{Kind: workspacestest.FaultThrottle}},
			requests: 2,
		},
		"html 502 then success": {
			shared: 2, in: callInput{ImageID: aws.String(cmpImage)},
			faults: []workspacestest.Fault{
				{Kind: workspacestest.FaultServerError, Status: 502, HTML: true},
			},
			requests: 2,
		},
		"503 every attempt": {
			in: callInput{ImageID: aws.String(cmpImage)},
			faults: []workspacestest.Fault{
				{Kind: workspacestest.FaultServerError, Status: 503},
				{Kind: workspacestest.FaultServerError, Status: 503},
				{Kind: workspacestest.FaultServerError, Status: 503},
			},
			wantType: "GenericAPIError", requests: 3,
		},
		"malformed JSON": {
			in:       callInput{ImageID: aws.String(cmpImage)},
			faults:   []workspacestest.Fault{{Kind: workspacestest.FaultMalformedJSON}},
			wantType: "DeserializationError", requests: 1,
		},
	}
	for name, tc := range tests {
		for _, tr := range fakeTransports {
			t.Run(name+"/"+tr.name, func(t *testing.T) {
				t.Parallel()
				svc := newSeededService(t, cmpSeed(accountIDs(100000000000, tc.shared)...))
				httpClient, endpoint := tr.reach(t, svc)

				type run struct {
					page pageFacts
					err  *errFacts
					reqs []workspacestest.Request
				}
				var runs []run
				for _, build := range clientBuilders {
					svc.ClearRequests()
					for i, f := range tc.faults {
						require.NoError(t, svc.InjectFault(workspacestest.NthCall(i+1), f))
					}
					d := build(clientSetup{http: httpClient, endpoint: endpoint,
						credentials: tc.creds})
					page, err := d.describe(t.Context(), tc.in)
					r := run{page: page, reqs: svc.Requests()}
					if err != nil {
						f := d.facts(err)
						r.err = &f
					}
					svc.ClearFaults()
					require.Len(t, r.reqs, tc.requests, "%s client", d.name)
					// The request ID is the fake's, and random: check it,
					// then blank it for the comparison.
					last := r.reqs[len(r.reqs)-1].RequestID
					if r.err == nil {
						assert.Equal(t, last, r.page.RequestID, "%s client", d.name)
						r.page.RequestID = ""
					} else if r.err.HasResponse {
						assert.Equal(t, last, r.err.RequestID, "%s client", d.name)
						r.err.Text = strings.ReplaceAll(r.err.Text, last, "<request-id>")
						r.err.RequestID = ""
					}
					runs = append(runs, r)
				}
				lean, off := runs[0], runs[1]
				for i := range tc.requests {
					assert.Equal(t, string(off.reqs[i].Body), string(lean.reqs[i].Body))
					assert.Equal(t, off.reqs[i].Status, lean.reqs[i].Status)
					assert.Equal(t, off.reqs[i].ErrorCode, lean.reqs[i].ErrorCode)
				}
				if tc.wantType == "" {
					require.Nil(t, off.err, "official client: %+v", off.err)
					require.Nil(t, lean.err, "our client: %+v", lean.err)
					assert.Equal(t, off.page, lean.page)
					return
				}
				require.NotNil(t, off.err, "official client succeeded: %+v", off.page)
				require.NotNil(t, lean.err, "our client succeeded: %+v", lean.page)
				assert.Equal(t, tc.wantType, off.err.Type, "official client, %s", off.err.Text)
				want, got := *off.err, *lean.err
				if want.Type == "DeserializationError" {
					assert.Equal(t, textBeforeDecoderError(want.Text),
						textBeforeDecoderError(got.Text))
					want.Text, got.Text = "", ""
				}
				assert.Equal(t, want, got)
			})
		}
	}
}

// TestDescribeWorkspaceImagePermissions_ValidatesMore pins an intended
// difference: our client rejects, without sending anything, input the
// service always refuses (an empty ImageId, a MaxResults below 1, an empty
// NextToken), where the official client only checks that ImageId is set
// and sends the rest, for the service to answer
// InvalidParameterValuesException (HTTP 400). A missing ImageId is
// rejected by both alike.
func TestDescribeWorkspaceImagePermissions_ValidatesMore(t *testing.T) {
	t.Parallel()
	const prefix = "operation error WorkSpaces: DescribeWorkspaceImagePermissions, "
	tests := map[string]struct {
		in           callInput
		wantText     string
		officialSend bool
	}{
		"missing image id": {
			in: callInput{},
			wantText: prefix + "1 validation error(s) found.\n" +
				"- missing required field, DescribeWorkspaceImagePermissionsInput.ImageId.\n",
		},
		"empty image id": {
			in: callInput{ImageID: aws.String("")},
			wantText: prefix + "1 validation error(s) found.\n" +
				"- minimum field size of 1, DescribeWorkspaceImagePermissionsInput.ImageId.\n",
			officialSend: true,
		},
		"zero max results": {
			in: callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(0)},
			wantText: prefix + "1 validation error(s) found.\n" +
				"- minimum field value of 1, got 0, " +
				"DescribeWorkspaceImagePermissionsInput.MaxResults.\n",
			officialSend: true,
		},
		"empty next token and negative max results": {
			in: callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(-2),
				NextToken: aws.String("")},
			wantText: prefix + "2 validation error(s) found.\n" +
				"- minimum field value of 1, got -2, " +
				"DescribeWorkspaceImagePermissionsInput.MaxResults.\n" +
				"- minimum field size of 1, DescribeWorkspaceImagePermissionsInput.NextToken.\n",
			officialSend: true,
		},
	}
	refusal := errReply(400, "r-400", "InvalidParameterValuesException",
		`{"__type":"InvalidParameterValuesException","message":"1 validation error detected"}`)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newReplayHTTP(refusal)
			lean := leanDescriber(clientSetup{http: stub})
			_, err := lean.describe(t.Context(), tc.in)
			require.Error(t, err)
			f := lean.facts(err)
			assert.Equal(t, "InvalidParamsError", f.Type)
			assert.Equal(t, tc.wantText, f.Text)
			assert.Empty(t, stub.requests(), "our client must send nothing")

			stub = newReplayHTTP(refusal)
			off := officialDescriber(clientSetup{http: stub})
			_, err = off.describe(t.Context(), tc.in)
			require.Error(t, err)
			if !tc.officialSend {
				assert.Equal(t, f, off.facts(err))
				assert.Empty(t, stub.requests())
				return
			}
			assert.Equal(t, "InvalidParameterValuesException", off.facts(err).Type)
			assert.Len(t, stub.requests(), 1, "the official client leaves this to the service")
		})
	}
}

// TestDescribeWorkspaceImagePermissions_LogsRedacted pins an intended
// difference: with every log bit set, the official client logs the
// canonical request and the request headers as sent, so its log carries
// the Authorization signature and the X-Amz-Security-Token value; ours
// logs the same events with both replaced by REDACTED.
func TestDescribeWorkspaceImagePermissions_LogsRedacted(t *testing.T) {
	t.Parallel()
	const token = "SESSIONtokenCOMPAREtokenSESSION"
	var log strings.Builder
	stub := newReplayHTTP(
		errReply(400, "r-thr", "ThrottlingException", `{"__type":"ThrottlingException"}`),
		okReply("r-ok", pageOf(2, "")),
	)
	c := workspaces.New(workspaces.Options{
		Region:      cmpRegion,
		Credentials: staticCreds(cmpAccessKey, cmpSecretKey, token),
		HTTPClient:  stub,
		Retryer:     instantRetryer(3),
		Logger: logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
			fmt.Fprintf(&log, format+"\n", v...)
		}),
		ClientLogMode: aws.LogSigning | aws.LogRetries | aws.LogRequest |
			aws.LogRequestWithBody | aws.LogResponse | aws.LogResponseWithBody |
			aws.LogDeprecatedUsage | aws.LogRequestEventMessage | aws.LogResponseEventMessage,
	})
	_, err := c.DescribeWorkspaceImagePermissions(t.Context(),
		&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(cmpImage)})
	require.NoError(t, err)

	sent := stub.requests()
	require.Len(t, sent, 2)
	out := log.String()
	assert.Contains(t, out, "REDACTED")
	assert.Contains(t, out, "WorkspacesService.DescribeWorkspaceImagePermissions")
	assert.Contains(t, out, cmpAccessKey, "the access key ID is not a secret")
	assert.NotContains(t, out, cmpSecretKey)
	assert.NotContains(t, out, token)
	for _, r := range sent {
		auth := r.header.Get("Authorization")
		i := strings.Index(auth, "Signature=")
		require.Positive(t, i, auth)
		assert.NotContains(t, out, auth[i+len("Signature="):])
		assert.Equal(t, token, r.header.Get("X-Amz-Security-Token"))
	}
}

// TestDescribeWorkspaceImagePermissionsPaginator_MatchesHandPaging pins an
// intended difference: the official client has no paginator for this
// operation, so its callers page by hand with NextToken. Ours walks the same
// pages, sending the same requests.
func TestDescribeWorkspaceImagePermissionsPaginator_MatchesHandPaging(t *testing.T) {
	t.Parallel()
	want := accountIDs(100000000000, 60)
	for _, tr := range fakeTransports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			svc := newSeededService(t, cmpSeed(want...))
			httpClient, endpoint := tr.reach(t, svc)

			off := officialDescriber(clientSetup{http: httpClient, endpoint: endpoint})
			var byHand []string
			in := callInput{ImageID: aws.String(cmpImage), MaxResults: aws.Int32(7)}
			for {
				page, err := off.describe(t.Context(), in)
				require.NoError(t, err)
				byHand = append(byHand, page.accounts()...)
				if page.NextToken == nil {
					break
				}
				in.NextToken = page.NextToken
			}
			handRequests := svc.Requests()
			svc.ClearRequests()

			c := workspaces.New(workspaces.Options{
				Region: cmpRegion, Credentials: staticCreds(cmpAccessKey, cmpSecretKey, ""),
				HTTPClient: httpClient, BaseEndpoint: aws.String(endpoint),
			})
			p := workspaces.NewDescribeWorkspaceImagePermissionsPaginator(c,
				&workspaces.DescribeWorkspaceImagePermissionsInput{ImageId: aws.String(cmpImage)},
				func(o *workspaces.DescribeWorkspaceImagePermissionsPaginatorOptions) {
					o.Limit = 7
				})
			var paged []string
			for perm, err := range p.Items(t.Context()) {
				require.NoError(t, err)
				paged = append(paged, aws.ToString(perm.SharedAccountId))
			}

			assert.Equal(t, want, byHand)
			assert.Equal(t, want, paged)
			pagedRequests := svc.Requests()
			require.Len(t, pagedRequests, 9)
			require.Len(t, handRequests, 9)
			for i := range pagedRequests {
				assert.Equal(t, string(handRequests[i].Body), string(pagedRequests[i].Body))
			}
		})
	}
}

// TestDescribeWorkspaceImagePermissions_ResponseBodyLimit pins an intended
// difference: ours refuses a response body over Options.ResponseBodyLimit
// (4 MiB by default) without reading it whole, where the official client
// reads any body; here a 5 MiB page of padding, which it decodes as an
// empty page.
func TestDescribeWorkspaceImagePermissions_ResponseBodyLimit(t *testing.T) {
	t.Parallel()
	for _, tr := range fakeTransports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			svc := newSeededService(t, cmpSeed())
			httpClient, endpoint := tr.reach(t, svc)
			huge := workspacestest.Fault{Kind: workspacestest.FaultHugeBody, Size: 5 << 20}
			in := callInput{ImageID: aws.String(cmpImage)}

			require.NoError(t, svc.InjectFault(workspacestest.NthCall(1), huge))
			lean := leanDescriber(clientSetup{http: httpClient, endpoint: endpoint})
			_, err := lean.describe(t.Context(), in)
			require.Error(t, err)
			assert.Equal(t, "DeserializationError", lean.facts(err).Type)
			assert.Contains(t, err.Error(), "exceeds the limit of 4194304 bytes")
			assert.Len(t, svc.Requests(), 1, "not retried")

			require.NoError(t, svc.InjectFault(workspacestest.NthCall(1), huge))
			off := officialDescriber(clientSetup{http: httpClient, endpoint: endpoint})
			page, err := off.describe(t.Context(), in)
			require.NoError(t, err)
			assert.Nil(t, page.ImageID)
			assert.Nil(t, page.Permissions)
		})
	}
}

// TestDescribeWorkspaceImagePermissions_EmptySuccessBody pins an intended
// difference. The official client decodes a 200 with an empty or blank body
// as a page with nothing in it and no NextToken, so a walk that meets one
// (a proxy that drops bodies, say) ends early without a word. Ours refuses
// the body as it refuses any other that is not a JSON object: a
// DeserializationError inside the ResponseError, with the status and the
// request ID, and nothing lost silently.
func TestDescribeWorkspaceImagePermissions_EmptySuccessBody(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{"empty": "", "blank": " \n\t "} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := callInput{ImageID: aws.String(cmpImage)}

			lean := leanDescriber(clientSetup{http: newReplayHTTP(okReply("r-empty", body))})
			_, err := lean.describe(t.Context(), in)
			require.Error(t, err)
			f := lean.facts(err)
			assert.Equal(t, "DeserializationError", f.Type, f.Text)
			assert.True(t, f.HasResponse)
			assert.Equal(t, 200, f.Status)
			assert.Equal(t, "r-empty", f.RequestID)

			off := officialDescriber(clientSetup{http: newReplayHTTP(okReply("r-empty", body))})
			page, err := off.describe(t.Context(), in)
			require.NoError(t, err)
			assert.Nil(t, page.ImageID)
			assert.Nil(t, page.Permissions)
			assert.Nil(t, page.NextToken)
		})
	}
}
