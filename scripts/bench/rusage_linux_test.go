package main

import (
	"context"
	"testing"
)

// A child's peak RSS must be its own, not the bench's: Linux charges a
// child with the peak RSS of the memory it was forked from.
func TestChildPeakRSSIsNotTheBenchs(t *testing.T) {
	big := make([]byte, 200<<20)
	for i := range big {
		big[i] = 1
	}
	big = nil
	m, err := child{Path: "true"}.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := mb(m.MaxRSS); got <= 0 || got > 100 {
		t.Errorf("true reported a peak RSS of %.1f MB after the bench held 200 MB, want its own few MB", got)
	}
}
