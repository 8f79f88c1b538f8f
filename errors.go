package workspaces

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	"github.com/aws/smithy-go"

	"github.com/leanaws/workspaces/internal/awsjson"
	"github.com/leanaws/workspaces/types"
)

// An awsJson1.1 error response names its error in the X-Amzn-Errortype
// header or in the body's __type or code member, possibly with a namespace
// ("aws.workspaces#ResourceNotFoundException") or a URL suffix
// ("ResourceNotFoundException:http://internal.amazon.com/..."), and carries
// its text in message or Message:
//
//	HTTP/1.1 400 Bad Request
//	X-Amzn-Errortype: ResourceNotFoundException
//	{"__type":"ResourceNotFoundException","message":"...","ResourceId":"wsi-..."}
//
// decodeError turns such a response into the modeled error of its code, or a
// smithy.GenericAPIError for any other code, as the official client does.

// errorBody is the members of an error body this package reads.
type errorBody struct {
	typ        string // __type, matched in any case, as encoding/json does
	code       string // code, when it is a string
	message    string // message or Message, in any case
	modeledMsg *string
	resourceID *string
}

// decodeError returns the error that the non-2xx response resp with body
// reports.
func decodeError(resp *http.Response, body string) error {
	var eb errorBody
	if err := eb.decode(body); err != nil {
		return &smithy.DeserializationError{
			Err:      fmt.Errorf("failed to decode response body, %w", err),
			Snapshot: snapshot(body),
		}
	}

	code := "UnknownError"
	switch {
	case resp.Header.Get("X-Amzn-Errortype") != "":
		code = restjson.SanitizeErrorCode(resp.Header.Get("X-Amzn-Errortype"))
	case eb.typ != "":
		code = restjson.SanitizeErrorCode(eb.typ)
	case eb.code != "":
		code = restjson.SanitizeErrorCode(eb.code)
	}

	switch {
	case strings.EqualFold(code, "ResourceNotFoundException"):
		return &types.ResourceNotFoundException{Message: eb.modeledMsg, ResourceId: eb.resourceID}
	case strings.EqualFold(code, "AccessDeniedException"):
		return &types.AccessDeniedException{Message: eb.modeledMsg}
	case strings.EqualFold(code, "InvalidParameterValuesException"):
		return &types.InvalidParameterValuesException{Message: eb.modeledMsg}
	}
	message := eb.message
	if message == "" {
		// The official client's default, kept so that messages compare equal.
		message = "UnknownError"
	}
	return &smithy.GenericAPIError{Code: code, Message: message, Fault: fault(resp.StatusCode)}
}

// fault attributes an unmodeled error by its status: a 5xx is the service's.
func fault(status int) smithy.ErrorFault {
	if status >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultUnknown
}

// decode reads an error body. An empty body is an error without details,
// and members past the first JSON value are ignored, as the official client
// does; anything else that is not a JSON object is an error.
func (eb *errorBody) decode(body string) error {
	d := awsjson.NewDecoder(body)
	if d.Kind() == "" && strings.TrimSpace(body) == "" {
		return nil
	}
	if null, err := d.ObjectStart("error"); null || err != nil {
		return err
	}
	for {
		key, ok, err := d.NextKey()
		if err != nil || !ok {
			return err
		}
		var v *string
		switch {
		case strings.EqualFold(key, "__type"):
			v, err = optString(d, key)
			eb.typ = deref(v)
		case strings.EqualFold(key, "code") && d.Kind() == "string":
			v, err = optString(d, key)
			eb.code = deref(v)
		case strings.EqualFold(key, "message"):
			v, err = optString(d, key)
			eb.message = deref(v)
			// The modeled member is spelled one of two ways exactly.
			if key == "message" || key == "Message" {
				eb.modeledMsg = v
			}
		case key == "ResourceId":
			eb.resourceID, err = optString(d, key)
		default:
			err = d.Skip()
		}
		if err != nil {
			return err
		}
	}
}

// optString reads a string member; null gives nil.
func optString(d *awsjson.Decoder, key string) (*string, error) {
	s, null, err := d.String(key)
	if null || err != nil {
		return nil, err
	}
	return &s, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// snapshot keeps the start of a body that could not be decoded, for the
// DeserializationError a caller may log.
func snapshot(body string) []byte {
	const max = 1024
	if len(body) > max {
		body = body[:max]
	}
	return []byte(body)
}
