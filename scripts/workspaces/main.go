// Command workspaces lists the tenant's workspaces with their size
// allowance, current size and how full they are.
//
//	go run ./scripts/workspaces [-sort +name|-sizeAllowance] [-format table|csv|json]
package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
	"github.com/anaplan-registry/toolkit/lib/registry"
	"github.com/anaplan-registry/toolkit/scripts/internal/cli"
)

func main() { cli.Main(run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("workspaces", "Lists every workspace with its size allowance and current size.", stderr)
	var sort string
	cli.SortVar(fs, &sort, "name", "sizeAllowance") // what /workspaces sorts by (anaplan-api.md §3)
	format := cli.FormatFlag(fs)
	conn := cli.ConnectionFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	session, err := conn.Connect(stderr)
	if err != nil {
		return err
	}
	defer session.Close()
	workspaces, err := anaplan.Collect(session.Client.ListWorkspaces(ctx, anaplan.ListOptions{Details: true, Sort: sort}))
	if err != nil {
		return err
	}
	return cli.Write(stdout, *format, table(*format, workspaces), workspaces)
}

// table shows sizes readable for people and exact (bytes) for CSV.
func table(format cli.Format, workspaces []anaplan.Workspace) registry.Table {
	t := registry.Table{Header: []string{"NAME", "ID", "ACTIVE", "ALLOWANCE", "CURRENT", "USED"}}
	if format == cli.FormatCSV {
		t.Header = []string{"id", "name", "active", "sizeAllowance", "currentSize", "usedPercent"}
	}
	for _, w := range workspaces {
		used := ""
		if p, ok := registry.UsedPercent(w); ok {
			used = fmt.Sprintf("%.1f", p)
		}
		if format == cli.FormatCSV {
			t.Rows = append(t.Rows, []string{w.ID, w.Name, strconv.FormatBool(w.Active),
				strconv.FormatInt(int64(w.SizeAllowance), 10), strconv.FormatInt(int64(w.CurrentSize), 10), used})
			continue
		}
		if used != "" {
			used += "%"
		}
		t.Rows = append(t.Rows, []string{w.Name, w.ID, yesNo(w.Active),
			registry.HumanBytes(w.SizeAllowance), registry.HumanBytes(w.CurrentSize), used})
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
