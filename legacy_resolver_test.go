//lint:file-ignore SA1019 the file shows that the deprecated endpoint resolvers are not consulted

package workspaces_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
)

// TestNewFromConfig_LegacyEndpointResolverIgnored pins a known shortcoming,
// the BUG note on NewFromConfig: the deprecated resolver is not consulted.
func TestNewFromConfig_LegacyEndpointResolverIgnored(t *testing.T) {
	t.Parallel()
	stub := newStub(reply{body: pageBody})
	cfg := aws.Config{
		Region: "us-east-1", Credentials: staticCredentials(""), HTTPClient: stub,
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(
			func(string, string, ...any) (aws.Endpoint, error) {
				return aws.Endpoint{URL: "https://legacy.example"}, nil
			}),
	}

	client := workspaces.NewFromConfig(cfg)
	_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(testImageID))

	require.NoError(t, err)
	assert.Equal(t, "workspaces.us-east-1.amazonaws.com", stub.sent()[0].req.URL.Host)
}
