package registry

import (
	"context"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// readConcurrency is how many pages of a list Read keeps in flight: a
// large tenant's 20,000 models are 4 pages, read in two round trips.
const readConcurrency = 4

// maxPresized caps the models Read allocates room for on the server's word
// (meta.paging.totalSize) alone; beyond it the slice grows as it fills.
const maxPresized = 1 << 20

// Read fetches every workspace (with tenant details: size allowance and
// current size) and every model (with model details: memory usage and dates),
// paging through all of them. Workspaces and models are read concurrently,
// and sorted in place: the registry keeps the slices it read.
func Read(ctx context.Context, c *anaplan.Client) (*Registry, error) {
	var workspaces []anaplan.Workspace
	var models []anaplan.Model
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		workspaces, err = anaplan.Collect(c.ListWorkspaces(gctx, anaplan.ListOptions{Details: true, Concurrency: readConcurrency}))
		if err != nil {
			return fmt.Errorf("reading workspaces: %w", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		opts := anaplan.ListOptions{Details: true, Concurrency: readConcurrency,
			// Allocate once: growing the slice held two copies of it at the
			// end, 30 MB more peak RSS at 100k models.
			Total: func(n int) { models = slices.Grow(models, min(n, maxPresized)) }}
		for m, err := range c.ListModels(gctx, opts) {
			if err != nil {
				return fmt.Errorf("reading models: %w", err)
			}
			models = append(models, m)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return newOwned(workspaces, models), nil
}
