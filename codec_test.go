package workspaces

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/internal/awsjson"
	"github.com/leanaws/workspaces/types"
)

// codecPage returns a response page of n accounts, with a NextToken when
// next is set.
// decode decodes body into out with storage of its own, as a call does.
func (out *DescribeWorkspaceImagePermissionsOutput) decode(body string) error {
	return out.decodeInto(body, new(pageState))
}

func codecPage(n int, next bool) string {
	var b strings.Builder
	b.WriteString(`{"ImageId":"wsi-abc123def","ImagePermissions":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"SharedAccountId":"%012d"}`, 100000000000+i)
	}
	b.WriteByte(']')
	if next {
		b.WriteString(`,"NextToken":"AAEAAXY0dG9rZW4tZm9yLXRoZS1uZXh0LXBhZ2U="`)
	}
	b.WriteByte('}')
	return b.String()
}

func codecPtr(s string) *string { return &s }

// codecSuffix is the URL some services append to an error code.
const codecSuffix = ":http://internal.amazon.com/coral/com.amazonaws.workspaces/"

// jsonMember is one member of a JSON object read by orderedJSON.
type jsonMember struct {
	key string
	val any
}

// jsonObject is a JSON object with its members in order, duplicates kept.
type jsonObject []jsonMember

// orderedJSON reads data as one JSON document with encoding/json, keeping
// every member of every object in order; numbers are json.Number.
func orderedJSON(data []byte) (any, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return orderedValue(dec)
}

func orderedValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := jsonObject{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, jsonMember{key: key.(string), val: v})
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := orderedValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}

// repeatedLater reports whether o has a member named as o[i] after it.
func repeatedLater(o jsonObject, i int) bool {
	for _, m := range o[i+1:] {
		if m.key == o[i].key {
			return true
		}
	}
	return false
}

// officialOutput is the page the official client reads from data: the
// value decoded by encoding/json into any, then matched member by member.
func officialOutput(data []byte) (*DescribeWorkspaceImagePermissionsOutput, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := json.Unmarshal(data, new(any)); err != nil {
		return nil, err // the syntax of json.Unmarshal: one value, nothing after
	}
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	out := &DescribeWorkspaceImagePermissionsOutput{}
	if v == nil {
		return out, nil
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("response is %T", v)
	}
	var err error
	if out.ImageId, err = officialString(top["ImageId"]); err != nil {
		return nil, err
	}
	if out.NextToken, err = officialString(top["NextToken"]); err != nil {
		return nil, err
	}
	switch perms := top["ImagePermissions"].(type) {
	case nil:
	case []any:
		out.ImagePermissions = []types.ImagePermission{}
		for _, e := range perms {
			var perm types.ImagePermission
			switch e := e.(type) {
			case nil:
			case map[string]any:
				if perm.SharedAccountId, err = officialString(e["SharedAccountId"]); err != nil {
					return nil, err
				}
			default:
				return nil, fmt.Errorf("ImagePermissions element is %T", e)
			}
			out.ImagePermissions = append(out.ImagePermissions, perm)
		}
	default:
		return nil, fmt.Errorf("ImagePermissions is %T", perms)
	}
	return out, nil
}

func officialString(v any) (*string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return &v, nil
	}
	return nil, fmt.Errorf("member is %T, not string", v)
}

// strictOutput reads data as officialOutput does, but checks every
// occurrence of a member, not only the last.
//
// Known intended difference from the official client: a member the shape
// knows (ImageId, NextToken, ImagePermissions, SharedAccountId) with a value
// of the wrong type fails the decode even when a later member of the same
// name replaces it; the official client decodes into a map and never sees
// the earlier value. Accepting it would cost the decoder a deferred error
// per member for bodies no service sends. shadowed reports that the failure
// is of this kind; FuzzDecodeOutput holds the two references equal
// otherwise.
func strictOutput(data []byte) (
	out *DescribeWorkspaceImagePermissionsOutput, shadowed bool, err error,
) {
	v, err := orderedJSON(data)
	if err != nil {
		return nil, false, err
	}
	out = &DescribeWorkspaceImagePermissionsOutput{}
	if v == nil {
		return out, false, nil
	}
	top, ok := v.(jsonObject)
	if !ok {
		return nil, false, fmt.Errorf("response is %T", v)
	}
	for i, m := range top {
		switch m.key {
		case "ImageId":
			out.ImageId, err = officialString(m.val)
		case "NextToken":
			out.NextToken, err = officialString(m.val)
		case "ImagePermissions":
			out.ImagePermissions, shadowed, err = strictPermissions(m.val)
		}
		if err != nil {
			return nil, shadowed || repeatedLater(top, i), err
		}
	}
	return out, false, nil
}

