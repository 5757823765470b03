package emulator

import "slices"

// routeTable lists every route the emulator serves, one list per seam,
// each in that seam's <seam>_routes.go. A new seam writes its own
// xRoutes() []route and adds it here; the contract test fails until each
// route has a contract case. Model-scoped routes are registered in both
// forms by modelRoutes (router.go). Paths under /2/0/ need a token; the
// router checks it before any handler runs.
func (e *Emulator) routeTable() []route {
	return slices.Concat(
		e.authRoutes(),
		e.oauthRoutes(), // OAuth service and verification page
		e.readRoutes(),
		e.userRoutes(),
		e.bulkRoutes(),
		e.almRoutes(),
		e.transactionalRoutes(),
		e.modelAdminRoutes(),
	)
}
