package workspacestest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/leanaws/workspaces/workspacestest"
)

// The fuzz targets here drive the fake's own parsing: of the request
// (FuzzServeHTTP) and of pagination tokens (FuzzNextToken). The client's
// response and error decoders have theirs in the root package
// (FuzzDecodeOutput, FuzzDecodeError).

// knownCodes are the error codes the fake may answer a request with, and
// the status of each.
var knownCodes = map[string]int{
	"UnknownOperationException":           http.StatusBadRequest,
	"SerializationException":              http.StatusBadRequest,
	"InvalidParameterValuesException":     http.StatusBadRequest,
	"ResourceNotFoundException":           http.StatusBadRequest,
	"AccessDeniedException":               http.StatusBadRequest,
	"IncompleteSignatureException":        http.StatusBadRequest,
	"MissingAuthenticationTokenException": http.StatusForbidden,
	"InvalidSignatureException":           http.StatusForbidden,
	"UnrecognizedClientException":         http.StatusForbidden,
}

// serveFuzz sends the fake a request with the given target, content type
// and body, signed by the image's owner when signed is set, through
// ServeHTTP, and checks the response is well-formed awsJson1.1.
func serveFuzz(t *testing.T, svc *workspacestest.Service, target, contentType, body string,
	signed bool,
) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost,
		"https://workspaces.us-east-1.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Amz-Target", target)
	if signed {
		sign(t, req, body, ownerCreds, time.Time{})
	}
	rec := httptest.NewRecorder()

	svc.ServeHTTP(rec, req)

	h := rec.Header()
	if got := h.Get("Content-Type"); got != workspacestest.ContentType {
		t.Fatalf("Content-Type %q", got)
	}
	if !uuidRE.MatchString(h.Get("X-Amzn-Requestid")) {
		t.Fatalf("request ID %q", h.Get("X-Amzn-Requestid"))
	}
	if _, err := http.ParseTime(h.Get("Date")); err != nil {
		t.Fatalf("Date %q: %v", h.Get("Date"), err)
	}
	if rec.Code == http.StatusOK {
		var p page
		dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil || p.ImagePermissions == nil {
			t.Fatalf("200 with body %q: %v", rec.Body.Bytes(), err)
		}
		return rec
	}
	var eb errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil {
		t.Fatalf("%d with body %q: %v", rec.Code, rec.Body.Bytes(), err)
	}
	status, known := knownCodes[eb.Type]
	if !known || status != rec.Code || h.Get("X-Amzn-Errortype") != eb.Type {
		t.Fatalf("status %d, X-Amzn-Errortype %q, body %q", rec.Code,
			h.Get("X-Amzn-Errortype"), rec.Body.Bytes())
	}
	return rec
}

// FuzzServeHTTP sends the fake requests with any X-Amz-Target,
// Content-Type and body, signed or not. It must never panic and always
// answer well-formed awsJson1.1: a page, or a known error code with its
// status in the X-Amzn-Errortype header and the body. A signed request is
// never refused for its signature, whatever its headers hold.
func FuzzServeHTTP(f *testing.F) {
	f.Add(target, workspacestest.ContentType, `{"ImageId":"wsi-abc123def"}`, true)
	f.Add(target, workspacestest.ContentType, `{"ImageId":"wsi-abc123def","MaxResults":1}`, true)
	f.Add(target, "application/x-amz-json-1.1; charset=utf-8", `{}`, true)
	f.Add(target, "application/x-amz-json-1.0", `{"ImageId":"wsi-abc123def"}`, true)
	f.Add(target, workspacestest.ContentType, `{"ImageId":"wsi-abc123def"}`, false)
	f.Add("WorkspacesService.DescribeWorkspaces", workspacestest.ContentType, `{}`, true)
	f.Add("", "", "", true)
	f.Add(target, workspacestest.ContentType, `{"MaxResults":"abc"}`, true)
	f.Add(target, workspacestest.ContentType, `{"ImageId":"wsi-abc123def"} {}`, true)
	f.Add(target, workspacestest.ContentType, `[1,2]`, true)
	f.Add(target, workspacestest.ContentType, `{"ImageId":null,"NextToken":"\u0000"}`, true)
	f.Add(target, workspacestest.ContentType, `{"ImageId":"wsi-abc123def","MaxResults":1e3}`, true)
	svc := workspacestest.NewService()
	if err := svc.Seed(testSeed()); err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, target, contentType, body string, signed bool) {
		svc.ClearRequests() // a long run would keep every request otherwise

		rec := serveFuzz(t, svc, target, contentType, body, signed)

		if signed && wireSafe(target) && wireSafe(contentType) {
			switch code := rec.Header().Get("X-Amzn-Errortype"); code {
			case "IncompleteSignatureException", "InvalidSignatureException",
				"MissingAuthenticationTokenException":
				t.Fatalf("signed request refused: %s: %s", code, rec.Body.Bytes())
			}
		}
	})
}

