package emulator

// oauthRoutes is the OAuth service and its verification page.
func (e *Emulator) oauthRoutes() []route {
	return []route{
		{"POST", "/oauth/device/code", e.deviceCode},
		{"POST", "/oauth/token", e.oauthToken},
		{"GET", activatePath, e.activatePage},
		{"POST", activatePath + "/login", e.activateLogin},
		{"POST", activatePath + "/decision", e.activateDecision},
	}
}
