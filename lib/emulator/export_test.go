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
