package emulator

import "slices"

// transactionalRoutes is the transactional API (anaplan-api.md §6) on the
// model engine: lists and their items, modules, line items, views and
// their data, cell writes, dimension items and large-volume reads. Every
// model-scoped route answers in both forms (modelRoutes).
func (e *Emulator) transactionalRoutes() []route {
	return slices.Concat(
		modelRoutes("GET", "/lists", e.listLists),
		modelRoutes("GET", "/lists/{listId}", e.getList),
		modelRoutes("GET", "/lists/{listId}/items", e.getListItems),
		modelRoutes("POST", "/lists/{listId}/items", e.postListItems),
		modelRoutes("PUT", "/lists/{listId}/items", e.putListItems),
		modelRoutes("POST", "/lists/{listId}/resetIndex", e.resetListIndex),

		modelRoutes("GET", "/modules", e.listModules),
		modelRoutes("GET", "/lineItems", e.listLineItems),
		modelRoutes("GET", "/modules/{moduleId}/lineItems", e.listLineItems),
		modelRoutes("GET", "/lineItems/{lineItemId}/dimensions", e.lineItemDimensions),
		modelRoutes("GET", "/lineItems/{lineItemId}/dimensions/{dimensionId}/items", e.objectDimensionItems("lineItemId")),
		modelRoutes("GET", "/views", e.listViews),
		modelRoutes("GET", "/modules/{moduleId}/views", e.listViews),
		modelRoutes("GET", "/views/{viewId}", e.getView),
		modelRoutes("GET", "/views/{viewId}/data", e.getViewData),
		modelRoutes("GET", "/views/{viewId}/dimensions/{dimensionId}/items", e.objectDimensionItems("viewId")),
		modelRoutes("GET", "/dimensions/{dimensionId}/items", e.getDimensionItems),
		modelRoutes("POST", "/dimensions/{dimensionId}/items", e.lookupDimensionItems),
		modelRoutes("POST", "/modules/{moduleId}/data", e.writeCells),

		modelRoutes("POST", "/lists/{listId}/readRequests", e.startReadRequest(readList)),
		modelRoutes("GET", "/lists/{listId}/readRequests/{requestId}", e.getReadRequest(readList)),
		modelRoutes("DELETE", "/lists/{listId}/readRequests/{requestId}", e.deleteReadRequest(readList)),
		modelRoutes("GET", "/lists/{listId}/readRequests/{requestId}/pages/{pageNo}", e.getReadPage(readList)),
		modelRoutes("POST", "/views/{viewId}/readRequests", e.startReadRequest(readView)),
		modelRoutes("GET", "/views/{viewId}/readRequests/{requestId}", e.getReadRequest(readView)),
		modelRoutes("DELETE", "/views/{viewId}/readRequests/{requestId}", e.deleteReadRequest(readView)),
		modelRoutes("GET", "/views/{viewId}/readRequests/{requestId}/pages/{pageNo}", e.getReadPage(readView)),
	)
}
