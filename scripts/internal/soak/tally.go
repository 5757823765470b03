package soak

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/anaplan-registry/toolkit/lib/emulator"
)

// Stats keys of the auth service's routes, for Tally's token columns.
const (
	loginRoute   = "POST /token/authenticate"
	refreshRoute = "POST /token/refresh"
)

// What the client logs (at warn level, on the scripts' stderr) before
// each retry, and when it found the task a lost answer had started.
const (
	retryLogLine    = "anaplan: retrying request"
	followedLogLine = "the task started: following it"
	busyLogLine     = `reason="409 Conflict"`
)

// Tally adds up the runs of one profile.
type Tally struct {
	Profile    string
	Runs       int
	Failed     int // the flow returned an error or did not finish
	Mismatched int // the flow succeeded but wrote something else
	Requests   int // arriving at the emulator
	Faults     map[string]int
	Retries    int // retry warnings the client logged
	Followed   int // task starts whose answer was lost, found and followed
	Busy       int // retries after 409 "model busy"
	Logins     int // authentications that reached the handler
	Refreshes  int // token refreshes that reached the handler
	Total, Max time.Duration
	// Problems describe the first few failed or mismatched runs, each
	// with the seed that replays it.
	Problems []string
}

// maxProblems bounds Tally.Problems: the first few say enough.
const maxProblems = 5

// Add counts r, compared with the fault-free baseline.
func (t *Tally) Add(r Result, baseline Result) {
	if t.Faults == nil {
		t.Faults = map[string]int{}
	}
	t.Profile = r.Profile
	t.Runs++
	for _, n := range r.Stats.Requests {
		t.Requests += n
	}
	for k, n := range r.Stats.Faults {
		t.Faults[k] += n
	}
	t.Retries += strings.Count(r.Stderr, retryLogLine)
	t.Followed += strings.Count(r.Stderr, followedLogLine)
	t.Busy += strings.Count(r.Stderr, busyLogLine)
	t.Logins += r.Stats.Handled[loginRoute]
	t.Refreshes += r.Stats.Handled[refreshRoute]
	t.Total += r.Duration
	t.Max = max(t.Max, r.Duration)
	problem := ""
	if r.Err != nil {
		t.Failed++
		problem = "failed: " + oneLine(r.Err.Error())
	} else if d := Diff(baseline, r); len(d) > 0 {
		t.Mismatched++
		problem = "wrote something else: " + strings.Join(d, "; ")
	}
	if problem != "" && len(t.Problems) < maxProblems {
		t.Problems = append(t.Problems, fmt.Sprintf("%s seed %d: %s", r.Profile, r.Seed, problem))
	}
}

// FaultTotal is the number of faults of the given kinds (all when none).
func (t *Tally) FaultTotal(kinds ...string) int {
	n := 0
	for k, v := range t.Faults {
		if len(kinds) == 0 || slices.Contains(kinds, k) {
			n += v
		}
	}
	return n
}

// Errors5xx are the fault kinds of injected server errors.
var Errors5xx = []string{emulator.FaultError500, emulator.FaultError502, emulator.FaultError503}

// Drops are the fault kinds of dropped connections.
var Drops = []string{emulator.FaultDropBefore, emulator.FaultDropAfter}

// WriteTable prints one line per tally: runs, failures, mismatches,
// requests, faults by kind, retries, logins, refreshes and durations.
func WriteTable(w io.Writer, tallies []*Tally) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PROFILE\tRUNS\tFAILED\tMISMATCHED\tREQUESTS\t429\t5XX\tDROPS\tRETRIES\tFOLLOWED\t409\tLOGINS\tREFRESHES\tMEAN\tMAX\t")
	for _, t := range tallies {
		mean := time.Duration(0)
		if t.Runs > 0 {
			mean = t.Total / time.Duration(t.Runs)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n",
			t.Profile, t.Runs, t.Failed, t.Mismatched, t.Requests,
			t.Faults[emulator.FaultRateLimit], t.FaultTotal(Errors5xx...), t.FaultTotal(Drops...),
			t.Retries, t.Followed, t.Busy, t.Logins, t.Refreshes, mean.Round(time.Millisecond), t.Max.Round(time.Millisecond))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, t := range tallies {
		for _, p := range t.Problems {
			fmt.Fprintln(w, "  "+p)
		}
	}
	return nil
}

// Kinds lists the fault kinds a tally saw, sorted, e.g. for a test log.
func (t *Tally) Kinds() string {
	keys := slices.Sorted(maps.Keys(t.Faults))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, t.Faults[k])
	}
	return strings.Join(parts, " ")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
