package registry

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/anaplan-registry/toolkit/lib/anaplan"
)

// RunExport runs the model's export with the given id or name, waits for
// it and reads its output file (the file with the export's id) as a frame
// of strings: that is how to look at what the imports loaded, e.g. the
// tutorial's "W2 Model Register.csv". Strings, because type detection
// would turn codes like 0012 into numbers.
func RunExport(ctx context.Context, m *anaplan.ModelHandle, idOrName string) (dataframe.DataFrame, error) {
	exp, err := m.FindExport(ctx, idOrName)
	if err != nil {
		return dataframe.DataFrame{}, err
	}
	task, err := m.RunExport(ctx, exp.ID, anaplan.TaskOptions{})
	if err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("starting export %q: %w", exp.Name, err)
	}
	if _, err := task.Wait(ctx, nil); err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("export %q: %w", exp.Name, err)
	}
	var out bytes.Buffer
	if _, err := m.Download(ctx, exp.ID, &out); err != nil {
		return dataframe.DataFrame{}, fmt.Errorf("downloading the output of export %q: %w", exp.Name, err)
	}
	df, err := readStrings(&out)
	if err != nil {
		return df, fmt.Errorf("reading the output of export %q: %w", exp.Name, err)
	}
	return df, nil
}

// readStrings reads CSV as a frame of strings, empty cells kept as "". A
// header without rows (an export of an empty module) is a frame with those
// columns and no rows; gota alone calls that an error.
func readStrings(r io.Reader) (dataframe.DataFrame, error) {
	records, err := csv.NewReader(r).ReadAll()
	switch {
	case err != nil:
		return dataframe.DataFrame{}, err
	case len(records) == 0:
		return dataframe.DataFrame{}, errors.New("no CSV header")
	case len(records) == 1:
		cols := make([]series.Series, len(records[0]))
		for i, name := range records[0] {
			cols[i] = series.New([]string{}, series.String, name)
		}
		df := dataframe.New(cols...)
		return df, df.Err
	}
	df := dataframe.LoadRecords(records, dataframe.DetectTypes(false), dataframe.DefaultType(series.String), dataframe.NaNValues(nil))
	return df, df.Err
}
