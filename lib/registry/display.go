package registry

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// The tables below are what notebooks show (session.HTMLTable) and what a
// terminal can print (Table.WriteText): sizes for people, every value a string.

// WorkspacesTable is one row per workspace: how many models it holds, its
// size allowance and current size, how full it is and whether that is near
// or over the allowance.
func (s Summary) WorkspacesTable() Table {
	t := Table{Header: []string{"WORKSPACE", "ACTIVE", "MODELS", "ALLOWANCE", "CURRENT", "USED", "STATUS"}}
	for _, u := range s.Workspaces {
		used := ""
		if u.HasAllowance {
			used = fmt.Sprintf("%.1f%%", u.UsedPercent)
		}
		t.Rows = append(t.Rows, []string{
			u.Name, yesNo(u.Active), strconv.Itoa(u.Models),
			HumanBytes(u.SizeAllowance), HumanBytes(u.CurrentSize), used, u.Status(),
		})
	}
	return t
}

// StatesTable is how many models are in each activeState, most first, with
// each state's share of all models.
func (s Summary) StatesTable() Table {
	t := Table{Header: []string{"STATE", "MODELS", "SHARE"}}
	for _, c := range s.States {
		share := ""
		if s.Models > 0 {
			share = fmt.Sprintf("%.0f%%", float64(c.Count)*100/float64(s.Models))
		}
		t.Rows = append(t.Rows, []string{c.Key, strconv.Itoa(c.Count), share})
	}
	return t
}

// ModelsTable is one row per model, in registry order (workspace, name):
// state, workspace, size and the dates it was created and last changed.
func (r *Registry) ModelsTable() Table {
	t := Table{Header: []string{"MODEL", "STATE", "WORKSPACE", "SIZE", "CREATED", "MODIFIED"}}
	for _, m := range r.Models {
		t.Rows = append(t.Rows, []string{
			m.Name, string(m.ActiveState), r.workspaceName(m), HumanBytes(m.MemoryUsage),
			day(m.ISOCreationDate), day(m.LastModified),
		})
	}
	return t
}

// StatesByWorkspace counts models per workspace (rows, in registry order)
// and activeState (columns, most frequent first), with a total per row.
// A workspace the user cannot list still gets a row, under the name its
// models carry. Zero counts are left blank so the pattern stands out.
func (r *Registry) StatesByWorkspace() Table {
	states := r.Summary().States
	t := Table{Header: []string{"WORKSPACE"}}
	column := make(map[string]int, len(states))
	for i, c := range states {
		t.Header = append(t.Header, c.Key)
		column[c.Key] = i
	}
	t.Header = append(t.Header, "TOTAL")

	// Rows are keyed by workspace id: two workspaces may share a name.
	counts := map[string][]int{}
	var ids, names []string
	row := func(id, name string) []int {
		if counts[id] == nil {
			ids, names = append(ids, id), append(names, name)
			counts[id] = make([]int, len(states))
		}
		return counts[id]
	}
	for _, w := range r.Workspaces {
		row(w.ID, w.Name)
	}
	for _, m := range r.Models {
		row(m.CurrentWorkspaceID, r.workspaceName(m))[column[string(m.ActiveState)]]++
	}
	for i, id := range ids {
		cells, total := []string{names[i]}, 0
		for _, n := range counts[id] {
			cells = append(cells, blankZero(n))
			total += n
		}
		t.Rows = append(t.Rows, append(cells, strconv.Itoa(total)))
	}
	return t
}

// FrameTable turns a gota frame into a Table: floats with at most one
// decimal and NaN (unknown) left blank, instead of gota's "97.300000" and
// "NaN".
func FrameTable(df dataframe.DataFrame) Table {
	t := Table{Header: df.Names()}
	nrow, ncol := df.Dims()
	t.Rows = make([][]string, nrow)
	for i := range t.Rows {
		t.Rows[i] = make([]string, ncol)
	}
	for j, name := range df.Names() {
		col := df.Col(name)
		for i := range nrow {
			e := col.Elem(i)
			switch {
			case e.IsNA():
			case col.Type() == series.Float:
				t.Rows[i][j] = strconv.FormatFloat(math.Round(e.Float()*10)/10, 'f', -1, 64)
			default:
				t.Rows[i][j] = e.String()
			}
		}
	}
	return t
}

// day is a timestamp's date in UTC, or the text Anaplan sent when it could
// not be parsed.
func day(ts anaplan.Timestamp) string {
	if ts.Time.IsZero() {
		return ts.Raw
	}
	return ts.Time.UTC().Format(time.DateOnly)
}

func blankZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
