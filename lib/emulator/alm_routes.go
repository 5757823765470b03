package emulator

import "slices"

// almRoutes is the ALM API (anaplan-api.md §13, alm-openapi.json) on the
// short model form /2/0/models/{modelId}: revisions and their lineage,
// syncs, online status. Every route needs Workspace Administrator (403)
// and answers 422 for an archived model.
func (e *Emulator) almRoutes() []route {
	return slices.Concat(
		modelRoutes("GET", "/alm/latestRevision", e.getLatestRevision),
		modelRoutes("GET", "/alm/revisions", e.listRevisions),
		modelRoutes("POST", "/alm/revisions", e.createRevision),
		modelRoutes("GET", "/alm/revisions/{revisionId}/appliedToModels", e.getAppliedToModels),
		modelRoutes("GET", "/alm/syncableRevisions", e.listSyncableRevisions),
		modelRoutes("GET", "/alm/syncTasks", e.listSyncTasks),
		modelRoutes("POST", "/alm/syncTasks", e.startSyncTask),
		modelRoutes("GET", "/alm/syncTasks/{syncTaskId}", e.getSyncTask),
		modelRoutes("POST", "/onlineStatus", e.setOnlineStatus),
		modelRoutes("PUT", "/onlineStatus", e.setOnlineStatus),
	)
}
