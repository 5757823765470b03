package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator/openapidocs"
)

// fetchTimeout bounds downloading the OpenAPI documents (four files, under
// a megabyte together), so an unreachable network fails the step quickly.
const fetchTimeout = 2 * time.Minute

// ensureOpenAPI makes sure the emulator's contract tests find the community
// OpenAPI documents: ../shared/anaplan-openapi or the project's cache when
// either has them, else it downloads the pinned commit's files into the
// cache. Without a copy or network it fails with one line saying what to do.
func (t *tester) ensureOpenAPI(ctx context.Context) error {
	dir, err := t.openAPI.Locate(t.root)
	var missing *openapidocs.NotFoundError
	switch {
	case err == nil:
		fmt.Fprintf(t.stdout, "testall: OpenAPI documents in %s\n", dir)
		return nil
	case !errors.As(err, &missing):
		return err // a copy with the wrong bytes: the error says what to do
	}
	fmt.Fprintf(t.stdout, "testall: downloading the OpenAPI documents of %s into %s\n", t.openAPI, t.openAPI.CacheDir(t.root))
	if t.dryRun {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	_, _, err = t.openAPI.Ensure(ctx, t.root, t.openAPIFetch)
	return err
}
