// Package endpoints resolves the WorkSpaces endpoint as the endpoint rule set
// of the official client (aws-sdk-go-v2/service/workspaces v1.68.3) does,
// together with the region checks that client makes before the rules run.
//
// The official client differs from [Resolve] in three places, on purpose:
//
//   - An empty [Params.Endpoint] means no custom endpoint. The official
//     client takes a BaseEndpoint pointing at "" as set and resolves a URL
//     without scheme or host.
//   - A custom endpoint without a scheme or host ("localhost:4566",
//     "example.com") is an error here. The official client passes it on and
//     the request fails later, or is sent to a host nobody meant.
//   - A FIPS pseudo-region that is no longer a valid region once its "fips"
//     part is cut ("fips--fips", "us-east-1--fips") is an error here when
//     the URL is built from it. The official client builds a host with an
//     empty label or a label ending in a hyphen, such as
//     "workspaces-fips..amazonaws.com".
package endpoints

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Params are the inputs of the WorkSpaces endpoint rules.
type Params struct {
	Region       string
	UseFIPS      bool
	UseDualStack bool
	Endpoint     string // the custom endpoint (Options.BaseEndpoint); "" when unset
}

// The official client wraps a rule error in these two prefixes and a region
// it refuses in the third; the errors below keep its text whole.
const (
	resolveFailed = "failed to resolve service endpoint, "
	ruleError     = resolveFailed + "endpoint rule error, "
	bindFailed    = "failed to bind endpoint params, "
)

// The rule set's errors never change, so they are built once. Each text is
// kept on one line, whatever its width, so that it can be searched for.
var (
	errMissingRegion = errors.New(ruleError + "Invalid Configuration: Missing Region")
	errFIPSCustom    = errors.New(
		ruleError + "Invalid Configuration: FIPS and custom endpoint are not supported")
	errDualStackCustom = errors.New(
		ruleError + "Invalid Configuration: Dualstack and custom endpoint are not supported")
	errNoFIPSDualStack = errors.New(
		ruleError + "FIPS and DualStack are enabled, but this partition does not support one or both")
	errNoFIPS = errors.New(
		ruleError + "FIPS is enabled but this partition does not support FIPS")
	errNoDualStack = errors.New(
		ruleError + "DualStack is enabled but this partition does not support DualStack")
)

// Resolve returns the endpoint for p, or the error the rule set gives.
//
// Without a custom endpoint the URL is https://workspaces.{region}.{suffix},
// with "workspaces-fips" for FIPS and the partition's dual-stack DNS suffix
// for dual-stack. A region of no known partition resolves in the aws
// partition. A FIPS pseudo-region ("fips-us-east-1", "us-east-1-fips")
// turns UseFIPS on and resolves for the plain region, as the official
// client does. A custom endpoint comes back as parsed, path included.
//
// A region must be one or more host labels joined by dots; the official
// client checks the same before the rules run, even with a custom endpoint.
//
// An error's text is what the official client puts inside its
// smithy.OperationError, so a caller wraps it in one and in nothing else.
// The texts for the differences listed in the package documentation are
// our own.
func Resolve(p Params) (*url.URL, error) {
	if p.Region != "" && !validHost(p.Region) {
		return nil, errors.New(bindFailed + "invalid input region " + p.Region)
	}
	region, pseudo := cutFIPS(p.Region)
	fips := p.UseFIPS || pseudo

	if p.Endpoint != "" {
		return customURL(p.Endpoint, fips, p.UseDualStack)
	}
	if p.Region == "" {
		return nil, errMissingRegion
	}
	if pseudo && !validHost(region) {
		return nil, fmt.Errorf("map FIPS region %q: %q is not a valid region", p.Region, region)
	}
	return regionalURL(region, fips, p.UseDualStack, partitionOf(region))
}

// customURL applies the rules for a custom endpoint: it excludes FIPS and
// dual-stack and is otherwise used as given.
func customURL(endpoint string, fips, dualStack bool) (*url.URL, error) {
	if fips {
		return nil, errFIPSCustom
	}
	if dualStack {
		return nil, errDualStackCustom
	}

	u, err := url.Parse(endpoint)
	if err != nil {
		// The official text drops the parser's reason; it is kept as is.
		return nil, errors.New(resolveFailed + "Failed to parse uri: " + endpoint)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("parse custom endpoint %q: no scheme or host", endpoint)
	}
	return u, nil
}

// regionalURL builds the endpoint of a valid region in partition pt.
func regionalURL(region string, fips, dualStack bool, pt *partition) (*url.URL, error) {
	service, suffix := "workspaces.", pt.dnsSuffix
	switch {
	case fips && dualStack:
		if !pt.supportsFIPS || !pt.supportsDualStack {
			return nil, errNoFIPSDualStack
		}
		service, suffix = "workspaces-fips.", pt.dualStackDNSSuffix
	case fips:
		if !pt.supportsFIPS {
			return nil, errNoFIPS
		}
		service = "workspaces-fips."
	case dualStack:
		if !pt.supportsDualStack {
			return nil, errNoDualStack
		}
		suffix = pt.dualStackDNSSuffix
	}
	return &url.URL{Scheme: "https", Host: service + region + "." + suffix}, nil
}

// cutFIPS strips the "fips" part of a FIPS pseudo-region the way the
// official client does, reporting whether region was one.
func cutFIPS(region string) (string, bool) {
	const infix, prefix, suffix = "-fips-", "fips-", "-fips"
	if !strings.Contains(region, infix) && !strings.Contains(region, prefix) &&
		!strings.Contains(region, suffix) {
		return region, false
	}
	region = strings.ReplaceAll(region, infix, "-")
	region = strings.ReplaceAll(region, prefix, "")
	region = strings.ReplaceAll(region, suffix, "")
	return region, true
}

// validHost reports whether s is one or more host labels joined by dots:
// each 1 to 63 ASCII letters, digits and hyphens, with no hyphen first or
// last. It is the check the official client makes on a region.
func validHost(s string) bool {
	for {
		label, rest, more := strings.Cut(s, ".")
		if !validLabel(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// validLabel reports whether l is one host label as validHost defines it.
func validLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
