package cli

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/anaplan-registry/toolkit/lib/registry"
)

// Format is how a script prints its result: a table for people, CSV or
// JSON for other programs.
type Format string

// The formats every listing script accepts.
const (
	FormatTable Format = "table"
	FormatCSV   Format = "csv"
	FormatJSON  Format = "json"
)

// FormatFlag registers -format on fs with table as the default.
func FormatFlag(fs *flag.FlagSet) *Format {
	f := FormatTable
	fs.Var(&f, "format", "output format: table, csv or json")
	return &f
}

func (f *Format) String() string { return string(*f) }

// Set accepts table, csv or json.
func (f *Format) Set(s string) error {
	switch Format(s) {
	case FormatTable, FormatCSV, FormatJSON:
		*f = Format(s)
		return nil
	}
	return fmt.Errorf("unknown format %q: use table, csv or json", s)
}

// Write prints a result in format f: the table as text or CSV, or value as
// indented JSON (value carries the full records, not the table's cells).
func Write(w io.Writer, f Format, table registry.Table, value any) error {
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // data, not HTML: "FP&A" stays as it is
		return enc.Encode(value)
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(table.Header); err != nil {
			return err
		}
		if err := cw.WriteAll(table.Rows); err != nil {
			return err
		}
		return cw.Error()
	default:
		return table.WriteText(w)
	}
}
