package emulator

// authRoutes is the authentication service (anaplan-api.md §2), Anaplan's
// https://auth.anaplan.com.
func (e *Emulator) authRoutes() []route {
	return []route{
		{"POST", "/token/authenticate", e.authenticate},
		{"POST", "/token/refresh", e.refresh},
		{"GET", "/token/validate", e.validate},
		{"POST", "/token/logout", e.logout},
	}
}
