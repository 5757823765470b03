package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

// organiseFlags are the flags of the organisation: environments, families,
// hygiene.
type organiseFlags struct {
	rules      *string
	alm        *bool
	staleDays  int
	idleDays   int
	concurrent int
	loaded     []registry.Rule
}

// Ranges of the numeric flags: day counts up to ten years (as the
// sandbox's -advance); more ALM requests in flight than maxALMConcurrency
// only meet Anaplan's rate limit (429) sooner.
const (
	maxDays           = 3650
	maxALMConcurrency = 32
)

func newOrganiseFlags(fs *flag.FlagSet) *organiseFlags {
	o := &organiseFlags{
		rules: fs.String("rules", "", "CSV file of environment rules tried before the built-in ones (see README)"),
		alm:   fs.Bool("alm", true, "read ALM lineage (two calls per changed model; -alm=false groups families by name only)"),
	}
	cli.IntRangeVar(fs, &o.staleDays, "stale-days", 180, 1, maxDays, "hygiene: a model not modified for this many `days` is stale")
	cli.IntRangeVar(fs, &o.idleDays, "idle-days", 90, 1, maxDays, "hygiene: a dev/test/UAT copy not modified for this many `days` is an archive candidate")
	cli.IntRangeVar(fs, &o.concurrent, "alm-concurrency", 8, 1, maxALMConcurrency, "`N` ALM requests in flight at once")
	return o
}

// load reads the rules file; it runs before any request, so a bad file
// costs nothing.
func (o *organiseFlags) load() error {
	if *o.rules == "" {
		return nil
	}
	rules, err := registry.LoadRules(*o.rules)
	if err != nil {
		return err
	}
	o.loaded = rules
	return nil
}

// organise reads lineage (unless -alm=false) and organises the registry.
// known is what the last recorded run learnt from ALM (nil without
// history): models saved since are the only ones asked. now is the run's
// time, hygiene's clock.
func (o *organiseFlags) organise(ctx context.Context, c *anaplan.Client, reg *registry.Registry, known map[string]registry.ModelLineage, now time.Time, stderr io.Writer) (map[string]registry.ModelLineage, *registry.LineageStats, error) {
	opts := registry.OrganiseOptions{
		Now:        now,
		Rules:      o.loaded,
		StaleAfter: time.Duration(o.staleDays) * 24 * time.Hour,
		IdleAfter:  time.Duration(o.idleDays) * 24 * time.Hour,
	}
	if *o.alm {
		lineage, s, err := reg.OrganiseWithALM(ctx, c, nil, "", registry.LineageOptions{
			Concurrency: o.concurrent,
			Known:       known,
			Progress:    cli.NewProgress(stderr).Lineage,
		}, opts)
		if err != nil {
			return nil, nil, err
		}
		return lineage, &s, nil
	}
	reg.Organise(opts)
	return nil, nil, nil
}

// writeOrganisation prints the organisation's summary: environments per
// workspace, flagged families, hygiene counts, and what ALM was asked
// (earlier: a recorded run's answers were there to reuse).
func writeOrganisation(w io.Writer, reg *registry.Registry, stats *registry.LineageStats, earlier bool) error {
	org := reg.Organisation()
	fmt.Fprintln(w, "\nEnvironments per workspace:")
	if err := org.EnvironmentTable(reg).WriteText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", org.Describe())
	if t := org.FlaggedTable(); len(t.Rows) > 0 {
		if err := t.WriteText(w); err != nil {
			return err
		}
	}
	if counts := org.HygieneCounts(); len(counts) > 0 {
		fmt.Fprintln(w, "\nHygiene (see hygiene.csv):")
		t := registry.Table{Header: []string{"CHECK", "MODELS"}}
		for _, c := range counts {
			t.Rows = append(t.Rows, []string{c.Key, fmt.Sprint(c.Count)})
		}
		if err := t.WriteText(w); err != nil {
			return err
		}
	}
	switch {
	case stats != nil && earlier:
		fmt.Fprintf(w, "\nALM: %d models asked (%d calls), %d unchanged since the last recorded run.\n", stats.Asked, stats.Calls, stats.Cached)
	case stats != nil:
		fmt.Fprintf(w, "\nALM: %d models asked (%d calls); with this run recorded, the next asks only the models saved since.\n", stats.Asked, stats.Calls)
	}
	return nil
}

// organisationJSON is the organisation in -format json.
type organisationJSON struct {
	Environments []registry.Count       `json:"environments"`
	Families     int                    `json:"families"`
	Flagged      []flaggedJSON          `json:"flaggedFamilies"`
	Hygiene      []registry.Count       `json:"hygiene"`
	ALM          *registry.LineageStats `json:"alm,omitempty"`
}

type flaggedJSON struct {
	Family string `json:"family"`
	Flag   string `json:"flag"`
	Reason string `json:"reason"`
}

func organisationSummary(reg *registry.Registry, stats *registry.LineageStats) organisationJSON {
	org := reg.Organisation()
	n := map[registry.Environment]int{}
	for _, p := range org.Models {
		n[p.Environment]++
	}
	j := organisationJSON{Families: len(org.Families), Hygiene: org.HygieneCounts(), ALM: stats, Flagged: []flaggedJSON{}}
	for _, e := range registry.Environments {
		if n[e] > 0 {
			j.Environments = append(j.Environments, registry.Count{Key: string(e), Count: n[e]})
		}
	}
	for _, f := range org.Families {
		for _, ff := range f.Flags {
			j.Flagged = append(j.Flagged, flaggedJSON{f.Name, string(ff.Flag), ff.Reason})
		}
	}
	return j
}
