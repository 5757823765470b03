package registry

import (
	"fmt"
	"strconv"
	"strings"
)

// EnvironmentTable counts models per workspace (rows) and environment
// (columns), empty environments left out.
func (o *Organisation) EnvironmentTable(r *Registry) Table {
	counts := map[string]map[Environment]int{}
	used := map[Environment]bool{}
	var order []string
	for i, m := range r.Models {
		ws := r.workspaceName(m)
		if counts[ws] == nil {
			counts[ws] = map[Environment]int{}
			order = append(order, ws)
		}
		e := o.Models[i].Environment
		counts[ws][e]++
		used[e] = true
	}
	t := Table{Header: []string{"WORKSPACE"}}
	var envs []Environment
	for _, e := range Environments {
		if used[e] {
			envs = append(envs, e)
			t.Header = append(t.Header, strings.ToUpper(string(e)))
		}
	}
	for _, ws := range order {
		row := []string{ws}
		for _, e := range envs {
			row = append(row, countCell(counts[ws][e]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func countCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// FlaggedTable lists the families with a flag: one row per flag.
func (o *Organisation) FlaggedTable() Table {
	t := Table{Header: []string{"FAMILY", "FLAG", "WHY"}}
	for _, f := range o.Families {
		for _, ff := range f.Flags {
			t.Rows = append(t.Rows, []string{f.Name, string(ff.Flag), ff.Reason})
		}
	}
	return t
}

// FamilyTable is the family table: one row per family of more than one
// model or with a flag, one column per environment naming its models.
func (o *Organisation) FamilyTable() Table {
	t := Table{Header: []string{"FAMILY"}}
	for _, e := range Environments {
		t.Header = append(t.Header, strings.ToUpper(string(e)))
	}
	t.Header = append(t.Header, "FLAGS")
	for _, f := range o.Families {
		if f.Size() < 2 && len(f.Flags) == 0 {
			continue
		}
		row := f.row(func(s string) string { return s })
		cells := append([]string{row[0]}, row[3:3+len(Environments)]...)
		t.Rows = append(t.Rows, append(cells, row[3+len(Environments)]))
	}
	return t
}

// HygieneCounts is the number of findings per check, in check order.
func (o *Organisation) HygieneCounts() []Count {
	n := map[Check]int{}
	for _, h := range o.Hygiene {
		n[h.Check]++
	}
	var out []Count
	for _, c := range checkOrder {
		if n[c] > 0 {
			out = append(out, Count{Key: string(c), Count: n[c]})
		}
	}
	return out
}

// Describe is one line about the organisation, for summaries.
func (o *Organisation) Describe() string {
	flagged := 0
	for _, f := range o.Families {
		if len(f.Flags) > 0 {
			flagged++
		}
	}
	how := "by name (no ALM lineage)"
	if o.Lineage {
		how = "by ALM lineage and name"
	}
	return fmt.Sprintf("%d families %s, %d with a flag; %d hygiene findings.", len(o.Families), how, flagged, len(o.Hygiene))
}
