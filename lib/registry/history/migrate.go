package history

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed schema.sql
var schema string

// schemaVersion is stored in PRAGMA user_version. Open migrates a database
// of an older version and refuses one written by a newer version of this
// package rather than misread it. Version 1 had no digest columns.
const schemaVersion = 2

// migrate creates the schema in a new database and brings an older one to
// schemaVersion, in one transaction. A database already at the version is
// only read: opening it takes no write lock.
func (h *DB) migrate(ctx context.Context) error {
	v, err := userVersion(ctx, h.db)
	if err != nil {
		return h.openError(err)
	}
	if v == schemaVersion {
		return nil
	}
	if v > schemaVersion {
		return h.newerError(v)
	}
	tx, err := h.db.BeginTx(ctx, nil) // immediate: two runs opening at once migrate once
	if err != nil {
		return h.openError(err)
	}
	defer tx.Rollback()
	if v, err = userVersion(ctx, tx); err != nil { // another run may have migrated meanwhile
		return h.openError(err)
	}
	switch {
	case v == schemaVersion:
		return nil
	case v > schemaVersion:
		return h.newerError(v)
	case v == 1:
		if err := addDigests(ctx, tx); err != nil {
			return fmt.Errorf("history: migrating %s from schema 1 to %d: %w", h.path, schemaVersion, err)
		}
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return h.openError(err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return h.openError(err)
	}
	return tx.Commit()
}

// userVersion reads PRAGMA user_version through the database or a
// transaction.
func userVersion(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// addDigests migrates schema 1 to 2: every version row gets the digest of
// its values, and the indexes of current rows are dropped for schema.sql
// to create them again with the digest in them.
func addDigests(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []struct{ name, columns string }{
		{workspaceTable.name, strings.Join(workspaceTable.columns, ", ")},
		{identityTable.name, strings.Join(identityTable.columns, ", ")},
		{activityTable.name, strings.Join(activityTable.columns, ", ")},
	} {
		for _, stmt := range []string{
			fmt.Sprintf(`ALTER TABLE %s ADD COLUMN digest INTEGER NOT NULL DEFAULT 0`, t.name),
			fmt.Sprintf(`UPDATE %s SET digest = %s(%s)`, t.name, digestFunction, t.columns),
			fmt.Sprintf(`DROP INDEX IF EXISTS %s_current`, t.name),
		} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
	}
	return nil
}

func (h *DB) newerError(v int) error {
	return fmt.Errorf("history: %s was written by a newer version of this toolkit (schema %d, this one reads %d): update the toolkit or name another -history file", h.path, v, schemaVersion)
}
