package engine

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// Result is the outcome of an import, export or process, shaped as Anaplan
// reports a task's "result" (anaplan-api.md §5.4): the JSON tags are
// Anaplan's, so the HTTP layer can serve it as is. The untagged fields are
// for the emulator: the failure dump, an export's output file and row counts.
type Result struct {
	Successful           bool     `json:"successful"`
	FailureDumpAvailable bool     `json:"failureDumpAvailable"`
	ObjectID             string   `json:"objectId"`
	ObjectName           string   `json:"objectName,omitempty"`
	Details              []Detail `json:"details,omitempty"`
	NestedResults        []Result `json:"nestedResults,omitempty"`

	// Dump is the failure dump CSV (nil if no row failed): _Status_, the
	// row's original columns, _Line_, _Error_1_.
	Dump []byte `json:"-"`
	// Output is an export's CSV; the HTTP layer stores it as the file whose
	// id is the export id.
	Output []byte `json:"-"`

	// Every data row is counted once: Succeeded+Ignored+Failed == Processed.
	RowsProcessed, RowsSucceeded, RowsIgnored, RowsFailed int `json:"-"`
}

// Detail is one entry of a result's "details". Values are flat key, value
// pairs as strings, as Anaplan sends them.
type Detail struct {
	LocalMessageText string   `json:"localMessageText"`
	Occurrences      int      `json:"occurrences"`
	Type             string   `json:"type"`
	Values           []string `json:"values,omitempty"`
}

// dumpWriter builds an import's failure dump. Anaplan's dump (H:dump) is a
// CSV with _Status_ first, then the source columns, then _Line_ and
// _Error_1_. "E" as the status of a failed row is the emulator's choice: the
// reference names the column but not its values (UNVERIFIED).
type dumpWriter struct {
	header []string
	buf    bytes.Buffer
	w      *csv.Writer
	rec    []string
}

const dumpStatusError = "E"

func newDumpWriter(header []string) *dumpWriter {
	return &dumpWriter{header: header}
}

func (d *dumpWriter) add(r row, message string) {
	if d.w == nil {
		d.w = csv.NewWriter(&d.buf)
		head := append([]string{"_Status_"}, d.header...)
		d.w.Write(append(head, "_Line_", "_Error_1_"))
	}
	d.rec = append(d.rec[:0], dumpStatusError)
	for i := range d.header {
		if i < len(r.fields) {
			d.rec = append(d.rec, r.fields[i])
		} else {
			d.rec = append(d.rec, "")
		}
	}
	d.rec = append(d.rec, strconv.Itoa(r.line), message)
	d.w.Write(d.rec)
}

// bytes returns the dump, or nil when no row failed.
func (d *dumpWriter) bytes() []byte {
	if d.w == nil {
		return nil
	}
	d.w.Flush()
	return d.buf.Bytes()
}

// counts are an import's row tallies.
type counts struct {
	processed, created, updated, renamed, failed, ignored int
}

func (c counts) succeeded() int { return c.created + c.updated }

// hierarchyDetail reports a list import the way Anaplan does:
//
//	"Employees: 90 (0/90) rows successful, 5 ignored "  (type hierarchyRowsProcessed)
//	"test e2e: 13 (0/13) rows successful, 0 (0/0) rows has warnings, 2 failed, 0 ignored"
//	                                                    (type hierarchyRowsProcessedWithFailures)
//
// (created/updated) in parentheses; the values keys and order are those of
// Anaplan's help example (H:monitor). The emulator raises no warnings, and
// counts an update as renamed whenever the import maps names, as both public
// examples do (updatedCount == renamedCount). invalidCount mirrors
// failedCount (UNVERIFIED: every public example has both 0).
func hierarchyDetail(listName string, c counts) Detail {
	n := strconv.Itoa
	d := Detail{
		Type: "hierarchyRowsProcessed",
		Values: []string{
			"hierarchyName", listName,
			"successRowCount", n(c.succeeded()),
			"successCreateCount", n(c.created),
			"successUpdateCount", n(c.updated),
			"warningsRowCount", "0",
			"warningsCreateCount", "0",
			"warningsUpdateCount", "0",
			"failedCount", n(c.failed),
			"ignoredCount", n(c.ignored),
			"totalRowCount", n(c.processed),
			"totalCreateCount", n(c.created),
			"totalUpdateCount", n(c.updated),
			"invalidCount", n(c.failed),
			"updatedCount", n(c.updated),
			"renamedCount", n(c.renamed),
			"createdCount", n(c.created),
		},
	}
	head := listName + ": " + n(c.succeeded()) + " (" + n(c.created) + "/" + n(c.updated) + ") rows successful, "
	if c.failed == 0 {
		d.LocalMessageText = head + n(c.ignored) + " ignored "
	} else {
		d.Type = "hierarchyRowsProcessedWithFailures"
		d.LocalMessageText = head + "0 (0/0) rows has warnings, " + n(c.failed) + " failed, " + n(c.ignored) + " ignored"
	}
	return d
}

// moduleDetail reports a module import. Anaplan's catalogue of detail types
// lists lineItemRowsProcessed and lineItemRowsProcessedWithFailures for
// module data, but no public example shows their text or values
// (UNVERIFIED): the emulator reuses the list import's sentence without the
// created/updated split, and names the module under "moduleName".
func moduleDetail(moduleName string, c counts) Detail {
	n := strconv.Itoa
	d := Detail{
		Type: "lineItemRowsProcessed",
		Values: []string{
			"moduleName", moduleName,
			"successRowCount", n(c.succeeded()),
			"warningsRowCount", "0",
			"failedCount", n(c.failed),
			"ignoredCount", n(c.ignored),
			"totalRowCount", n(c.processed),
		},
	}
	head := moduleName + ": " + n(c.succeeded()) + " rows successful, "
	if c.failed == 0 {
		d.LocalMessageText = head + n(c.ignored) + " ignored "
	} else {
		d.Type = "lineItemRowsProcessedWithFailures"
		d.LocalMessageText = head + "0 rows has warnings, " + n(c.failed) + " failed, " + n(c.ignored) + " ignored"
	}
	return d
}

// importResult assembles an import's result. An import with failed rows
// reports successful=false and a dump (UNVERIFIED whether Anaplan reports
// partial loads as unsuccessful; the emulator does, so a caller cannot miss
// a rejected row).
func importResult(imp *importAction, c counts, detail Detail, dump []byte) Result {
	return Result{
		Successful:           c.failed == 0,
		FailureDumpAvailable: dump != nil,
		ObjectID:             idString(imp.id),
		ObjectName:           imp.name,
		Details:              []Detail{detail},
		Dump:                 dump,
		RowsProcessed:        c.processed,
		RowsSucceeded:        c.succeeded(),
		RowsIgnored:          c.ignored,
		RowsFailed:           c.failed,
	}
}
