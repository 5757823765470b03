package main

import (
	"strings"
	"testing"
)

func TestSumCurlTimes(t *testing.T) {
	t.Parallel()
	secs, sent, err := sumCurlTimes("0.25 0 200\n0.5 100 200\n", 2, 200)
	if err != nil || secs != 0.75 || sent != 100 {
		t.Errorf("two transfers: %v s, %d bytes, %v; want 0.75 s, 100 bytes", secs, sent, err)
	}
	for _, tc := range []struct{ out, want string }{
		{"0.25 0 200\n", "made 1 transfers, want 2"},
		{"0.25 0 200\n0.5 0 404\n", "got HTTP 404, want 200"},
		{"0.25 0 200\ncurl: (7) Failed to connect\n", "curl printed"},
	} {
		if _, _, err := sumCurlTimes(tc.out, 2, 200); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.out, err, tc.want)
		}
	}
}
