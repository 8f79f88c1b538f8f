package workspaces_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces"
	"github.com/leanaws/workspaces/types"
	"github.com/leanaws/workspaces/workspacestest"
)

// knownRegions are the regions the endpoint table of internal/endpoints
// lists, which that package's tests count (55). The table is unexported,
// so the list is repeated here.
var knownRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
	"ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
	"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "aws-global", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
	"eu-west-3", "il-central-1", "me-central-1", "me-south-1", "me-west-1",
	"mx-central-1", "sa-east-1", "sa-west-1", "us-east-1", "us-east-2", "us-west-1",
	"us-west-2",
	"aws-cn-global", "cn-north-1", "cn-northwest-1",
	"eusc-de-east-1",
	"aws-iso-global", "us-iso-east-1", "us-iso-west-1",
	"aws-iso-b-global", "us-isob-east-1", "us-isob-west-1",
	"aws-iso-e-global", "eu-isoe-west-1",
	"aws-iso-f-global", "us-isof-east-1", "us-isof-south-1",
	"aws-us-gov-global", "us-gov-east-1", "us-gov-west-1",
}

func TestDescribeWorkspaceImagePermissions_EndpointsAreHTTPS(t *testing.T) {
	t.Parallel()
	require.Len(t, knownRegions, 55)
	variants := map[string]workspaces.EndpointResolverOptions{
		"plain": {},
		"fips":  {UseFIPSEndpoint: aws.FIPSEndpointStateEnabled},
		"dual-stack": {
			UseDualStackEndpoint: aws.DualStackEndpointStateEnabled},
		"fips dual-stack": {UseFIPSEndpoint: aws.FIPSEndpointStateEnabled,
			UseDualStackEndpoint: aws.DualStackEndpointStateEnabled},
	}
	regions := append([]string{"xx-unknown-1", "fips-us-east-1", "us-west-2-fips"},
		knownRegions...)
	for _, region := range regions {
		for name, variant := range variants {
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, func(o *workspaces.Options) {
				o.Region = region
				o.EndpointOptions = variant
			})

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(),
				imageInput(testImageID))

			require.NoError(t, err, "%s %s", region, name)
			sent := stub.sent()
			require.Len(t, sent, 1)
			assert.Equal(t, "https", sent[0].req.URL.Scheme, "%s %s", region, name)
		}
	}
}

func TestDescribeWorkspaceImagePermissions_PlainHTTPOnlyThroughBaseEndpoint(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		opts   func(*workspaces.Options)
		scheme string
	}{
		"region alone": {
			opts:   func(*workspaces.Options) {},
			scheme: "https",
		},
		"http base endpoint": {
			opts: func(o *workspaces.Options) {
				o.BaseEndpoint = aws.String("http://127.0.0.1:4566")
			},
			scheme: "http",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := newStub(reply{body: pageBody})
			client := newTestClient(t, stub, tt.opts)

			_, err := client.DescribeWorkspaceImagePermissions(t.Context(),
				imageInput(testImageID))

			require.NoError(t, err)
			assert.Equal(t, tt.scheme, stub.sent()[0].req.URL.Scheme)
		})
	}
}

// TestNew_DefaultHTTPClientReusesConnections makes 50 sequential calls over
// loopback with the default HTTP client, half of them answered with an
// error, and counts the connections the server sees.
func TestNew_DefaultHTTPClientReusesConnections(t *testing.T) {
	t.Parallel()
	svc := workspacestest.NewService()
	require.NoError(t, svc.PutImage(workspacestest.Image{ID: testImageID,
		SharedAccountIDs: accounts(3)}))
	srv := httptest.NewUnstartedServer(svc)
	var conns atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	client := workspaces.New(workspaces.Options{
		Region:       "us-east-1",
		Credentials:  staticCredentials(""),
		BaseEndpoint: aws.String(srv.URL),
	})

	for i := range 50 {
		id := testImageID
		if i%2 == 1 {
			id = "wsi-n0suchimage"
		}
		_, err := client.DescribeWorkspaceImagePermissions(t.Context(), imageInput(id))
		if i%2 == 1 {
			var notFound *types.ResourceNotFoundException
			require.ErrorAs(t, err, &notFound)
			continue
		}
		require.NoError(t, err)
	}

	assert.Len(t, svc.Requests(), 50)
	assert.Equal(t, int64(1), conns.Load(), "one connection for every call")
}