// wireSafe reports whether v can be sent as a header value: no control
// characters but tab, which an HTTP client refuses to send.
func wireSafe(v string) bool {
	for _, c := range []byte(v) {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// FuzzNextToken sends the fake pagination tokens. It must never panic, and
// answer a page only for a token it issued for that image; any other token
// is InvalidParameterValuesException.
func FuzzNextToken(f *testing.F) {
	seed := testSeed()
	seed.Images[0].SharedAccountIDs = accountsFrom(400000000000, 6)
	seed.Images = append(seed.Images, workspacestest.Image{
		ID: "wsi-second0000", OwnerAccountID: owner,
		SharedAccountIDs: accountsFrom(500000000000, 6),
	})
	svc := workspacestest.NewService()
	if err := svc.Seed(seed); err != nil {
		f.Fatal(err)
	}
	issued := issuedTokens(f, svc, testImage)
	for token := range issued {
		f.Add(token)
		f.Add(withPaddingBits(token)) // same bytes, another string
	}
	for token := range issuedTokens(f, svc, "wsi-second0000") {
		f.Add(token) // issued, but for another image
	}

	f.Fuzz(func(t *testing.T, token string) {
		svc.ClearRequests()
		body, err := json.Marshal(map[string]string{"ImageId": testImage, "NextToken": token})
		if err != nil {
			t.Fatal(err)
		}

		rec := serveFuzz(t, svc, target, workspacestest.ContentType, string(body), true)

		// json.Marshal sends each byte of invalid UTF-8 as U+FFFD.
		received := string([]rune(token))
		switch code := rec.Header().Get("X-Amzn-Errortype"); {
		case rec.Code == http.StatusOK && !issued[received]:
			t.Fatalf("a page for a token never issued for %s: %q", testImage, received)
		case rec.Code != http.StatusOK && code != "InvalidParameterValuesException":
			t.Fatalf("token %q: %d %s", received, rec.Code, code)
		}
	})
}

// withPaddingBits returns token with the unused low bits of its last
// base64 character set, when it has any: a lenient decoder reads the same
// bytes from it, yet the fake never issued that string.
func withPaddingBits(token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	unused := map[int]int{2: 0x0f, 3: 0x03}[len(token)%4] // chars of a last group
	last := strings.IndexByte(alphabet, token[len(token)-1])
	if unused == 0 || last < 0 {
		return token
	}
	return token[:len(token)-1] + string(alphabet[last|unused])
}

// issuedTokens walks image with every page size and returns the tokens the
// fake issued.
func issuedTokens(f *testing.F, svc *workspacestest.Service, image string) map[string]bool {
	f.Helper()
	tokens := make(map[string]bool)
	client := svc.Client()
	for size := 1; size <= 6; size++ {
		input := map[string]any{"ImageId": image, "MaxResults": size}
		for {
			raw, err := json.Marshal(input)
			if err != nil {
				f.Fatal(err)
			}
			req, err := http.NewRequest(http.MethodPost,
				"https://workspaces.us-east-1.amazonaws.com/", bytes.NewReader(raw))
			if err != nil {
				f.Fatal(err)
			}
			req.Header.Set("Content-Type", workspacestest.ContentType)
			req.Header.Set("X-Amz-Target", target)
			signFuzz(f, req, string(raw))
			resp, err := client.Do(req)
			if err != nil {
				f.Fatal(err)
			}
			var p page
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				f.Fatalf("walk %s: %d %v", image, resp.StatusCode, err)
			}
			if p.NextToken == nil {
				break
			}
			tokens[*p.NextToken] = true
			input["NextToken"] = *p.NextToken
		}
	}
	return tokens
}

// signFuzz signs req, whose body is body, as the image's owner, now.
func signFuzz(f *testing.F, req *http.Request, body string) {
	f.Helper()
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(context.Background(), ownerCreds, req,
		hex.EncodeToString(sum[:]), "workspaces", region, time.Now())
	if err != nil {
		f.Fatal(err)
	}
}
