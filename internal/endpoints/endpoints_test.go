package endpoints

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resolveCase is one row of a Resolve table: the params, and either the URL
// or the complete error text expected.
type resolveCase struct {
	params  Params
	wantURL string
	wantErr string
}

func runResolveCases(t *testing.T, tests map[string]resolveCase) {
	t.Helper()
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			got, err := Resolve(tt.params)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tt.wantURL, got.String())
		})
	}
}

const (
	ruleErr   = "failed to resolve service endpoint, endpoint rule error, "
	regionErr = "failed to bind endpoint params, invalid input region "
)

// TestResolve_RuleSetCases carries over every endpoint test case of the
// official client (TestEndpointCase0 to 35 of service/workspaces v1.68.3).
func TestResolve_RuleSetCases(t *testing.T) {
	t.Parallel()

	tests := map[string]resolveCase{
		"case 0 ap-northeast-1": {
			params:  Params{Region: "ap-northeast-1"},
			wantURL: "https://workspaces.ap-northeast-1.amazonaws.com",
		},
		"case 1 ap-northeast-2": {
			params:  Params{Region: "ap-northeast-2"},
			wantURL: "https://workspaces.ap-northeast-2.amazonaws.com",
		},
		"case 2 ap-south-1": {
			params:  Params{Region: "ap-south-1"},
			wantURL: "https://workspaces.ap-south-1.amazonaws.com",
		},
		"case 3 ap-southeast-1": {
			params:  Params{Region: "ap-southeast-1"},
			wantURL: "https://workspaces.ap-southeast-1.amazonaws.com",
		},
		"case 4 ap-southeast-2": {
			params:  Params{Region: "ap-southeast-2"},
			wantURL: "https://workspaces.ap-southeast-2.amazonaws.com",
		},
		"case 5 ca-central-1": {
			params:  Params{Region: "ca-central-1"},
			wantURL: "https://workspaces.ca-central-1.amazonaws.com",
		},
		"case 6 eu-central-1": {
			params:  Params{Region: "eu-central-1"},
			wantURL: "https://workspaces.eu-central-1.amazonaws.com",
		},
		"case 7 eu-west-1": {
			params:  Params{Region: "eu-west-1"},
			wantURL: "https://workspaces.eu-west-1.amazonaws.com",
		},
		"case 8 eu-west-2": {
			params:  Params{Region: "eu-west-2"},
			wantURL: "https://workspaces.eu-west-2.amazonaws.com",
		},
		"case 9 sa-east-1": {
			params:  Params{Region: "sa-east-1"},
			wantURL: "https://workspaces.sa-east-1.amazonaws.com",
		},
		"case 10 us-east-1": {
			params:  Params{Region: "us-east-1"},
			wantURL: "https://workspaces.us-east-1.amazonaws.com",
		},
		"case 11 us-east-1 fips": {
			params:  Params{Region: "us-east-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-east-1.amazonaws.com",
		},
		"case 12 us-west-2": {
			params:  Params{Region: "us-west-2"},
			wantURL: "https://workspaces.us-west-2.amazonaws.com",
		},
		"case 13 us-west-2 fips": {
			params:  Params{Region: "us-west-2", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-west-2.amazonaws.com",
		},
		"case 14 us-east-1 fips and dualstack": {
			params:  Params{Region: "us-east-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.us-east-1.api.aws",
		},
		"case 15 us-east-1 dualstack": {
			params:  Params{Region: "us-east-1", UseDualStack: true},
			wantURL: "https://workspaces.us-east-1.api.aws",
		},
		"case 16 cn-northwest-1": {
			params:  Params{Region: "cn-northwest-1"},
			wantURL: "https://workspaces.cn-northwest-1.amazonaws.com.cn",
		},
		"case 17 cn-north-1 fips and dualstack": {
			params:  Params{Region: "cn-north-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.cn-north-1.api.amazonwebservices.com.cn",
		},
		"case 18 cn-north-1 fips": {
			params:  Params{Region: "cn-north-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.cn-north-1.amazonaws.com.cn",
		},
		"case 19 cn-north-1 dualstack": {
			params:  Params{Region: "cn-north-1", UseDualStack: true},
			wantURL: "https://workspaces.cn-north-1.api.amazonwebservices.com.cn",
		},
		"case 20 cn-north-1": {
			params:  Params{Region: "cn-north-1"},
			wantURL: "https://workspaces.cn-north-1.amazonaws.com.cn",
		},
		"case 21 us-gov-west-1": {
			params:  Params{Region: "us-gov-west-1"},
			wantURL: "https://workspaces.us-gov-west-1.amazonaws.com",
		},
		"case 22 us-gov-west-1 fips": {
			params:  Params{Region: "us-gov-west-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-gov-west-1.amazonaws.com",
		},
		"case 23 us-gov-east-1 fips and dualstack": {
			params:  Params{Region: "us-gov-east-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.us-gov-east-1.api.aws",
		},
		"case 24 us-gov-east-1 fips": {
			params:  Params{Region: "us-gov-east-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-gov-east-1.amazonaws.com",
		},
		"case 25 us-gov-east-1 dualstack": {
			params:  Params{Region: "us-gov-east-1", UseDualStack: true},
			wantURL: "https://workspaces.us-gov-east-1.api.aws",
		},
		"case 26 us-gov-east-1": {
			params:  Params{Region: "us-gov-east-1"},
			wantURL: "https://workspaces.us-gov-east-1.amazonaws.com",
		},
		"case 27 us-iso-east-1": {
			params:  Params{Region: "us-iso-east-1"},
			wantURL: "https://workspaces.us-iso-east-1.c2s.ic.gov",
		},
		"case 28 us-iso-east-1 fips": {
			params:  Params{Region: "us-iso-east-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-iso-east-1.c2s.ic.gov",
		},
		"case 29 us-isob-east-1": {
			params:  Params{Region: "us-isob-east-1"},
			wantURL: "https://workspaces.us-isob-east-1.sc2s.sgov.gov",
		},
		"case 30 us-isob-east-1 fips": {
			params:  Params{Region: "us-isob-east-1", UseFIPS: true},
			wantURL: "https://workspaces-fips.us-isob-east-1.sc2s.sgov.gov",
		},
		"case 31 custom endpoint with region": {
			params:  Params{Region: "us-east-1", Endpoint: "https://example.com"},
			wantURL: "https://example.com",
		},
		"case 32 custom endpoint without region": {
			params:  Params{Endpoint: "https://example.com"},
			wantURL: "https://example.com",
		},
		"case 33 custom endpoint with fips": {
			params:  Params{Region: "us-east-1", UseFIPS: true, Endpoint: "https://example.com"},
			wantErr: ruleErr + "Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		"case 34 custom endpoint with dualstack": {
			params: Params{
				Region: "us-east-1", UseDualStack: true, Endpoint: "https://example.com",
			},
			wantErr: ruleErr +
				"Invalid Configuration: Dualstack and custom endpoint are not supported",
		},
		"case 35 missing region": {
			params:  Params{},
			wantErr: ruleErr + "Invalid Configuration: Missing Region",
		},
	}
	runResolveCases(t, tests)
}

// TestResolve_Partitions covers the partitions and paths the official test
// cases leave out; each expectation was checked against the official client.
func TestResolve_Partitions(t *testing.T) {
	t.Parallel()

	tests := map[string]resolveCase{
		"aws unlisted region matching the regex": {
			params:  Params{Region: "ap-southeast-9"},
			wantURL: "https://workspaces.ap-southeast-9.amazonaws.com",
		},
		"aws listed global region": {
			params:  Params{Region: "aws-global"},
			wantURL: "https://workspaces.aws-global.amazonaws.com",
		},
		"aws-cn listed global region outside the regex": {
			params:  Params{Region: "aws-cn-global"},
			wantURL: "https://workspaces.aws-cn-global.amazonaws.com.cn",
		},
		"aws-cn unlisted region matching the regex": {
			params:  Params{Region: "cn-south-7", UseFIPS: true},
			wantURL: "https://workspaces-fips.cn-south-7.amazonaws.com.cn",
		},
		"aws-eusc": {
			params:  Params{Region: "eusc-de-east-1"},
			wantURL: "https://workspaces.eusc-de-east-1.amazonaws.eu",
		},
		"aws-eusc fips and dualstack": {
			params:  Params{Region: "eusc-de-east-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.eusc-de-east-1.api.amazonwebservices.eu",
		},
		"aws-iso dualstack": {
			params:  Params{Region: "us-iso-west-1", UseDualStack: true},
			wantURL: "https://workspaces.us-iso-west-1.api.aws.ic.gov",
		},
		"aws-iso-b fips and dualstack": {
			params:  Params{Region: "us-isob-west-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.us-isob-west-1.api.aws.scloud",
		},
		"aws-iso-e": {
			params:  Params{Region: "eu-isoe-west-1"},
			wantURL: "https://workspaces.eu-isoe-west-1.cloud.adc-e.uk",
		},
		"aws-iso-e dualstack": {
			params:  Params{Region: "eu-isoe-west-1", UseDualStack: true},
			wantURL: "https://workspaces.eu-isoe-west-1.api.cloud-aws.adc-e.uk",
		},
		"aws-iso-f": {
			params:  Params{Region: "us-isof-south-1"},
			wantURL: "https://workspaces.us-isof-south-1.csp.hci.ic.gov",
		},
		"aws-iso-f fips and dualstack": {
			params:  Params{Region: "us-isof-east-1", UseFIPS: true, UseDualStack: true},
			wantURL: "https://workspaces-fips.us-isof-east-1.api.aws.hci.ic.gov",
		},
		"aws-us-gov listed global region": {
			params:  Params{Region: "aws-us-gov-global", UseFIPS: true},
			wantURL: "https://workspaces-fips.aws-us-gov-global.amazonaws.com",
		},
		"unknown region falls back to aws": {
			params:  Params{Region: "mars-north-1", UseDualStack: true},
			wantURL: "https://workspaces.mars-north-1.api.aws",
		},
		"upper case region falls back to aws": {
			params:  Params{Region: "CN-NORTH-1"},
			wantURL: "https://workspaces.CN-NORTH-1.amazonaws.com",
		},
		"dotted region accepted like the official client": {
			params:  Params{Region: "us-east-1.example"},
			wantURL: "https://workspaces.us-east-1.example.amazonaws.com",
		},
		"fips prefix pseudo-region turns fips on": {
			params:  Params{Region: "fips-us-gov-west-1"},
			wantURL: "https://workspaces-fips.us-gov-west-1.amazonaws.com",
		},
		"fips suffix pseudo-region with dualstack": {
			params:  Params{Region: "us-east-1-fips", UseDualStack: true},
			wantURL: "https://workspaces-fips.us-east-1.api.aws",
		},
		"fips infix pseudo-region": {
			params:  Params{Region: "cn-fips-north-1"},
			wantURL: "https://workspaces-fips.cn-north-1.amazonaws.com.cn",
		},
	}
	runResolveCases(t, tests)
}

// TestResolve_MalformedRegion checks that a region that is not a dotted
// host name is refused with the official text, naming the value, and that
// this happens before a custom endpoint is considered, as it does there.
func TestResolve_MalformedRegion(t *testing.T) {
	t.Parallel()

	long := strings.Repeat("a", 64)
	tests := map[string]resolveCase{
		"slash":            {params: Params{Region: "us-east-1/evil"}},
		"space":            {params: Params{Region: "bad region"}},
		"dot only":         {params: Params{Region: "."}},
		"empty label":      {params: Params{Region: "us-east-1..example"}},
		"trailing dot":     {params: Params{Region: "us-east-1."}},
		"leading hyphen":   {params: Params{Region: "-us-east-1"}},
		"trailing hyphen":  {params: Params{Region: "us-east-1-"}},
		"64 char label":    {params: Params{Region: long}},
		"non-ascii":        {params: Params{Region: "us-éast-1"}},
		"newline":          {params: Params{Region: "us-east-1\n"}},
		"at sign":          {params: Params{Region: "evil.com@us-east-1"}},
		"port":             {params: Params{Region: "us-east-1:443"}},
		"underscore":       {params: Params{Region: "us_east_1"}},
		"fips and invalid": {params: Params{Region: "fips-us east-1", UseFIPS: true}},
		"with custom endpoint": {
			params: Params{Region: "us-east-1/evil", Endpoint: "https://example.com"},
		},
	}
	for name, tt := range tests {
		tt.wantErr = regionErr + tt.params.Region
		tests[name] = tt
	}
	tests["63 char label is valid"] = resolveCase{
		params:  Params{Region: long[:63]},
		wantURL: "https://workspaces." + long[:63] + ".amazonaws.com",
	}
	tests["empty region is missing"] = resolveCase{
		params:  Params{Region: "", UseFIPS: true},
		wantErr: ruleErr + "Invalid Configuration: Missing Region",
	}
	tests["empty region with custom endpoint"] = resolveCase{
		params:  Params{Endpoint: "http://127.0.0.1:4566"},
		wantURL: "http://127.0.0.1:4566",
	}
	// The official client builds hosts such as "workspaces-fips..amazonaws.com"
	// from these; we refuse them (see the package documentation).
	tests["fips pseudo-region that maps to nothing"] = resolveCase{
		params:  Params{Region: "fips--fips"},
		wantErr: `map FIPS region "fips--fips": "" is not a valid region`,
	}
	tests["fips pseudo-region that maps to an empty label"] = resolveCase{
		params:  Params{Region: "a.fips--fips"},
		wantErr: `map FIPS region "a.fips--fips": "a." is not a valid region`,
	}
	tests["fips pseudo-region that maps to a trailing hyphen"] = resolveCase{
		params:  Params{Region: "us-east-1--fips"},
		wantErr: `map FIPS region "us-east-1--fips": "us-east-1-" is not a valid region`,
	}
	tests["fips pseudo-region that maps badly with custom endpoint"] = resolveCase{
		params:  Params{Region: "fips--fips", Endpoint: "https://example.com"},
		wantErr: ruleErr + "Invalid Configuration: FIPS and custom endpoint are not supported",
	}
	runResolveCases(t, tests)
}

// TestResolve_CustomEndpoint checks that a custom endpoint comes back as
// parsed, and that one that cannot be a base URL is refused by name.
func TestResolve_CustomEndpoint(t *testing.T) {
	t.Parallel()

	tests := map[string]resolveCase{
		"http loopback with port": {
			params:  Params{Region: "us-east-1", Endpoint: "http://127.0.0.1:4566"},
			wantURL: "http://127.0.0.1:4566",
		},
		"path and trailing slash kept": {
			params:  Params{Region: "eu-west-1", Endpoint: "https://proxy.example:8443/ws/"},
			wantURL: "https://proxy.example:8443/ws/",
		},
		"ipv6 host": {
			params:  Params{Endpoint: "http://[::1]:4566"},
			wantURL: "http://[::1]:4566",
		},
		"fips pseudo-region turns fips on and is refused": {
			params:  Params{Region: "us-east-1-fips", Endpoint: "https://example.com"},
			wantErr: ruleErr + "Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		"fips checked before dualstack": {
			params: Params{
				Region: "us-east-1", UseFIPS: true, UseDualStack: true,
				Endpoint: "https://example.com",
			},
			wantErr: ruleErr + "Invalid Configuration: FIPS and custom endpoint are not supported",
		},
		"unparsable host and port without scheme": {
			params:  Params{Endpoint: "127.0.0.1:4566"},
			wantErr: "failed to resolve service endpoint, Failed to parse uri: 127.0.0.1:4566",
		},
		"unparsable missing scheme name": {
			params:  Params{Endpoint: "://example.com"},
			wantErr: "failed to resolve service endpoint, Failed to parse uri: ://example.com",
		},
		"unparsable unclosed ipv6 bracket": {
			params:  Params{Endpoint: "http://[::1"},
			wantErr: "failed to resolve service endpoint, Failed to parse uri: http://[::1",
		},
		"unparsable space in host": {
			params:  Params{Endpoint: "http://exa mple.com"},
			wantErr: "failed to resolve service endpoint, Failed to parse uri: http://exa mple.com",
		},
		"host name without scheme": {
			params:  Params{Endpoint: "example.com"},
			wantErr: `parse custom endpoint "example.com": no scheme or host`,
		},
		"host and port read as a scheme": {
			params:  Params{Endpoint: "localhost:4566"},
			wantErr: `parse custom endpoint "localhost:4566": no scheme or host`,
		},
		"scheme without host": {
			params:  Params{Endpoint: "http://"},
			wantErr: `parse custom endpoint "http://": no scheme or host`,
		},
		"path only": {
			params:  Params{Endpoint: "/ws"},
			wantErr: `parse custom endpoint "/ws": no scheme or host`,
		},
	}
	runResolveCases(t, tests)
}

// TestResolve_CustomEndpointParts checks the parts a client joins into the
// request URL, which String alone would not tell apart.
func TestResolve_CustomEndpointParts(t *testing.T) {
	t.Parallel()

	got, err := Resolve(Params{Endpoint: "https://proxy.example:8443/a%2Fb/c"})
	require.NoError(t, err)

	assert.Equal(t, "https", got.Scheme)
	assert.Equal(t, "proxy.example:8443", got.Host)
	assert.Equal(t, "/a/b/c", got.Path)
	assert.Equal(t, "/a%2Fb/c", got.RawPath)
}

// TestResolve_FreshURL checks that each call returns its own URL, so a
// caller may change the one it got.
func TestResolve_FreshURL(t *testing.T) {
	t.Parallel()

	first, err := Resolve(Params{Region: "us-east-1"})
	require.NoError(t, err)
	first.Host = "changed.example"

	second, err := Resolve(Params{Region: "us-east-1"})
	require.NoError(t, err)
	assert.Equal(t, "https://workspaces.us-east-1.amazonaws.com", second.String())
}

// TestResolve_AllocationLight pins the cost of resolving a listed region:
// the host string and the URL. AllocsPerRun refuses to run in parallel.
func TestResolve_AllocationLight(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = Resolve(Params{Region: "eu-central-1", UseFIPS: true})
	})
	assert.LessOrEqual(t, allocs, 2.0)
}

// TestRegionalURL_UnsupportedPartition checks the rule set's errors for a
// partition without FIPS or dual-stack. No partition in today's data lacks
// either, so a made-up partition stands in.
func TestRegionalURL_UnsupportedPartition(t *testing.T) {
	t.Parallel()

	neither := &partition{id: "test", dnsSuffix: "example", dualStackDNSSuffix: "ds.example"}
	noFIPS := &partition{
		id: "test", dnsSuffix: "example", dualStackDNSSuffix: "ds.example",
		supportsDualStack: true,
	}
	noDualStack := &partition{
		id: "test", dnsSuffix: "example", dualStackDNSSuffix: "ds.example",
		supportsFIPS: true,
	}
	tests := map[string]struct {
		pt        *partition
		fips      bool
		dualStack bool
		wantURL   string
		wantErr   string
	}{
		"plain in a partition with neither": {
			pt:      neither,
			wantURL: "https://workspaces.r-1.example",
		},
		"fips without fips support": {
			pt:      noFIPS,
			fips:    true,
			wantErr: ruleErr + "FIPS is enabled but this partition does not support FIPS",
		},
		"dualstack without dualstack support": {
			pt:        noDualStack,
			dualStack: true,
			wantErr: ruleErr +
				"DualStack is enabled but this partition does not support DualStack",
		},
		"fips and dualstack without fips support": {
			pt: noFIPS, fips: true, dualStack: true,
			wantErr: ruleErr +
				"FIPS and DualStack are enabled, but this partition does not support one or both",
		},
		"fips and dualstack without dualstack support": {
			pt: noDualStack, fips: true, dualStack: true,
			wantErr: ruleErr +
				"FIPS and DualStack are enabled, but this partition does not support one or both",
		},
		"fips where only fips is supported": {
			pt:      noDualStack,
			fips:    true,
			wantURL: "https://workspaces-fips.r-1.example",
		},
		"dualstack where only dualstack is supported": {
			pt:        noFIPS,
			dualStack: true,
			wantURL:   "https://workspaces.r-1.ds.example",
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			got, err := regionalURL("r-1", tt.fips, tt.dualStack, tt.pt)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantURL, got.String())
		})
	}
}

// TestPartitionOf_ListedRegions checks that every listed region resolves to
// the partition that lists it, and that the table is well formed.
func TestPartitionOf_ListedRegions(t *testing.T) {
	t.Parallel()

	seen := map[string]string{}
	for i := range partitions {
		pt := &partitions[i]
		for _, r := range pt.regions {
			assert.Same(t, pt, partitionOf(r), "region %s", r)
			assert.Empty(t, seen[r], "region %s listed twice", r)
			seen[r] = pt.id
			if !strings.HasSuffix(r, "-global") {
				assert.True(t, pt.matchRegion(r),
					"region %s outside its partition's regex", r)
			}
		}
	}
	assert.Len(t, seen, 55, "number of listed regions in the SDK data")
}

// knownSuffixes are the DNS suffixes a resolved URL may end in.
func knownSuffixes() []string {
	var s []string
	for _, pt := range partitions {
		s = append(s, "."+pt.dnsSuffix, "."+pt.dualStackDNSSuffix)
	}
	return s
}

// FuzzResolve checks that Resolve never panics, that a URL it builds from a
// region is https on a well-formed host in a known DNS suffix, and that a
// custom endpoint it accepts has a scheme and host.
func FuzzResolve(f *testing.F) {
	f.Add("us-east-1", false, false, "")
	f.Add("us-gov-west-1", true, true, "")
	f.Add("fips--fips", false, true, "")
	f.Add("a.fips-b-fips", false, false, "")
	f.Add("us-east-1/evil", false, false, "")
	f.Add("", false, false, "http://127.0.0.1:4566/x")
	f.Add("eu-west-1", false, false, "localhost:4566")
	f.Add("cn-north-1", true, false, "://")
	suffixes := knownSuffixes()

	f.Fuzz(func(t *testing.T, region string, fips, dualStack bool, endpoint string) {
		u, err := Resolve(Params{
			Region: region, UseFIPS: fips, UseDualStack: dualStack, Endpoint: endpoint,
		})
		if err != nil {
			require.Nil(t, u)
			require.NotEmpty(t, err.Error())
			return
		}
		require.NotNil(t, u)

		if endpoint != "" {
			require.NotEmpty(t, u.Scheme)
			require.NotEmpty(t, u.Host)
			return
		}
		require.Equal(t, "https", u.Scheme)
		require.Empty(t, u.Path)
		require.True(t, validHost(u.Host), "host %q", u.Host)
		require.True(t, strings.HasPrefix(u.Host, "workspaces.") ||
			strings.HasPrefix(u.Host, "workspaces-fips."), "host %q", u.Host)
		ok := false
		for _, s := range suffixes {
			ok = ok || strings.HasSuffix(u.Host, s)
		}
		require.True(t, ok, "host %q has no known DNS suffix", u.Host)

		// The URL must survive a round trip, as a client will print and
		// reparse it.
		back, err := url.Parse(u.String())
		require.NoError(t, err)
		require.Equal(t, u.Host, back.Host)
	})
}

// TestPartition_MatchRegionAsRegexp holds matchRegion to the regular
// expressions of the SDK data it replaces.
func TestPartition_MatchRegionAsRegexp(t *testing.T) {
	t.Parallel()
	exprs := map[string]string{
		"aws":        `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`,
		"aws-cn":     `^cn\-\w+\-\d+$`,
		"aws-eusc":   `^eusc\-(de)\-\w+\-\d+$`,
		"aws-iso":    `^us\-iso\-\w+\-\d+$`,
		"aws-iso-b":  `^us\-isob\-\w+\-\d+$`,
		"aws-iso-e":  `^eu\-isoe\-\w+\-\d+$`,
		"aws-iso-f":  `^us\-isof\-\w+\-\d+$`,
		"aws-us-gov": `^us\-gov\-\w+\-\d+$`,
	}
	regions := []string{"us-east-1", "us-gov-west-1", "us-iso-east-1", "eusc-de-east-1",
		"cn-north-1", "eu-isoe-west-1", "us-isob-east-1", "us-isof-south-1", "il-central-1",
		"us-east-", "us--1", "us-east-1a", "us-east_x-12", "US-east-1", "us-ea st-1",
		"xx-moon-1", "us-east-1-", "-us-east-1", "us-é-1", "", "us-east-1\n", "eusc-de-1"}
	for i := range partitions {
		p := &partitions[i]
		re := regexp.MustCompile(exprs[p.id])
		for _, r := range regions {
			assert.Equal(t, re.MatchString(r), p.matchRegion(r), "%s %q", p.id, r)
		}
	}
}

func FuzzPartitionMatchRegion(f *testing.F) {
	f.Add("us-east-1")
	f.Add("us-gov-west-1")
	f.Add("eusc-de-east-1")
	re := regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`)
	f.Fuzz(func(t *testing.T, region string) {
		if re.MatchString(region) != partitions[0].matchRegion(region) {
			t.Fatalf("matchRegion(%q) disagrees with the regular expression", region)
		}
	})
}
