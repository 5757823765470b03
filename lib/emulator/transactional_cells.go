package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/anaplan-registry/toolkit/lib/emulator/engine"
)

// maxCellWriteBody is Anaplan's 15 MB limit on a cell write (H:cells).
const maxCellWriteBody = 15 << 20

// cellWriteJSON is one cell of POST …/modules/{moduleId}/data, by id or
// by name (anaplan-api.md §6 "Write cells").
type cellWriteJSON struct {
	LineItemID   string `json:"lineItemId"`
	LineItemName string `json:"lineItemName"`
	Dimensions   []struct {
		DimensionID   string `json:"dimensionId"`
		DimensionName string `json:"dimensionName"`
		ItemID        string `json:"itemId"`
		ItemName      string `json:"itemName"`
		ItemCode      string `json:"itemCode"`
	} `json:"dimensions"`
	Value any `json:"value"`
}

// cellWriteResultJSON answers a cell write; failures omitted when none.
type cellWriteResultJSON struct {
	NumberOfCellsChanged int              `json:"numberOfCellsChanged"`
	Failures             []engine.Failure `json:"failures,omitempty"`
}

// writeCells serves POST …/modules/{moduleId}/data: a JSON array of
// cells, at most 100,000 cells or 15 MB; each cell is written or reported
// in failures with its requestIndex.
func (e *Emulator) writeCells(w http.ResponseWriter, r *http.Request) {
	_, bm, ok := e.txnWrite(w, r)
	if !ok {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCellWriteBody))
	if err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf(
			"The request body is over the limit of %d bytes (15 MB) per cell write: split the cells into smaller requests.", maxCellWriteBody))
		return
	}
	var cells []cellWriteJSON
	if err := json.Unmarshal(data, &cells); err != nil {
		e.writeAPIError(w, r, http.StatusBadRequest, "The request body must be a JSON array of cells: "+err.Error())
		return
	}
	if len(cells) > engine.MaxCellsPerCall {
		e.writeAPIError(w, r, http.StatusBadRequest, fmt.Sprintf(
			"%d cells in one request: at most %d are allowed. Split the request.", len(cells), engine.MaxCellsPerCall))
		return
	}
	in := make([]engine.CellInput, len(cells))
	for i, c := range cells {
		in[i] = engine.CellInput{LineItemID: c.LineItemID, LineItemName: c.LineItemName, Value: c.Value}
		for _, d := range c.Dimensions {
			in[i].Dimensions = append(in[i].Dimensions, engine.CellDimension(d))
		}
	}
	changed, failures, err := bm.engine.WriteCells(r.PathValue("moduleId"), in)
	if err != nil {
		e.writeEngineError(w, r, err)
		return
	}
	e.afterWrite(bm)
	writeJSON(w, http.StatusOK, cellWriteResultJSON{NumberOfCellsChanged: changed, Failures: failures})
}