func strictPermissions(v any) (perms []types.ImagePermission, shadowed bool, err error) {
	switch v := v.(type) {
	case nil:
		return nil, false, nil
	case []any:
		perms = []types.ImagePermission{}
		for _, e := range v {
			var perm types.ImagePermission
			switch e := e.(type) {
			case nil:
			case jsonObject:
				for i, m := range e {
					if m.key != "SharedAccountId" {
						continue
					}
					if perm.SharedAccountId, err = officialString(m.val); err != nil {
						return nil, repeatedLater(e, i), err
					}
				}
			default:
				return nil, false, fmt.Errorf("ImagePermissions element is %T", e)
			}
			perms = append(perms, perm)
		}
		return perms, false, nil
	}
	return nil, false, fmt.Errorf("ImagePermissions is %T", v)
}

func FuzzDecodeOutput(f *testing.F) {
	for _, s := range []string{
		codecPage(0, false),
		codecPage(1, true),
		codecPage(25, true),
		`{}`, `null`, ` {"ImageId":null,"NextToken":null,"ImagePermissions":null} `,
		`{"ImagePermissions":[null,{},{"SharedAccountId":null},{"SharedAccountId":"1"}]}`,
		`{"ImageId":"wsi-\u0061\"\\\/\b\f\n\r\t\ud83d\ude00\ud800","NextToken":"t\u2028é"}`,
		`{"Image\u0049d":"escaped key","imageid":"wrong case","ImageId ":"space"}`,
		`{"Unknown":{"a":[1,-2.5e3,true,false,null,{"b":{}}]},"ImageId":"x","More":[[[]]]}`,
		`{"ImagePermissions":[{"Other":[{"SharedAccountId":5}],"SharedAccountId":"1"}]}`,
		`{"ImageId":"a","ImageId":"b","ImageId":null}`,
		`{"ImagePermissions":[{"SharedAccountId":"1","SharedAccountId":null}],` +
			`"ImagePermissions":[{"SharedAccountId":"2"},{"SharedAccountId":"3"}]}`,
		`{"ImagePermissions":[{"SharedAccountId":"1","SharedAccountId":"2"},{}]}`,
		`{"ImageId":1,"ImageId":"shadowed"}`,
		`{"ImagePermissions":[{"SharedAccountId":1,"SharedAccountId":"2"}]}`,
		`{"ImageId":1}`, `{"ImagePermissions":{}}`, `{"ImagePermissions":[1]}`,
		`{"ImagePermissions":[{"SharedAccountId":[]}]}`, `[]`, `"s"`, `0`, `true`,
		``, ` `, `{} x`, "{}\x00", `null x`, `nul`, `{"ImageId":"x"`, "\xef\xbb\xbf{}",
		"{\"ImageId\":\"\xff\xfe\"}", "{\"ImageId\":\"a\nb\"}",
		// Deep, but short of the depth limit, which the Decode table test
		// holds: a 20 KB seed stalls the fuzzer while it minimizes.
		`{"X":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`,
		`{"ImagePermissions":[` + strings.Repeat(`{"a":`, 64) + "0" +
			strings.Repeat("}", 64) + `]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got DescribeWorkspaceImagePermissionsOutput
		err := got.decode(string(data))

		want, shadowed, wantErr := strictOutput(data)
		if wantErr != nil {
			assert.Error(t, err, "reference: %v", wantErr)
		} else if assert.NoError(t, err) {
			assert.Equal(t, want, &got)
		}

		official, officialErr := officialOutput(data)
		if shadowed {
			return // the one known difference, described at strictOutput
		}
		if officialErr != nil || wantErr != nil {
			assert.Equal(t, officialErr != nil, wantErr != nil,
				"references disagree: official %v, strict %v", officialErr, wantErr)
			return
		}
		assert.Equal(t, official, want, "references disagree")
	})
}

func TestDescribeWorkspaceImagePermissionsOutput_Decode(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body    string
		want    *DescribeWorkspaceImagePermissionsOutput
		wantErr bool
	}{
		"page": {
			body: `{"ImageId":"wsi-1","ImagePermissions":[{"SharedAccountId":"111122223333"},` +
				`null,{"SharedAccountId":null,"Extra":{}},{"SharedAccountId":"444455556666"}],` +
				`"NextToken":"t"}`,
			want: &DescribeWorkspaceImagePermissionsOutput{
				ImageId:   codecPtr("wsi-1"),
				NextToken: codecPtr("t"),
				ImagePermissions: []types.ImagePermission{
					{SharedAccountId: codecPtr("111122223333")}, {}, {},
					{SharedAccountId: codecPtr("444455556666")},
				},
			},
		},
		"empty list is not nil": {
			body: `{"ImagePermissions":[]}`,
			want: &DescribeWorkspaceImagePermissionsOutput{
				ImagePermissions: []types.ImagePermission{},
			},
		},
		"nulls leave nil": {
			body: `{"ImageId":null,"NextToken":null,"ImagePermissions":null}`,
			want: &DescribeWorkspaceImagePermissionsOutput{},
		},
		"null body": {body: `null`, want: &DescribeWorkspaceImagePermissionsOutput{}},
		"escaped values": {
			body: `{"NextToken":"a\"b\\c\u00e9\ud83d\ude00"}`,
			want: &DescribeWorkspaceImagePermissionsOutput{NextToken: codecPtr("a\"b\\cé😀")},
		},
		"last duplicate wins": {
			body: `{"ImagePermissions":[{"SharedAccountId":"1","SharedAccountId":null},` +
				`{"SharedAccountId":"2","SharedAccountId":"3"}],"ImageId":"a","ImageId":"b"}`,
			want: &DescribeWorkspaceImagePermissionsOutput{
				ImageId:          codecPtr("b"),
				ImagePermissions: []types.ImagePermission{{}, {SharedAccountId: codecPtr("3")}},
			},
		},
		"names match exactly": {
			body: `{"imageId":"a","IMAGEID":"b","Image\u0049d":"c"}`,
			want: &DescribeWorkspaceImagePermissionsOutput{ImageId: codecPtr("c")},
		},
		"wrong type":         {body: `{"NextToken":25}`, wantErr: true},
		"wrong element":      {body: `{"ImagePermissions":["111122223333"]}`, wantErr: true},
		"wrong account type": {body: `{"ImagePermissions":[{"SharedAccountId":1}]}`, wantErr: true},
		"array body":         {body: `[]`, wantErr: true},
		"empty body":         {body: ``, wantErr: true},
		"trailing data":      {body: `{} {}`, wantErr: true},
		"trailing after nul": {body: `null x`, wantErr: true},
		"nesting at the depth limit": {
			body: `{"X":` + strings.Repeat("[", awsjson.MaxDepth-1) +
				strings.Repeat("]", awsjson.MaxDepth-1) + `,"ImageId":"x"}`,
			want: &DescribeWorkspaceImagePermissionsOutput{ImageId: codecPtr("x")},
		},
		"nesting past the depth limit": {
			body: `{"X":` + strings.Repeat("[", awsjson.MaxDepth) +
				strings.Repeat("]", awsjson.MaxDepth) + `}`,
			wantErr: true,
		},
		"a million open objects": {
			body:    `{"ImagePermissions":[` + strings.Repeat(`{"a":`, 1_000_000),
			wantErr: true,
		},
		"shadowed wrong type": {
			// The known difference described at strictOutput.
			body:    `{"ImageId":1,"ImageId":"x"}`,
			wantErr: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got DescribeWorkspaceImagePermissionsOutput
			err := got.decode(tt.body)
			want, _, wantErr := strictOutput([]byte(tt.body))
			if tt.wantErr {
				assert.Error(t, err)
				assert.Error(t, wantErr, "reference accepts it")
				return
			}
			require.NoError(t, wantErr, "reference rejects it")
			assert.Equal(t, want, tt.want, "reference reads it otherwise")
			require.NoError(t, err)
			assert.Equal(t, tt.want, &got)
		})
	}
}

func TestDescribeWorkspaceImagePermissionsOutput_DecodeTruncated(t *testing.T) {
	t.Parallel()
	body := `{"ImageId":"wsi-é\n","ImagePermissions":[{"SharedAccountId":"111122223333",` +
		`"x":[1.5e-3,true,false,null]},null,{}],"NextToken":"\ud83d\ude00"}`
	var out DescribeWorkspaceImagePermissionsOutput
	require.NoError(t, out.decode(body))
	for i := range len(body) {
		var out DescribeWorkspaceImagePermissionsOutput
		assert.Error(t, out.decode(body[:i]), "prefix %q", body[:i])
	}
}

func TestDescribeWorkspaceImagePermissionsInput_AppendJSON(t *testing.T) {
	t.Parallel()
	n := int32(25)
	tests := map[string]struct {
		in   DescribeWorkspaceImagePermissionsInput
		want string
	}{
		"empty": {want: `{}`},
		"image id": {
			in:   DescribeWorkspaceImagePermissionsInput{ImageId: codecPtr("wsi-1")},
			want: `{"ImageId":"wsi-1"}`,
		},
		"all": {
			in: DescribeWorkspaceImagePermissionsInput{
				ImageId: codecPtr("wsi-1"), MaxResults: &n, NextToken: codecPtr("t+/="),
			},
			want: `{"ImageId":"wsi-1","MaxResults":25,"NextToken":"t+/="}`,
		},
		"token only": {
			in: DescribeWorkspaceImagePermissionsInput{
				NextToken: codecPtr("a\"\\\n\x01<\u2028\xff"),
			},
			want: `{"NextToken":"a\"\\\n\u0001<\u2028\ufffd"}`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tt.in.appendJSON([]byte("prefix"))
			require.True(t, bytes.HasPrefix(got, []byte("prefix")))
			got = got[len("prefix"):]
			assert.Equal(t, tt.want, string(got))

			// encoding/json, HTML escaping off, writes the same bytes.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(struct {
				ImageId    *string `json:",omitempty"`
				MaxResults *int32  `json:",omitempty"`
				NextToken  *string `json:",omitempty"`
			}{tt.in.ImageId, tt.in.MaxResults, tt.in.NextToken}))
			assert.Equal(t, strings.TrimSuffix(buf.String(), "\n"), string(got))
		})
	}
}

// officialError is what the official client makes of an error response.
type officialError struct {
	deserialization bool

	// typed names the modeled error, or is "" for a GenericAPIError.
	typed string
	// code and message are the GenericAPIError's.
	code, message string
	// messages are the Message values the typed error may carry. The
	// official client ranges over a map for "message" and "Message", so
	// when a body has both, either may win.
	messages   []*string
	resourceID *string
}

// referenceError follows the official client's error deserializer with
// encoding/json: the body's first value decoded into a struct whose fields
// match __type, Message and Code in any case; the code from the header,
// __type or a string code, in that order, sanitized and matched in any
// case; a modeled error's own members decoded into a map and matched
// exactly.
func referenceError(header string, body []byte) officialError {
	var info struct {
		Type    string `json:"__type"`
		Message string
		Code    any
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&info); err != nil && err != io.EOF {
		return officialError{deserialization: true}
	}

	ref := officialError{code: "UnknownError", message: "UnknownError"}
	code, _ := info.Code.(string)
	switch {
	case header != "":
		ref.code = restjson.SanitizeErrorCode(header)
	case info.Type != "":
		ref.code = restjson.SanitizeErrorCode(info.Type)
	case code != "":
		ref.code = restjson.SanitizeErrorCode(code)
	}
	if info.Message != "" {
		ref.message = info.Message
	}
	for _, name := range []string{
		"ResourceNotFoundException", "AccessDeniedException", "InvalidParameterValuesException",
	} {
		if strings.EqualFold(ref.code, name) {
			ref.typed = name
		}
	}
	if ref.typed == "" {
		return ref
	}

	var shape any
	dec = json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&shape); err != nil && err != io.EOF {
		return officialError{deserialization: true}
	}
	members, _ := shape.(map[string]any)
	for _, key := range []string{"message", "Message"} {
		switch v := members[key].(type) {
		case nil:
		case string:
			ref.messages = append(ref.messages, &v)
		default:
			return officialError{deserialization: true}
		}
	}
	if ref.messages == nil {
		ref.messages = []*string{nil}
	}
	if ref.typed == "ResourceNotFoundException" {
		switch v := members["ResourceId"].(type) {
		case nil:
		case string:
			ref.resourceID = &v
		default:
			return officialError{deserialization: true}
		}
	}
	return ref
}

// checkError asserts that err, returned by decodeError for a response of
// status with body, is the one ref describes.
func checkError(t *testing.T, ref officialError, status int, body string, err error) {
	t.Helper()
	require.Error(t, err)

	var deser *smithy.DeserializationError
	if ref.deserialization {
		require.ErrorAs(t, err, &deser, "reference fails to decode the body")
		assert.Error(t, deser.Err)
		assert.Equal(t, snapshot(body), deser.Snapshot)
		return
	}
	require.False(t, errors.As(err, &deser), "reference decodes the body: %v", err)

	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	var message, resourceID, override *string
	var rnf *types.ResourceNotFoundException
	var ade *types.AccessDeniedException
	var ipv *types.InvalidParameterValuesException
	switch ref.typed {
	case "ResourceNotFoundException":
		require.ErrorAs(t, err, &rnf)
		message, resourceID, override = rnf.Message, rnf.ResourceId, rnf.ErrorCodeOverride
	case "AccessDeniedException":
		require.ErrorAs(t, err, &ade)
		message, override = ade.Message, ade.ErrorCodeOverride
	case "InvalidParameterValuesException":
		require.ErrorAs(t, err, &ipv)
		message, override = ipv.Message, ipv.ErrorCodeOverride
	default:
		var generic *smithy.GenericAPIError
		require.ErrorAs(t, err, &generic)
		// The code is the sanitized name, "UnknownError" when there is
		// none; like the official client's, it is empty only when
		// sanitizing leaves nothing, as of a header "x:y" or "a#".
		assert.Equal(t, ref.code, generic.Code)
		assert.Equal(t, ref.message, generic.Message)
		// As the official client, the fault of an unmodeled error is
		// left unknown, whatever the status.
		assert.Equal(t, smithy.FaultUnknown, generic.Fault)
		return
	}
	assert.Equal(t, ref.typed, apiErr.ErrorCode())
	assert.Contains(t, ref.messages, message)
	assert.Equal(t, ref.resourceID, resourceID)
	assert.Nil(t, override)
}

func FuzzDecodeError(f *testing.F) {
	for _, seed := range []struct {
		status int
		header string
		body   string
	}{
		{400, "ResourceNotFoundException", `{"message":"no such image","ResourceId":"wsi-1"}`},
		{400, "", `{"__type":"AccessDeniedException","Message":"denied"}`},
		{400, "", `{"code":"InvalidParameterValuesException","message":"bad"}`},
		{400, "AccessDeniedException", `{"__type":"ResourceNotFoundException"}`},
		{400, "", `{"__type":"aws.workspaces#ResourceNotFoundException","message":"m"}`},
		{400, "ResourceNotFoundException" + codecSuffix, ``},
		{400, "", `{"__type":"aws.workspaces#AccessDeniedException` + codecSuffix + `"}`},
		{400, "resourcenotfoundexception", `{"MESSAGE":"upper","message":null}`},
		{400, "", `{"__TYPE":"ThrottlingException","mEsSaGe":"slow down"}`},
		{500, "", `{"__type":"InternalFailure"}`},
		{503, "", `<html><body>Service Unavailable</body></html>`},
		{400, "", `null`}, {400, "", `[]`}, {400, "", ``}, {400, "", " \n"}, {400, "", "\f"},
		{400, "", `{"__type":"X"} trailing`}, {400, "", `{"__type":5}`},
		{400, "", `{"__type":"X","__type":null,"message":"m","message":null}`},
		{400, "", `{"code":"X","code":null}`}, {400, "", `{"code":"X","Code":7}`},
		{400, "", `{"code":{"a":[1]},"CODE":"Y"}`},
		{400, "AccessDeniedException", `{"ResourceId":1}`},
		{400, "ResourceNotFoundException", `{"ResourceId":1,"ResourceId":"wsi-2"}`},
		{400, "ResourceNotFoundException", `{"ResourceId":[]}`},
		{400, "InvalidParameterValuesException", `{"message":"a","Message":"b"}`},
		{400, "InvalidParameterValuesException", `{"message":"a","Message":"b","Message":null}`},
		{400, "InvalidParameterValuesException", `{"message":5}`},
		{400, ":", `{}`}, {400, "#", `{}`}, {400, "a#b#c:d:e", `{}`},
		{400, "", `{"__type":"` + strings.Repeat("x", 200) + `"`},
		{400, "", `{"a":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`},
	} {
		f.Add(seed.status, seed.header, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, status int, header string, body []byte) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}}
		if header != "" {
			resp.Header.Set("X-Amzn-Errortype", header)
		}
		err := decodeError(resp, string(body))
		checkError(t, referenceError(resp.Header.Get("X-Amzn-Errortype"), body), status,
			string(body), err)
	})
}

func TestDecodeError_Codes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status  int
		header  string
		body    string
		want    error // nil for a *smithy.DeserializationError
		code    string
		message string
	}{
		"header only": {
			header: "ResourceNotFoundException",
			body:   `{"message":"no image","ResourceId":"wsi-1"}`,
			want: &types.ResourceNotFoundException{
				Message: codecPtr("no image"), ResourceId: codecPtr("wsi-1"),
			},
			code: "ResourceNotFoundException", message: "no image",
		},
		"body __type only": {
			body:    `{"__type":"AccessDeniedException","Message":"denied"}`,
			want:    &types.AccessDeniedException{Message: codecPtr("denied")},
			code:    "AccessDeniedException",
			message: "denied",
		},
		"body code only": {
			body:    `{"code":"InvalidParameterValuesException","message":"bad token"}`,
			want:    &types.InvalidParameterValuesException{Message: codecPtr("bad token")},
			code:    "InvalidParameterValuesException",
			message: "bad token",
		},
		"__type before code": {
			body:    `{"code":"AccessDeniedException","__type":"ThrottlingException"}`,
			want:    &smithy.GenericAPIError{Code: "ThrottlingException", Message: "UnknownError"},
			code:    "ThrottlingException",
			message: "UnknownError",
		},
		"header wins": {
			header:  "AccessDeniedException",
			body:    `{"__type":"ResourceNotFoundException","message":"m","ResourceId":"wsi-1"}`,
			want:    &types.AccessDeniedException{Message: codecPtr("m")},
			code:    "AccessDeniedException",
			message: "m",
		},
		"namespace prefix": {
			body:    `{"__type":"aws.workspaces#ResourceNotFoundException"}`,
			want:    &types.ResourceNotFoundException{},
			code:    "ResourceNotFoundException",
			message: "",
		},
		"colon suffix": {
			header:  "AccessDeniedException" + codecSuffix,
			want:    &types.AccessDeniedException{},
			code:    "AccessDeniedException",
			message: "",
		},
		"prefix and suffix": {
			body: `{"__type":"aws.workspaces#UnsupportedOperation` + codecSuffix +
				`","message":"no"}`,
			want:    &smithy.GenericAPIError{Code: "UnsupportedOperation", Message: "no"},
			code:    "UnsupportedOperation",
			message: "no",
		},
		"lowercase code": {
			header:  "invalidparametervaluesexception",
			body:    `{"Message":"bad"}`,
			want:    &types.InvalidParameterValuesException{Message: codecPtr("bad")},
			code:    "InvalidParameterValuesException",
			message: "bad",
		},
		"typed reads message and Message only": {
			header:  "AccessDeniedException",
			body:    `{"MESSAGE":"shouted"}`,
			want:    &types.AccessDeniedException{},
			code:    "AccessDeniedException",
			message: "",
		},
		"generic reads message in any case": {
			body:    `{"__TYPE":"ThrottlingException","MESSAGE":"slow down"}`,
			want:    &smithy.GenericAPIError{Code: "ThrottlingException", Message: "slow down"},
			code:    "ThrottlingException",
			message: "slow down",
		},
		"unmodeled 5xx keeps an unknown fault": {
			status: 503,
			body:   `{"__type":"ServiceUnavailable"}`,
			want: &smithy.GenericAPIError{
				Code: "ServiceUnavailable", Message: "UnknownError",
			},
			code:    "ServiceUnavailable",
			message: "UnknownError",
		},
		"empty body": {
			want:    &smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"},
			code:    "UnknownError",
			message: "UnknownError",
		},
		"empty body with header": {
			header:  "ResourceNotFoundException",
			want:    &types.ResourceNotFoundException{},
			code:    "ResourceNotFoundException",
			message: "",
		},
		"white space body": {
			body:    " \r\n\t",
			want:    &smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"},
			code:    "UnknownError",
			message: "UnknownError",
		},
		"html body": {
			header: "AccessDeniedException",
			body:   `<html><body>Forbidden</body></html>`,
		},
		"form feed body": {body: "\f"},
		"null body": {
			header: "AccessDeniedException",
			body:   `null`,
			want:   &types.AccessDeniedException{},
			code:   "AccessDeniedException",
		},
		"null body, no header": {
			body:    `null`,
			want:    &smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"},
			code:    "UnknownError",
			message: "UnknownError",
		},
		"array body":  {header: "AccessDeniedException", body: `[{"message":"m"}]`},
		"string body": {body: `"AccessDeniedException"`},
		"trailing data": {
			body:    `{"__type":"Boom","message":"m"} and then some`,
			want:    &smithy.GenericAPIError{Code: "Boom", Message: "m"},
			code:    "Boom",
			message: "m",
		},
		"null keeps earlier": {
			body:    `{"__type":"Boom","__type":null,"message":"m","Message":null}`,
			want:    &smithy.GenericAPIError{Code: "Boom", Message: "m"},
			code:    "Boom",
			message: "m",
		},
		"later code of another type": {
			body:    `{"code":"Boom","Code":5}`,
			want:    &smithy.GenericAPIError{Code: "UnknownError", Message: "UnknownError"},
			code:    "UnknownError",
			message: "UnknownError",
		},
		"non-string __type": {body: `{"__type":5}`},
		"non-string message": {
			header: "ThrottlingException",
			body:   `{"message":{}}`,
		},
		"resource id of another error": {
			header:  "AccessDeniedException",
			body:    `{"ResourceId":12,"message":"m"}`,
			want:    &types.AccessDeniedException{Message: codecPtr("m")},
			code:    "AccessDeniedException",
			message: "m",
		},
		"non-string resource id": {header: "ResourceNotFoundException", body: `{"ResourceId":12}`},
		"nesting at the depth limit": {
			body: `{"x":` + strings.Repeat("[", awsjson.MaxDepth-1) +
				strings.Repeat("]", awsjson.MaxDepth-1) + `,"__type":"Deep"}`,
			want:    &smithy.GenericAPIError{Code: "Deep", Message: "UnknownError"},
			code:    "Deep",
			message: "UnknownError",
		},
		"nesting past the depth limit": {
			body: `{"x":` + strings.Repeat("[", awsjson.MaxDepth) +
				strings.Repeat("]", awsjson.MaxDepth) + `,"__type":"Deep"}`,
		},
		"sanitized to nothing": {
			header:  "#",
			want:    &smithy.GenericAPIError{Code: "", Message: "UnknownError"},
			code:    "",
			message: "UnknownError",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			status := tt.status
			if status == 0 {
				status = 400
			}
			resp := &http.Response{StatusCode: status, Header: http.Header{}}
			if tt.header != "" {
				resp.Header.Set("X-Amzn-Errortype", tt.header)
			}
			err := decodeError(resp, tt.body)
			checkError(t, referenceError(tt.header, []byte(tt.body)), status, tt.body, err)
			if tt.want == nil {
				var deser *smithy.DeserializationError
				assert.ErrorAs(t, err, &deser)
				return
			}
			assert.Equal(t, tt.want, err)
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.code, apiErr.ErrorCode())
			assert.Equal(t, tt.message, apiErr.ErrorMessage())
		})
	}
}

func TestDecodeError_Truncated(t *testing.T) {
	t.Parallel()
	body := `{"__type":"aws.workspaces#ResourceNotFoundException","message":"no \u00e9",` +
		`"ResourceId":"wsi-1","x":[1,{"y":null}]}`
	resp := &http.Response{StatusCode: 400, Header: http.Header{}}
	var rnf *types.ResourceNotFoundException
	require.ErrorAs(t, decodeError(resp, body), &rnf)
	for i := 1; i < len(body); i++ {
		var deser *smithy.DeserializationError
		assert.ErrorAs(t, decodeError(resp, body[:i]), &deser, "prefix %q", body[:i])
	}
}
