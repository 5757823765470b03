package history

import "database/sql"

// OpenRaw opens the database file without the package, for tests that
// count rows or plant odd contents.
func OpenRaw(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }
