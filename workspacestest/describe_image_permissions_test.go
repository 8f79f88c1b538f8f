package workspacestest_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/leanaws/workspaces/workspacestest"
)

// accountsFrom returns n account IDs, 100000000000 upwards, in order.
func accountsFrom(base, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%012d", base+i)
	}
	return out
}

// walk pages through image with the given page size and returns every
// account and the number of pages.
func walk(t *testing.T, f *fake, image string, size int, between func(page int)) ([]string, int) {
	t.Helper()
	var all []string
	input := map[string]any{"ImageId": image, "MaxResults": size}
	for pages := 1; ; pages++ {
		p, accounts := requirePage(t, f.describe(t, ownerCreds, input))
		require.LessOrEqual(t, len(accounts), size)
		assert.Equal(t, image, p.ImageID)
		all = append(all, accounts...)
		if p.NextToken == nil {
			return all, pages
		}
		require.NotEmpty(t, *p.NextToken)
		require.LessOrEqual(t, len(*p.NextToken), 2048)
		input["NextToken"] = *p.NextToken
		if between != nil {
			between(pages)
		}
	}
}

func TestDescribeWorkspaceImagePermissions_Walk(t *testing.T) {
	t.Parallel()
	seed := testSeed()
	want := accountsFrom(100000000000, 60)
	seed.Images[0].SharedAccountIDs = append([]string(nil), want...)
	// Shuffled input; pages come out sorted.
	seed.Images[0].SharedAccountIDs[0], seed.Images[0].SharedAccountIDs[59] = want[59], want[0]
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		got, pages := walk(t, f, testImage, 7, nil)
		assert.Equal(t, want, got)
		assert.Equal(t, 9, pages)

		reqs := f.svc.Requests()
		require.Len(t, reqs, 9)
		assert.Nil(t, reqs[0].Input.NextToken)
		for _, r := range reqs[1:] {
			assert.NotNil(t, r.Input.NextToken)
		}
	})
}

func TestDescribeWorkspaceImagePermissions_PageSizes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		shared int
		size   int // 0: MaxResults absent
		pages  int
	}{
		"default page size": {shared: 30, pages: 2},
		"exactly one page":  {shared: 25, pages: 1},
		"exact multiple":    {shared: 14, size: 7, pages: 2},
		"one per page":      {shared: 3, size: 1, pages: 3},
		"shared with none":  {shared: 0, size: 5, pages: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			seed := testSeed()
			want := accountsFrom(200000000000, tc.shared)
			seed.Images[0].SharedAccountIDs = want
			bothModes(t, &seed, func(t *testing.T, f *fake) {
				input := map[string]any{"ImageId": testImage}
				if tc.size > 0 {
					input["MaxResults"] = tc.size
				}
				var got []string
				pages := 0
				for {
					pages++
					p, accounts := requirePage(t, f.describe(t, ownerCreds, input))
					if tc.size == 0 {
						assert.LessOrEqual(t, len(accounts), 25)
					}
					got = append(got, accounts...)
					if p.NextToken == nil {
						break
					}
					input["NextToken"] = *p.NextToken
				}
				assert.Equal(t, tc.pages, pages)
				assert.Equal(t, append([]string{}, want...), append([]string{}, got...))
			})
		})
	}
}

func TestDescribeWorkspaceImagePermissions_EmptyList(t *testing.T) {
	t.Parallel()
	seed := testSeed()
	seed.Images[0].SharedAccountIDs = nil
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage})
		require.Equal(t, http.StatusOK, rp.status)
		assert.JSONEq(t, `{"ImageId":"wsi-abc123def","ImagePermissions":[]}`, string(rp.body))
	})
}

func TestDescribeWorkspaceImagePermissions_ShareBetweenPages(t *testing.T) {
	t.Parallel()
	seed := testSeed()
	seed.Images[0].SharedAccountIDs = accountsFrom(300000000010, 20) // ...10 to ...29
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		got, _ := walk(t, f, testImage, 5, func(page int) {
			if page != 1 {
				return
			}
			// After ...10-...14: drop one seen and one unseen, add one
			// before the position and two after it.
			require.NoError(t, f.svc.Unshare(testImage, "300000000011", "300000000020"))
			require.NoError(t, f.svc.Share(testImage,
				"300000000005", "300000000025", "300000000099"))
		})

		var want []string
		for _, a := range accountsFrom(300000000010, 20) {
			if a != "300000000020" {
				want = append(want, a)
			}
		}
		want = append(want, "300000000099")
		require.Len(t, got, len(want), "got %v", got)
		assert.Equal(t, want, got)
	})
}

