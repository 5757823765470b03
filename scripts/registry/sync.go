package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/lib/session"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// syncFlags are -sync and -prune: the registry written into the registry
// model with the transactional API, no import action.
type syncFlags struct{ sync, prune bool }

func addSyncFlags(fs *flag.FlagSet) *syncFlags {
	f := &syncFlags{}
	fs.BoolVar(&f.sync, "sync", false, "write the registry into the registry model through the transactional API: only the items and cells that differ; not with -load")
	fs.BoolVar(&f.prune, "prune", false, "with -sync: remove the items of models and workspaces that no longer exist (without it they are only counted)")
	return f
}

// check refuses, before any request, flags that would do nothing or the
// same work twice: -prune without -sync, -process without -load, and -load
// with -sync (both write the same registry into the model, one by upload
// and imports, the other through the transactional API).
func (f *syncFlags) check(load bool, process string) error {
	switch {
	case f.prune && !f.sync:
		return cli.UsageError{Err: errors.New("-prune needs -sync")}
	case process != "" && !load:
		return cli.UsageError{Err: errors.New("-process needs -load (it names the process that runs the imports of a load)")}
	case load && f.sync:
		return cli.UsageError{Err: errors.New("-load and -sync both write the registry into the model (-load by upload and imports, -sync through the transactional API, only what differs): choose one")}
	}
	return nil
}

// syncInto syncs the registry into the target model and prints what it
// changed, ending in "N changes". Refused items or cells make it fail.
func syncInto(ctx context.Context, s *session.Session, reg *registry.Registry, target string, prune bool, stdout io.Writer) error {
	model, err := reg.FindModel(target)
	if err != nil {
		return err
	}
	rep, err := reg.Sync(ctx, s.Client.Model(model.CurrentWorkspaceID, model.ID), registry.SyncOptions{Prune: prune})
	if err != nil {
		return fmt.Errorf("syncing into %q: %w", model.Name, err)
	}
	fmt.Fprintf(stdout, "\nSynced into %q (%s):\n", model.Name, model.ID)
	if err := rep.WriteText(stdout); err != nil {
		return err
	}
	return rep.Err()
}
