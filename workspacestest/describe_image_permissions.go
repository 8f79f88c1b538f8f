package workspacestest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strings"
)

const (
	opDescribeWorkspaceImagePermissions = "DescribeWorkspaceImagePermissions"

	// defaultMaxResults is the page size when MaxResults is absent, and
	// the largest page size allowed.
	defaultMaxResults = 25

	// maxNextTokenLen is the model's length limit on NextToken.
	maxNextTokenLen = 2048
)

// decodeInput decodes a DescribeWorkspaceImagePermissions body. An empty
// body is the empty object. Members the operation does not have are
// ignored, as the service ignores them; null members are absent.
func decodeInput(body []byte) (Input, error) {
	if trimmedEmpty(body) {
		return Input{}, nil
	}

	dec := json.NewDecoder(bytes.NewReader(body))
	var members map[string]json.RawMessage
	if err := dec.Decode(&members); err != nil || members == nil {
		return Input{}, errors.New("request body is not a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Input{}, errors.New("request body has data after the JSON object")
	}

	var in Input
	if v, ok := members["ImageId"]; ok && !isNull(v) {
		var id string
		if err := json.Unmarshal(v, &id); err != nil {
			return Input{}, fmt.Errorf("ImageId must be a string, not %s", v)
		}
		in.ImageID = &id
	}
	if v, ok := members["MaxResults"]; ok && !isNull(v) {
		var n int64
		if err := json.Unmarshal(v, &n); err != nil || n < math.MinInt32 || n > math.MaxInt32 {
			return Input{}, fmt.Errorf("MaxResults must be an integer, not %s", v)
		}
		n32 := int32(n)
		in.MaxResults = &n32
	}
	if v, ok := members["NextToken"]; ok && !isNull(v) {
		var tok string
		if err := json.Unmarshal(v, &tok); err != nil {
			return Input{}, fmt.Errorf("NextToken must be a string, not %s", v)
		}
		in.NextToken = &tok
	}
	return in, nil
}

// isNull reports whether a raw JSON value is null.
func isNull(v json.RawMessage) bool {
	return string(bytes.TrimSpace(v)) == "null"
}

// validate checks in against the operation's model constraints and
// returns the message of the service's validation error, or "".
func validate(in Input) string {
	var problems []string
	switch {
	case in.ImageID == nil:
		problems = append(problems,
			"Value null at 'imageId' failed to satisfy constraint: Member must not be null")
	case !imageIDPattern.MatchString(*in.ImageID):
		problems = append(problems, fmt.Sprintf("Value '%s' at 'imageId' failed to satisfy "+
			"constraint: Member must satisfy regular expression pattern: wsi-[0-9a-z]{9,63}$",
			*in.ImageID))
	}
	if n := in.MaxResults; n != nil && (*n < 1 || *n > defaultMaxResults) {
		bound := "greater than or equal to 1"
		if *n > defaultMaxResults {
			bound = fmt.Sprintf("less than or equal to %d", defaultMaxResults)
		}
		problems = append(problems, fmt.Sprintf("Value '%d' at 'maxResults' failed to "+
			"satisfy constraint: Member must have value %s", *n, bound))
	}
	if t := in.NextToken; t != nil && (len(*t) < 1 || len(*t) > maxNextTokenLen) {
		bound := "greater than or equal to 1"
		if len(*t) > maxNextTokenLen {
			bound = fmt.Sprintf("less than or equal to %d", maxNextTokenLen)
		}
		problems = append(problems, fmt.Sprintf("Value '%s' at 'nextToken' failed to "+
			"satisfy constraint: Member must have length %s", *t, bound))
	}

	switch len(problems) {
	case 0:
		return ""
	case 1:
		return "1 validation error detected: " + problems[0]
	default:
		return fmt.Sprintf("%d validation errors detected: %s",
			len(problems), strings.Join(problems, "; "))
	}
}

// describeWorkspaceImagePermissions answers the operation for a caller in
// the given account: validation first, then the image lookup, then the
// caller's right to the image, then the pagination token.
func (s *Service) describeWorkspaceImagePermissions(caller string, in Input) response {
	if msg := validate(in); msg != "" {
		return apiError(http.StatusBadRequest, codeInvalidParameter, msg)
	}
	imageID := *in.ImageID
	limit := defaultMaxResults
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
	}

	s.mu.Lock()
	img, ok := s.images[imageID]
	var shared []string
	var incarnation uint64
	var owner string
	if ok {
		shared, incarnation, owner = img.sortedShares(), img.incarnation, img.owner
	}
	s.mu.Unlock()

	if !ok {
		return resourceNotFound(imageID)
	}
	if owner != caller {
		return apiError(http.StatusBadRequest, codeAccessDenied, fmt.Sprintf(
			"Account %s is not authorized to describe the permissions of image %s.",
			caller, imageID))
	}

	start := 0
	if in.NextToken != nil {
		pos, err := s.tokens.open(*in.NextToken)
		if err != nil || pos.imageID != imageID || pos.incarnation != incarnation {
			return apiError(http.StatusBadRequest, codeInvalidParameter,
				"The specified NextToken is not valid.")
		}
		start = sort.SearchStrings(shared, pos.after)
		if start < len(shared) && shared[start] == pos.after {
			start++
		}
	}
	end := min(start+limit, len(shared))

	out := describeOutput{ImageID: imageID, ImagePermissions: []imagePermission{}}
	for _, a := range shared[start:end] {
		out.ImagePermissions = append(out.ImagePermissions, imagePermission{a})
	}
	if end < len(shared) {
		out.NextToken = s.tokens.seal(tokenPosition{
			imageID:     imageID,
			incarnation: incarnation,
			after:       shared[end-1],
		})
	}
	body, _ := json.Marshal(out)
	return response{status: http.StatusOK, body: body}
}

// describeOutput is the operation's response body.
type describeOutput struct {
	ImageID          string            `json:"ImageId"`
	ImagePermissions []imagePermission `json:"ImagePermissions"`
	NextToken        string            `json:"NextToken,omitempty"`
}

// imagePermission is one entry of ImagePermissions.
type imagePermission struct {
	SharedAccountID string `json:"SharedAccountId"`
}

// resourceNotFound returns the error for an unknown image, with the
// ResourceId member the service adds.
func resourceNotFound(imageID string) response {
	body, _ := json.Marshal(struct {
		Type       string `json:"__type"`
		Message    string `json:"message"`
		ResourceID string `json:"ResourceId"`
	}{codeResourceNotFound, "The image " + imageID + " could not be found.", imageID})
	return response{status: http.StatusBadRequest, code: codeResourceNotFound, body: body}
}
