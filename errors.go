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
//	{"__type":"ResourceNotFoundException","message":"...",
//	 "ResourceId":"wsi-..."}
//
// decodeError turns such a response into the modeled error of its code, or a
// smithy.GenericAPIError for any other code, as the official client does.

// errorBody is the members of an error body this package reads.
type errorBody struct {
	typ     string // __type, matched in any case, as encoding/json does
	code    string // code, when its last value is a string
	message string // message or Message, in any case

	// The modeled errors read these members by their exact names.
	msgLower, msgUpper *string // message and Message
	resourceID         *string
	resourceIDErr      error // ResourceId is not a string
}

// decodeError returns the error that the non-2xx response resp with body
// reports.
func decodeError(resp *http.Response, body string) error {
	var eb errorBody
	if err := eb.decode(body); err != nil {
		return deserializationError(err, body)
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
		if eb.resourceIDErr != nil {
			return deserializationError(eb.resourceIDErr, body)
		}
		return &types.ResourceNotFoundException{
			Message: eb.modeledMessage(), ResourceId: eb.resourceID,
		}
	case strings.EqualFold(code, "AccessDeniedException"):
		return &types.AccessDeniedException{Message: eb.modeledMessage()}
	case strings.EqualFold(code, "InvalidParameterValuesException"):
		return &types.InvalidParameterValuesException{Message: eb.modeledMessage()}
	}
	message := eb.message
	if message == "" {
		// The official client's default, kept so that messages compare equal.
		message = "UnknownError"
	}
	// Fault stays unknown, as in the official client: the status alone does
	// not say whose fault an unmodeled error is.
	return &smithy.GenericAPIError{Code: code, Message: message}
}

// deserializationError reports a body that cannot be decoded, as the
// official client does.
func deserializationError(err error, body string) error {
	return &smithy.DeserializationError{
		Err:      fmt.Errorf("failed to decode response body, %w", err),
		Snapshot: snapshot(body),
	}
}

// modeledMessage returns the Message of a modeled error. No service sends
// both message and Message; for a body that does, the official client picks
// either, by map order, and we pick message.
func (eb *errorBody) modeledMessage() *string {
	if eb.msgLower != nil {
		return eb.msgLower
	}
	return eb.msgUpper
}

// decode reads an error body. An empty body is an error without details,
// and members past the first JSON value are ignored, as the official client
// does; anything else that is not a JSON object is an error.
func (eb *errorBody) decode(body string) error {
	d := awsjson.NewDecoder(body)
	if strings.Trim(body, " \t\r\n") == "" {
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
		// encoding/json leaves a string field as it was for null, but sets
		// an interface one, such as the official client's code, to any
		// value; and the modeled errors read their members from a map, in
		// which the last of each exact name wins.
		case strings.EqualFold(key, "__type"):
			if v, err = optString(d, key); v != nil {
				eb.typ = *v
			}
		case strings.EqualFold(key, "code"):
			eb.code = ""
			if d.Kind() != "string" {
				err = d.Skip()
				break
			}
			v, err = optString(d, key)
			eb.code = deref(v)
		case strings.EqualFold(key, "message"):
			if v, err = optString(d, key); v != nil {
				eb.message = *v
			}
			switch key {
			case "message":
				eb.msgLower = v
			case "Message":
				eb.msgUpper = v
			}
		case key == "ResourceId" && d.Kind() != "string" && d.Kind() != "null":
			// Only ResourceNotFoundException reads it, so only that fails.
			eb.resourceID = nil
			eb.resourceIDErr = &awsjson.TypeError{Member: key, Want: "string", Got: d.Kind()}
			err = d.Skip()
		case key == "ResourceId":
			eb.resourceID, err = optString(d, key)
			eb.resourceIDErr = nil
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