func TestDescribeWorkspaceImagePermissions_Validation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		input map[string]any
		want  []string // in the message
	}{
		"missing image id": {
			input: map[string]any{},
			want:  []string{"Value null at 'imageId'", "must not be null"},
		},
		"wrong prefix": {
			input: map[string]any{"ImageId": "ami-abc123def"},
			want:  []string{"Value 'ami-abc123def' at 'imageId'", "regular expression"},
		},
		"too short": {
			input: map[string]any{"ImageId": "wsi-abc123de"},
			want:  []string{"'wsi-abc123de'"},
		},
		"too long": {
			input: map[string]any{"ImageId": "wsi-" + strings.Repeat("a", 64)},
			want:  []string{"at 'imageId'"},
		},
		"upper case": {
			input: map[string]any{"ImageId": "wsi-ABC123DEF"},
			want:  []string{"'wsi-ABC123DEF'"},
		},
		"prefixed": {
			input: map[string]any{"ImageId": "xwsi-abc123def"},
			want:  []string{"'xwsi-abc123def'"},
		},
		"max results zero": {
			input: map[string]any{"ImageId": testImage, "MaxResults": 0},
			want:  []string{"Value '0' at 'maxResults'", "greater than or equal to 1"},
		},
		"max results negative": {
			input: map[string]any{"ImageId": testImage, "MaxResults": -3},
			want:  []string{"Value '-3' at 'maxResults'"},
		},
		"max results 26": {
			input: map[string]any{"ImageId": testImage, "MaxResults": 26},
			want:  []string{"Value '26' at 'maxResults'", "less than or equal to 25"},
		},
		"empty next token": {
			input: map[string]any{"ImageId": testImage, "NextToken": ""},
			want:  []string{"Value '' at 'nextToken'", "length greater than or equal to 1"},
		},
		"long next token": {
			input: map[string]any{"ImageId": testImage, "NextToken": strings.Repeat("a", 2049)},
			want:  []string{"at 'nextToken'", "less than or equal to 2048"},
		},
		"two problems": {
			input: map[string]any{"ImageId": "bad", "MaxResults": 99},
			want:  []string{"2 validation errors detected", "'bad'", "'99'"},
		},
		"validated before lookup": {
			input: map[string]any{"ImageId": "wsi-unknown000", "MaxResults": 0},
			want:  []string{"'0'"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
				rp := f.describe(t, ownerCreds, tc.input)
				eb := requireError(t, rp, http.StatusBadRequest, "InvalidParameterValuesException")
				for _, w := range tc.want {
					assert.Contains(t, eb.Message, w)
				}
			})
		})
	}
}

func TestDescribeWorkspaceImagePermissions_ImageErrors(t *testing.T) {
	t.Parallel()
	bothModes(t, seedPtr(), func(t *testing.T, f *fake) {
		rp := f.describe(t, ownerCreds, map[string]any{"ImageId": "wsi-unknown000"})
		eb := requireError(t, rp, http.StatusBadRequest, "ResourceNotFoundException")
		assert.Equal(t, "wsi-unknown000", eb.ResourceID)
		assert.Contains(t, eb.Message, "wsi-unknown000")

		rp = f.describe(t, otherCreds, map[string]any{"ImageId": testImage})
		eb = requireError(t, rp, http.StatusBadRequest, "AccessDeniedException")
		assert.NotEmpty(t, eb.Message)

		// The image is looked up before the caller's right to it.
		rp = f.describe(t, otherCreds, map[string]any{"ImageId": "wsi-unknown000"})
		requireError(t, rp, http.StatusBadRequest, "ResourceNotFoundException")

		// A token is checked only once the caller may see the image.
		rp = f.describe(t, otherCreds, map[string]any{"ImageId": testImage, "NextToken": "x"})
		requireError(t, rp, http.StatusBadRequest, "AccessDeniedException")
	})
}

