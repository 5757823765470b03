package history

import "database/sql"

// OpenRaw opens the database file without the package, for tests that
// count rows or plant odd contents.
func OpenRaw(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }

// CurrentDigestQueries are the queries Record reads the current rows'
// digests with, one per versioned table, for a test of their query plan.
func CurrentDigestQueries() []string {
	return []string{
		digestQuery(workspaceTable.name, workspaceTable.idColumn),
		digestQuery(identityTable.name, identityTable.idColumn),
		digestQuery(activityTable.name, activityTable.idColumn),
	}
}
