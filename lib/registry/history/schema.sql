-- The registry's history: one row per run, and for workspaces and models
-- only what changed. A model's identity and classification (name, workspace,
-- state, environment, family, ALM status) live in model_versions, one row per
-- distinct value over time; its activity (size, last modified, save serial
-- number), which changes far more often, lives in model_activity, one row per
-- change. A value holds from its first_run up to, not including, its
-- until_run; until_run is NULL while it is current.
--
-- Rows are kept per tenant (tenants: API host and user), so one file can
-- hold the demo tenant and a real one side by side. The version tables are
-- WITHOUT ROWID, clustered on their key, and only current rows are indexed
-- by tenant: a year of daily runs costs little more than its changes.
--
-- Each version row carries a digest of its value columns: 64-bit FNV-1a of
-- the values as stored, in the order of the columns (each text as 's', its
-- length as a uvarint and its bytes; each integer as 'i' and 8 bytes
-- big-endian), as a signed integer. A run reads only the ids and digests of
-- the current rows and the full old row only of what changed. The *_current
-- indexes hold just the current rows, with until_run (always NULL there:
-- listed so that SQLite sees the index covers the query) and the digest, so
-- that read touches the index alone, however long the history.
--
-- Schema version (PRAGMA user_version) 2; version 1, without the digests,
-- is migrated on open.
--
-- Read it with the sqlite3 command, e.g. the models as of the latest run:
--
--   SELECT v.model_id, v.name, v.environment, a.memory_usage
--   FROM model_versions v JOIN model_activity a USING (tenant, model_id)
--   WHERE v.until_run IS NULL AND a.until_run IS NULL;
--
-- and as of run 12: first_run <= 12 AND (until_run IS NULL OR until_run > 12).

CREATE TABLE IF NOT EXISTS tenants (
	id   INTEGER PRIMARY KEY,
	name TEXT    NOT NULL UNIQUE  -- API host and user the runs read
);

CREATE TABLE IF NOT EXISTS runs (
	id         INTEGER PRIMARY KEY,  -- increasing: a later run has a larger id
	tenant     INTEGER NOT NULL REFERENCES tenants (id),
	taken_at   TEXT    NOT NULL,     -- RFC 3339, UTC, to the millisecond
	workspaces INTEGER NOT NULL,
	models     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_tenant ON runs (tenant, id);

CREATE TABLE IF NOT EXISTS workspace_versions (
	tenant         INTEGER NOT NULL REFERENCES tenants (id),
	workspace_id   TEXT    NOT NULL,
	first_run      INTEGER NOT NULL REFERENCES runs (id),
	until_run      INTEGER REFERENCES runs (id),
	name           TEXT    NOT NULL,
	active         INTEGER NOT NULL,  -- 0 or 1
	size_allowance INTEGER NOT NULL,  -- bytes; 0 when Anaplan did not say
	current_size   INTEGER NOT NULL,  -- bytes
	digest         INTEGER NOT NULL,  -- of name .. current_size (see above)
	PRIMARY KEY (tenant, workspace_id, first_run)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS workspace_versions_current ON workspace_versions (tenant, until_run, digest) WHERE until_run IS NULL;

CREATE TABLE IF NOT EXISTS model_versions (
	tenant           INTEGER NOT NULL REFERENCES tenants (id),
	model_id         TEXT    NOT NULL,
	first_run        INTEGER NOT NULL REFERENCES runs (id),
	until_run        INTEGER REFERENCES runs (id),
	name             TEXT    NOT NULL,
	workspace_id     TEXT    NOT NULL,
	active_state     TEXT    NOT NULL,
	created_at       TEXT    NOT NULL,  -- RFC 3339 or empty
	environment      TEXT    NOT NULL,
	environment_rule TEXT    NOT NULL,
	family           TEXT    NOT NULL,
	alm_status       TEXT    NOT NULL,  -- e.g. in-sync, behind; empty without ALM
	alm              TEXT    NOT NULL,  -- what ALM said of the model, JSON; '' without ALM
	digest           INTEGER NOT NULL,  -- of name .. alm (see above)
	PRIMARY KEY (tenant, model_id, first_run)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS model_versions_current ON model_versions (tenant, until_run, digest) WHERE until_run IS NULL;

CREATE TABLE IF NOT EXISTS model_activity (
	tenant            INTEGER NOT NULL REFERENCES tenants (id),
	model_id          TEXT    NOT NULL,
	first_run         INTEGER NOT NULL REFERENCES runs (id),
	until_run         INTEGER REFERENCES runs (id),
	memory_usage      INTEGER NOT NULL,  -- bytes
	last_modified     TEXT    NOT NULL,  -- RFC 3339 or empty
	last_saved_serial TEXT    NOT NULL,  -- as Anaplan sent it
	digest            INTEGER NOT NULL,  -- of memory_usage .. last_saved_serial (see above)
	PRIMARY KEY (tenant, model_id, first_run)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS model_activity_current ON model_activity (tenant, until_run, digest) WHERE until_run IS NULL;

-- The day of the built-in emulator's demo tenant each demo run read
-- (demoday.go): the emulator counts it in the temporary directory, and when
-- that is cleared a registry run raises the count to the latest day here,
-- so the demo tenant never goes back and the diff never shows it shrinking.
-- Only runs against the demo tenant have a row.
CREATE TABLE IF NOT EXISTS demo_days (
	run INTEGER PRIMARY KEY REFERENCES runs (id),
	day INTEGER NOT NULL  -- days the demo tenant had moved on (emulator.Tenant.Day)
);
