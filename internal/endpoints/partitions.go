package endpoints

import "strings"

// A partition holds the facts of one AWS partition that the WorkSpaces rules
// read. The values come from the partition data of aws-sdk-go-v2 v1.48.0
// (internal/endpoints/awsrulesfn/partitions.json), which no region there
// overrides. The rules never read implicitGlobalRegion, so it is left out.
type partition struct {
	id                 string
	regionPrefixes     []string // what the SDK data's region regex allows before "-"
	regions            []string
	dnsSuffix          string
	dualStackDNSSuffix string
	supportsFIPS       bool
	supportsDualStack  bool
}

// partitions lists the partitions in the order of the SDK data, which is the
// order the partition function tries their regular expressions in. Every
// such expression has the form ^(prefix|...)-\w+-\d+$, so a prefix list
// and matchRegion stand in for it, without the weight of package regexp.
var partitions = [...]partition{
	{
		id:             "aws",
		regionPrefixes: []string{"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"},
		regions: []string{
			"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1",
			"ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
			"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
			"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "aws-global",
			"ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
			"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
			"eu-west-3", "il-central-1", "me-central-1", "me-south-1", "me-west-1",
			"mx-central-1", "sa-east-1", "sa-west-1", "us-east-1", "us-east-2",
			"us-west-1", "us-west-2",
		},
		dnsSuffix:          "amazonaws.com",
		dualStackDNSSuffix: "api.aws",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-cn",
		regionPrefixes:     []string{"cn"},
		regions:            []string{"aws-cn-global", "cn-north-1", "cn-northwest-1"},
		dnsSuffix:          "amazonaws.com.cn",
		dualStackDNSSuffix: "api.amazonwebservices.com.cn",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-eusc",
		regionPrefixes:     []string{"eusc-de"},
		regions:            []string{"eusc-de-east-1"},
		dnsSuffix:          "amazonaws.eu",
		dualStackDNSSuffix: "api.amazonwebservices.eu",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-iso",
		regionPrefixes:     []string{"us-iso"},
		regions:            []string{"aws-iso-global", "us-iso-east-1", "us-iso-west-1"},
		dnsSuffix:          "c2s.ic.gov",
		dualStackDNSSuffix: "api.aws.ic.gov",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-iso-b",
		regionPrefixes:     []string{"us-isob"},
		regions:            []string{"aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"},
		dnsSuffix:          "sc2s.sgov.gov",
		dualStackDNSSuffix: "api.aws.scloud",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-iso-e",
		regionPrefixes:     []string{"eu-isoe"},
		regions:            []string{"aws-iso-e-global", "eu-isoe-west-1"},
		dnsSuffix:          "cloud.adc-e.uk",
		dualStackDNSSuffix: "api.cloud-aws.adc-e.uk",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-iso-f",
		regionPrefixes:     []string{"us-isof"},
		regions:            []string{"aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"},
		dnsSuffix:          "csp.hci.ic.gov",
		dualStackDNSSuffix: "api.aws.hci.ic.gov",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
	{
		id:                 "aws-us-gov",
		regionPrefixes:     []string{"us-gov"},
		regions:            []string{"aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"},
		dnsSuffix:          "amazonaws.com",
		dualStackDNSSuffix: "api.aws",
		supportsFIPS:       true,
		supportsDualStack:  true,
	},
}

// listedRegions maps every explicitly listed region to its partition, so a
// known region needs no regular expression. Were a region listed twice, the
// earlier partition would win, as in the partition function.
var listedRegions = func() map[string]*partition {
	m := make(map[string]*partition)
	for i := range partitions {
		for _, r := range partitions[i].regions {
			if _, ok := m[r]; !ok {
				m[r] = &partitions[i]
			}
		}
	}
	return m
}()

// partitionOf returns the partition of region the way the rules' partition
// function picks it: a listed region first, then the first partition whose
// regular expression matches, else the aws partition.
func partitionOf(region string) *partition {
	if p, ok := listedRegions[region]; ok {
		return p
	}
	for i := range partitions {
		if partitions[i].matchRegion(region) {
			return &partitions[i]
		}
	}
	return &partitions[0]
}

// matchRegion reports whether region matches the partition's region
// expression, ^(prefix|...)-\w+-\d+$: one of the prefixes, a dash, one or
// more word characters, a dash and one or more digits, nothing else.
func (p *partition) matchRegion(region string) bool {
	for _, prefix := range p.regionPrefixes {
		rest, ok := strings.CutPrefix(region, prefix+"-")
		if !ok {
			continue
		}
		name, number, ok := strings.Cut(rest, "-")
		if ok && name != "" && number != "" && allBytes(name, isWordByte) &&
			allBytes(number, isDigit) {
			return true
		}
	}
	return false
}

func allBytes(s string, f func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !f(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isWordByte is \w of Go's regexp: ASCII letters, digits and underscore.
func isWordByte(c byte) bool {
	return isDigit(c) || c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}
