package main

import (
	"context"
	"syscall"
	"testing"
)

// A child's peak RSS must be its own, not the bench's: Linux charges a
// child with the peak RSS of the memory it was forked from. The 200 MB are
// mapped directly rather than taken from the Go heap so that the test
// means the same under -race, whose shadow of a heap buffer stays resident
// after the buffer is freed.
func TestChildPeakRSSIsNotTheBenchs(t *testing.T) {
	big, err := syscall.Mmap(-1, 0, 200<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1
	}
	if err := syscall.Munmap(big); err != nil {
		t.Fatal(err)
	}
	m, err := child{Path: "true"}.run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := mb(m.MaxRSS); got <= 0 || got > 100 {
		t.Errorf("true reported a peak RSS of %.1f MB after the bench held 200 MB, want its own few MB", got)
	}
}
