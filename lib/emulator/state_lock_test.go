package emulator_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// TestStateDirHasOneEmulatorAtATime: a second emulator on a StateDir a
// live one holds is refused, with an error naming the holder's PID and
// address; once the first closes, the directory is free again.
func TestStateDirHasOneEmulatorAtATime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := emulator.Start("", emulator.Options{StateDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	for _, start := range map[string]func() error{
		"New":   func() error { e, err := emulator.New(emulator.Options{StateDir: dir}); closeIf(e); return err },
		"Start": func() error { s, err := emulator.Start("", emulator.Options{StateDir: dir}); closeIf(s); return err },
	} {
		err := start()
		var inUse *emulator.StateDirInUseError
		if !errors.Is(err, emulator.ErrStateDirInUse) || !errors.As(err, &inUse) {
			t.Fatalf("second emulator on %s: err = %v, want ErrStateDirInUse", dir, err)
		}
		for _, want := range []string{dir, fmt.Sprintf("process %d", os.Getpid()), first.URL} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the error does not name %q: %v", want, err)
			}
		}
	}

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := emulator.New(emulator.Options{StateDir: dir})
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	again.Close()
}

func closeIf(c interface{ Close() error }) {
	switch v := c.(type) {
	case *emulator.Emulator:
		if v != nil {
			v.Close()
		}
	case *emulator.Server:
		if v != nil {
			v.Close()
		}
	}
}
