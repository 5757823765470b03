package emulator

import "slices"

// modelAdminRoutes is model administration (admin_models.go): status,
// open and close, calendar, versions, dashboards, bulk delete of models.
func (e *Emulator) modelAdminRoutes() []route {
	return slices.Concat(
		modelRoutes("GET", "/status", e.getModelStatus),
		modelRoutes("POST", "/open", e.openModel),
		modelRoutes("POST", "/close", e.closeModel),
		modelRoutes("GET", "/currentPeriod", e.getCurrentPeriod),
		modelRoutes("PUT", "/currentPeriod", e.putCurrentPeriod),
		modelRoutes("GET", "/modelCalendar", e.getModelCalendar),
		modelRoutes("PUT", "/modelCalendar/fiscalYear", e.putFiscalYear),
		modelRoutes("GET", "/versions", e.listVersions),
		modelRoutes("PUT", "/versions/{versionId}/switchover", e.putSwitchover),
		modelRoutes("GET", "/dashboards", e.listDashboards),
		modelRoutes("GET", "/optimizeActions/{actionId}/tasks/{correlationId}/solutionLogs", e.getSolutionLogs),
		[]route{{"POST", "/2/0/workspaces/{workspaceId}/bulkDeleteModels", e.bulkDeleteModels}},
	)
}