func TestDescribeWorkspaceImagePermissions_BadTokens(t *testing.T) {
	t.Parallel()
	seed := testSeed()
	seed.Images[0].SharedAccountIDs = accountsFrom(400000000000, 10)
	seed.Images = append(seed.Images, workspacestest.Image{
		ID: "wsi-second0000", OwnerAccountID: owner,
		SharedAccountIDs: accountsFrom(500000000000, 10),
	})
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		first := func(image string) string {
			p, _ := requirePage(t, f.describe(t, ownerCreds,
				map[string]any{"ImageId": image, "MaxResults": 3}))
			require.NotNil(t, p.NextToken)
			return *p.NextToken
		}
		token := first(testImage)
		raw, err := base64.RawURLEncoding.DecodeString(token)
		require.NoError(t, err)

		other := workspacestest.NewService()
		require.NoError(t, other.Seed(seed))
		foreignClient := &fake{svc: other, client: other.Client(), url: f.url}
		p, _ := requirePage(t, foreignClient.describe(t, ownerCreds,
			map[string]any{"ImageId": testImage, "MaxResults": 3}))
		foreign := *p.NextToken

		tests := map[string]struct {
			image, token string
		}{
			"garbage":       {testImage, "not a token"},
			"base64 junk":   {testImage, base64.RawURLEncoding.EncodeToString([]byte("hello"))},
			"truncated":     {testImage, token[:len(token)-2]},
			"bit flipped":   {testImage, flip(raw, len(raw)/2)},
			"mac flipped":   {testImage, flip(raw, len(raw)-1)},
			"other image":   {"wsi-second0000", token},
			"other service": {testImage, foreign},
		}
		for name, tc := range tests {
			rp := f.describe(t, ownerCreds,
				map[string]any{"ImageId": tc.image, "NextToken": tc.token})
			eb := requireError(t, rp, http.StatusBadRequest, "InvalidParameterValuesException")
			assert.Contains(t, eb.Message, "NextToken", name)
		}

		// The token is good until the image is deleted and put again.
		requirePage(t, f.describe(t, ownerCreds,
			map[string]any{"ImageId": testImage, "NextToken": token}))
		require.True(t, f.svc.DeleteImage(testImage))
		rp := f.describe(t, ownerCreds, map[string]any{"ImageId": testImage, "NextToken": token})
		requireError(t, rp, http.StatusBadRequest, "ResourceNotFoundException")
		require.NoError(t, f.svc.PutImage(seed.Images[0]))
		rp = f.describe(t, ownerCreds, map[string]any{"ImageId": testImage, "NextToken": token})
		requireError(t, rp, http.StatusBadRequest, "InvalidParameterValuesException")
	})
}

// flip returns raw with one bit of byte i flipped, encoded as a token.
func flip(raw []byte, i int) string {
	c := append([]byte(nil), raw...)
	c[i] ^= 0x01
	return base64.RawURLEncoding.EncodeToString(c)
}

func TestDescribeWorkspaceImagePermissions_ConcurrentWalks(t *testing.T) {
	t.Parallel()
	seed := testSeed()
	stable := accountsFrom(600000000000, 40)
	seed.Images[0].SharedAccountIDs = stable
	bothModes(t, &seed, func(t *testing.T, f *fake) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			churn := accountsFrom(700000000000, 5)
			for {
				select {
				case <-stop:
					return
				default:
				}
				assert.NoError(t, f.svc.Share(testImage, churn...))
				assert.NoError(t, f.svc.Unshare(testImage, churn...))
			}
		}()

		// Walks run while another goroutine keeps sharing and unsharing
		// other accounts: the stable accounts come out once each, in order.
		for range 3 {
			got, _ := walk(t, f, testImage, 6, nil)
			var kept []string
			for _, a := range got {
				if a < "700000000000" {
					kept = append(kept, a)
				}
			}
			assert.Equal(t, stable, kept)
		}
		close(stop)
		wg.Wait()
	})
}
