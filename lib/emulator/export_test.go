package emulator

// RouteInfo is one route-table entry, exported for the tests of
// package emulator_test (route walks, contract coverage).
type RouteInfo struct{ Method, Pattern string }

// RoutesOf lists the emulator's route table.
func RoutesOf(e *Emulator) []RouteInfo {
	out := make([]RouteInfo, len(e.routes))
	for i, r := range e.routes {
		out[i] = RouteInfo{r.method, r.pattern}
	}
	return out
}

// WaitTasks is e.Settle, kept for the package's own tests.
func WaitTasks(e *Emulator) { e.Settle() }

// TaskIDFor is the ID of the n-th task (from 1) an emulator starts.
func TaskIDFor(modelID string, n int64) string { return taskID(modelID, n) }

// HoldEngine runs fn while the model's engine is busy, as it is while an
// import runs, so tests can see the 409 a write gets then.
func HoldEngine(e *Emulator, modelID string, fn func()) {
	e.bulk.model(modelID).engine.Hold(fn)
}

// ReadRequestIDFor is the id of the n-th read request (from 1) an
// emulator starts.
func ReadRequestIDFor(n int64) string { return readRequestID(n) }
