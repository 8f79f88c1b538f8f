package workspaces

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkDecodePage(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"ImageId":"wsi-abc123def","ImagePermissions":[`)
	for i := range 25 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"SharedAccountId":"%012d"}`, 100000000000+i)
	}
	sb.WriteString(`],"NextToken":"AAEAAXY0dG9rZW4tZm9yLXRoZS1uZXh0LXBhZ2U"}`)
	body := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var out DescribeWorkspaceImagePermissionsOutput
		if err := out.decode(body); err != nil || len(out.ImagePermissions) != 25 {
			b.Fatal(err)
		}
	}
}
