//go:build unix

package flock_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/internal/flock"
)

// TestTryLockSeesAnotherHolder: flock locks belong to the open file, so a
// second open of the same path in this process stands in for another
// process; closing the holder frees the lock.
func TestTryLockSeesAnotherHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	holder, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := flock.Lock(holder); err != nil {
		t.Fatal(err)
	}
	other, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if ok, err := flock.TryLock(other); ok || err != nil {
		t.Fatalf("TryLock while held = %v, %v; want false, nil", ok, err)
	}
	holder.Close()
	if ok, err := flock.TryLock(other); !ok || err != nil {
		t.Fatalf("TryLock after the holder closed = %v, %v; want true, nil", ok, err)
	}
}
