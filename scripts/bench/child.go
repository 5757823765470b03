package main

import (
	"context"
	"fmt"
	"io"
)

// childCommand is the hidden first argument that makes the bench run one
// measurement in a fresh process of its own (go run ./scripts/bench child
// KIND ...), so its time and peak RSS are not mixed with the bench's.
const childCommand = "child"

func runChild(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: say which measurement", childCommand)
	}
	switch args[0] {
	case "import":
		return importChild(ctx, args[1:], stdout)
	case "upload":
		return uploadChild(ctx, args[1:], stdout)
	case "reads":
		return readsChild(ctx, args[1:], stdout)
	case "stdlib":
		return stdlibChild(ctx, args[1:], stdout)
	}
	return fmt.Errorf("%s: unknown measurement %q", childCommand, args[0])
}
