package registry

import (
	"io"
	"strconv"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// FamiliesHeader and HygieneHeader are the headers of families.csv and
// hygiene.csv, files for people (cells are SpreadsheetSafe). A family's
// environment cell holds its models' names, "; "-separated.
var (
	FamiliesHeader = append(append([]string{"family", "lineage", "sourceModelId"}, envNames()...), "flags", "flagReasons")
	HygieneHeader  = []string{"check", "modelId", "modelName", "workspaceName", "reason"}
)

func envNames() []string {
	out := make([]string, len(Environments))
	for i, e := range Environments {
		out[i] = string(e)
	}
	return out
}

// row is the family's families.csv row, each text cell passed through safe.
func (f Family) row(safe func(string) string) []string {
	row := []string{safe(f.Name), strconv.FormatBool(f.Lineage), safe(f.SourceModelID)}
	for _, e := range Environments {
		ms := f.in(e)
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
		}
		row = append(row, safe(strings.Join(names, "; ")))
	}
	flags, reasons := make([]string, len(f.Flags)), make([]string, len(f.Flags))
	for i, ff := range f.Flags {
		flags[i], reasons[i] = string(ff.Flag), ff.Reason
	}
	return append(row, strings.Join(flags, " "), safe(strings.Join(reasons, "; ")))
}

// WriteFamiliesCSV writes families.csv: one row per family, one column per
// environment.
func (r *Registry) WriteFamiliesCSV(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.Write(FamiliesHeader); err != nil {
		return err
	}
	for _, f := range r.Organisation().Families {
		if err := cw.Write(f.row(SpreadsheetSafe)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteHygieneCSV writes hygiene.csv: one row per finding.
func (r *Registry) WriteHygieneCSV(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.Write(HygieneHeader); err != nil {
		return err
	}
	for _, h := range r.Organisation().Hygiene {
		if err := cw.Write([]string{string(h.Check), SpreadsheetSafe(h.ModelID), SpreadsheetSafe(h.ModelName),
			SpreadsheetSafe(h.Workspace), SpreadsheetSafe(h.Reason)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// FamiliesFrame is families.csv as a frame (names unescaped), plus the
// number of models of each family in "models".
func (r *Registry) FamiliesFrame() dataframe.DataFrame {
	fams := r.Organisation().Families
	cols := make([][]string, len(FamiliesHeader))
	lineage := make([]bool, len(fams))
	sizes := make([]int, len(fams))
	for i, f := range fams {
		for c, v := range f.row(func(s string) string { return s }) {
			cols[c] = append(cols[c], v)
		}
		lineage[i], sizes[i] = f.Lineage, f.Size()
	}
	var s []series.Series
	for c, name := range FamiliesHeader {
		if name == "lineage" {
			s = append(s, series.New(lineage, series.Bool, name))
			continue
		}
		s = append(s, series.New(orEmpty(cols[c]), series.String, name))
	}
	return dataframe.New(append(s, series.New(sizes, series.Int, "models"))...)
}

// HygieneFrame is hygiene.csv as a frame.
func (r *Registry) HygieneFrame() dataframe.DataFrame {
	hs := r.Organisation().Hygiene
	cols := make([][]string, len(HygieneHeader))
	for _, h := range hs {
		for c, v := range []string{string(h.Check), h.ModelID, h.ModelName, h.Workspace, h.Reason} {
			cols[c] = append(cols[c], v)
		}
	}
	s := make([]series.Series, len(HygieneHeader))
	for c, name := range HygieneHeader {
		s[c] = series.New(orEmpty(cols[c]), series.String, name)
	}
	return dataframe.New(s...)
}

func orEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
