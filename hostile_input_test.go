package workspaces_test

import (
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/workspacestest"
)

// otherImageID is an image whose pagination tokens the hostile-input test
// offers for testImageID.
const otherImageID = "wsi-0ther1mage"

// TestDescribeWorkspaceImagePermissions_HostileInput sends input a caller
// may pass by mistake or by malice. Input the client can judge is refused
// locally with nothing sent; the rest reaches the fake intact, as sent,
// and comes back as a clean service error. Nothing panics.
func TestDescribeWorkspaceImagePermissions_HostileInput(t *testing.T) {
	t.Parallel()
	mib := strings.Repeat("a", 1<<20)
	tests := map[string]struct {
		in func(otherToken string) *workspaces.DescribeWorkspaceImagePermissionsInput
		// local names the fields of a smithy.InvalidParamsError; empty
		// means the request is sent.
		local []string
		code  string // error code from the fake when sent
	}{
		"nil input": {
			in:    func(string) *workspaces.DescribeWorkspaceImagePermissionsInput { return nil },
			local: []string{"ImageId"},
		},
		"empty image id": {
			in:    inputOf(aws.String(""), nil, nil),
			local: []string{"ImageId"},
		},
		"empty next token": {
			in:    inputOf(aws.String(testImageID), nil, aws.String("")),
			local: []string{"NextToken"},
		},
		"zero max results": {
			in:    inputOf(aws.String(testImageID), aws.Int32(0), nil),
			local: []string{"MaxResults"},
		},
		"negative max results": {
			in:    inputOf(aws.String(testImageID), aws.Int32(math.MinInt32), nil),
			local: []string{"MaxResults"},
		},
		"everything wrong at once": {
			in:    inputOf(aws.String(""), aws.Int32(-1), aws.String("")),
			local: []string{"ImageId", "MaxResults", "NextToken"},
		},
		"huge max results": {
			in:   inputOf(aws.String(testImageID), aws.Int32(math.MaxInt32), nil),
			code: "InvalidParameterValuesException",
		},
		"1 MiB image id": {
			in:   inputOf(aws.String(mib), nil, nil),
			code: "SerializationException", // over the fake's request size limit
		},
		"64 KiB image id": {
			in:   inputOf(aws.String(mib[:64<<10]), nil, nil),
			code: "InvalidParameterValuesException",
		},
		"1 MiB next token": {
			in:   inputOf(aws.String(testImageID), nil, aws.String(mib)),
			code: "SerializationException",
		},
		"next token over the model's 2048": {
			in:   inputOf(aws.String(testImageID), nil, aws.String(mib[:2049])),
			code: "InvalidParameterValuesException",
		},
		"invalid utf-8 image id": {
			in:   inputOf(aws.String("wsi-\xff\xfeabc123\xc3"), nil, nil),
			code: "InvalidParameterValuesException",
		},
		"invalid utf-8 next token": {
			in:   inputOf(aws.String(testImageID), nil, aws.String("\xed\xa0\x80tok\xff")),
			code: "InvalidParameterValuesException",
		},
		"control characters": {
			in: inputOf(aws.String("wsi-abc\x01\x1b[2J\r\n\t\u2028def"), nil,
				aws.String("\x7f\b\f\"\\")),
			code: "InvalidParameterValuesException",
		},
		"nul": {
			in:   inputOf(aws.String("wsi-abc123def\x00"), nil, aws.String("\x00")),
			code: "InvalidParameterValuesException",
		},
		"json in the image id": {
			in:   inputOf(aws.String(`wsi-abc123def","ImageId":"wsi-other"}`), nil, nil),
			code: "InvalidParameterValuesException",
		},
		"next token of another image": {
			in: func(otherToken string) *workspaces.DescribeWorkspaceImagePermissionsInput {
				return inputOf(aws.String(testImageID), nil, aws.String(otherToken))("")
			},
			code: "InvalidParameterValuesException",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			overFake(t, func(t *testing.T, env *fakeEnv) {
				env.seedImage(t, 30)
				require.NoError(t, env.svc.PutImage(workspacestest.Image{
					ID: otherImageID, SharedAccountIDs: accounts(30),
				}))
				client := env.client()
				first, err := client.DescribeWorkspaceImagePermissions(t.Context(),
					&workspaces.DescribeWorkspaceImagePermissionsInput{
						ImageId: aws.String(otherImageID), MaxResults: aws.Int32(5),
					})
				require.NoError(t, err)
				require.NotNil(t, first.NextToken)
				env.svc.ClearRequests()
				in := tt.in(*first.NextToken)

				out, err := client.DescribeWorkspaceImagePermissions(t.Context(), in)

				assert.Nil(t, out)
				require.Error(t, err)
				var opErr *smithy.OperationError
				require.ErrorAs(t, err, &opErr)
				reqs := env.svc.Requests()
				if tt.local != nil {
					var params smithy.InvalidParamsError
					require.ErrorAs(t, err, &params)
					var fields []string
					for _, e := range params.Errs() {
						var field smithy.InvalidParamError
						require.ErrorAs(t, e, &field)
						fields = append(fields, strings.TrimPrefix(field.Field(),
							"DescribeWorkspaceImagePermissionsInput."))
					}
					assert.ElementsMatch(t, tt.local, fields)
					assert.Empty(t, reqs, "nothing is sent")
					return
				}

				var apiErr smithy.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.code, apiErr.ErrorCode())
				require.Len(t, reqs, 1, "sent once, not retried")
				if tt.code == "SerializationException" {
					return // the fake read only the first MiB
				}
				got := reqs[0].Input
				assert.Equal(t, asDecoded(in.ImageId), got.ImageID, "ImageId as sent")
				assert.Equal(t, in.MaxResults, got.MaxResults, "MaxResults as sent")
				assert.Equal(t, asDecoded(in.NextToken), got.NextToken, "NextToken as sent")
			})
		})
	}
}

// inputOf returns a function that returns the input of the given fields.
func inputOf(imageID *string, maxResults *int32, nextToken *string,
) func(string) *workspaces.DescribeWorkspaceImagePermissionsInput {
	return func(string) *workspaces.DescribeWorkspaceImagePermissionsInput {
		return &workspaces.DescribeWorkspaceImagePermissionsInput{
			ImageId: imageID, MaxResults: maxResults, NextToken: nextToken,
		}
	}
}

// asDecoded returns *s as a JSON decoder reads it back once encoded: each
// byte of invalid UTF-8 becomes U+FFFD, as encoding/json and the official
// client's encoder write it; everything else is unchanged.
func asDecoded(s *string) *string {
	if s == nil {
		return nil
	}
	return aws.String(string([]rune(*s)))
}
